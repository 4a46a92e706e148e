import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import { API_PREFIX } from './api-prefix.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import type { HttpMetrics } from './http-metrics.js';
import type { HttpLogger } from './logger.js';
import type { BrowserSessions } from './browser-session/browser-sessions.js';
import { bearerOrCookie } from './browser-session/middleware.js';
import { bearerAuth } from './middleware/bearer-auth.js';
import { bodyParserWithLimit } from './middleware/body-parser.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestFrame } from './middleware/request-frame.js';
import type { ApiDependencies } from './routes/api-dependencies.js';
import { apiRoutes } from './routes/api-routes.js';
import { docsRoutes, type DocsDependencies } from './system/docs-routes.js';
import { healthRoutes, type ReadinessCheck } from './system/health-routes.js';
import { jwksRoutes, type JwksDependencies } from './system/jwks-routes.js';
import { metricsRoutes } from './system/metrics-routes.js';
import { mountRoutes } from './routes/mount-routes.js';
import { routeGroup, type RouteGroup } from './routes/route-group.js';
import type { AuthenticateUser } from '../../application/sessions/authenticate-user.js';
import { mountPages, type PagesDependencies } from './pages/pages-routes.js';

export { API_PREFIX };

export interface HttpAppOptions {
  /** Believe the last `X-Forwarded-For` hop (set by our own proxy); otherwise the socket address is the client. */
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly hsts: boolean;
  readonly readinessTimeoutMs: number;
}

/** The `/api/v1` routes: each feature's table with what its handlers use, and the bearer check they share. */
export interface FeatureRoutes {
  readonly authenticateUser: AuthenticateUser;
  readonly apiRoutes: readonly RouteGroup[];
}

/** Either the routes by feature (as the service builds them) or every use case of `ApiDependencies` (this package's whole table). */
export type HttpAppDependencies = HttpAppServices & (FeatureRoutes | ApiDependencies);

export interface HttpAppServices {
  readonly rateLimiter: RateLimiter;
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly logger: HttpLogger;
  /** Absent: no `/openapi.json`, `/docs` or `/redoc`. */
  readonly docs?: DocsDependencies;
  /** Absent: no `/.well-known/jwks.json`. */
  readonly jwks?: JwksDependencies;
  readonly isShuttingDown?: () => boolean;
  /** Absent: nothing measured. */
  readonly metrics?: HttpMetrics;
  /** Serves `GET /metrics` here to this bearer only. Absent: metrics are never served on this listener. */
  readonly metricsBearerToken?: string;
  /** Browser session cookies: the API accepts them as well as bearer tokens. Absent: bearer tokens only. */
  readonly browserSessions?: BrowserSessions;
  /** The pages for people (`/login`, `/account`, ...). Absent: none served. */
  readonly pages?: PagesDependencies;
}

export function createHttpApp(deps: HttpAppDependencies, options: HttpAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, maxIpsCount: 1 });
  // Koa logs every error it sees to stderr by default; ours are logged once, by the request frame.
  app.silent = true;

  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  // Request id, security headers, errors as problem+json, metrics and the log line: one layer, outermost.
  app.use(requestFrame({ logger: deps.logger, metrics: deps.metrics, hsts: options.hsts, isShuttingDown }));
  if (options.corsOrigins.length > 0) {
    const allowed = new Set(options.corsOrigins);
    // An origin not on the list gets no CORS headers at all; the browser then refuses the response.
    // Credentials (the session cookie) only with browser sessions on: a listed app then calls with the cookie.
    app.use(cors({ origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''), credentials: deps.browserSessions !== undefined, exposeHeaders: ['Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id'] }));
  }

  // Every API request counts, matched or not, before its body is read: a limited client costs one increment.
  // Routes match case-sensitively, so `/API/v1/...` is no way around this: it matches no route at all.
  const limited = rateLimit(deps.rateLimiter, deps.metrics);
  app.use((ctx, next) => (ctx.path === API_PREFIX || ctx.path.startsWith(`${API_PREFIX}/`) ? limited(ctx, next) : next()));

  const router = createRouter(deps, { bodyLimitBytes: options.bodyLimitBytes, readinessTimeoutMs: options.readinessTimeoutMs, isShuttingDown, pageRateLimit: limited });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

/** One flat router: a request is matched once, against every route of the service, case-sensitively. */
export function createRouter(
  deps: HttpAppDependencies,
  options: Pick<HttpAppOptions, 'bodyLimitBytes' | 'readinessTimeoutMs'> & { isShuttingDown: () => boolean; pageRateLimit?: Koa.Middleware },
): Router {
  const router = new Router({ sensitive: true, strict: true });
  const bodyParser = bodyParserWithLimit(options.bodyLimitBytes);
  const groups = 'apiRoutes' in deps ? deps.apiRoutes : [routeGroup(apiRoutes, deps)];
  const bearer = deps.browserSessions ? bearerOrCookie(deps.authenticateUser, deps.browserSessions) : bearerAuth(deps.authenticateUser);
  for (const group of groups) mountRoutes(router, group.routes, group.dependencies as never, { prefix: API_PREFIX, bearer, bodyParser });
  if (deps.pages) mountPages(router, deps.pages, { bodyParser, rateLimit: options.pageRateLimit });
  const health = { checks: deps.readinessChecks, timeoutMs: options.readinessTimeoutMs, isShuttingDown: options.isShuttingDown };
  mountRoutes(router, healthRoutes, health, { prefix: '', bodyParser });
  if (deps.metrics && deps.metricsBearerToken !== undefined) {
    mountRoutes(router, metricsRoutes, { metrics: deps.metrics, bearerToken: deps.metricsBearerToken }, { prefix: '', bodyParser });
  }
  if (deps.jwks) mountRoutes(router, jwksRoutes, deps.jwks, { prefix: '', bodyParser });
  if (deps.docs) mountRoutes(router, docsRoutes, deps.docs, { prefix: '', bodyParser });
  return router;
}
