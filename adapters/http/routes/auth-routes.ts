import Router from '@koa/router';
import type { LogIn } from '../../../application/use-cases/log-in.js';
import type { RegisterUser } from '../../../application/use-cases/register-user.js';
import { parseBody } from '../parse-body.js';
import { LoginRequest, RegisterRequest, type TokenResponse } from '../schemas.js';
import { presentUser } from '../user-presenter.js';

export const CURRENT_USER_PATH = '/api/v1/users/me';

export function authRoutes(useCases: { registerUser: RegisterUser; logIn: LogIn }): Router {
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
    const { accessToken } = await useCases.logIn.execute({ login: body.username, password: body.password });
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
