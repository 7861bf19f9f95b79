import type { AiAnswer, AiProvider, AiRequest } from './provider.js';

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure, a local server), grounded in the
 * widget's knowledge base. When the endpoint fails, the knowledge-base provider answers instead,
 * so a customer is never left without a reply because of an outage.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai';

  constructor(
    private readonly options: { baseUrl: string; apiKey: string; model: string; timeoutMs?: number },
    private readonly fallback: AiProvider,
  ) {}

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    try {
      return await this.complete(request);
    } catch {
      return this.fallback.answer(request);
    }
  }

  private async complete(request: AiRequest): Promise<AiAnswer | null> {
    const { widget } = request;
    const knowledge = widget.knowledgeBase.map((e) => `Q: ${e.question}\nA: ${e.answer}`).join('\n\n');
    const system = [
      `You are ${widget.assistantName}, the customer assistant of ${widget.name}, answering on WhatsApp.`,
      widget.personality ? `Personality: ${widget.personality}` : '',
      `Answer only from the knowledge base below, briefly, in the language with ISO code "${request.language}".`,
      'If the knowledge base does not contain the answer, reply with exactly: NO_ANSWER',
      `Knowledge base:\n${knowledge || '(empty)'}`,
    ]
      .filter(Boolean)
      .join('\n');
    const messages = [
      { role: 'system', content: system },
      ...(await request.history()).slice(-10).map((turn) => ({ role: turn.author === 'customer' ? 'user' : 'assistant', content: turn.text })),
      { role: 'user', content: request.message },
    ];
    const response = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
      body: JSON.stringify({ model: this.options.model, messages, temperature: 0.2 }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
    });
    if (!response.ok) throw new Error(`chat completions answered ${response.status}`);
    const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    const text = body.choices?.[0]?.message?.content?.trim();
    if (!text || text.includes('NO_ANSWER')) return null;
    return { text, topic: null, confidence: 0.8 };
  }
}
