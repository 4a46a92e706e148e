import Router from '@koa/router';
import type { LogIn } from '../../../application/use-cases/log-in.js';
import type { RegisterUser } from '../../../application/use-cases/register-user.js';
import { logInOutcome, type HttpMetrics } from '../http-metrics.js';
import { parseBody } from '../parse-body.js';
import { LoginRequest, RegisterRequest, type TokenResponse } from '../schemas.js';
import { presentUser } from '../user-presenter.js';

export const CURRENT_USER_PATH = '/api/v1/users/me';

export function authRoutes(useCases: { registerUser: RegisterUser; logIn: LogIn; metrics?: Pick<HttpMetrics, 'countLogIn'> }): Router {
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
    const { accessToken } = await counted(useCases.metrics, useCases.logIn.execute({ login: body.username, password: body.password }));
    // RFC 6749 §5.1: responses carrying tokens must not be cached.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    const response: TokenResponse = {
      access_token: accessToken.token,
      token_type: 'bearer',
      expires_in: accessToken.expiresIn,
    };
    ctx.body = response;
  });

  return router;
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
