import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import { acceptedBody, parseFields } from '../parse-body.js';
import { HttpRequestError, RequestValidationError } from '../request-validation-error.js';
import type { Route } from './define-route.js';

export interface MountOptions {
  /** Prepended to every path of the table (`/api/v1`), or empty. */
  readonly prefix: string;
  /** Runs before the body is read: an unauthenticated request costs no parsing. */
  readonly bearer?: Middleware;
  /** Reads JSON and form bodies; runs only on routes that declare a body. */
  readonly bodyParser: Middleware;
}

/** `/users/me/sessions/{id}` as the router spells it, `/users/me/sessions/:id`. */
export function routerPath(prefix: string, path: string): string {
  return `${prefix}${path.replace(/\{(\w+)\}/g, ':$1')}`;
}

/** Adds each declared route to the one router, with only the middleware its declaration asks for. */
export function mountRoutes<Deps>(router: Router, routes: readonly Route<Deps>[], deps: Deps, options: MountOptions): void {
  for (const route of routes) {
    const chain: Middleware[] = [];
    if (route.bearer) {
      if (!options.bearer) throw new Error(`${route.operationId} needs a bearer check and none was given`);
      chain.push(options.bearer);
    }
    if (route.body) chain.push(acceptedBody(route.body.mediaTypes, options.bodyParser));
    chain.push(handler(route, deps));
    router.register(routerPath(options.prefix, route.path), [route.method.toUpperCase()], chain, { name: route.operationId });
  }
}

function handler<Deps>(route: Route<Deps>, deps: Deps): Middleware {
  return async (ctx) => {
    if (route.noStore) ctx.set('Cache-Control', 'no-store');
    refuseControlCharacters(ctx.query);
    const request = {
      // A path value its schema refuses (not a UUID, not a known file) names no resource.
      params: route.params ? parseOr404(route.params, ctx.params) : undefined,
      query: route.query ? parseFields(route.query, ctx.query, '(query)') : undefined,
      body: route.body ? parseFields(route.body.schema, (ctx.request as { body?: unknown }).body ?? {}, '(body)') : undefined,
      auth: ctx.state.auth,
      ctx,
    } as Parameters<Route<Deps>['handle']>[0];
    const reply = await route.handle(request, deps);
    ctx.status = reply.status;
    for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
    if (reply.body !== undefined) ctx.body = reply.body;
    // After the body: Koa sets a type from the body, which must not win over the declared one.
    if (reply.type !== undefined) ctx.type = reply.type;
  };
}

// C0 controls and DEL: no parameter of ours means one, and PostgreSQL refuses a NUL in text (a 500 before this).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Every route, whatever its query schema: a 422 naming the parameter, before any use case or store sees it. */
function refuseControlCharacters(query: Readonly<Record<string, string | string[] | undefined>>): void {
  const errors = Object.entries(query)
    .filter(([name, value]) => CONTROL_CHARACTER.test(name) || [value ?? []].flat().some((text) => CONTROL_CHARACTER.test(text)))
    .map(([name]) => ({ path: JSON.stringify(name).slice(1, -1), message: 'Must not contain control characters' }));
  if (errors.length > 0) throw new RequestValidationError(errors);
}

function parseOr404(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpRequestError(404, 'No such resource');
  return result.data;
}
