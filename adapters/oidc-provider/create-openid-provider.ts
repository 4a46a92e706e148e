import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Clock } from '../../application/ports/clock.js';
import type { UserRepository } from '../../application/ports/user-repository.js';
import { clientSecretMatches, PROVIDER_SCOPES } from '../../application/provider/oauth-client.js';
import type { ProviderStore } from '../../application/provider/provider-store.js';
import type { UserId } from '../../domain/index.js';
import { ProviderStoreAdapter } from './provider-store-adapter.js';
import type { ProviderKeys } from './provider-keys.js';
import { providerPage } from './provider-pages.js';

/** Every endpoint of the provider, under one prefix; discovery stays at the issuer's `/.well-known/`. */
export const PROVIDER_PREFIX = '/oauth2';

export const PROVIDER_ROUTES = {
  authorization: `${PROVIDER_PREFIX}/authorize`,
  token: `${PROVIDER_PREFIX}/token`,
  userinfo: `${PROVIDER_PREFIX}/userinfo`,
  jwks: `${PROVIDER_PREFIX}/jwks`,
  introspection: `${PROVIDER_PREFIX}/introspect`,
  revocation: `${PROVIDER_PREFIX}/revoke`,
  end_session: `${PROVIDER_PREFIX}/logout`,
  // Features this configuration leaves off; named anyway, so none could ever appear outside the prefix.
  registration: `${PROVIDER_PREFIX}/register`,
  pushed_authorization_request: `${PROVIDER_PREFIX}/par`,
  code_verification: `${PROVIDER_PREFIX}/device`,
  device_authorization: `${PROVIDER_PREFIX}/device/auth`,
  backchannel_authentication: `${PROVIDER_PREFIX}/backchannel`,
  challenge: `${PROVIDER_PREFIX}/challenge`,
  credential: `${PROVIDER_PREFIX}/credential`,
} as const;

export const interactionPath = (uid: string): string => `${PROVIDER_PREFIX}/interaction/${encodeURIComponent(uid)}`;

export interface OpenIdProviderOptions {
  /** PUBLIC_URL: the `iss` of every token and the base of discovery. */
  readonly issuer: string;
  readonly store: ProviderStore;
  readonly users: UserRepository;
  readonly clock: Clock;
  readonly keys: ProviderKeys;
  /** Believe X-Forwarded-Proto/Host from our own proxy (TRUST_PROXY), so endpoint URLs say https. */
  readonly trustProxy: boolean;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** A first-party client skips consent: its grant is made with the scopes asked for, and reported here. */
  /**
   * The account logged in on this browser by the service's own `/login` (its cookie session), if any. The
   * provider's session follows it: once that log-in ends (log-out, password change, an administrator), or another
   * person logs in on the browser, the provider asks for a log-in again instead of answering from its own session.
   */
  readonly browserAccountId: (ctx: KoaContextWithOIDC) => string | undefined;
  readonly onImplicitGrant: (grant: { grantId: string; accountId: string; clientId: string; scopes: readonly string[] }) => Promise<void>;
}

const MINUTE = 60;

/**
 * oidc-provider (OpenID Certified) configured as this service's OpenID Provider. Opaque access tokens (the
 * resource server introspects them, so a revoked token is refused at once), refresh tokens rotated on every use,
 * PKCE S256 required of public clients, client secrets compared as SHA-256 digests.
 */
