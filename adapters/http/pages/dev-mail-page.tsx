import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

export interface DevMail {
  readonly at: Date;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The development outbox, newest first, with the links of each mail clickable. Development on this machine only. */
export function DevMailPage({ page, mails }: { readonly page: PageContext; readonly mails: readonly DevMail[] }) {
  return (
    <Layout page={page} title="Development outbox">
      <p>The mails this instance sent while it runs without SMTP_URL, newest first. This page exists in development on this machine only.</p>
      {mails.length === 0 ? <p>No mail yet.</p> : null}
      {mails.map((mail, index) => (
        <article class="card mail" aria-labelledby={`mail-${index}`}>
          <h2 id={`mail-${index}`}>{mail.subject}</h2>
          <p class="muted">
            {`To ${mail.to} · `}
            <time dateTime={mail.at.toISOString()}>{mail.at.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
          </p>
          <pre>
            {mail.text.split(URL_PATTERN).map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}
          </pre>
        </article>
      ))}
    </Layout>
  );
}
