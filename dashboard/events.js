// Live updates from GET /api/events. EventSource cannot send the Authorization header, so the
// stream is read with fetch and parsed here.

import { authHeaders } from './api.js';

const RECONNECT_MIN_MS = 1000;
const RECONNECT_JITTER_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

/** 1-2 s after a dropped stream; longer while the server keeps refusing, so it is not hammered. */
function reconnectDelay(refusals) {
  const base = Math.min(RECONNECT_MIN_MS * 2 ** Math.max(0, refusals - 1), RECONNECT_MAX_MS);
  return base + Math.random() * RECONNECT_JITTER_MS;
}

/**
 * Feeds text chunks in, calls onFrame({id, event, data}) for each complete event and
 * onId(id) for every `id:` line (an id counts even on a frame without data).
 */
export function createSseParser(onFrame, onId) {
  let buffer = '';
  let frame = { event: '', data: [] };

  function line(text) {
    if (text === '') {
      if (frame.data.length) onFrame({ event: frame.event || 'message', data: frame.data.join('\n'), id: frame.id });
      frame = { event: '', data: [] };
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') frame.data.push(value);
    else if (field === 'event') frame.event = value;
    else if (field === 'id' && !value.includes('\0')) {
      frame.id = value;
      onId(value);
    }
  }

  return function feed(chunk) {
    buffer += chunk;
    for (;;) {
      const end = buffer.search(/[\r\n]/);
      if (end < 0) return;
      // A lone \r at the very end may be the first half of \r\n split across chunks.
      if (buffer[end] === '\r' && end === buffer.length - 1) return;
      const width = buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1;
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + width);
      line(text);
    }
  };
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

async function readStream(response, feed, signal) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) break;
      feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Keeps one stream open for the signed-in account until stop() is called, reconnecting with
 * Last-Event-ID so nothing is missed. Listeners get {type, data}; each time the stream opens they
 * also get {type: 'resync'}: what changed before the first connection (or in a gap the server
 * could not fill) is then refetched. onState receives 'live' or 'reconnecting'.
 */
export function startLiveEvents({ key, onState = () => {} }) {
  const controller = new AbortController();
  const listeners = new Set();
  let lastId = null;
  let refusals = 0;

  const emit = (message) => {
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        console.error(error);
      }
    }
  };

  const feed = () =>
    createSseParser(
      (frame) => {
        let data = {};
        try {
          data = JSON.parse(frame.data);
        } catch {
          return;
        }
        emit({ type: frame.event, data });
      },
      (id) => {
        lastId = id;
      },
    );

  async function connectOnce() {
    const headers = { Accept: 'text/event-stream', ...authHeaders(key) };
    if (lastId) headers['Last-Event-ID'] = lastId;
    const response = await fetch('/api/events', { headers, signal: controller.signal, cache: 'no-store' });
    if (!response.ok || !response.body) {
      refusals++;
      throw new Error(`events stream answered ${response.status}`);
    }
    refusals = 0;
    onState('live');
    emit({ type: 'resync', data: {} });
    await readStream(response, feed(), controller.signal);
  }

  (async () => {
    while (!controller.signal.aborted) {
      try {
        await connectOnce();
      } catch {
        // A network error or a dropped stream: retried below like a clean end.
      }
      if (controller.signal.aborted) break;
      onState('reconnecting');
      await sleep(reconnectDelay(refusals), controller.signal);
    }
  })();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      controller.abort();
      listeners.clear();
    },
  };
}
