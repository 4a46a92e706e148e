import { CSRF_REFUSAL_DETAIL } from '../browser-session/middleware.js';
import type { HeaderObject, OpenAPIObject, ReferenceObject, SecurityRequirementObject } from 'openapi3-ts/oas31';
import type { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { ServiceUnavailable } from '../../../application/errors.js';
import type { DomainErrorCode } from '../../../domain/index.js';
import { API_PREFIX } from '../api-prefix.js';
import { domainErrorMapping, mapError } from '../error-mapping.js';
import { MALFORMED_BODY_DETAIL, bodyTooLargeDetail } from '../middleware/body-parser.js';
import { rateLimitDetail } from '../middleware/rate-limit.js';
import { unsupportedMediaTypeDetail } from '../parse-body.js';
import { problem, PROBLEM_CONTENT_TYPE, type Problem } from '../problem.js';
import { RequestValidationError } from '../request-validation-error.js';
import { apiRoutes } from '../routes/api-routes.js';
import type { HeaderName, Route } from '../routes/define-route.js';
import { docsRoutes } from '../system/docs-routes.js';
import { healthRoutes } from '../system/health-routes.js';
import { jwksRoutes } from '../system/jwks-routes.js';
import { metricsRoutes } from '../system/metrics-routes.js';
import { ProblemResponse } from '../schemas.js';

/** Configuration the document states (limits, lifetimes); `Config` has these fields under these names. */
export interface OpenApiOptions {
  readonly rateLimitPerMinute: number;
  readonly accessTokenTtlSeconds: number;
  readonly bodyLimitBytes: number;
  /** Absent: the document's own origin, which is what Swagger UI and ReDoc served by us need. */
  readonly serverUrl?: string;
}

/** Route tables with the prefix each is mounted under. */
export type RouteTables = readonly (readonly [prefix: string, routes: readonly Route<never>[]])[];

/** Every table the service mounts, with the given `/api/v1` routes (the service passes its features' routes). */
export function serviceRouteTables(api: readonly Route<never>[]): RouteTables {
  return [
    [API_PREFIX, api],
    ['', healthRoutes],
    ['', metricsRoutes],
    ['', jwksRoutes],
    ['', docsRoutes],
  ];
}

const TABLES: RouteTables = serviceRouteTables(apiRoutes);

const BEARER_SECURITY: SecurityRequirementObject[] = [{ OAuth2PasswordBearer: [] }, { bearer: [] }, { sessionCookie: [] }];

const headerRef = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });
const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const;

function header(description: string, schema: HeaderObject['schema'], example: unknown): HeaderObject {
  return { description, required: true, schema, example };
}

// A day bounds every window and wait this service announces.
const SECONDS = { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 } as const;
// Request counts: RATE_LIMIT_PER_MINUTE goes up to a million.
const REQUESTS = { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } as const;
const RETRY_AFTER = header('Seconds to wait before retrying', SECONDS, 30);

function componentHeaders(options: OpenApiOptions): Record<string, HeaderObject> {
  const seconds = SECONDS;
  const headers: Record<HeaderName | 'X-Request-Id' | (typeof RATE_LIMIT_HEADERS)[number], HeaderObject> = {
    'X-Request-Id': header("The caller's X-Request-Id when it is safe to log, else a new UUID", { type: 'string' }, '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f'),
    'RateLimit-Limit': header('Requests allowed per window for this client', REQUESTS, options.rateLimitPerMinute),
    'RateLimit-Remaining': header('Requests left in the current window', REQUESTS, options.rateLimitPerMinute - 1),
    'RateLimit-Reset': header('Seconds until the window resets', seconds, 60),
    Location: header('Where the new user can be read', { type: 'string', const: `${API_PREFIX}/users/me` }, `${API_PREFIX}/users/me`),
    'Cache-Control': header('Personal data and tokens are never cached (RFC 6749 §5.1, RFC 9111 §5.2.2.5)', { type: 'string', const: 'no-store' }, 'no-store'),
    'Cache-Control-Jwks': header('Verifiers may keep the key set five minutes', { type: 'string', const: 'public, max-age=300' }, 'public, max-age=300'),
    Pragma: header('For HTTP/1.0 caches (RFC 6749 §5.1)', { type: 'string', const: 'no-cache' }, 'no-cache'),
  };
  return headers;
}

/** The name a header is sent under; the component name differs where one header has several documented values. */
function wireName(name: HeaderName): string {
  return name === 'Cache-Control-Jwks' ? 'Cache-Control' : name;
}

/** One way a route can fail, with the problem it answers. */
interface FailureCase {
  readonly name: string;
  readonly summary: string;
  readonly body: Problem;
  readonly headers: Readonly<Record<string, HeaderObject>>;
}

