import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  rawBody: string;
  headers: IncomingHttpHeaders;
  /** The status this consumer answered. */
  answered: number | 'hung';
  at: number;
}

/** How the consumer answers each request: a status, or 'hang' to never answer. */
export type Behaviour = (request: { eventId: string; index: number }) => number | 'hang';

/** A real HTTP webhook consumer on loopback that records every request it gets. */
export class WebhookConsumer {
  readonly requests: ReceivedRequest[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    public behaviour: Behaviour,
  ) {}

  /** Listens on `port` when given (a consumer that comes back where it was), else on a free one. */
  static async start(behaviour: Behaviour = () => 200, port = 0): Promise<WebhookConsumer> {
    let consumer: WebhookConsumer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const eventId = String(req.headers['x-caty-delivery'] ?? '');
        const answer = consumer!.behaviour({ eventId, index: consumer!.requests.length });
        consumer!.requests.push({ rawBody, headers: req.headers, answered: answer === 'hang' ? 'hung' : answer, at: Date.now() });
        if (answer === 'hang') return; // the socket stays open until Caty gives up on it
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    consumer = new WebhookConsumer(server, `http://127.0.0.1:${address.port}/hooks/caty`, behaviour);
    return consumer;
  }

  /** Event ids this consumer accepted (2xx), in the order it accepted them. */
  accepted(): string[] {
    return this.requests.filter((r) => typeof r.answered === 'number' && r.answered < 300).map((r) => String(r.headers['x-caty-delivery']));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
