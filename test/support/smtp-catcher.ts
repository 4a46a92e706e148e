import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
}

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
            const accept = () => {
              this.mails.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed });
              callback();
            };
            if (this.hold) this.held.push(accept);
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