function domainCase(code: DomainErrorCode): FailureCase {
  const mapping = domainErrorMapping(code);
  const mapped = mapError(mapping.example());
  const headers: Record<string, HeaderObject> = {};
  const challenge = mapped.headers['WWW-Authenticate'];
  if (challenge !== undefined && challenge !== mapping.wwwAuthenticate) {
    // RFC 9470 §3: the max_age is the configured REAUTH_MAX_AGE_SECONDS, so the document gives its shape.
    const pattern = `^${mapping.wwwAuthenticate!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, max_age=\\d+$`;
    headers['WWW-Authenticate'] = header('RFC 9470 §3 challenge: fresh authentication needed, within max_age seconds', { type: 'string', pattern }, challenge);
  } else if (mapping.wwwAuthenticate) {
    headers['WWW-Authenticate'] = header('RFC 6750 §3 challenge', { type: 'string', const: mapping.wwwAuthenticate }, mapping.wwwAuthenticate);
  }
  if (mapped.headers['Retry-After'] !== undefined) headers['Retry-After'] = RETRY_AFTER;
  return { name: code, summary: mapped.body.detail ?? code, body: mapped.body, headers };
}

/** A value for every field of an object schema that the schema refuses, to show the 422 it causes. */
function validationCase(schema: z.ZodType, what: string): FailureCase {
  const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
  const result = schema.safeParse(Object.fromEntries(Object.keys(shape).map((key) => [key, { not: 'valid' }])));
  const issues = result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || what, message: issue.message }));
  return { name: `invalid_${what}`, summary: `A field of the ${what} is missing or invalid`, body: mapError(new RequestValidationError(issues)).body, headers: {} };
}

function simpleCase(name: string, summary: string, body: Problem, headers: Record<string, HeaderObject> = {}): FailureCase {
  return { name, summary, body, headers };
}

/** Every failure a route can answer, derived from its declaration: what it parses, who may call it, what it raises. */
function failureCases(route: Route<never>, options: OpenApiOptions): FailureCase[] {
  const cases: FailureCase[] = [];
  if (route.body) {
    cases.push(simpleCase('malformed_body', 'The body is not valid JSON or form data', problem(400, MALFORMED_BODY_DETAIL)));
    cases.push(simpleCase('body_too_large', 'The body is over the size limit', problem(413, bodyTooLargeDetail(options.bodyLimitBytes))));
    cases.push(simpleCase('unsupported_media_type', 'The body has another media type', problem(415, unsupportedMediaTypeDetail(route.body.mediaTypes))));
    cases.push(validationCase(route.body.schema, 'body'));
  }
  if (route.query) cases.push(validationCase(route.query, 'query'));
  if (route.params) cases.push(simpleCase('no_such_resource', 'The path names no resource', problem(404, 'No such resource')));
  if (route.bearer) cases.push(domainCase('invalid_token'));
  if (route.bearer && route.method !== 'get') cases.push(simpleCase('csrf_refused', 'Authenticated by the session cookie, without the X-CSRF-Token of the session or from an origin not allowed', problem(403, CSRF_REFUSAL_DETAIL)));
  for (const code of route.errors ?? []) cases.push(domainCase(code));
  if (route.rateLimited) {
    const limit = options.rateLimitPerMinute;
    cases.push(simpleCase('rate_limited', 'Over the per-client rate limit', problem(429, rateLimitDetail(limit, 30)), { 'Retry-After': RETRY_AFTER }));
    // Only the API reaches the stores that can fail.
    const unavailable = mapError(new ServiceUnavailable('database'));
    cases.push(
      simpleCase(
        'unavailable',
        'A dependency cannot serve now: the database or the rate-limit store is unreachable, or too many password hashes are queued',
        unavailable.body,
        { 'Retry-After': RETRY_AFTER },
      ),
    );
    cases.push(simpleCase('internal_error', 'An unexpected failure of ours, logged under the request id', mapError(new Error('example')).body));
  }
  return cases;
}

/** Headers every response of the route carries, beside its own. */
function commonHeaders(route: Route<never>, status: number): Record<string, HeaderObject | ReferenceObject> {
  const headers: Record<string, HeaderObject | ReferenceObject> = { 'X-Request-Id': headerRef('X-Request-Id') };
  // The limiter answers before anything can fail; a 503 of its own store and our 500s carry no budget.
  if (route.rateLimited && status !== 500 && status !== 503) for (const name of RATE_LIMIT_HEADERS) headers[name] = headerRef(name);
  return headers;
}

function failureResponses(route: Route<never>, options: OpenApiOptions): Record<string, ZodOpenApiResponseObject> {
  const byStatus = new Map<number, FailureCase[]>();
  for (const failure of failureCases(route, options)) byStatus.set(failure.body.status, [...(byStatus.get(failure.body.status) ?? []), failure]);
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, cases] of byStatus) {
    const headers = commonHeaders(route, status);
    // A header is required only when every case of the status sends it.
    for (const name of new Set(cases.flatMap((c) => Object.keys(c.headers)))) {
      const all = cases.every((c) => c.headers[name] !== undefined);
      const sent = cases.map((c) => c.headers[name]).filter((h): h is HeaderObject => h !== undefined);
      const first = sent[0]!;
      // One status, several values (401: an invalid token, or fresh authentication needed): any of them.
      const schemas = [...new Map(sent.map((h) => [JSON.stringify(h.schema), h.schema])).values()];
      const merged = schemas.length > 1 ? { ...first, description: sent.map((h) => h.description).filter((d, i, all) => all.indexOf(d) === i).join('; or '), schema: { anyOf: schemas } as HeaderObject['schema'] } : first;
      headers[name] = all ? merged : { ...merged, required: false };
    }
    responses[String(status)] = {
      description: cases.map((c) => c.summary).join('; or '),
      headers,
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: ProblemResponse,
          examples: Object.fromEntries(cases.map((c) => [c.name, { summary: c.summary, value: c.body }])),
        },
      },
    };
  }
  return responses;
}

