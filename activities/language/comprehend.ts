import type { ComprehendClient, ComprehendClientConfig } from '@aws-sdk/client-comprehend';
import type { LanguageDetection, LanguageDetector } from './detector.js';
import { toLanguageCode } from './supported.js';

export interface ComprehendDetectorOptions {
  /** Decides whatever Comprehend is not asked about or cannot answer. */
  fallback: LanguageDetector;
  /** Unset: the SDK's own chain (AWS_REGION, ~/.aws/config). */
  region?: string;
  /** A VPC endpoint, a local emulator, or a test server. */
  endpoint?: string;
  /** Static keys for tests; unset means the standard AWS credential chain. */
  credentials?: ComprehendClientConfig['credentials'];
  /** How long a customer message may wait for Comprehend before the local detector answers. */
  timeoutMs?: number;
  /** Distinct texts remembered; repeated messages ("ok", "multumesc") are common in chats. */
  cacheSize?: number;
  /** After a throttle, how long to stop calling Comprehend at all. */
  throttleCooldownMs?: number;
  /** Texts shorter than this are decided locally (see MIN_COMPREHEND_CHARS). */
  minChars?: number;
}

/**
 * Comprehend reads a message poorly under 20 characters and bills every call as at least 300, so
 * short texts never leave the process.
 */
export const MIN_COMPREHEND_CHARS = 20;

/**
 * AWS Comprehend `DetectDominantLanguage`, for deployments that prefer it to the embedded
 * detector. Comprehend is a dependency we do not control: any error, throttle or slow answer
 * falls back to the local detector so a customer is never left waiting for a language.
 */
export class ComprehendLanguageDetector implements LanguageDetector {
  readonly name = 'comprehend';
  private client: Promise<{ client: ComprehendClient; detect: (text: string, signal: AbortSignal) => Promise<unknown> }> | undefined;
  private readonly cache = new Map<string, LanguageDetection>();
  private pausedUntil = 0;
  private readonly timeoutMs: number;
  private readonly cacheSize: number;
  private readonly throttleCooldownMs: number;
  private readonly minChars: number;

  constructor(private readonly options: ComprehendDetectorOptions) {
    this.timeoutMs = options.timeoutMs ?? 1500;
    this.cacheSize = options.cacheSize ?? 1000;
    this.throttleCooldownMs = options.throttleCooldownMs ?? 5000;
    this.minChars = options.minChars ?? MIN_COMPREHEND_CHARS;
  }

  async detect(text: string): Promise<LanguageDetection> {
    const key = text.trim();
    if ([...key].length < this.minChars || Date.now() < this.pausedUntil) {
      return this.options.fallback.detect(text);
    }
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Re-inserting keeps the Map's order least-recently-used first.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    // One deadline for everything, loading the SDK included: the SDK's own timeouts start late
    // on a cold client, and a customer's reply must not wait on them.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('Comprehend timed out')), this.timeoutMs);
    try {
      const detection = await Promise.race([this.ask(key, deadline.signal), rejectWhenAborted(deadline.signal)]);
      if (detection === undefined) return this.options.fallback.detect(text);
      this.remember(key, detection);
      return detection;
    } catch (error) {
      if (isThrottle(error)) this.pausedUntil = Date.now() + this.throttleCooldownMs;
      return this.options.fallback.detect(text);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Releases the SDK's sockets. */
  async close(): Promise<void> {
    if (this.client !== undefined) (await this.client).client.destroy();
  }

  private async ask(text: string, signal: AbortSignal): Promise<LanguageDetection | undefined> {
    const { detect } = await this.sdk();
    signal.throwIfAborted();
    const output = (await detect(text, signal)) as {
      Languages?: { LanguageCode?: string; Score?: number }[];
    };
    // Every language Comprehend names is a conversation's language ("zh-TW" as "zh"); its best guess wins.
    let best: LanguageDetection | undefined;
    for (const candidate of output.Languages ?? []) {
      const language = toLanguageCode(candidate.LanguageCode);
      const score = candidate.Score ?? 0;
      if (language !== undefined && (best === undefined || score > best.confidence)) {
        best = { language, confidence: Math.round(score * 1000) / 1000, detector: this.name };
      }
    }
    return best;
  }

  /** The SDK is loaded on first use: deployments on the local detector never pay for it. */
  private sdk() {
    this.client ??= import('@aws-sdk/client-comprehend').then(({ ComprehendClient, DetectDominantLanguageCommand }) => {
      const client = new ComprehendClient({
        ...(this.options.region ? { region: this.options.region } : {}),
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        // The local detector is the retry: waiting through SDK back-off would only delay the reply.
        maxAttempts: 1,
        requestHandler: { requestTimeout: this.timeoutMs, connectionTimeout: this.timeoutMs },
      });
      const detect = (text: string, abortSignal: AbortSignal) =>
        client.send(new DetectDominantLanguageCommand({ Text: text }), { abortSignal });
      return { client, detect };
    });
    return this.client;
  }

  private remember(key: string, detection: LanguageDetection): void {
    this.cache.set(key, detection);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function rejectWhenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'ThrottlingException' || name === 'TooManyRequestsException';
}
