export interface StreamEvent {
  id: string;
  event: string;
  data: Record<string, any>;
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** Events received so far, in order. */
  events: StreamEvent[];
  /** Comment lines (`: ping`) received so far. */
  comments: string[];
  close(): void;
}

/**
 * A Server-Sent Events request read in the background until closed. A refused stream (not 200)
 * comes back closed, with its status, and its body as the one event `error`.
 */
export async function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const response = await fetch(url, { headers, signal: controller.signal });
  const close = () => controller.abort();
  if (response.status !== 200) {
    const text = await response.text();
    return { status: response.status, headers: response.headers, events: [{ id: '', event: 'error', data: text ? JSON.parse(text) : {} }], comments, close };
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (block.startsWith(':')) comments.push(block);
          if (fields.event) events.push({ id: fields.id!, event: fields.event, data: JSON.parse(fields.data!) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { status: 200, headers: response.headers, events, comments, close };
}
