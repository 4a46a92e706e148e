import pg from 'pg';
import { MAIL_OUTBOX_CHANNEL } from './kysely-mail-outbox.js';

export interface PostgresMailListenerOptions {
  readonly url: string;
  /** Called at every NOTIFY on the outbox channel, and after each (re)connection, when one may have been missed. */
  readonly onNotify: () => void;
  /** The connection failed or dropped; the listener reconnects by itself. */
  readonly onError: (error: Error) => void;
  readonly reconnectMs?: number;
}

/**
 * One connection outside the pool, LISTENing for mail committed by any instance, so each worker wakes within
 * moments of a commit anywhere. Losing it costs only latency: the workers still poll.
 */
export class PostgresMailListener {
  #client: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly options: PostgresMailListenerOptions) {}

  /** Resolves once listening, or once the first attempt failed (reported, and retried in the background). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.options.url, connectionTimeoutMillis: 5_000 });
    this.#client = client;
    let reported = false;
    const lost = (error: Error) => {
      if (reported) return;
      reported = true;
      if (this.#closed || this.#client !== client) return;
      this.options.onError(error);
      client.end().catch(() => undefined);
      this.#timer = setTimeout(() => void this.#connect(), this.options.reconnectMs ?? 2_000).unref();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('mail listener connection ended')));
    client.on('notification', () => this.options.onNotify());
    try {
      await client.connect();
      await client.query(`listen ${MAIL_OUTBOX_CHANNEL}`);
      this.options.onNotify();
    } catch (error) {
      lost(error as Error);
    }
  }
}
