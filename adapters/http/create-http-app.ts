import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import type { RateLimiter } from '../../application/ports/rate-limiter.js';
import type { AuthenticateUser } from '../../application/use-cases/authenticate-user.js';
import type { DeleteCurrentUser } from '../../application/use-cases/delete-current-user.js';
import type { LogIn } from '../../application/use-cases/log-in.js';
import type { RegisterUser } from '../../application/use-cases/register-user.js';
import type { UpdateCurrentUser } from '../../application/use-cases/update-current-user.js';
import type { RefreshSession } from '../../application/use-cases/refresh-session.js';
import type { EndSession } from '../../application/use-cases/end-session.js';
import type { ListSessions } from '../../application/use-cases/list-sessions.js';
import type { LogOut } from '../../application/use-cases/log-out.js';
import type { HttpMetrics } from './http-metrics.js';
import type { HttpLogger } from './logger.js';
import { bodyParserWithLimit } from './middleware/body-parser.js';
import { emptyErrorAsProblem } from './middleware/empty-error-as-problem.js';
import { errorHandler } from './middleware/error-handler.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { authRoutes } from './routes/auth-routes.js';
import { healthRoutes, type ReadinessCheck } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { userRoutes } from './routes/user-routes.js';

export const API_PREFIX = '/api/v1';

export interface HttpAppOptions {
  /** Believe the last `X-Forwarded-For` hop (set by our own proxy); otherwise the socket address is the client. */
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  readonly hsts: boolean;
  readonly readinessTimeoutMs: number;
}

export interface HttpAppDependencies {
  readonly registerUser: RegisterUser;
  readonly logIn: LogIn;
  readonly authenticateUser: AuthenticateUser;
  readonly updateCurrentUser: UpdateCurrentUser;
  readonly deleteCurrentUser: DeleteCurrentUser;
  readonly refreshSession: RefreshSession;
  readonly logOut: LogOut;
  readonly listSessions: ListSessions;
  readonly endSession: EndSession;
  readonly rateLimiter: RateLimiter;
  readonly readinessChecks: readonly ReadinessCheck[];
  readonly logger: HttpLogger;
  /** Routes outside the API (documentation); not rate limited. */
  readonly extraRoutes?: readonly Router[];
  readonly isShuttingDown?: () => boolean;
  /** Absent: nothing measured. */
  readonly metrics?: HttpMetrics;
  /** Serves `GET /metrics` here to this bearer only. Absent: metrics are never served on this listener. */
  readonly metricsBearerToken?: string;
}

export function createHttpApp(deps: HttpAppDependencies, options: HttpAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, maxIpsCount: 1 });
  // Koa logs every error it sees to stderr by default; ours are logged once, by the error handler.
  app.silent = true;

  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  // A keep-alive socket that goes idle after shutdown began would hold the server open until its idle timeout:
  // tell the client to close it once this response is sent.
  app.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      if (isShuttingDown()) ctx.set('Connection', 'close');
    }
  });
  if (deps.metrics) app.use(requestMetrics(deps.metrics));
  // Outside the error handler, so the line logs the status the client finally gets (a thrown 401, a 503).
  app.use(requestLog(deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(securityHeaders({ hsts: options.hsts }));
  if (options.corsOrigins.length > 0) {
    const allowed = new Set(options.corsOrigins);
    // An origin not on the list gets no CORS headers at all; the browser then refuses the response.
    app.use(cors({ origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''), exposeHeaders: ['Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'X-Request-Id'] }));
  }
  app.use(emptyErrorAsProblem());

  const health = healthRoutes(deps.readinessChecks, {
    timeoutMs: options.readinessTimeoutMs,
    isShuttingDown,
  });
  app.use(health.routes()).use(health.allowedMethods());
  if (deps.metrics && deps.metricsBearerToken !== undefined) {
    const metrics = metricsRoutes(deps.metrics, { bearerToken: deps.metricsBearerToken });
    app.use(metrics.routes()).use(metrics.allowedMethods());
  }
  for (const router of deps.extraRoutes ?? []) app.use(router.routes()).use(router.allowedMethods());

  // Every API request counts, matched or not, before its body is read: a limited client costs one increment.
  const limited = rateLimit(deps.rateLimiter, deps.metrics);
  app.use((ctx, next) => (ctx.path === API_PREFIX || ctx.path.startsWith(`${API_PREFIX}/`) ? limited(ctx, next) : next()));

  const api = new Router({ prefix: API_PREFIX });
  api.use(bodyParserWithLimit(options.bodyLimitBytes));
  const auth = authRoutes(deps);
  const users = userRoutes(deps);
  api.use(auth.routes(), auth.allowedMethods());
  api.use(users.routes(), users.allowedMethods());
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}
