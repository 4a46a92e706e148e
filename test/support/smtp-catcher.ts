import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
}

/**
 * How the server answers the end of a message (the final dot): accept it, refuse it with an SMTP reply code, or
 * drop the connection without a reply (the client cannot know whether the message was taken).
 */
export type CatcherAnswer = 'accept' | 'drop' | { readonly code: number; readonly message: string };

/**
 * A real SMTP server in this process (smtp-server), which keeps every message it accepts, parsed with mailparser.
 * Plain SMTP on 127.0.0.1 with any credentials accepted: what the mailer does over the wire is real, the rest is
 * not the test's business.
 */
export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  /** Messages received but not yet answered, while `hold` is on. */
  readonly held: (() => void)[] = [];
  /** While true, the server reads each message and keeps the client waiting for its answer. */
  hold = false;
  /** Every message read to its end, whatever the answer: what reached the relay, as a count per Message-ID. */
  readonly received: CaughtMail[] = [];
  /** The answer to the next messages; `accepted` mails are kept in `mails`. */
  answer: CatcherAnswer = 'accept';
  /** How long the server takes before answering each message, in milliseconds: a slow relay. */
  replyDelayMs = 0;
  readonly #server: SMTPServer;
  #port = 0;

  private constructor() {
    this.#server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // The service's mailer keeps its pooled connection open; a test that stops this server mid-run should not
      // wait smtp-server's default 30 s for it to end.
      closeTimeout: 200,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            const caught = { envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed };
            this.received.push(caught);
            const answer = this.answer;
            const accept = () => {
              if (answer === 'drop') {
                for (const connection of this.#server.connections as Set<{ session: { id: string }; _socket: { destroy(): void } }>) {
                  if (connection.session.id === session.id) connection._socket.destroy();
                }
              } else if (answer === 'accept') {
                this.mails.push(caught);
                callback();
              } else {
                callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
              }
            };
            if (this.hold) this.held.push(accept);
            else if (this.replyDelayMs > 0) setTimeout(accept, this.replyDelayMs);
            else accept();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  /** Listens on `port` (0: any free one). */
  static async start(port = 0): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher();
    await new Promise<void>((resolve, reject) => {
      catcher.#server.once('error', reject);
      catcher.#server.listen(port, '127.0.0.1', () => resolve());
    });
    catcher.#port = (catcher.#server.server.address() as { port: number }).port;
    return catcher;
  }

  get url(): string {
    return `smtp://user:pass@127.0.0.1:${this.#port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
