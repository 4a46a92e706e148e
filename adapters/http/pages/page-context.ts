import type { User } from '../../../domain/index.js';
import type { PageAssets } from './assets.js';

/** What every page needs besides its own data: set by the pages' middleware, passed down explicitly. */
export interface PageContext {
  /** This response's CSP nonce: the only way a `<script>` runs. */
  readonly nonce: string;
  readonly assets: PageAssets;
  /** The CSRF token every form of the page carries (the session's, or the pre-session's when nobody is logged in). */
  readonly csrfToken: string;
  /** The person logged in, if anyone. */
  readonly user: User | undefined;
}

/** Errors by field name (`email`, `password`, ...); `form` for what concerns no one field. */
export type FieldErrors = Readonly<Record<string, string>>;
