import type { Route } from './define-route.js';

/** One feature's routes with what their handlers use; the router mounts each group with its own dependencies. */
export interface RouteGroup {
  readonly routes: readonly Route<never>[];
  readonly dependencies: unknown;
}

/** Pairs a table with its dependencies, checked here, so the group can join a list of groups of other types. */
export function routeGroup<Deps>(routes: readonly Route<Deps>[], dependencies: Deps): RouteGroup {
  return { routes, dependencies };
}
