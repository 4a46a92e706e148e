import { z } from 'zod';
import type { JsonWebKeySet } from '../../crypto/jose-key-set.js';
import { routesFor } from '../routes/define-route.js';

export const JWKS_PATH = '/.well-known/jwks.json';

/** Public members only: a private (`d`, `p`, `q`…) or symmetric (`k`) member can never appear. */
const PublicJwk = z.strictObject({
  kty: z.enum(['OKP', 'EC', 'RSA']),
  kid: z.string().meta({ description: 'RFC 7638 thumbprint of the key' }),
  alg: z.enum(['EdDSA', 'ES256', 'RS256']),
  use: z.literal('sig'),
  crv: z.enum(['Ed25519', 'P-256']).optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  n: z.string().optional(),
  e: z.string().optional(),
});

export const JwksResponse = z.strictObject({ keys: z.array(PublicJwk) }).meta({ id: 'JsonWebKeySet' });

/** The key set serialized once: it changes only with a restart. */
export interface JwksDependencies {
  readonly json: string;
}

export function jwksDependencies(jwks: JsonWebKeySet): JwksDependencies {
  return { json: JSON.stringify(jwks) };
}

const defineJwksRoute = routesFor<JwksDependencies>();

/**
 * RFC 7517 §5: the public keys that verify our access tokens, current and previous, so another service needs no
 * shared secret. Five minutes of caching: a verifier meeting an unknown `kid` refetches anyway (jose's
 * createRemoteJWKSet does), and a new key is published before it signs only if deployments stagger.
 */
export const jwksRoutes = [
  defineJwksRoute({
    method: 'get',
    path: JWKS_PATH,
    operationId: 'getJsonWebKeySet',
    tag: 'keys',
    summary: 'Public keys that verify access tokens',
    description: [
      'RFC 7517 JWK Set of the current signing key and the keys it replaced, each with `kid`, `alg` and `use: "sig"`.',
      'Pick the key by the token header `kid`. Empty when tokens are signed with an HMAC secret (`HS256`, `HS384`, `HS512`), which is never published.',
    ].join(' '),
    bearer: false,
    rateLimited: false,
    responses: { 200: { description: 'The key set', content: { 'application/json': JwksResponse }, headers: ['Cache-Control-Jwks'] } },
    handle: (_request, { json }) => ({ status: 200, type: 'application/json', body: json, headers: { 'Cache-Control': 'public, max-age=300' } }),
  }),
];
