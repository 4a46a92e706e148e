import { adminRoutes } from '../administration/routes.js';
import type { ApiDependencies } from './api-dependencies.js';
import { authRoutes, sessionListRoutes } from '../sessions/routes.js';
import { browserSessionRoutes } from '../browser-session/routes.js';
import type { Route } from './define-route.js';
import { mfaRoutes } from '../two-factor/routes.js';
import { emailRoutes } from '../email/routes.js';
import { registrationRoutes, userRoutes } from '../account/routes.js';
import { passkeyRoutes } from '../passkeys/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { exportRoutes } from '../account/export-routes.js';

/**
 * Every `/api/v1` route. Adding one is adding its declaration (with its handler) to a module here; the router and
 * the OpenAPI document pick it up. The router tries routes in this order: `/users/me...` before `/users/{id}...`.
 */
export const apiRoutes: readonly Route<ApiDependencies>[] = [
  ...registrationRoutes,
  ...authRoutes,
  ...browserSessionRoutes,
  ...emailRoutes,
  ...userRoutes,
  ...exportRoutes,
  ...sessionListRoutes,
  ...mfaRoutes,
  ...passkeyRoutes,
  ...adminRoutes,
  ...webhookRoutes,
];
