import OpenAI, { AzureOpenAI, BadRequestError } from 'openai';
import type { KnowledgeBaseProvider } from './kb/kb-provider.js';
import { aiUnavailable, classifyAiError } from './errors.js';
import { aiErrors, aiLatency } from './metrics.js';
import { ANSWER_SCHEMA, buildPrompt, entryFor, parseAnswer, type AnswerFormat, type ChatMessage } from './prompt.js';
import type { AiAnswer, AiProvider, AiRequest } from './provider.js';

export interface OpenAiProviderOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  organization?: string;
  project?: string;
  /** Azure OpenAI: the API version; `baseUrl` is then the resource endpoint and `model` the deployment. */
  apiVersion?: string;
  timeoutMs: number;
  structuredOutput: 'auto' | 'json_schema' | 'plain';
  /** How many retrieved entries go into the prompt. */
  entries?: number;
  /** A model that sees images: a customer's photo goes to it with the conversation. */
  visionModel?: string;
  log?: (line: string) => void;
}

const DEFAULT_ENTRIES = 5;
/** Passages of the business's pages and files that go with the entries. */
const DEFAULT_PASSAGES = 3;
const MAX_TOKENS = 400;

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp
 * server) through the official client, grounded in the knowledge-base entries retrieved for the
 * message. A transient failure (timeout, refused connection, 429, 5xx) is thrown as retryable so
 * Temporal tries again a bounded number of times; a permanent one (a wrong key, model or request)
 * is logged, counted and answered from the knowledge base at once.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private format: AnswerFormat;
  private readonly log: (line: string) => void;

  constructor(
    private readonly options: OpenAiProviderOptions,
    private readonly kb: KnowledgeBaseProvider,
  ) {
    const common = {
      apiKey: options.apiKey,
      timeout: options.timeoutMs,
      // Temporal retries the activity; the client retrying inside it would hide the failure and stretch the timeout.
      maxRetries: 0,
      organization: options.organization ?? null,
      project: options.project ?? null,
    };
    this.client = options.apiVersion
      ? new AzureOpenAI({ ...common, endpoint: options.baseUrl, apiVersion: options.apiVersion, deployment: options.model })
      : new OpenAI({ ...common, baseURL: options.baseUrl });
    this.format = options.structuredOutput === 'plain' ? 'plain' : 'json_schema';
    this.log = options.log ?? ((line) => console.error(line));
  }

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    const { widget } = request;
    const retrieved = await this.kb.retrieve(request, this.options.entries ?? DEFAULT_ENTRIES);
    const passages = await this.kb.retrievePassages(request, DEFAULT_PASSAGES);
    const history = await request.history();
    const prompt = (format: AnswerFormat) =>
      buildPrompt({
        assistantName: widget.assistantName,
        businessName: widget.name,
        personality: widget.personality,
        language: request.language,
        entries: retrieved.map((r) => entryFor(r.entry, request.language, r.baseLanguage)),
        passages: passages.map((p) => ({ title: [p.title, p.heading].filter(Boolean).join(' › '), url: p.url, text: p.text })),
        history,
        message: request.message,
        format,
      });

    const stop = aiLatency.startTimer({ provider: this.name });
    let content: string;
    let format = this.format;
    try {
      content = await this.complete(prompt(format), format, request.image).catch(async (error: unknown) => {
        if (!(this.options.structuredOutput === 'auto' && format === 'json_schema' && refusesStructuredOutput(error))) throw error;
        this.log(`ai: ${this.options.baseUrl} does not support structured output (${(error as Error).message}); using plain answers with a sentinel`);
        this.format = format = 'plain';
        return this.complete(prompt(format), format, request.image);
      });
    } catch (error) {
      stop({ outcome: 'error' });
      const failure = classifyAiError(error);
      aiErrors.inc({ provider: this.name, kind: failure.kind, reason: failure.reason });
      if (failure.kind === 'transient') throw aiUnavailable(this.name, failure, error);
      this.log(`ai: ${this.name} request failed for good (${failure.reason}: ${failure.cause}); widget ${widget.id} answers from its knowledge base`);
      return this.kb.answer(request);
    }

    const parsed = parseAnswer(content, format);
    if (!parsed) {
      stop({ outcome: 'error' });
      aiErrors.inc({ provider: this.name, kind: 'invalid_output', reason: format });
      this.log(`ai: ${this.name} answered in no format we read (${JSON.stringify(content.slice(0, 200))}); widget ${widget.id} answers from its knowledge base`);
      return this.kb.answer(request);
    }
    stop({ outcome: parsed.answered ? 'answered' : 'declined' });
    if (!parsed.answered) return null;
    const used = retrieved[parsed.entry - 1];
    const passage = used ? undefined : passages[parsed.entry - 1 - retrieved.length];
    if (passage) {
      return {
        text: parsed.text,
        topic: passage.title || passage.url,
        confidence: 0.9,
        language: request.language,
        source: { kind: 'passage', url: passage.url, title: passage.title, sourceType: passage.sourceType },
      };
    }
    return { text: parsed.text, topic: used?.entry.question ?? null, confidence: used ? 0.9 : 0.6, language: request.language, source: used ? { kind: 'entry', question: used.entry.question } : null };
  }

  /** Whether a photo can go to the model (a vision model is configured). */
  get seesImages(): boolean {
    return this.options.visionModel !== undefined;
  }

  private async complete(messages: ChatMessage[], format: AnswerFormat, image?: AiRequest['image']): Promise<string> {
    const seen = image && this.options.visionModel ? withImage(messages, image) : null;
    const completion = await this.client.chat.completions.create({
      model: seen ? this.options.visionModel! : this.options.model,
      messages: seen ?? messages,
      temperature: 0.2,
      max_tokens: MAX_TOKENS,
      ...(format === 'json_schema' ? { response_format: { type: 'json_schema' as const, json_schema: ANSWER_SCHEMA } } : {}),
    });
    return completion.choices[0]?.message?.content ?? '';
  }
}

/** The customer's turn with their photo attached, as the chat-completions API takes images. */
function withImage(messages: ChatMessage[], image: NonNullable<AiRequest['image']>): OpenAI.Chat.ChatCompletionMessageParam[] {
  const last = messages[messages.length - 1]!;
  const text = last.content.trim() || '(The customer sent this photo without a caption.)';
  return [
    ...messages.slice(0, -1),
    { role: 'user', content: [{ type: 'text', text }, { type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${image.data.toString('base64')}` } }] },
  ];
}

/** A 400 that names the response format: the server has no structured output. */
function refusesStructuredOutput(error: unknown): boolean {
  return error instanceof BadRequestError && /response_format|json_schema|structured|schema/i.test(error.message);
}
