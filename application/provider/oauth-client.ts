import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidClientMetadata } from '../../domain/index.js';
import type { ProviderPayload } from './provider-store.js';

/** The model names oidc-provider stores clients and grants under. */
export const CLIENT_MODEL = 'Client';
export const GRANT_MODEL = 'Grant';

export const OAUTH_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type OAuthGrantType = (typeof OAUTH_GRANT_TYPES)[number];
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
/** The scopes this provider knows; a client may be limited to fewer. */
export const PROVIDER_SCOPES = ['openid', 'email', 'profile', 'offline_access'] as const;

/** A relying party registered by a superuser (RFC 7591 metadata, the subset this provider offers). */
export interface OAuthClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly grantTypes: readonly OAuthGrantType[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly scope: string;
  /** Skips the consent page: an application of the same operator. */
  readonly firstParty: boolean;
  readonly createdAt: Date;
}

export interface NewOAuthClient {
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[] | undefined;
  readonly grantTypes: readonly OAuthGrantType[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly scope?: string | undefined;
  readonly firstParty?: boolean | undefined;
}

/** Prefix of the stored secret: a reader of the row sees it is a digest, never the secret. */
const SECRET_DIGEST_PREFIX = 'sha256:';

/**
 * 256 random bits (RFC 6749 §10.10 asks for at least 128). Stored as SHA-256: a secret this long needs no slow
 * hash (nothing to brute-force), and a fast comparison keeps client-credentials grants cheap. bcrypt would cost
 * ~200 ms a grant.
 */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function clientSecretDigest(secret: string): string {
  return SECRET_DIGEST_PREFIX + createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored digest in constant time (over the digests). */
export function clientSecretMatches(presented: unknown, storedDigest: unknown): boolean {
  if (typeof presented !== 'string' || typeof storedDigest !== 'string' || !storedDigest.startsWith(SECRET_DIGEST_PREFIX)) return false;
  const expected = Buffer.from(storedDigest, 'utf8');
  const actual = Buffer.from(clientSecretDigest(presented), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function newClientId(): string {
  return randomBytes(16).toString('base64url');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * RFC 9700 §2.1 and §4.1.3: exact redirect URIs, https except on loopback (RFC 8252 §7.3), no fragment; a
 * private-use scheme (`com.example.app:/cb`, RFC 8252 §7.1) for native apps.
 */
function checkUri(value: string, field: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidClientMetadata(`${field} must hold absolute URLs`, field);
  }
  if (url.hash !== '' || value.includes('#')) throw new InvalidClientMetadata(`${field} must not have a fragment`, field);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (LOOPBACK_HOSTS.has(url.hostname)) return;
    throw new InvalidClientMetadata(`${field} must use https (http only on localhost, 127.0.0.1 or [::1])`, field);
  }
  // A private-use scheme holds a dot (reverse domain name), which keeps out javascript:, data: and the like.
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return;
  throw new InvalidClientMetadata(`${field} must use https, http on loopback, or a reverse-domain private-use scheme`, field);
}

/** Throws `InvalidClientMetadata` naming the field at fault. */
export function validateNewClient(input: NewOAuthClient): void {
  const grants = new Set(input.grantTypes);
  if (grants.size === 0) throw new InvalidClientMetadata('grant_types must name at least one grant', 'grant_types');
  const usesRedirects = grants.has('authorization_code');
  if (grants.has('refresh_token') && !usesRedirects) {
    throw new InvalidClientMetadata('refresh_token needs authorization_code: only a code flow issues refresh tokens here', 'grant_types');
  }
  if (input.tokenEndpointAuthMethod === 'none' && grants.has('client_credentials')) {
    throw new InvalidClientMetadata('client_credentials needs a confidential client (a secret)', 'token_endpoint_auth_method');
  }
  if (usesRedirects && input.redirectUris.length === 0) throw new InvalidClientMetadata('authorization_code needs redirect_uris', 'redirect_uris');
  if (!usesRedirects && input.redirectUris.length > 0) throw new InvalidClientMetadata('redirect_uris are only for authorization_code', 'redirect_uris');
  for (const uri of input.redirectUris) checkUri(uri, 'redirect_uris');
  for (const uri of input.postLogoutRedirectUris ?? []) checkUri(uri, 'post_logout_redirect_uris');
  if (input.scope !== undefined) {
    const unknown = input.scope.split(' ').filter((scope) => !(PROVIDER_SCOPES as readonly string[]).includes(scope));
    if (unknown.length > 0) throw new InvalidClientMetadata(`scope may hold only ${PROVIDER_SCOPES.join(', ')}`, 'scope');
  }
}

/** The stored document: RFC 7591 names, as oidc-provider reads client metadata, plus our own two members. */
export function clientMetadata(clientId: string, input: NewOAuthClient, secretDigest: string | undefined, createdAt: Date): ProviderPayload {
  const usesRedirects = input.grantTypes.includes('authorization_code');
  return {
    client_id: clientId,
    client_name: input.clientName,
    ...(secretDigest === undefined ? {} : { client_secret: secretDigest }),
    redirect_uris: [...input.redirectUris],
    post_logout_redirect_uris: [...(input.postLogoutRedirectUris ?? [])],
    grant_types: [...new Set(input.grantTypes)],
    response_types: usesRedirects ? ['code'] : [],
    token_endpoint_auth_method: input.tokenEndpointAuthMethod,
    scope: input.scope ?? PROVIDER_SCOPES.join(' '),
    first_party: input.firstParty ?? false,
    created_at: Math.floor(createdAt.getTime() / 1000),
  };
}

export function clientFromMetadata(payload: ProviderPayload): OAuthClient {
  return {
    clientId: payload.client_id as string,
    clientName: (payload.client_name as string | undefined) ?? '',
    redirectUris: (payload.redirect_uris as string[] | undefined) ?? [],
    postLogoutRedirectUris: (payload.post_logout_redirect_uris as string[] | undefined) ?? [],
    grantTypes: (payload.grant_types as OAuthGrantType[] | undefined) ?? [],
    tokenEndpointAuthMethod: payload.token_endpoint_auth_method as TokenEndpointAuthMethod,
    scope: (payload.scope as string | undefined) ?? '',
    firstParty: payload.first_party === true,
    createdAt: new Date(((payload.created_at as number | undefined) ?? 0) * 1000),
  };
}
