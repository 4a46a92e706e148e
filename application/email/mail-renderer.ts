import type { MailKind, MailParams } from '../ports/mail-outbox.js';
import type { RenderedMail } from '../ports/mailer.js';

export interface MailToRender {
  readonly kind: MailKind;
  readonly to: string;
  readonly params: MailParams;
  /** The link's token, in clear: only ever held in memory while rendering. */
  readonly token: string | undefined;
}

/** Turns a stored mail into subject, text and HTML, from templates a team can replace without touching code. */
export interface MailRenderer {
  render(mail: MailToRender): Promise<RenderedMail>;
}
