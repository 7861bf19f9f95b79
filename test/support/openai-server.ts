import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat-completions request as the server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
    [key: string]: unknown;
  };
  at: number;
}

/**
 * What the server does with one request. `content` is the assistant message as text; `structured`
 * is the grounded answer, sent as JSON text when the request asked for a JSON schema and as the
 * plain format otherwise (`[n] answer`, or NO_ANSWER); `status` other than 200 answers an
 * OpenAI-style error. A function computes the step from the request.
 */
export interface ScriptedAnswer {
  status?: number;
  delayMs?: number;
  content?: string;
  structured?: { answered: boolean; entry: number; answer: string };
  errorMessage?: string;
}
export type AnswerStep = ScriptedAnswer | ((request: RecordedRequest) => ScriptedAnswer);

/** What the server does with one `/audio/transcriptions` request. */
export interface ScriptedTranscription {
  status?: number;
  delayMs?: number;
  text?: string;
}

export interface FakeOpenAiOptions {
  /** Transcriptions, one per request, in order; after them `transcriptionFallback` (default: a 500). */
  transcriptions?: ScriptedTranscription[];
  transcriptionFallback?: ScriptedTranscription;
  /** Answers, one per request, in order; after them `fallback`. */
  script?: AnswerStep[];
  /** The answer once the script is used up (default: answer from the first entry in the prompt). */
  fallback?: AnswerStep;
  /** false: refuse `response_format: json_schema` with a 400, like a server without structured output. */
  structuredOutput?: boolean;
}

export interface FakeOpenAi {
  /** The base URL to give the client (ends in /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Appends steps to the script. */
  enqueue(...steps: AnswerStep[]): void;
  /** Appends transcriptions to their script; `setTranscriptionFallback` answers once it is used up. */
  enqueueTranscription(...steps: ScriptedTranscription[]): void;
  setTranscriptionFallback(step: ScriptedTranscription): void;
  setFallback(step: AnswerStep): void;
  close(): Promise<void>;
}

/** The entries of a prompt built by activities/ai/prompt.ts: `[n] Q: …\nA: …`. */
export function promptEntries(request: RecordedRequest): { number: number; question: string; answer: string }[] {
  const system = request.body.messages?.find((m) => m.role === 'system')?.content ?? '';
  return [...system.matchAll(/^\[(\d+)\] Q: (.*)\nA: (.*)$/gm)].map((m) => ({ number: Number(m[1]), question: m[2]!, answer: m[3]! }));
}

/** A stand-in model that answers with the first retrieved entry, or declines when there is none. */
export const answerFromFirstEntry: AnswerStep = (request) => {
  const [first] = promptEntries(request);
  return { structured: first ? { answered: true, entry: first.number, answer: first.answer } : { answered: false, entry: 0, answer: '' } };
};

/**
 * A loopback OpenAI-compatible server for tests: `POST /v1/chat/completions` with JSON-schema
 * structured output or plain text, scripted delays, statuses and answers, and a record of every
 * request. Listens on 127.0.0.1 only.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const script = [...(options.script ?? [])];
  let fallback: AnswerStep = options.fallback ?? answerFromFirstEntry;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const transcriptionScript = [...(options.transcriptions ?? [])];
  let transcriptionFallback: ScriptedTranscription = options.transcriptionFallback ?? { status: 500 };
  const later = (ms: number | undefined, fn: () => void) => {
    if (!ms) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.endsWith('/audio/transcriptions')) {
        // A multipart form (the file and the model): recorded by size, answered from its own script.
        const form = Buffer.concat(chunks);
        requests.push({ method: req.method ?? '', path: req.url, headers: req.headers, body: { model: /name="model"\r\n\r\n([^\r]*)/.exec(form.toString('latin1'))?.[1], bytes: form.length }, at: Date.now() });
        const step = transcriptionScript.shift() ?? transcriptionFallback;
        return later(step.delayMs, () =>
          step.status && step.status !== 200 ? send(res, step.status, { error: { message: `scripted status ${step.status}`, type: 'server_error' } }) : send(res, 200, { text: step.text ?? '' }),
        );
      }
      let body: RecordedRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return send(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
      }
      const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() };
      requests.push(request);
      if (req.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
        return send(res, 404, { error: { message: `no route ${req.method} ${request.path}`, type: 'invalid_request_error' } });
      }
      const wantsSchema = body.response_format?.type === 'json_schema';
      if (wantsSchema && options.structuredOutput === false) {
        return send(res, 400, { error: { message: "response_format 'json_schema' is not supported by this server", type: 'invalid_request_error', param: 'response_format' } });
      }
      const step = script.shift() ?? fallback;
      const answer = typeof step === 'function' ? step(request) : step;
      const respond = () => {
        if (res.destroyed) return;
        const status = answer.status ?? 200;
        if (status !== 200) return send(res, status, { error: { message: answer.errorMessage ?? `scripted status ${status}`, type: status === 401 ? 'invalid_api_key' : 'server_error' } });
        const content = answer.content ?? render(answer.structured ?? { answered: false, entry: 0, answer: '' }, wantsSchema);
        send(res, 200, {
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        });
      };
      if (!answer.delayMs) return respond();
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...steps) => script.push(...steps),
    enqueueTranscription: (...steps) => transcriptionScript.push(...steps),
    setTranscriptionFallback: (step) => {
      transcriptionFallback = step;
    },
    setFallback: (step) => {
      fallback = step;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function render(answer: { answered: boolean; entry: number; answer: string }, json: boolean): string {
  if (json) return JSON.stringify(answer);
  return answer.answered ? `[${answer.entry}] ${answer.answer}` : 'NO_ANSWER';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
