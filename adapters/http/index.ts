/** `auth-service/adapters/http`: the Koa application serving the HTTP contract, and its documentation routes. */
export { API_PREFIX, createHttpApp, type FeatureRoutes, type HttpAppDependencies, type HttpAppOptions, type HttpAppServices } from './create-http-app.js';
export { routeGroup, type RouteGroup } from './routes/route-group.js';
export type { HttpLogger } from './logger.js';
export type { HttpMetrics, LogInOutcome } from './http-metrics.js';
export type { ReadinessCheck } from './system/health-routes.js';
export { buildOpenApiDocument, type OpenApiOptions } from './openapi/openapi-document.js';
export { docsRoutes } from './system/docs-routes.js';
export { jwksRoutes } from './system/jwks-routes.js';
