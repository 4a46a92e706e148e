import type { Context } from 'koa';
import type { z } from 'zod';
import type { Authenticated } from '../../../application/sessions/authenticate-user.js';
import type { DomainErrorCode } from '../../../domain/index.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The body encodings a route may accept; a body of any other type is a 415. */
export type BodyMediaType = 'application/json' | 'application/x-www-form-urlencoded';

/** Response headers the document describes once (see `openapi/response-headers.ts`); a route names the ones it sends. */
export type HeaderName = 'Location' | 'Cache-Control' | 'Pragma' | 'Cache-Control-Jwks';

export interface ResponseDeclaration {
  readonly description: string;
  /** Body schema by media type (`undefined`: the type is declared, its body is not described). Absent: no body. */
  readonly content?: Readonly<Record<string, z.ZodType | undefined>>;
  readonly headers?: readonly HeaderName[];
}

type ObjectSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface RouteRequest<Body, Query, Params, Secured extends boolean> {
  readonly body: Body;
  readonly query: Query;
  readonly params: Params;
  /** The bearer's user and session; present on routes declared `security: 'bearer'`. */
  readonly auth: Secured extends true ? Authenticated : undefined;
  /** The Koa context, for what the declaration does not model (client address, user agent). */
  readonly ctx: Context;
}

export interface Reply<Status extends number = number> {
  readonly status: Status;
  readonly body?: unknown;
  /** The media type of a body that is not JSON. */
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One route: what it accepts, what it answers, which domain errors it may raise, who may call it. The Koa router
 * and the OpenAPI document are both built from these fields, so they cannot disagree.
 */
export interface RouteDeclaration<
  Deps,
  BodySchema extends z.ZodType | undefined = undefined,
  QuerySchema extends ObjectSchema | undefined = undefined,
  ParamsSchema extends ObjectSchema | undefined = undefined,
  Secured extends boolean = false,
  Statuses extends number = number,
> {
  readonly method: HttpMethod;
  /** OpenAPI style (`/users/me/sessions/{id}`), relative to the table's prefix. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** `true`: a bearer access token is required (401 otherwise). */
  readonly bearer: Secured;
  /**
   * The request counts against its client's per-minute budget and answers `RateLimit-*` (and 429). The limiter
   * counts every `/api/v1` request, so this is true exactly for the API table (a route-table test checks).
   */
  readonly rateLimited: boolean;
  /** The answer holds personal data or secrets: what the handler answers, success or error, carries `Cache-Control: no-store`. */
  readonly noStore?: boolean;
  readonly body?: { readonly schema: BodySchema & z.ZodType; readonly mediaTypes: readonly BodyMediaType[] };
  readonly query?: QuerySchema;
  /** Path parameters; a value its schema refuses names no resource, so it is a 404. */
  readonly params?: ParamsSchema;
  /** Success answers by status. Error answers come from `errors` and the route's other fields. */
  readonly responses: Readonly<Record<Statuses, ResponseDeclaration>>;
  /** The domain errors the handler may raise; their statuses come from the one mapping in `error-mapping.ts`. */
  readonly errors?: readonly DomainErrorCode[];
  readonly handle: (
    request: RouteRequest<Parsed<BodySchema>, Parsed<QuerySchema>, Parsed<ParamsSchema>, Secured>,
    deps: Deps,
  ) => Reply<NoInfer<Statuses>> | Promise<Reply<NoInfer<Statuses>>>;
}

/** A declaration with its types erased, as the tables hold it. */
export type Route<Deps> = RouteDeclaration<Deps, z.ZodType | undefined, ObjectSchema | undefined, ObjectSchema | undefined, boolean, number>;

/**
 * `routesFor<Deps>()` gives a `defineRoute` whose handlers see `Deps` and the parsed body, query and params
 * types of their own declaration, and may only answer a success status the declaration lists.
 */
export function routesFor<Deps>() {
  return function defineRoute<
    BodySchema extends z.ZodType | undefined = undefined,
    QuerySchema extends ObjectSchema | undefined = undefined,
    ParamsSchema extends ObjectSchema | undefined = undefined,
    Secured extends boolean = false,
    Statuses extends number = number,
  >(route: RouteDeclaration<Deps, BodySchema, QuerySchema, ParamsSchema, Secured, Statuses>): Route<Deps> {
    return route as unknown as Route<Deps>;
  };
}
