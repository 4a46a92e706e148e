import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

/** Another way to log in, drawn under the password form: one button per configured social provider. */
export interface SocialProviderButton {
  /** The provider's lower-cased name, as in `/login/{name}`. */
  readonly name: string;
  readonly label: string;
  /** Where the button posts (a form, so the CSRF token goes along). */
  readonly action: string;
}

/**
 * The slots of the log-in page that other features fill: `passkey` (a button, and `autocomplete="username webauthn"`
 * on the login field for conditional mediation, with its script) and `social` (one button each).
 * Empty by default: the page then shows the password form alone.
 */
export interface LogInAlternatives {
  /** Asset name of the script driving the passkey button and autofill; absent: no passkey button. */
  readonly passkeyScript?: string | undefined;
  readonly social?: readonly SocialProviderButton[];
}

export interface LogInPageProps {
  readonly page: PageContext;
  readonly login?: string | undefined;
  readonly errors?: FieldErrors | undefined;
  readonly notice?: string | undefined;
  /** A path on this service to go on to once logged in. */
  readonly returnTo?: string | undefined;
  readonly alternatives?: LogInAlternatives;
}

const LABELS = { login: 'Username or email', password: 'Password' };

export function LogInPage({ page, login, errors, notice, returnTo, alternatives = {} }: LogInPageProps) {
  const social = alternatives.social ?? [];
  const passkeys = alternatives.passkeyScript !== undefined;
  return (
    <Layout page={page} title="Log in" notice={notice} scripts={passkeys ? [alternatives.passkeyScript!] : []}>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form page={page} action="/login" label="Log in with your password">
        {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
        <Field name="login" label={LABELS.login} value={login} autocomplete={passkeys ? 'username webauthn' : 'username'} errors={errors} autofocus={!errors} />
        <Field name="password" label={LABELS.password} type="password" autocomplete="current-password" errors={errors} />
        <Submit>Log in</Submit>
      </Form>
      {passkeys || social.length > 0 ? (
        <section class="alternatives" aria-labelledby="alternatives-title">
          <h2 id="alternatives-title">Other ways to log in</h2>
          {passkeys ? (
            <div data-slot="passkey">
              <button type="button" class="button secondary" id="passkey-login" hidden>
                Log in with a passkey
              </button>
            </div>
          ) : null}
          {social.length > 0 ? (
            <div data-slot="social">
              {social.map((provider) => (
                <Form page={page} action={provider.action} label={`Log in with ${provider.label}`}>
                  {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
                  <Submit variant="secondary">{`Log in with ${provider.label}`}</Submit>
                </Form>
              ))}
            </div>
          ) : null}
        </section>
      ) : null}
      <p class="links">
        <a href="/forgot-password">Forgot your password?</a> · <a href="/register">Create an account</a>
      </p>
    </Layout>
  );
}
