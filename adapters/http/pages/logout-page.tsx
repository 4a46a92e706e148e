import { Form, Submit } from './components.js';
import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** `GET /logout` asks; only the POST (with the CSRF token) ends the session, so a link or an image cannot. */
export function LogOutPage({ page }: { readonly page: PageContext }) {
  return (
    <Layout page={page} title="Log out">
      {page.user ? (
        <Form page={page} action="/logout" label="Log out">
          <p>{`You are logged in as ${page.user.username.value}.`}</p>
          <Submit>Log out</Submit>
        </Form>
      ) : (
        <p>
          You are not logged in. <a href="/login">Log in</a>
        </p>
      )}
    </Layout>
  );
}
