import { accountRoutes } from '../account/routes.js';
import { adminRoutes } from '../administration/routes.js';
import { emailRoutes } from '../email/routes.js';
import { sessionRoutes } from '../sessions/routes.js';
import { browserSessionRoutes } from '../browser-session/routes.js';
import { mfaRoutes } from '../two-factor/routes.js';
import { passkeyRoutes } from '../passkeys/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { exportRoutes } from '../account/export-routes.js';
import type { ApiDependencies } from './api-dependencies.js';
import type { Route } from './define-route.js';

/**
 * Every `/api/v1` route of this package, for a program that mounts them all with one `ApiDependencies`. The
 * service itself takes each feature's table from its registration (`bootstrap/features.ts`), in that list's order:
 * the router tries `/users/me...` (account) before `/users/{id}...` (administration).
 */
export const apiRoutes: readonly Route<ApiDependencies>[] = [
  ...accountRoutes,
  ...exportRoutes,
  ...sessionRoutes,
  ...browserSessionRoutes,
  ...emailRoutes,
  ...mfaRoutes,
  ...passkeyRoutes,
  ...adminRoutes,
  ...webhookRoutes,
];