export function createOpenIdProvider(options: OpenIdProviderOptions): Provider {
  const { store, clock, users } = options;
  const configuration: Configuration = {
    adapter: (model: string) => new ProviderStoreAdapter(model, store, clock),
    clients: [],
    // Our own members of a client's metadata; oidc-provider drops any it is not told about.
    extraClientMetadata: { properties: ['first_party', 'created_at'] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // RFC 9700 §2.1.1: a code is only worth having with PKCE; S256 is the only method oidc-provider 9 offers.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    scopes: [...PROVIDER_SCOPES],
    claims: {
      // Every ID token says how and when the person logged in (OpenID Connect Core §2), not only when asked:
      // a client deciding on step-up reads them. Userinfo has neither (they describe a log-in, not the person).
      openid: ['sub', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username'],
    },
    // The ID token carries the profile claims the scopes grant even when an access token is issued too.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = await users.findById(sub as UserId);
      if (!user || !user.isActive) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email.value, email_verified: user.isVerified, preferred_username: user.username.value }),
      };
    },
    cookies: {
      keys: [...options.keys.cookieKeys],
      names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_interaction_resume' },
      // Signed with the cookie keys: a cookie forged or altered by the browser is ignored.
      long: { httpOnly: true, sameSite: 'lax', overwrite: true, signed: true },
      short: { httpOnly: true, sameSite: 'lax', overwrite: true, signed: true },
    },
    jwks: { keys: options.keys.signingKeys as NonNullable<Configuration['jwks']>['keys'] },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // A public client may introspect only its own tokens (RFC 7662 §4: the caller must be authorised).
        allowedPolicy: async (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          providerPage(ctx, 'Log out', `<h1>Log out of ${escapeHtml(ctx.host)}?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button> <button type="submit" form="op.logoutForm">Stay logged in</button>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          providerPage(ctx, 'Logged out', '<h1>You are logged out</h1>');
        },
      },
      // DPoP stays off until a client needs it: every feature on is one more thing to review.
      dPoP: { enabled: false },
    },
    interactions: { url: async (_ctx, interaction) => interactionPath(interaction.uid), policy: policyFollowingBrowserLogIn(options.browserAccountId) },
    // The code flow only: RFC 9700 §2.1.2 retires the implicit grant and hybrid responses.
    responseTypes: ['code'],
    routes: PROVIDER_ROUTES,
    // Every use of a refresh token replaces it (RFC 9700 §4.14.2); a replayed one revokes the grant.
    rotateRefreshToken: true,
    // The client decides by asking for the refresh_token grant; offline_access needs prompt=consent, which
    // first-party clients never show.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      ClientCredentials: options.accessTokenTtlSeconds,
      AuthorizationCode: MINUTE,
      IdToken: options.accessTokenTtlSeconds,
      Interaction: 30 * MINUTE,
      RefreshToken: options.refreshTokenTtlSeconds,
      Session: options.refreshTokenTtlSeconds,
      Grant: options.refreshTokenTtlSeconds,
      DeviceCode: 10 * MINUTE,
      BackchannelAuthenticationRequest: 10 * MINUTE,
      PreAuthorizedCode: 10 * MINUTE,
    },
    // A browser app may call the token, userinfo and revocation endpoints from the origins of its redirect URIs.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false,
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      // A first-party client is the operator's own application: the person is not asked to consent to it.
      if ((client.metadata() as { first_party?: unknown }).first_party !== true) return existing;
      const requested = [...(ctx.oidc.requestParamScopes ?? [])].filter((scope) => (PROVIDER_SCOPES as readonly string[]).includes(scope));
      const grant = existing ?? new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      const missing = requested.filter((scope) => !grant.getOIDCScope().split(' ').includes(scope));
      if (existing && missing.length === 0) return existing;
      grant.addOIDCScope(requested.join(' '));
      const saved = await grant.save();
      if (!existing) await options.onImplicitGrant({ grantId: saved, accountId: session.accountId, clientId: client.clientId, scopes: requested });
      return grant;
    },
    async renderError(ctx, out) {
      const rows = Object.entries(out)
        .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(String(value))}</dd>`)
        .join('');
      providerPage(ctx, 'Sign-in error', `<h1>Something went wrong</h1><dl>${rows}</dl>`);
    },
  };
  const provider = new Provider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  // oidc-provider compares `client_secret` as stored; ours is stored as a SHA-256 digest. The library's documented
  // extension point for hashed secrets is this prototype method (panva/node-oidc-provider#631).
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual: string) {
    return clientSecretMatches(actual, this.clientSecret);
  };
  return provider;
}

/** oidc-provider's default prompts, and a log-in check more: the browser's own log-in must still be that account's. */
function policyFollowingBrowserLogIn(browserAccountId: OpenIdProviderOptions['browserAccountId']) {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('browser_log_in_ended', "The service's own log-in on this browser ended or changed", (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      return accountId !== undefined && browserAccountId(ctx) !== accountId ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
