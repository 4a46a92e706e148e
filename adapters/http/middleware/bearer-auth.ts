import type { Middleware } from 'koa';
import type { AuthenticateUser } from '../../../application/sessions/authenticate-user.js';
import { InvalidToken } from '../../../domain/index.js';

// RFC 6750 §2.1: the scheme is case-insensitive, the token is b64token characters only.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** Puts the current user and session in `ctx.state.auth` (`Authenticated`), or answers 401 through the error mapping. */
export function bearerAuth(authenticate: AuthenticateUser): Middleware {
  return async (ctx, next) => {
    const match = BEARER.exec(ctx.get('Authorization'));
    if (!match) throw new InvalidToken('Not authenticated');
    ctx.state.auth = await authenticate.execute(match[1]!);
    await next();
  };
}
