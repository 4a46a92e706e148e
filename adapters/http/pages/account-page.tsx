import type { AuditEvent, Session, User } from '../../../domain/index.js';
import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export type AccountForm = 'profile' | 'email' | 'password' | 'two-factor-on' | 'two-factor-off' | 'verification';

export interface AccountPageProps {
  readonly page: PageContext & { readonly user: User };
  readonly sessions: readonly Session[];
  readonly currentSessionId: string;
  readonly events: readonly AuditEvent[];
  /** The cursor of the next (older) page of the history, if there is one. */
  readonly olderEvents?: string | undefined;
  readonly notice?: string | undefined;
  /** The form that failed, its errors, and what was typed into it (never passwords). */
  readonly failed?: { readonly form: AccountForm; readonly errors: FieldErrors; readonly values?: Readonly<Record<string, string>> } | undefined;
}

const LABELS: Readonly<Record<string, string>> = {
  username: 'Username',
  email: 'New email',
  current_password: 'Current password',
  password: 'New password',
  code: 'Code',
};

/**
 * The account: profile, email, password, two-factor log-in, sessions, security history. Each part is its own form
 * posting to its own path, so one failing keeps the others as they were.
 *
 * Sensitive forms (email, password, two-factor) carry `ConfirmIdentityFields`: today the current password, as the
 * use cases ask; with fresh authentication (RFC 9470) a recent log-in makes it unnecessary and the handler sends a
 * stale session to `/account/confirm` first instead.
 */
