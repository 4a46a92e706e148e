import type { AttemptOutcome } from '../core/durable-queue/index.js';

/** One message, ready to go: rendered, addressed, with both bodies. */
export interface RenderedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The link the message carries, if any: the development mailer logs it. */
  readonly link: string | undefined;
}

/** A rendered message with the identity it keeps on every attempt. */
export interface OutgoingMail extends RenderedMail {
  /**
   * The `Message-ID` header, `<outbox-id@domain>`: the same on every attempt and every instance, so a relay or a
   * mail client can drop the copy a retry after an unknown outcome may produce (RFC 5322 §3.6.4).
   */
  readonly messageId: string;
}

/**
 * Hands one message to whatever delivers mail (an SMTP server, a development folder) and says what came of it:
 * delivered, refused for good (5xx), not delivered this time (4xx, no connection), or unknown (the message went
 * out and no final reply came). It throws only for what is no delivery outcome at all (a programming error).
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<AttemptOutcome>;
  /** Releases connections. */
  close(): Promise<void>;
}
