import OpenAI, { toFile } from 'openai';
import { Counter, Histogram } from 'prom-client';
import { once } from '../../observability/metrics.js';

export const transcriptions = once(
  'caty_transcriptions_total',
  () =>
    new Counter({
      name: 'caty_transcriptions_total',
      help: 'Voice notes sent to the transcriber, by outcome: transcribed; retrying (a timeout, 429 or 5xx: tried again); failed (given up, or refused for good: the customer is asked to write)',
      labelNames: ['outcome'] as const,
    }),
);

export const transcriptionLatency = once(
  'caty_transcription_duration_seconds',
  () => new Histogram({ name: 'caty_transcription_duration_seconds', help: 'One transcription request', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] }),
);

/** Turns a voice note into words. */
export interface Transcriber {
  transcribe(audio: Buffer, mimeType: string, filename: string): Promise<string>;
}

export interface OpenAiTranscriberOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** An OpenAI-compatible `/audio/transcriptions` (OpenAI, a whisper.cpp or faster-whisper server...) through the official client. */
export class OpenAiTranscriber implements Transcriber {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiTranscriberOptions) {
    // Temporal retries the activity; the client retrying inside it would hide the failure.
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, timeout: options.timeoutMs, maxRetries: 0 });
  }

  async transcribe(audio: Buffer, mimeType: string, filename: string): Promise<string> {
    const result = await this.client.audio.transcriptions.create({ file: await toFile(audio, filename, { type: mimeType }), model: this.options.model });
    return result.text.trim();
  }
}
