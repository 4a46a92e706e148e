/** One message, ready to go: rendered, addressed, with both bodies. */
export interface RenderedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The link the message carries, if any: the development mailer logs it. */
  readonly link: string | undefined;
}

/**
 * Hands one message to whatever delivers mail (an SMTP server, a development folder). Resolves once the message is
 * accepted; rejects when it was not, and the worker tries again later.
 */
export interface Mailer {
  send(mail: RenderedMail): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
