import { parseArgs } from 'node:util';
import { DataDirectoryLockedError } from '../adapters/kysely/data-directory-lock.js';
import { KyselyAuditLog } from '../adapters/kysely/kysely-audit-log.js';
import { KyselyProviderStore } from '../adapters/kysely/kysely-provider-store.js';
import { migrateToLatest } from '../adapters/kysely/migrator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { AuditTrail, DomainError } from '../application/index.js';
import { CreateOAuthClient, DeleteOAuthClient, ListOAuthClients, OAUTH_GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, type OAuthGrantType, type TokenEndpointAuthMethod } from '../application/provider/index.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';

const USAGE = [
  'usage: npm run clients -- add --name <name> --grant <grant> [--grant <grant>] [--redirect-uri <uri>]... [--auth client_secret_basic|client_secret_post|none] [--first-party]',
  '       npm run clients -- list',
  '       npm run clients -- remove <client_id>',
].join('\n');

/** The same operation over HTTP, named when the embedded database is held by a running server. */
const API_EQUIVALENT: Readonly<Record<string, string>> = {
  add: 'POST /api/v1/oauth/clients',
  list: 'GET /api/v1/oauth/clients',
  remove: 'DELETE /api/v1/oauth/clients/{client_id}',
};

/**
 * `npm run clients -- add|list|remove`: OpenID Provider clients for an operator who holds the database (no
 * token needed). `add` prints the client, and a confidential client's secret, once.
 */
async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      grant: { type: 'string', multiple: true },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      auth: { type: 'string' },
      scope: { type: 'string' },
      'first-party': { type: 'boolean' },
    },
  });
  const [command, argument] = positionals;
  if (command === undefined || !(command in API_EQUIVALENT)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(readEnvironment(process.env));
  if (config.database.kind === 'memory') {
    process.stderr.write(`DATABASE_URL=memory keeps no clients between processes: use ${API_EQUIVALENT[command]} on the running service\n`);
    return 2;
  }
  let handle;
  try {
    handle = await openDatabase(config.database, createLogger(config));
  } catch (error) {
    if (error instanceof DataDirectoryLockedError) {
      process.stderr.write(`the embedded database under ${config.dataDir} is held by a running server: use ${API_EQUIVALENT[command]} on it instead (as a superuser)\n`);
      return 1;
    }
    throw error;
  }
  try {
    if (config.migrateOnStart) await migrateToLatest(handle.db);
    const clock = new SystemClock();
    const store = new KyselyProviderStore(handle.db);
    const audit = new AuditTrail(new KyselyAuditLog(handle.db), clock);
    if (command === 'list') {
      for (const client of await new ListOAuthClients(store, clock).execute(undefined)) {
        process.stdout.write(`${client.clientId}\t${client.clientName}\t${client.grantTypes.join(',')}\t${client.tokenEndpointAuthMethod}${client.firstParty ? '\tfirst-party' : ''}\n`);
      }
      return 0;
    }
    if (command === 'remove') {
      if (argument === undefined) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      await new DeleteOAuthClient(store, clock, audit).execute(undefined, argument);
      process.stdout.write(`removed ${argument}\n`);
      return 0;
    }
    const grants = (values.grant ?? []) as OAuthGrantType[];
    const auth = (values.auth ?? 'client_secret_basic') as TokenEndpointAuthMethod;
    if (values.name === undefined || grants.some((g) => !(OAUTH_GRANT_TYPES as readonly string[]).includes(g)) || !(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(auth)) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const { client, clientSecret } = await new CreateOAuthClient(store, clock, audit).execute(undefined, {
      clientName: values.name,
      grantTypes: grants,
      redirectUris: values['redirect-uri'] ?? [],
      postLogoutRedirectUris: values['post-logout-redirect-uri'],
      tokenEndpointAuthMethod: auth,
      scope: values.scope,
      firstParty: values['first-party'] ?? false,
    });
    process.stdout.write(`client_id=${client.clientId}\n${clientSecret === undefined ? '' : `client_secret=${clientSecret}\n(shown once: only its SHA-256 digest is kept)\n`}`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError ? `Invalid configuration: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message.split('\n')[0]}\n`);
    process.exit(1);
  },
);
