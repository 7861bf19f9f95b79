import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isPrivateAddress, UnsafeWebhookUrlError } from './url-safety.js';

export interface PostResult {
  /** The consumer's HTTP status, when it answered at all. */
  statusCode: number | null;
  /** Why the attempt failed before an answer: timeout, refused connection, unsafe address. */
  error: string | null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves like the system does, but refuses internal addresses at connection time, so a host
 * that passed the check cannot be re-pointed at the internal network between check and connect.
 */
export function guardedLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const internal = addresses.find((a) => isPrivateAddress(a.address));
    if (internal) return callback(new UnsafeWebhookUrlError(`${hostname} resolves to the internal address ${internal.address}`) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * One POST with a hard deadline covering connect, headers and body. Never follows redirects:
 * a redirect could lead to an address the URL check never saw.
 */
export function postJson(url: URL, body: string, headers: Record<string, string>, options: { timeoutMs: number; allowPrivate: boolean }): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': Buffer.byteLength(body).toString() },
      ...(options.allowPrivate ? {} : { lookup: guardedLookup as unknown as typeof lookup }),
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('response', (response) => {
      // The answer's body is not used; read it to the end (bounded by the deadline) and drop it.
      response.resume();
      response.on('end', () => finish({ statusCode: response.statusCode ?? null, error: null }));
      response.on('error', () => finish({ statusCode: response.statusCode ?? null, error: null }));
    });
    request.on('error', (error) => finish({ statusCode: null, error: error.message || String(error) }));
    request.end(body);
  });
}
