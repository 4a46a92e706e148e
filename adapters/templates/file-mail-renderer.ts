import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MailKind } from '../../application/ports/mail-outbox.js';
import type { MailRenderer, MailToRender } from '../../application/email/mail-renderer.js';
import type { RenderedMail } from '../../application/ports/mailer.js';

/** The front end's pages the links open; the token is their `token` query parameter. */
const LINK_PATHS: Partial<Record<MailKind, string>> = {
  verify_email: '/verify-email',
  confirm_email_change: '/verify-email',
  reset_password: '/reset-password',
  email_changed: '/revert-email',
};

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * The templates shipped with the service: `templates/mail` at the root of the sources, which is two levels up
 * from this file in the sources and three from its compiled copy in `dist/`.
 */
export function defaultMailTemplatesDirectory(): string {
  const candidates = ['../../templates/mail', '../../../templates/mail'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

/**
 * Renders each kind of mail from two files in one folder: `<kind>.txt`, whose first line is `Subject: ...` and the
 * rest the text body, and `<kind>.html`. `{{name}}` is replaced by a parameter, HTML-escaped in the HTML body;
 * `{{link}}` is the mail's link, built from APP_URL. Files are read at each render, so a team replaces them
 * without touching code or restarting; a placeholder nobody supplies is an error, not an empty hole.
 */
export class FileMailRenderer implements MailRenderer {
  readonly #appUrl: () => string;

  /** `appUrl`: a function when the address is known only once the service listens (PORT=0, no PUBLIC_URL). */
  constructor(
    private readonly directory: string,
    appUrl: string | (() => string),
  ) {
    this.#appUrl = typeof appUrl === 'string' ? () => appUrl : appUrl;
  }

  get #base(): string {
    return this.#appUrl().replace(/\/+$/, '');
  }

  async render(mail: MailToRender): Promise<RenderedMail> {
    const base = this.#base;
    const path = LINK_PATHS[mail.kind];
    if (path !== undefined && mail.token === undefined) throw new Error(`a ${mail.kind} mail needs a token`);
    const link = path === undefined || mail.token === undefined ? undefined : `${base}${path}?token=${encodeURIComponent(mail.token)}`;
    const params: Record<string, string> = { ...mail.params, app_url: base, email: mail.to, ...(link ? { link } : {}) };
    const [text, html] = await Promise.all([this.#read(mail.kind, 'txt'), this.#read(mail.kind, 'html')]);
    const firstLine = text.indexOf('\n');
    const subjectLine = text.slice(0, firstLine === -1 ? undefined : firstLine);
    if (!subjectLine.startsWith('Subject:')) throw new Error(`${mail.kind}.txt must start with a "Subject:" line`);
    const fill = (template: string, escape: (value: string) => string) =>
      template.replace(PLACEHOLDER, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`${mail.kind}: no value for {{${name}}}`);
        return escape(value);
      });
    return {
      to: mail.to,
      // No line breaks in a header, whatever a parameter holds.
      subject: fill(subjectLine.slice('Subject:'.length).trim(), (value) => value.replace(/[\r\n]+/g, ' ')),
      text: fill(firstLine === -1 ? '' : text.slice(firstLine + 1).replace(/^\n/, ''), (value) => value),
      html: fill(html, escapeHtml),
      link,
    };
  }

  #read(kind: MailKind, extension: 'txt' | 'html'): Promise<string> {
    return readFile(join(this.directory, `${kind}.${extension}`), 'utf8');
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
