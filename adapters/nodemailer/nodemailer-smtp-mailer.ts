import type { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { permanent, transient, unknown, type AttemptOutcome } from '../../application/core/durable-queue/index.js';
import type { Mailer, OutgoingMail } from '../../application/ports/mailer.js';

/**
 * RFC 5321 §4.5.3.2 asks a client to wait at least 5 minutes for the greeting and for replies to MAIL and RCPT,
 * 2 and 3 minutes around the data, and 10 minutes for the reply to the final dot: a relay may still be checking
 * the message. Cutting that short was how a relay answering in 10 s got every message several times.
 */
export interface SmtpTimeouts {
  /** Establishing the TCP (and TLS) connection. Default 2 minutes. */
  readonly connectionMs: number;
  /** The 220 greeting. Default 5 minutes. */
  readonly greetingMs: number;
  /**
   * Inactivity on an open connection: nodemailer has one timer for every later stage, so it is the longest of them,
   * the final reply to DATA (10 minutes); the shorter stages get at least what the RFC asks.
   */
  readonly replyMs: number;
}

export const RFC_5321_TIMEOUTS: SmtpTimeouts = Object.freeze({ connectionMs: 120_000, greetingMs: 300_000, replyMs: 600_000 });

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
  readonly url: string;
  /** MAIL_FROM: the From header and envelope sender. */
  readonly from: string;
  /** Connections in the pool, each carrying one message at a time. Default 5. */
  readonly maxConnections?: number;
  readonly timeouts?: Partial<SmtpTimeouts>;
}

/** What nodemailer puts on the errors it reports. */
interface SmtpError {
  readonly message?: string;
  readonly code?: string;
  readonly command?: string;
  readonly responseCode?: number;
}

/** Commands whose reply is about this message (its sender, a recipient, its content), not about the relay. */
const MESSAGE_COMMANDS = new Set(['MAIL FROM', 'RCPT TO', 'DATA']);

/**
 * Sends through an SMTP server with nodemailer's pooled transport (several messages in flight, connections reused)
 * and says what each attempt came to, from the reply code and the command it answered.
 */
export class NodemailerSmtpMailer implements Mailer {
  readonly #transport;
  /** The message stream of each send in flight, by Message-ID: read to its end means the final dot went out. */
  readonly #streams = new Map<string, { stream?: Readable }>();

  constructor(options: SmtpMailerOptions) {
    const timeouts = { ...RFC_5321_TIMEOUTS, ...options.timeouts };
    this.#transport = nodemailer.createTransport(
      {
        url: options.url,
        pool: true,
        maxConnections: options.maxConnections ?? 5,
        connectionTimeout: timeouts.connectionMs,
        greetingTimeout: timeouts.greetingMs,
        socketTimeout: timeouts.replyMs,
      },
      { from: options.from },
    );
    // nodemailer pipes a message's stream into the connection only once the server has answered DATA with 354;
    // the stream is created earlier. Keeping it tells, after an error, whether the message itself went out.
    this.#transport.use('stream', (mail, done) => {
      const watch = this.#streams.get(String(mail.data.messageId));
      if (watch) {
        const create = mail.message.createReadStream.bind(mail.message);
        mail.message.createReadStream = (streamOptions) => (watch.stream = create(streamOptions));
      }
      done();
    });
  }

  async send(mail: OutgoingMail): Promise<AttemptOutcome> {
    const watch: { stream?: Readable } = {};
    this.#streams.set(mail.messageId, watch);
    try {
      await this.#transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
      return { kind: 'delivered' };
    } catch (error) {
      return classify(error as SmtpError, watch.stream?.readableEnded === true);
    } finally {
      this.#streams.delete(mail.messageId);
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

/**
 * A reply code is a definite answer: 5xx to a command about the message refuses it for good, any 4xx (and a 5xx
 * to the connection, EHLO or AUTH: the relay's setup, not the message) is worth another try. Without a reply,
 * what matters is whether the message went out: if it did, the relay may have it (unknown); if not, nothing was
 * handed over (transient).
 */
export function classify(error: SmtpError, messageWentOut: boolean): AttemptOutcome {
  const reason = `${error.command ?? error.code ?? 'SMTP'}: ${error.message ?? String(error)}`;
  const code = error.responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600 && MESSAGE_COMMANDS.has(error.command ?? '')) return permanent(reason);
  if (typeof code === 'number' && code >= 400 && code < 600) return transient(reason);
  if (messageWentOut) return unknown(reason);
  // nodemailer refusing the message itself (no valid recipient, an empty message): no relay will take it either.
  if ((error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.command === 'API') return permanent(reason);
  return transient(reason);
}
