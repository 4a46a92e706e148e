import { ErrorSummary, Field, Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { FieldErrors, PageContext } from './page-context.js';

export interface RegisterPageProps {
  readonly page: PageContext;
  readonly values?: { readonly email?: string | undefined; readonly username?: string | undefined };
  readonly errors?: FieldErrors | undefined;
}

const LABELS = { email: 'Email', username: 'Username', password: 'Password' };

export function RegisterPage({ page, values = {}, errors }: RegisterPageProps) {
  return (
    <Layout page={page} title="Create an account">
      <ErrorSummary errors={errors} labels={LABELS} />
      <Form page={page} action="/register" label="Create an account">
        <Field name="email" label={LABELS.email} type="email" value={values.email} autocomplete="email" errors={errors} autofocus={!errors} />
        <Field
          name="username"
          label={LABELS.username}
          value={values.username}
          autocomplete="username"
          hint='3 to 50 letters, digits, "_", "." or "-".'
          errors={errors}
        />
        <Field
          name="password"
          label={LABELS.password}
          type="password"
          autocomplete="new-password"
          hint="At least 8 characters; a passphrase of a few unrelated words is strong and easy to remember."
          errors={errors}
        />
        <Submit>Create account</Submit>
      </Form>
      <p class="links">
        Already registered? <a href="/login">Log in</a>
      </p>
    </Layout>
  );
}