export function AccountPage({ page, sessions, currentSessionId, events, olderEvents, notice, failed }: AccountPageProps) {
  const { user } = page;
  const errorsOf = (form: AccountForm) => (failed?.form === form ? failed.errors : undefined);
  const valueOf = (form: AccountForm, name: string) => (failed?.form === form ? failed.values?.[name] : undefined);
  return (
    <Layout page={page} title="Your account" notice={notice}>
      <nav class="toc" aria-label="On this page">
        <a href="#profile">Profile</a> <a href="#email">Email</a> <a href="#password">Password</a> <a href="#two-factor">Two-factor log-in</a>{' '}
        <a href="#sessions">Sessions</a> <a href="#history">Security history</a>
      </nav>

      <section id="profile" aria-labelledby="profile-title" class="card">
        <h2 id="profile-title">Profile</h2>
        <dl class="facts">
          <dt>Email</dt>
          <dd>
            {user.email.value} {user.isVerified ? <span class="badge ok">verified</span> : <span class="badge warn">not verified</span>}
          </dd>
          <dt>Member since</dt>
          <dd>
            <Time at={user.createdAt} />
          </dd>
        </dl>
        {user.isVerified ? null : (
          <Form page={page} action="/account/verification" label="Mail the verification link again">
            <ErrorSummary errors={errorsOf('verification')} labels={LABELS} form="verification" />
            <Submit variant="secondary">Mail the verification link again</Submit>
          </Form>
        )}
        <Form page={page} action="/account/profile" label="Change your username">
          <ErrorSummary errors={errorsOf('profile')} labels={LABELS} form="profile" />
          <Field name="username" form="profile" label={LABELS.username!} value={valueOf('profile', 'username') ?? user.username.value} autocomplete="username" errors={errorsOf('profile')} />
          <Submit>Save username</Submit>
        </Form>
      </section>

      <section id="email" aria-labelledby="email-title" class="card">
        <h2 id="email-title">Email</h2>
        <p>A link goes to the new address to confirm it, and a notice with an undo link to the current one.</p>
        <Form page={page} action="/account/email" label="Change your email">
          <ErrorSummary errors={errorsOf('email')} labels={LABELS} form="email" />
          <Field name="email" form="email" label={LABELS.email!} type="email" value={valueOf('email', 'email')} autocomplete="email" errors={errorsOf('email')} />
          <Submit>Change email</Submit>
        </Form>
      </section>

      <section id="password" aria-labelledby="password-title" class="card">
        <h2 id="password-title">Password</h2>
        <p>Changing it ends every session of the account, this one too: you log in again with the new password.</p>
        <Form page={page} action="/account/password" label="Change your password">
          <ErrorSummary errors={errorsOf('password')} labels={LABELS} form="password" />
          <ConfirmIdentityFields form="password" errors={errorsOf('password')} />
          <Field name="password" form="password" label={LABELS.password!} type="password" autocomplete="new-password" errors={errorsOf('password')} />
          <Submit>Change password</Submit>
        </Form>
      </section>

      <section id="two-factor" aria-labelledby="two-factor-title" class="card">
        <h2 id="two-factor-title">Two-factor log-in</h2>
        {user.mfaEnabled ? (
          <>
            <p>
              <span class="badge ok">on</span> Log-ins ask for a code from your authenticator app after the password.
            </p>
            <Form page={page} action="/account/two-factor/disable" label="Turn two-factor log-in off">
              <ErrorSummary errors={errorsOf('two-factor-off')} labels={LABELS} form="two-factor-off" />
              <ConfirmIdentityFields form="two-factor-off" errors={errorsOf('two-factor-off')} />
              <Field
                name="code"
                form="two-factor-off"
                label={LABELS.code!}
                hint="A code from your authenticator app, or a recovery code."
                autocomplete="one-time-code"
                errors={errorsOf('two-factor-off')}
                maxlength={64}
              />
              <Submit variant="danger">Turn off</Submit>
            </Form>
          </>
        ) : (
          <>
            <p>
              <span class="badge">off</span> With it on, a log-in also asks for a code from an authenticator app on your phone.
            </p>
            <Form page={page} action="/account/two-factor" label="Turn two-factor log-in on">
              <ErrorSummary errors={errorsOf('two-factor-on')} labels={LABELS} form="two-factor-on" />
              <ConfirmIdentityFields form="two-factor-on" errors={errorsOf('two-factor-on')} />
              <Submit>Set up two-factor log-in</Submit>
            </Form>
          </>
        )}
      </section>

      <section id="sessions" aria-labelledby="sessions-title" class="card">
        <h2 id="sessions-title">Sessions</h2>
        <p>Where your account is logged in. Ending a session logs that device out at once.</p>
        <ul class="sessions">
          {sessions.map((session) => (
            <li>
              <div>
                <strong>{describeAgent(session.userAgent)}</strong>
                {session.id === currentSessionId ? <span class="badge ok">this browser</span> : null}
                <br />
                <span class="muted">
                  {session.ip ?? 'unknown address'} · since <Time at={session.createdAt} /> · last used <Time at={session.lastUsedAt} />
                </span>
              </div>
              <Form page={page} action={`/account/sessions/${session.id}/end`} label={`End the session from ${describeAgent(session.userAgent)}`}>
                <Submit variant="secondary">{session.id === currentSessionId ? 'Log out' : 'End'}</Submit>
              </Form>
            </li>
          ))}
        </ul>
      </section>

      <section id="history" aria-labelledby="history-title" class="card">
        <h2 id="history-title">Security history</h2>
        {events.length === 0 ? (
          <p>Nothing yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Security events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr>
                    <td>
                      <Time at={event.at} />
                    </td>
                    <td>{describeEvent(event)}</td>
                    <td>
                      {event.ip ?? ''} <span class="muted">{event.userAgent ? describeAgent(event.userAgent) : ''}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {olderEvents ? (
          <p>
            <a href={`/account?events=${encodeURIComponent(olderEvents)}#history`}>Older events</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

/**
 * "Prove it is you" inside a sensitive form. Today the current password, which the use cases ask for; the slot a
 * code field joins for accounts with two-factor on once fresh authentication is checked by `Reauthentication`.
 */
export function ConfirmIdentityFields({ form, errors }: { readonly form: string; readonly errors: FieldErrors | undefined }) {
  return <Field name="current_password" form={form} label={LABELS.current_password!} type="password" autocomplete="current-password" errors={errors} />;
}

export function Time({ at }: { readonly at: Date }) {
  return <time dateTime={at.toISOString()}>{`${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`}</time>;
}

const EVENT_TEXT: Readonly<Record<string, string>> = {
  'user.registered': 'Account created',
  'user.deleted': 'Account deleted',
  'login.succeeded': 'Logged in',
  'login.failed': 'Failed log-in',
  'login.throttled': 'Log-in refused: too many failures',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset from a mailed link',
  'email.verified': 'Email address confirmed',
  'email.changed': 'Email address changed',
  'session.ended': 'Session ended',
  'refresh.reuse_detected': 'A stolen session was detected and ended',
  'mfa.enabled': 'Two-factor log-in turned on',
  'mfa.disabled': 'Two-factor log-in turned off',
  'mfa.recovery_code_used': 'Recovery code used',
  'admin.user_updated': 'Changed by an administrator',
  'admin.user_deleted': 'Deleted by an administrator',
};

function describeEvent(event: AuditEvent): string {
  const text = EVENT_TEXT[event.type] ?? event.type;
  const reason = event.details.reason;
  return typeof reason === 'string' && event.type === 'login.failed' ? `${text} (${reason.replace(/_/g, ' ')})` : text;
}

/** A short name for a user agent: enough to tell one's devices apart, without a parsing library. */
export function describeAgent(agent: string | undefined): string {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : undefined;
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Windows/.test(agent) ? 'Windows' : /Mac OS X/.test(agent) ? 'macOS' : /Linux/.test(agent) ? 'Linux' : undefined;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? agent.slice(0, 40);
}
