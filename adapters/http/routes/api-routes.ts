import { adminRoutes } from './admin-routes.js';
import type { ApiDependencies } from './api-dependencies.js';
import { authRoutes } from './auth-routes.js';
import type { Route } from './define-route.js';
import { mfaRoutes } from './mfa-routes.js';
import { providerRoutes } from '../provider/provider-routes.js';
import { emailRoutes } from './email-routes.js';
import { userRoutes } from './user-routes.js';

/**
 * Every `/api/v1` route. Adding one is adding its declaration (with its handler) to a module here; the router and
 * the OpenAPI document pick it up. The router tries routes in this order: `/users/me...` before `/users/{id}...`.
 */
export const apiRoutes: readonly Route<ApiDependencies>[] = [...authRoutes, ...emailRoutes, ...userRoutes, ...mfaRoutes, ...providerRoutes, ...adminRoutes];
