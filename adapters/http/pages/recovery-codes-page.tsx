import { Layout } from './layout.js';
import type { PageContext } from './page-context.js';

/** The recovery codes, shown this once: only their hashes are kept. */
export function RecoveryCodesPage({ page, codes }: { readonly page: PageContext; readonly codes: readonly string[] }) {
  return (
    <Layout page={page} title="Save your recovery codes" notice="Two-factor log-in is on.">
      <p>
        Each code logs you in once instead of a code from the app, if you lose your phone. Keep them somewhere safe (a password manager, or on paper):
        <strong> they are shown only now.</strong>
      </p>
      <ul class="codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href="/account#two-factor">
          I have saved them
        </a>
      </p>
    </Layout>
  );
}
