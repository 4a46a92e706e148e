import Router from '@koa/router';
import type { JsonWebKeySet } from '../../crypto/jose-key-set.js';

export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * RFC 7517 §5: the public keys that verify our access tokens, current and previous, so another service needs no
 * shared secret. Five minutes of caching: a verifier meeting an unknown `kid` refetches anyway (jose's
 * createRemoteJWKSet does), and a new key is published before it signs only if deployments stagger.
 */
export function jwksRoutes(jwks: JsonWebKeySet): Router {
  const body = JSON.stringify(jwks);
  const router = new Router();
  router.get(JWKS_PATH, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return router;
}
