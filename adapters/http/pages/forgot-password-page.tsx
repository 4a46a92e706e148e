import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface ForgotPasswordPageProps {
  readonly page: PageContext;
  readonly email?: string | undefined;
  readonly errors?: FieldErrors | undefined;
  readonly notice?: string | undefined;
}

const LABELS = { email: 'Email' };

export function ForgotPasswordPage({ page, email, errors, notice }: ForgotPasswordPageProps) {
  return (
    <Layout page={page} title="Reset your password" notice={notice}>
      <p>We will mail a link to reset your password to the address of your account.</p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form page={page} action="/forgot-password" label="Ask for a reset link">
        <Field name="email" label={LABELS.email} type="email" value={email} autocomplete="email" errors={errors} autofocus={!notice} />
        <Submit>Mail me a link</Submit>
      </Form>
      <p class="links">
        <a href="/login">Back to log in</a>
      </p>
    </Layout>
  );
}
