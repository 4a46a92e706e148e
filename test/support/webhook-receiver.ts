import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What `Webhook.verify` returned (the parsed body), or undefined when it threw. */
  readonly verified: { type: string; timestamp: string; data: Record<string, unknown> } | undefined;
  readonly verifyError: string | undefined;
  /** The status this request was answered with. */
  readonly status: number;
}

export type Responder = (request: { id: string; attempt: number }) => { status: number; headers?: Record<string, string>; delayMs?: number };

/**
 * A webhook receiver on 127.0.0.1 that verifies every request with the Standard Webhooks reference library, as a
 * real receiver would, and records what came and what it answered.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret: string | undefined;
  respond: Responder = () => ({ status: 204 });
  readonly #server: Server;
  readonly #attempts = new Map<string, number>();

  private constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id'] ?? '');
        const attempt = (this.#attempts.get(id) ?? 0) + 1;
        this.#attempts.set(id, attempt);
        let verified: ReceivedWebhook['verified'];
        let verifyError: string | undefined;
        try {
          verified = new Webhook(this.secret ?? 'whsec_AAAA').verify(body, req.headers as Record<string, string>) as ReceivedWebhook['verified'];
        } catch (error) {
          verifyError = (error as Error).message;
        }
        const answer = this.respond({ id, attempt });
        const reply = () => {
          this.received.push({ id, headers: req.headers, body, verified, verifyError, status: answer.status });
          res.writeHead(answer.status, answer.headers).end();
        };
        if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
        else reply();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  /** Deliveries answered 2xx, one per `webhook-id` they carried. */
  acknowledged(): ReceivedWebhook[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  ofType(type: string): ReceivedWebhook[] {
    return this.acknowledged().filter((r) => r.verified?.type === type);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
