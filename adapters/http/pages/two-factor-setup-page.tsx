import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface TwoFactorSetupPageProps {
  readonly page: PageContext;
  /** The secret in base32, for typing into an app by hand. */
  readonly secret: string;
  readonly otpauthUri: string;
  /** The QR code of `otpauthUri` as SVG markup, drawn on the server (no script, no image request). */
  readonly qrSvg: string;
  readonly errors?: FieldErrors | undefined;
}

const LABELS = { code: 'Code from the app' };

/**
 * Shown in answer to the POST that started the enrolment (not after a redirect): the secret is shown to its owner
 * once and never stored where a GET could read it back. A wrong code re-renders from the hidden `otpauth_uri`.
 */
export function TwoFactorSetupPage({ page, secret, otpauthUri, qrSvg, errors }: TwoFactorSetupPageProps) {
  return (
    <Layout page={page} title="Set up two-factor log-in">
      <ol class="steps">
        <li>
          <p>Scan this code with an authenticator app (for example Aegis, Google Authenticator, 1Password).</p>
          <figure class="qr">
            <div class="qr-code" role="img" aria-label="QR code of the secret" dangerouslySetInnerHTML={{ __html: qrSvg }} />
            <figcaption>
              Or type this key into the app: <code id="totp-secret">{secret}</code>
            </figcaption>
          </figure>
        </li>
        <li>
          <p>Enter the 6-digit code the app shows to finish.</p>
          <ErrorSummary errors={errors} labels={LABELS} />
          <Form page={page} action="/account/two-factor/confirm" label="Confirm two-factor log-in">
            <input type="hidden" name="otpauth_uri" value={otpauthUri} />
            <Field name="code" label={LABELS.code} autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{6}" maxlength={6} errors={errors} autofocus />
            <Submit>Turn on</Submit>
          </Form>
        </li>
      </ol>
      <p class="links">
        <a href="/account#two-factor">Cancel</a>
      </p>
    </Layout>
  );
}
