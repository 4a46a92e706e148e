import type { AccountRouteDependencies } from '../account/routes.js';
import type { AdministrationRouteDependencies } from '../administration/routes.js';
import type { EmailRouteDependencies } from '../email/routes.js';
import type { SessionRouteDependencies } from '../sessions/routes.js';
import type { TwoFactorRouteDependencies } from '../two-factor/routes.js';
import type { AuthenticateUser } from '../../../application/sessions/authenticate-user.js';
import type { PasskeyRouteDependencies } from '../passkeys/routes.js';
import type { WebhookRouteDependencies } from '../webhooks/routes.js';

/**
 * Everything the handlers of this package's `/api/v1` table use, for a program that builds the app from the use
 * cases by hand (`createHttpApp` without `apiRoutes`). Each feature's routes declare their own, smaller set next to
 * them (`SessionRouteDependencies`...); the service resolves each set from that feature's container module.
 */
export type ApiDependencies = AccountRouteDependencies &
  SessionRouteDependencies &
  EmailRouteDependencies &
  TwoFactorRouteDependencies &
  PasskeyRouteDependencies &
  WebhookRouteDependencies &
  AdministrationRouteDependencies & { readonly authenticateUser: AuthenticateUser };