function operation(route: Route<never>, options: OpenApiOptions): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = failureResponses(route, options);
  for (const [status, declared] of Object.entries(route.responses)) {
    const headers = commonHeaders(route, Number(status));
    if (route.noStore) headers['Cache-Control'] = headerRef('Cache-Control');
    for (const name of declared.headers ?? []) headers[wireName(name)] = headerRef(name);
    const content = declared.content && Object.fromEntries(Object.entries(declared.content).map(([type, schema]) => [type, schema ? { schema } : {}]));
    responses[status] = { description: declared.description, headers, ...(content ? { content } : {}) };
  }
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.bearer ? { security: BEARER_SECURITY } : {}),
    ...(route.query || route.params ? { requestParams: { ...(route.query ? { query: route.query } : {}), ...(route.params ? { path: route.params } : {}) } } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: Object.fromEntries(route.body.mediaTypes.map((type) => [type, { schema: route.body!.schema }])) } }
      : {}),
    responses,
  };
}

function paths(options: OpenApiOptions, tables: RouteTables): ZodOpenApiPathsObject {
  const result: ZodOpenApiPathsObject = {};
  for (const [prefix, routes] of tables) {
    for (const route of routes) {
      const path = `${prefix}${route.path}`;
      result[path] = { ...result[path], [route.method]: operation(route, options) };
    }
  }
  return result;
}

/** The document of every route the service mounts; `tables` replaces them, for a test of the builder itself. */
export function buildOpenApiDocument(options: OpenApiOptions, tables: RouteTables = TABLES): OpenAPIObject {
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Auth Service API',
        version: '1.0.0',
        description: [
          'Register, log in with the OAuth2 password grant, and manage the current user with a bearer JWT.',
          `Access tokens live ${options.accessTokenTtlSeconds} s. Every \`${API_PREFIX}\` request counts against its client IP: ${options.rateLimitPerMinute} per minute.`,
          'Every error is `application/problem+json` (RFC 9457).',
        ].join('\n\n'),
      },
      servers: [{ url: options.serverUrl ?? '/', description: 'This service, at the origin that serves this document', 'x-internal': false }],
      tags: [
        { name: 'auth', description: 'Registration and log-in' },
        { name: 'users', description: 'The current user' },
        { name: 'passkeys', description: "The current user's passkeys (WebAuthn); logging in with one is under auth" },
        { name: 'admin', description: 'Every account and the security history: superusers only (403 for anyone else)' },
        { name: 'webhooks', description: 'Signed event deliveries to other systems (Standard Webhooks): superusers only (403 for anyone else)' },
        { name: 'health', description: 'Liveness and readiness probes and metrics; not rate limited' },
        { name: 'documentation', description: 'This document and its viewers; not rate limited' },
        { name: 'keys', description: 'Public keys for services that verify our access tokens; not rate limited' },
      ],
      paths: paths(options, tables),
      components: {
        headers: componentHeaders(options),
        securitySchemes: {
          OAuth2PasswordBearer: {
            type: 'oauth2',
            description: 'Log in with a username (or email) and password; the token is sent as a bearer token. JWTs follow RFC8725: the algorithm is pinned, and exp, iss and aud are required.',
            flows: { password: { tokenUrl: `${API_PREFIX}/auth/login`, refreshUrl: `${API_PREFIX}/auth/refresh`, scopes: {} } },
          },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `An access token from POST ${API_PREFIX}/auth/login; a JWT handled as RFC8725 recommends` },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-auth_session',
            description: `The browser session of the service's pages (\`auth_session\` in development over http on localhost), for browser apps on an origin in PUBLIC_URL or CORS_ORIGINS. Unsafe methods also need the session's \`X-CSRF-Token\` from GET ${API_PREFIX}/auth/csrf.`,
          },
        },
      },
    },
    { outputIdSuffix: 'Response' },
  );
  return deepFreeze(document as unknown as OpenAPIObject);
}

const serialized = new WeakMap<OpenAPIObject, string>();

/** The document as compact JSON, computed once per document: it is served on every `GET /openapi.json`. */
export function openApiJson(document: OpenAPIObject): string {
  let json = serialized.get(document);
  if (json === undefined) {
    json = JSON.stringify(document);
    serialized.set(document, json);
  }
  return json;
}

// Frozen, so the cached JSON cannot drift from the object.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
