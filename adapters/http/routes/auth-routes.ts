import Router from '@koa/router';
import type { Context } from 'koa';
import type { AuthenticateUser, Authenticated } from '../../../application/use-cases/authenticate-user.js';
import type { LogIn } from '../../../application/use-cases/log-in.js';
import type { SessionTokens } from '../../../application/use-cases/issue-tokens.js';
import type { RefreshSession } from '../../../application/use-cases/refresh-session.js';
import type { RegisterUser } from '../../../application/use-cases/register-user.js';
import type { LogOut } from '../../../application/use-cases/log-out.js';
import { logInOutcome, type HttpMetrics } from '../http-metrics.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { parseBody } from '../parse-body.js';
import { RequestValidationError } from '../request-validation-error.js';
import { LoginRequest, LogoutQuery, RefreshRequest, RegisterRequest, type TokenResponse } from '../schemas.js';
import { presentUser } from '../user-presenter.js';

export const CURRENT_USER_PATH = '/api/v1/users/me';

export function authRoutes(useCases: {
  registerUser: RegisterUser;
  logIn: LogIn;
  refreshSession: RefreshSession;
  logOut: LogOut;
  authenticateUser: AuthenticateUser;
  metrics?: Pick<HttpMetrics, 'countLogIn'>;
}): Router {
  const router = new Router();

  router.post('/auth/register', async (ctx) => {
    const body = parseBody(ctx, RegisterRequest, ['json']);
    if (!body) return;
    const user = await useCases.registerUser.execute(body);
    ctx.status = 201;
    ctx.set('Location', CURRENT_USER_PATH);
    ctx.body = presentUser(user);
  });

  // OAuth2 password grant (RFC 6749 §4.3) as the FastAPI template takes it: form fields, or the same as JSON.
  router.post('/auth/login', async (ctx) => {
    const body = parseBody(ctx, LoginRequest, ['urlencoded', 'json']);
    if (!body) return;
    const origin = { ip: ctx.ip, userAgent: ctx.get('User-Agent') };
    const { tokens } = await counted(useCases.metrics, useCases.logIn.execute({ login: body.username, password: body.password, origin }));
    sendTokens(ctx, tokens);
  });

  // RFC 6749 §6: the refresh grant, rotating the refresh token on every use.
  router.post('/auth/refresh', async (ctx) => {
    const body = parseBody(ctx, RefreshRequest, ['urlencoded', 'json']);
    if (!body) return;
    sendTokens(ctx, await useCases.refreshSession.execute(body.refresh_token));
  });

  router.post('/auth/logout', bearerAuth(useCases.authenticateUser), async (ctx) => {
    const query = LogoutQuery.safeParse(ctx.query);
    if (!query.success) throw new RequestValidationError([{ path: 'scope', message: 'Must be current or all' }]);
    const { user, session } = ctx.state.auth as Authenticated;
    await useCases.logOut.execute(user, session.id, query.data.scope ?? 'current');
    ctx.status = 204;
  });

  return router;
}

function sendTokens(ctx: Context, tokens: SessionTokens): void {
  // RFC 6749 §5.1: responses carrying tokens must not be cached.
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  const response: TokenResponse = {
    access_token: tokens.accessToken.token,
    token_type: 'bearer',
    expires_in: tokens.accessToken.expiresIn,
    refresh_token: tokens.refreshToken,
    refresh_expires_in: tokens.refreshExpiresIn,
  };
  ctx.body = response;
}

/**
 * Log-ins are counted here rather than in a decorator around `LogIn`: the route already sees every outcome as
 * the use case's result or its typed error, and `LogIn` is a class, so a decorator would have to pose as one.
 */
async function counted<T>(metrics: Pick<HttpMetrics, 'countLogIn'> | undefined, attempt: Promise<T>): Promise<T> {
  try {
    const result = await attempt;
    metrics?.countLogIn('success');
    return result;
  } catch (error) {
    metrics?.countLogIn(logInOutcome(error));
    throw error;
  }
}
