import { sql, type Kysely, type Selectable } from 'kysely';
import { isUuid, type AuditEventType } from '../../domain/index.js';
import { WebhookEndpoint, type WebhookEventFilter } from '../../application/webhooks/webhook-endpoint.js';
import type { WebhookEndpointRepository } from '../../application/webhooks/webhook-endpoint-repository.js';
import type { Database, WebhookEndpointsTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';

/** Webhook endpoints in PostgreSQL or PGlite. */
export class KyselyWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(endpoint: WebhookEndpoint): Promise<void> {
    await withTranslatedErrors(this.db.insertInto('webhook_endpoints').values(toRow(endpoint)).execute());
  }

  async find(id: string): Promise<WebhookEndpoint | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await withTranslatedErrors(this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst());
    return row && toEndpoint(row);
  }

  async list(): Promise<WebhookEndpoint[]> {
    const rows = await withTranslatedErrors(this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute());
    return rows.map(toEndpoint);
  }

  async subscribedTo(type: AuditEventType): Promise<WebhookEndpoint[]> {
    // Asked at every audited change: a handful of rows, read whole (no index pays for itself at that size).
    const rows = await withTranslatedErrors(
      this.db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('enabled', '=', true)
        .where((eb) => eb.or([eb(sql`events`, '@>', sql`'["*"]'::jsonb`), eb(sql`events`, '@>', sql`jsonb_build_array(${type}::text)`)]))
        .orderBy('created_at')
        .execute(),
    );
    return rows.map(toEndpoint);
  }

  async updateWith(id: string, change: (current: WebhookEndpoint) => WebhookEndpoint): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint } | undefined> {
    if (!isUuid(id)) return undefined;
    // Inside a unit of work the row lock lasts until its commit; outside, this makes its own transaction.
    const run = async (trx: Kysely<Database>) => {
      const row = await trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) return undefined;
      const before = toEndpoint(row);
      const after = change(before);
      const { url, events, description, enabled, sealed_secret, sealed_previous_secret, previous_secret_expires_at, failing_since, updated_at } = toRow(after);
      await trx
        .updateTable('webhook_endpoints')
        .set({ url, events, description, enabled, sealed_secret, sealed_previous_secret, previous_secret_expires_at, failing_since, updated_at })
        .where('id', '=', id)
        .execute();
      return { before, after };
    };
    return withTranslatedErrors(this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run));
  }

  async remove(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await withTranslatedErrors(this.db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }
}

function toRow(endpoint: WebhookEndpoint): Omit<Selectable<WebhookEndpointsTable>, 'events'> & { events: string } {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: JSON.stringify(endpoint.events),
    description: endpoint.description,
    enabled: endpoint.enabled,
    sealed_secret: endpoint.sealedSecret,
    sealed_previous_secret: endpoint.sealedPreviousSecret ?? null,
    previous_secret_expires_at: endpoint.previousSecretExpiresAt ?? null,
    failing_since: endpoint.failingSince ?? null,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
  };
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return new WebhookEndpoint({
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventFilter[],
    description: row.description,
    enabled: row.enabled,
    sealedSecret: row.sealed_secret,
    sealedPreviousSecret: row.sealed_previous_secret ?? undefined,
    previousSecretExpiresAt: row.previous_secret_expires_at ?? undefined,
    failingSince: row.failing_since ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
