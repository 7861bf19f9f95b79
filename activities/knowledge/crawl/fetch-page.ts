import type { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from '../../webhooks/http-post.js';

/** The contract's limit: a larger page is skipped, never read whole. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export const USER_AGENT = 'CatyBot/1.0 (+https://github.com/caty; knowledge crawler)';

export type FetchResult =
  | { kind: 'ok'; status: number; contentType: string | null; body: Buffer; etag: string | null; lastModified: string | null }
  | { kind: 'not_modified' }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'http_error'; status: number }
  | { kind: 'too_large'; bytes: number | null }
  | { kind: 'network_error'; error: string };

export interface FetchOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  maxBytes?: number;
  etag?: string | null;
  lastModified?: string | null;
}

/**
 * One GET, bounded in time (connect, headers and body together) and size, that never follows a
 * redirect (the caller decides whether its target is allowed), keeps no cookies, and refuses
 * internal addresses at connection time unless they are allowed.
 */
export function fetchPage(url: URL, options: FetchOptions): Promise<FetchResult> {
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: FetchResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'GET',
      agent: false,
      headers: {
        'user-agent': USER_AGENT,
        accept: 'text/html,application/xhtml+xml,application/pdf,text/plain,text/markdown;q=0.9,*/*;q=0.5',
        'accept-encoding': 'identity',
        ...(options.etag ? { 'if-none-match': options.etag } : {}),
        ...(options.lastModified ? { 'if-modified-since': options.lastModified } : {}),
      },
      ...(options.allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof lookup }),
    });
    const timer = setTimeout(() => finish({ kind: 'network_error', error: `no complete answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const header = (name: string) => {
        const value = response.headers[name];
        return (Array.isArray(value) ? value[0] : value) ?? null;
      };
      if (status === 304) return finish({ kind: 'not_modified' });
      if (status >= 300 && status < 400) {
        const location = header('location');
        return finish(location ? { kind: 'redirect', status, location } : { kind: 'http_error', status });
      }
      if (status < 200 || status >= 300) return finish({ kind: 'http_error', status });
      const declared = Number(header('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) return finish({ kind: 'too_large', bytes: declared });
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish({ kind: 'too_large', bytes: null });
        chunks.push(chunk);
      });
      response.on('end', () =>
        finish({ kind: 'ok', status, contentType: header('content-type'), body: Buffer.concat(chunks), etag: header('etag'), lastModified: header('last-modified') }),
      );
      response.on('error', (error) => finish({ kind: 'network_error', error: error.message }));
    });
    request.on('error', (error) => finish({ kind: 'network_error', error: error.message || String(error) }));
    request.end();
  });
}
