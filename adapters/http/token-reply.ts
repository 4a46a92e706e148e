import type { SessionTokens } from '../../application/core/issue-tokens.js';
import { logInOutcome, type HttpMetrics } from './http-metrics.js';
import { TokenResponse, type TokenResponse as TokenBody } from './schemas.js';
import type { Reply } from './routes/define-route.js';

const JSON_TYPE = 'application/json';

export const tokenAnswer = {
  description: 'An access token and the refresh token that renews it',
  content: { [JSON_TYPE]: TokenResponse },
  // RFC 6749 §5.1: responses carrying tokens must not be cached; Pragma for HTTP/1.0 caches.
  headers: ['Pragma'],
} as const;

export function tokenReply(tokens: SessionTokens): Reply<200> {
  const body: TokenBody = {
    access_token: tokens.accessToken.token,
    token_type: 'bearer',
    expires_in: tokens.accessToken.expiresIn,
    refresh_token: tokens.refreshToken,
    refresh_expires_in: tokens.refreshExpiresIn,
  };
  return { status: 200, body, headers: { Pragma: 'no-cache' } };
}

/**
 * Log-ins are counted here rather than in a decorator around `LogIn`: the route already sees every outcome as
 * the use case's result or its typed error, and `LogIn` is a class, so a decorator would have to pose as one.
 */
export async function counted<T>(metrics: Pick<HttpMetrics, 'countLogIn'> | undefined, attempt: Promise<T>): Promise<T> {
  try {
    const result = await attempt;
    metrics?.countLogIn('success');
    return result;
  } catch (error) {
    metrics?.countLogIn(logInOutcome(error));
    throw error;
  }
}
