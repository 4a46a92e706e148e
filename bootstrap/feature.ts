import type { ContainerModule, ServiceIdentifier } from 'inversify';
import type { Route } from '../adapters/http/routes/define-route.js';
import type { HousekeepingJob } from '../application/index.js';

/** A feature's `/api/v1` routes and the token its module binds to what their handlers use. */
export interface FeatureRoutes<Deps> {
  readonly table: readonly Route<Deps>[];
  readonly dependencies: ServiceIdentifier<Deps>;
}

/**
 * Everything a feature adds to the service, in one object (better-auth's plugin idea, without path-matched hooks):
 * its bindings, its routes, its purges and what the logs must never show. `bootstrap/features.ts` lists them; the
 * container, the router, the OpenAPI document, the housekeeping round and the logger read that list.
 */
export interface Feature {
  readonly name: string;
  /** Its bindings: use cases, feature-only ports, and the route dependencies named by `routes`. */
  readonly modules: readonly ContainerModule[];
  readonly routes?: FeatureRoutes<never>;
  /**
   * Stores only this feature uses, one module per store family (`memory` for DATABASE_URL=memory, `kysely` for
   * PGlite and PostgreSQL); the family the configuration picks is loaded. Stores the unit of work spans stay in
   * `modules/user-store-modules.ts`.
   */
  readonly stores?: { readonly memory: ContainerModule; readonly kysely: ContainerModule };
  /** Tokens its module binds to its purges (expired challenges, ended sessions): the housekeeping round runs each. */
  readonly housekeeping?: readonly ServiceIdentifier<HousekeepingJob>[];
  /** pino paths blanked in every log line: field names that carry this feature's secrets. */
  readonly redact?: readonly string[];
}

/** Checks a feature's route table against the dependencies its module binds, then erases the type for the list. */
export function defineFeature<Deps>(feature: Omit<Feature, 'routes'> & { readonly routes?: FeatureRoutes<Deps> }): Feature {
  return feature as Feature;
}

/** A field name and the same name one level down (`password`, `*.password`), as pino's redaction paths spell them. */
export function anyDepth(...names: readonly string[]): string[] {
  return [...names, ...names.map((name) => `*.${name}`)];
}
