import type { Reauthentication, Requester } from '../core/reauthentication.js';
import { assertAdministers, OAuthClientNotFound, type SessionOrigin, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { AuditTrail } from '../core/audit-trail.js';
import {
  CLIENT_MODEL,
  clientFromMetadata,
  clientMetadata,
  clientSecretDigest,
  newClientId,
  newClientSecret,
  validateNewClient,
  type NewOAuthClient,
  type OAuthClient,
} from './oauth-client.js';
import type { ProviderStore } from './provider-store.js';

export interface CreatedOAuthClient {
  readonly client: OAuthClient;
  /** Shown once, for confidential clients; only its digest is kept. */
  readonly clientSecret: string | undefined;
}

/** A superuser registers a relying party; its secret is answered once and kept as a digest. */
export class CreateOAuthClient {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly reauthentication?: Reauthentication,
  ) {}

  /**
   * A sensitive action (a client may act for every user who grants it): the superuser's session must be fresh
   * (`Reauthentication.require`). Throws `NotASuperuser`, `InvalidClientMetadata`, or what `require` throws.
   * `requester` undefined: an operator at the console.
   */
  async execute(requester: Requester | undefined, input: NewOAuthClient, origin: SessionOrigin = {}): Promise<CreatedOAuthClient> {
    const actor = requester?.user;
    if (requester) {
      assertAdministers(requester.user);
      await this.reauthentication?.require(requester, undefined, origin);
    }
    validateNewClient(input);
    const clientId = newClientId();
    const clientSecret = input.tokenEndpointAuthMethod === 'none' ? undefined : newClientSecret();
    const payload = clientMetadata(clientId, input, clientSecret === undefined ? undefined : clientSecretDigest(clientSecret), this.clock.now());
    await this.store.upsert(CLIENT_MODEL, clientId, { payload });
    const client = clientFromMetadata(payload);
    await this.audit.record('oauth_client.created', {
      userId: actor?.id ?? null,
      actorId: actor?.id ?? null,
      origin,
      details: { client_id: clientId, client_name: client.clientName, grant_types: client.grantTypes, first_party: client.firstParty },
    });
    return { client, clientSecret };
  }
}

/** Every registered client, oldest first (superusers). */
export class ListOAuthClients {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
  ) {}

  async execute(actor: User | undefined): Promise<readonly OAuthClient[]> {
    if (actor) assertAdministers(actor);
    const entries = await this.store.listByModel(CLIENT_MODEL, this.clock.now());
    return entries.map((entry) => clientFromMetadata(entry.payload)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}

export class GetOAuthClient {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
  ) {}

  /** Throws `NotASuperuser` or `OAuthClientNotFound`. */
  async execute(actor: User | undefined, clientId: string): Promise<OAuthClient> {
    if (actor) assertAdministers(actor);
    const entry = await this.store.find(CLIENT_MODEL, clientId, this.clock.now());
    if (!entry) throw new OAuthClientNotFound();
    return clientFromMetadata(entry.payload);
  }
}

/** Removes a client with every code, grant and token issued to it: introspection of them answers `active: false`. */
export class DeleteOAuthClient {
  constructor(
    private readonly store: ProviderStore,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly reauthentication?: Reauthentication,
  ) {}

  /** A sensitive action, as creation is. Throws `NotASuperuser`, `OAuthClientNotFound`, or what `require` throws. */
  async execute(requester: Requester | undefined, clientId: string, origin: SessionOrigin = {}): Promise<void> {
    const actor = requester?.user;
    if (requester) {
      assertAdministers(requester.user);
      await this.reauthentication?.require(requester, undefined, origin);
    }
    const entry = await this.store.find(CLIENT_MODEL, clientId, this.clock.now());
    if (!entry) throw new OAuthClientNotFound();
    await this.store.destroy(CLIENT_MODEL, clientId);
    await this.store.destroyByClient(clientId);
    const client = clientFromMetadata(entry.payload);
    await this.audit.record('oauth_client.deleted', {
      userId: actor?.id ?? null,
      actorId: actor?.id ?? null,
      origin,
      details: { client_id: clientId, client_name: client.clientName },
    });
  }
}
