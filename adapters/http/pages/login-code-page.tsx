import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface LogInCodePageProps {
  readonly page: PageContext;
  readonly errors?: FieldErrors | undefined;
  readonly returnTo?: string | undefined;
}

const LABELS = { code: 'Code' };

/** The second step of a log-in with two-factor on: a code from the authenticator app, or a recovery code. */
export function LogInCodePage({ page, errors, returnTo }: LogInCodePageProps) {
  return (
    <Layout page={page} title="Enter your code">
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form page={page} action="/login/code" label="Second step of the log-in">
        {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
        <Field
          name="code"
          label={LABELS.code}
          hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
          autocomplete="one-time-code"
          errors={errors}
          maxlength={64}
          autofocus
        />
        <Submit>Continue</Submit>
      </Form>
      <p class="links">
        <a href="/login">Start again</a>
      </p>
    </Layout>
  );
}
