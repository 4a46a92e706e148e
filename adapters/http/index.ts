/** `auth-service/adapters/http`: the Koa application serving the HTTP contract, and its documentation routes. */
export { API_PREFIX, createHttpApp, type HttpAppDependencies, type HttpAppOptions } from './create-http-app.js';
export type { HttpLogger } from './logger.js';
export type { HttpMetrics, LogInOutcome } from './http-metrics.js';
export type { ReadinessCheck } from './system/health-routes.js';
export { buildOpenApiDocument, type OpenApiOptions } from './openapi/openapi-document.js';
export { docsRoutes } from './system/docs-routes.js';
export { jwksRoutes } from './system/jwks-routes.js';
