import { ContainerModule } from 'inversify';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { browserSessionLogIn, type ReadBrowserLogIn } from '../../adapters/http/provider/browser-log-in.js';
import type { BrowserSessions } from '../../adapters/http/browser-session/browser-sessions.js';
import { browserLogInOf, providerMiddleware } from '../../adapters/http/provider/provider-middleware.js';
import { requestOrigin } from '../../adapters/http/request-origin.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { KyselyProviderStore } from '../../adapters/kysely/kysely-provider-store.js';
import { InMemoryProviderStore } from '../../adapters/memory/in-memory-provider-store.js';
import { createOpenIdProvider } from '../../adapters/oidc-provider/create-openid-provider.js';
import { loadOrCreateProviderKeys, type ProviderKeys } from '../../adapters/oidc-provider/provider-keys.js';
import type { AuditTrail, Clock, Reauthentication, SecretBox, UserId, UserRepository } from '../../application/index.js';
import {
  CreateOAuthClient,
  DeleteOAuthClient,
  GetOAuthClient,
  ListMyGrants,
  ListOAuthClients,
  ProviderGrants,
  PurgeExpiredProviderEntries,
  RecordGrantCreated,
  RevokeMyGrant,
  type ProviderStore,
} from '../../application/provider/index.js';
import type { Config } from '../config.js';
import { token, TOKENS } from '../tokens.js';
import type { ProviderRouteDependencies } from '../../adapters/http/provider/provider-routes.js';

/**
 * The issuer: PUBLIC_URL, or `http://localhost:PORT`. Fixed when the provider is built, so unlike PublicAddress it
 * cannot follow a PORT=0 listener: a deployment, or a test, that uses the provider names its address.
 */
const issuerOf = (config: Config): string => config.publicUrl ?? `http://localhost:${config.port}`;

/** Where the provider sends a person to log in; the pages feature serves it. */
const LOGIN_PATH = '/login';

/**
 * The OpenID Provider: oidc-provider on our ProviderStore (the service's database), its keys, its HTTP mount and
 * the client and grant use cases.
 */
/** What the provider's management routes use, bound below. */
export const PROVIDER_ROUTES = token<ProviderRouteDependencies>('ProviderRoutes');

