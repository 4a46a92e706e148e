import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface ResetPasswordPageProps {
  readonly page: PageContext;
  readonly token: string;
  readonly errors?: FieldErrors | undefined;
}

const LABELS = { password: 'New password' };

export function ResetPasswordPage({ page, token, errors }: ResetPasswordPageProps) {
  return (
    <Layout page={page} title="Choose a new password">
      <ErrorSummary errors={errors} labels={LABELS} />
      {token === '' ? (
        <p>
          This page opens from the link in a reset mail. <a href="/forgot-password">Ask for a new link</a>.
        </p>
      ) : (
        <Form page={page} action="/reset-password" label="Choose a new password">
          <input type="hidden" name="token" value={token} />
          <Field name="password" label={LABELS.password} type="password" autocomplete="new-password" hint="Every session of the account ends, on every device." errors={errors} autofocus />
          <Submit>Set password</Submit>
        </Form>
      )}
    </Layout>
  );
}