export const providerModule = new ContainerModule(({ bind }) => {
  bind(PROVIDER_ROUTES).toDynamicValue(async ({ getAsync }) => ({
    createOAuthClient: await getAsync(TOKENS.CreateOAuthClient),
    listOAuthClients: await getAsync(TOKENS.ListOAuthClients),
    getOAuthClient: await getAsync(TOKENS.GetOAuthClient),
    deleteOAuthClient: await getAsync(TOKENS.DeleteOAuthClient),
    listMyGrants: await getAsync(TOKENS.ListMyGrants),
    revokeMyGrant: await getAsync(TOKENS.RevokeMyGrant),
  }));
  bind(TOKENS.ProviderStore).toResolvedValue(
    (config: Config, handle: DatabaseHandle | undefined) => (config.database.kind === 'memory' || !handle ? new InMemoryProviderStore() : new KyselyProviderStore(handle.db)),
    [TOKENS.Config, { serviceIdentifier: TOKENS.DatabaseHandle, optional: true }],
  );
  bind(TOKENS.ProviderKeys).toResolvedValue((store: ProviderStore, box: SecretBox) => loadOrCreateProviderKeys(store, box), [TOKENS.ProviderStore, TOKENS.SecretBox]);
  bind(TOKENS.RecordGrantCreated).toResolvedValue((audit: AuditTrail) => new RecordGrantCreated(audit), [TOKENS.AuditTrail]);
  bind(TOKENS.OpenIdProvider).toResolvedValue(
    (config: Config, store: ProviderStore, users: UserRepository, clock: Clock, keys: ProviderKeys, grantCreated: RecordGrantCreated, logger: Logger) => {
      const provider = createOpenIdProvider({
        issuer: issuerOf(config),
        store,
        users,
        clock,
        keys,
        trustProxy: config.trustProxy,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: Math.floor(config.refreshTokenTtlMs / 1000),
        browserAccountId: (ctx) => browserLogInOf(ctx)?.userId,
        onImplicitGrant: (grant) => grantCreated.execute(grant.accountId as UserId, { ...grant, firstParty: true }),
      });
      // The library answers `server_error` and says why only here: a failure of ours, logged with its stack.
      provider.on('server_error', (_ctx: unknown, error: unknown) => logger.error({ err: error }, 'OpenID Provider failed a request'));
      return provider;
    },
    [TOKENS.Config, TOKENS.ProviderStore, TOKENS.UserRepository, TOKENS.Clock, TOKENS.ProviderKeys, TOKENS.RecordGrantCreated, TOKENS.Logger],
  );
  // The pages' cookie session is the provider's end-user session: its principal, and how and when it logged in.
  bind(TOKENS.ReadBrowserLogIn).toResolvedValue((sessions: BrowserSessions) => browserSessionLogIn(sessions), [TOKENS.BrowserSessions]);
  bind(TOKENS.ProviderHttp).toResolvedValue(
    (config: Config, clock: Clock, grantCreated: RecordGrantCreated, readBrowserLogIn: ReadBrowserLogIn, provider: Provider) =>
      providerMiddleware(provider, {
        readBrowserLogIn,
        loginPath: LOGIN_PATH,
        origin: new URL(issuerOf(config)).origin,
        now: () => clock.now(),
        onConsent: (grant, ctx) => grantCreated.execute(grant.accountId as UserId, { ...grant, firstParty: false }, requestOrigin(ctx)),
      }),
    [TOKENS.Config, TOKENS.Clock, TOKENS.RecordGrantCreated, TOKENS.ReadBrowserLogIn, TOKENS.OpenIdProvider],
  );
  bind(TOKENS.CreateOAuthClient).toResolvedValue(
    (store: ProviderStore, clock: Clock, audit: AuditTrail, reauthentication: Reauthentication) => new CreateOAuthClient(store, clock, audit, reauthentication),
    [TOKENS.ProviderStore, TOKENS.Clock, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(TOKENS.ListOAuthClients).toResolvedValue((store: ProviderStore, clock: Clock) => new ListOAuthClients(store, clock), [TOKENS.ProviderStore, TOKENS.Clock]);
  bind(TOKENS.GetOAuthClient).toResolvedValue((store: ProviderStore, clock: Clock) => new GetOAuthClient(store, clock), [TOKENS.ProviderStore, TOKENS.Clock]);
  bind(TOKENS.DeleteOAuthClient).toResolvedValue(
    (store: ProviderStore, clock: Clock, audit: AuditTrail, reauthentication: Reauthentication) => new DeleteOAuthClient(store, clock, audit, reauthentication),
    [TOKENS.ProviderStore, TOKENS.Clock, TOKENS.AuditTrail, TOKENS.Reauthentication],
  );
  bind(TOKENS.ListMyGrants).toResolvedValue((store: ProviderStore, clock: Clock) => new ListMyGrants(store, clock), [TOKENS.ProviderStore, TOKENS.Clock]);
  bind(TOKENS.RevokeMyGrant).toResolvedValue(
    (store: ProviderStore, clock: Clock, audit: AuditTrail) => new RevokeMyGrant(store, clock, audit),
    [TOKENS.ProviderStore, TOKENS.Clock, TOKENS.AuditTrail],
  );
  bind(TOKENS.ProviderGrants).toResolvedValue((store: ProviderStore) => new ProviderGrants(store), [TOKENS.ProviderStore]);
  bind(TOKENS.HousekeepingJob).toResolvedValue(
    (store: ProviderStore, clock: Clock) => new PurgeExpiredProviderEntries(store, clock),
    [TOKENS.ProviderStore, TOKENS.Clock],
  );
});
