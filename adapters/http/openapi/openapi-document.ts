import {
  OpenApiBuilder,
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ReferenceObject,
  type ResponseObject,
  type ResponsesObject,
  type SecurityRequirementObject,
} from 'openapi3-ts/oas31';
import {
  LivenessResponse,
  LoginRequest,
  NotReadyProblem,
  ProblemResponse,
  ReadinessResponse,
  RefreshRequest,
  RegisterRequest,
  SessionListResponse,
  SessionResponse,
  TokenResponse,
  UpdateUserRequest,
  UserResponse,
} from '../schemas.js';
import { DOCS_ASSET_NAMES } from './docs-assets.js';
import { schemaRef, zodComponents } from './zod-components.js';

export interface OpenApiOptions {
  readonly rateLimitPerMinute: number;
  readonly accessTokenTtlSeconds: number;
  /** Absent: the document's own origin, which is what Swagger UI and ReDoc served by us need. */
  readonly serverUrl?: string;
}

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';
const USER_SECURITY: SecurityRequirementObject[] = [{ OAuth2PasswordBearer: [] }, { bearer: [] }];

const ref = (kind: 'headers' | 'responses', name: string): ReferenceObject => ({ $ref: `#/components/${kind}/${name}` });
const requestId = { 'X-Request-Id': ref('headers', 'X-Request-Id') };
const rateLimitHeaders = {
  ...requestId,
  'RateLimit-Limit': ref('headers', 'RateLimit-Limit'),
  'RateLimit-Remaining': ref('headers', 'RateLimit-Remaining'),
  'RateLimit-Reset': ref('headers', 'RateLimit-Reset'),
};

function header(description: string, schema: HeaderObject['schema'], example: unknown): HeaderObject {
  return { description, required: true, schema, example };
}

function problemResponse(description: string, example: object, headers: Record<string, ReferenceObject> = rateLimitHeaders): ResponseObject {
  return { description, headers, content: { [PROBLEM_TYPE]: { schema: schemaRef('Problem'), example } } };
}

function problemExample(status: number, title: string, detail: string, extra: object = {}): object {
  return { type: 'about:blank', title, status, detail, ...extra };
}

function jsonResponse(description: string, schemaId: string, example: unknown, headers: Record<string, ReferenceObject> = rateLimitHeaders): ResponseObject {
  return { description, headers, content: { [JSON_TYPE]: { schema: schemaRef(schemaId), example } } };
}

/** What every `/api/v1` operation can answer besides its own outcomes: the rate limiter and our own failures. */
function apiResponses(own: ResponsesObject): ResponsesObject {
  return { ...own, '429': ref('responses', 'TooManyRequests'), '500': ref('responses', 'InternalError'), '503': ref('responses', 'ServiceUnavailable') };
}

const bodyResponses = {
  '400': ref('responses', 'MalformedBody'),
  '413': ref('responses', 'PayloadTooLarge'),
  '415': ref('responses', 'UnsupportedMediaType'),
  '422': ref('responses', 'ValidationFailed'),
};

/** Public members only: a private (`d`, `p`, `q`…) or symmetric (`k`) member can never appear. */
const JWKS_SCHEMA = {
  type: 'object',
  required: ['keys'],
  additionalProperties: false,
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'kid', 'alg', 'use'],
        additionalProperties: false,
        properties: {
          kty: { type: 'string', enum: ['OKP', 'EC', 'RSA'] },
          kid: { type: 'string', description: 'RFC 7638 thumbprint of the key' },
          alg: { type: 'string', enum: ['EdDSA', 'ES256', 'RS256'] },
          use: { type: 'string', const: 'sig' },
          crv: { type: 'string', enum: ['Ed25519', 'P-256'] },
          x: { type: 'string' },
          y: { type: 'string' },
          n: { type: 'string' },
          e: { type: 'string' },
        },
      },
    },
  },
} as const;

const jwkExample = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k', alg: 'EdDSA', use: 'sig' };

const userExample = {
  id: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f',
  email: 'user@example.com',
  username: 'johndoe',
  is_active: true,
  created_at: '2026-11-24T10:00:00.000Z',
  updated_at: '2026-11-24T10:00:00.000Z',
};

const sessionExample = {
  id: '0193b6c2-8a1f-7b3c-9d2e-4f5a6b7c8d9e',
  created_at: '2026-11-24T10:00:00.000Z',
  last_used_at: '2026-11-24T10:25:00.000Z',
  expires_at: '2026-12-08T10:25:00.000Z',
  user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
  ip: '203.0.113.7',
  current: true,
};

function operations(options: OpenApiOptions): Record<string, Record<string, OperationObject>> {
  const userOk = jsonResponse('The current user', 'User', userExample);
  const tokenOk = jsonResponse(
    'An access token and the refresh token that renews it',
    'Token',
    {
      access_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
      token_type: 'bearer',
      expires_in: options.accessTokenTtlSeconds,
      refresh_token: 'q0X4o4mYc1m5dCkW8q9pQnq6b6m3yO5v0JtN2rS7uWk',
      refresh_expires_in: 1_209_600,
    },
    { ...rateLimitHeaders, 'Cache-Control': ref('headers', 'Cache-Control'), Pragma: ref('headers', 'Pragma') },
  );
  const html = (description: string): ResponsesObject => ({
    '200': { description, headers: requestId, content: { 'text/html': { schema: { type: 'string' } } } },
  });
  return {
    '/api/v1/auth/register': {
      post: {
        operationId: 'registerUser',
        tags: ['auth'],
        summary: 'Register a new user',
        requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('RegisterRequest') } } },
        responses: apiResponses({
          '201': jsonResponse('The user was created', 'User', userExample, { ...rateLimitHeaders, Location: ref('headers', 'Location') }),
          ...bodyResponses,
          '409': problemResponse('The email or the username is taken; the detail says which', problemExample(409, 'Conflict', 'Email already registered')),
        }),
      },
    },
    '/api/v1/auth/login': {
      post: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: 'Log in with the OAuth2 password grant',
        description: 'Form fields as RFC 6749 §4.3 has them, or the same fields as JSON. `username` may be the username or the email.',
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: schemaRef('LoginRequest') }, [JSON_TYPE]: { schema: schemaRef('LoginRequest') } },
        },
        responses: apiResponses({
          '200': tokenOk,
          ...bodyResponses,
          '401': problemResponse('Wrong password or unknown user, told apart by nothing', problemExample(401, 'Unauthorized', 'Incorrect username or password'), {
            ...rateLimitHeaders,
            'WWW-Authenticate': ref('headers', 'WWW-Authenticate-Login'),
          }),
          '403': problemResponse('The account is inactive', problemExample(403, 'Forbidden', 'Account is inactive')),
          '429': problemResponse(
            'Over the per-client rate limit, or too many failed log-ins for this account (from anywhere, or from this address)',
            problemExample(429, 'Too Many Requests', 'Too many failed log-in attempts, try again in 300 s'),
            { ...rateLimitHeaders, 'Retry-After': ref('headers', 'Retry-After') },
          ),
        }),
      },
    },
    '/api/v1/auth/refresh': {
      post: {
        operationId: 'refreshSession',
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair (RFC 6749 §6)',
        description:
          'The refresh token is single use: the answer carries its successor. Presenting a refresh token that was already used ends the whole session, for whoever holds its tokens.',
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: schemaRef('RefreshRequest') }, [JSON_TYPE]: { schema: schemaRef('RefreshRequest') } },
        },
        responses: apiResponses({
          '200': tokenOk,
          ...bodyResponses,
          '400': problemResponse(
            'The body is not valid JSON or form data, or the refresh token is unknown, expired, revoked or already used (`error: invalid_grant`)',
            problemExample(400, 'Bad Request', 'Refresh token is invalid, expired or revoked', { error: 'invalid_grant' }),
          ),
        }),
      },
    },
    '/api/v1/auth/logout': {
      post: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'End the current session, or every session of the user',
        description: 'The access and refresh tokens of the ended sessions are refused at once, on every instance.',
        security: USER_SECURITY,
        parameters: [{ name: 'scope', in: 'query', required: false, schema: { type: 'string', enum: ['current', 'all'], default: 'current' } }],
        responses: apiResponses({
          '204': { description: 'Logged out', headers: rateLimitHeaders },
          '401': ref('responses', 'InvalidToken'),
          '422': ref('responses', 'ValidationFailed'),
        }),
      },
    },
    '/api/v1/users/me/sessions': {
      get: {
        operationId: 'listSessions',
        tags: ['users'],
        summary: "The current user's open sessions, newest first",
        security: USER_SECURITY,
        responses: apiResponses({
          '200': jsonResponse('Open sessions', 'SessionList', [sessionExample]),
          '401': ref('responses', 'InvalidToken'),
        }),
      },
    },
    '/api/v1/users/me/sessions/{id}': {
      delete: {
        operationId: 'endSession',
        tags: ['users'],
        summary: 'End one session of the current user',
        security: USER_SECURITY,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: apiResponses({
          '204': { description: 'The session is ended', headers: rateLimitHeaders },
          '401': ref('responses', 'InvalidToken'),
          '404': problemResponse('The user has no open session with that id', problemExample(404, 'Not Found', 'No such session')),
        }),
      },
    },
    '/api/v1/users/me': {
      get: {
        operationId: 'getCurrentUser',
        tags: ['users'],
        summary: 'The user the token belongs to',
        security: USER_SECURITY,
        responses: apiResponses({ '200': userOk, '401': ref('responses', 'InvalidToken') }),
      },
      put: {
        operationId: 'updateCurrentUser',
        tags: ['users'],
        summary: 'Change the email, username or password',
        description: 'A password change needs `current_password` and refuses every token issued before it.',
        security: USER_SECURITY,
        requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('UpdateUserRequest') } } },
        responses: apiResponses({
          '200': jsonResponse('The updated user', 'User', userExample),
          ...bodyResponses,
          '401': ref('responses', 'InvalidToken'),
          '403': problemResponse('current_password is wrong', problemExample(403, 'Forbidden', 'Current password is incorrect')),
          '409': problemResponse('The email or the username is taken; the detail says which', problemExample(409, 'Conflict', 'Username already taken')),
        }),
      },
      delete: {
        operationId: 'deleteCurrentUser',
        tags: ['users'],
        summary: 'Delete the account',
        description: 'Every token of the user is refused afterwards; the email and the username are free again.',
        security: USER_SECURITY,
        responses: apiResponses({ '204': { description: 'The account is gone', headers: rateLimitHeaders }, '401': ref('responses', 'InvalidToken') }),
      },
    },
    '/health/live': {
      get: {
        operationId: 'checkLiveness',
        tags: ['health'],
        summary: 'The process answers',
        responses: { '200': jsonResponse('Alive', 'Liveness', { status: 'ok' }, requestId) },
      },
    },
    '/health/ready': {
      get: {
        operationId: 'checkReadiness',
        tags: ['health'],
        summary: 'The database and the rate-limit store answer',
        responses: {
          '200': jsonResponse('Ready', 'Readiness', { status: 'ok', checks: { database: 'ok', rate_limiter: 'ok' } }, requestId),
          '503': {
            description: 'A dependency did not answer in time, or the service is shutting down',
            headers: requestId,
            content: {
              [PROBLEM_TYPE]: {
                schema: schemaRef('NotReadyProblem'),
                example: problemExample(503, 'Service Unavailable', 'Not ready: database unavailable', { checks: { database: 'unavailable', rate_limiter: 'ok' } }),
              },
            },
          },
        },
      },
    },
    '/.well-known/jwks.json': {
      get: {
        operationId: 'getJsonWebKeySet',
        tags: ['keys'],
        summary: 'Public keys that verify access tokens',
        description: [
          'RFC 7517 JWK Set of the current signing key and the keys it replaced, each with `kid`, `alg` and `use: "sig"`.',
          'Pick the key by the token header `kid`. Empty when tokens are signed with an HMAC secret (`HS256`, `HS384`, `HS512`), which is never published.',
        ].join(' '),
        responses: {
          '200': {
            description: 'The key set',
            headers: { ...requestId, 'Cache-Control': ref('headers', 'Cache-Control-Jwks') },
            content: { [JSON_TYPE]: { schema: JWKS_SCHEMA, example: { keys: [jwkExample] } } },
          },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        tags: ['health'],
        summary: 'Prometheus metrics',
        description: [
          'The Prometheus text exposition format 0.0.4: `http_request_duration_seconds` by method, matched route and status;',
          '`auth_logins_total` by outcome; `rate_limit_decisions_total` by decision; `password_hash_queue_depth` and',
          '`password_hash_in_progress`; `db_pool_connections_in_use` and `db_pool_waiting_requests` on PostgreSQL;',
          'and the default process metrics. Not rate limited. Served on this port only when `METRICS_TOKEN` is set, and',
          'then to that bearer only; `METRICS_PORT` serves it on a listener of its own instead.',
        ].join(' '),
        responses: {
          '401': problemResponse('No bearer, or not the METRICS_TOKEN', problemExample(401, 'Unauthorized', 'Unauthorized'), { ...requestId, 'WWW-Authenticate': ref('headers', 'WWW-Authenticate-Login') }),
          '404': problemResponse('METRICS_TOKEN is unset: metrics are not served on this port', problemExample(404, 'Not Found', 'No such resource'), requestId),
          '200': {
            description: 'Every metric of this instance',
            headers: requestId,
            content: { 'text/plain': { schema: { type: 'string' }, example: 'auth_logins_total{outcome="success"} 42\n' } },
          },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['documentation'],
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1', headers: requestId, content: { [JSON_TYPE]: { schema: { type: 'object' } } } } },
      },
    },
    '/docs': { get: { operationId: 'swaggerUi', tags: ['documentation'], summary: 'Swagger UI', responses: html('Swagger UI page') } },
    '/redoc': { get: { operationId: 'redoc', tags: ['documentation'], summary: 'ReDoc', responses: html('ReDoc page') } },
    '/docs/assets/{file}': {
      get: {
        operationId: 'getDocsAsset',
        tags: ['documentation'],
        summary: 'Scripts, styles and images of the documentation pages',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', enum: [...DOCS_ASSET_NAMES] } }],
        responses: {
          '200': {
            description: 'The file',
            headers: requestId,
            content: { 'text/javascript': {}, 'text/css': {}, 'text/html': {}, 'image/png': {} },
          },
          '404': problemResponse('No such file', problemExample(404, 'Not Found', 'No such resource'), requestId),
        },
      },
    },
  };
}

function componentHeaders(options: OpenApiOptions): Record<string, HeaderObject> {
  const seconds = { type: 'integer', minimum: 0 } as const;
  return {
    'X-Request-Id': header("The caller's X-Request-Id when it is safe to log, else a new UUID", { type: 'string' }, '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f'),
    'RateLimit-Limit': header('Requests allowed per window for this client', seconds, options.rateLimitPerMinute),
    'RateLimit-Remaining': header('Requests left in the current window', seconds, options.rateLimitPerMinute - 1),
    'RateLimit-Reset': header('Seconds until the window resets', seconds, 60),
    'Retry-After': header('Seconds to wait before retrying', seconds, 30),
    Location: header('Where the new user can be read', { type: 'string', const: '/api/v1/users/me' }, '/api/v1/users/me'),
    'Cache-Control': header('Token responses are never cached (RFC 6749 §5.1)', { type: 'string', const: 'no-store' }, 'no-store'),
    'Cache-Control-Jwks': header('Verifiers may keep the key set five minutes', { type: 'string', const: 'public, max-age=300' }, 'public, max-age=300'),
    Pragma: header('For HTTP/1.0 caches (RFC 6749 §5.1)', { type: 'string', const: 'no-cache' }, 'no-cache'),
    'WWW-Authenticate-Login': header('RFC 6750 §3 challenge; no token was presented', { type: 'string', const: 'Bearer' }, 'Bearer'),
    'WWW-Authenticate-Token': header('RFC 6750 §3 challenge for a missing or refused token', { type: 'string', const: 'Bearer error="invalid_token"' }, 'Bearer error="invalid_token"'),
  };
}

function componentResponses(options: OpenApiOptions): Record<string, ResponseObject> {
  return {
    MalformedBody: problemResponse('The body is not valid JSON or form data', problemExample(400, 'Bad Request', 'Request body is not valid JSON or form data')),
    PayloadTooLarge: problemResponse('The body is over the size limit', problemExample(413, 'Payload Too Large', 'Request body must be at most 16384 bytes')),
    UnsupportedMediaType: problemResponse('The body has another media type', problemExample(415, 'Unsupported Media Type', 'Content-Type must be application/json')),
    ValidationFailed: problemResponse(
      'A field is missing or invalid, or the password is weak',
      problemExample(422, 'Unprocessable Entity', 'Request validation failed', { errors: [{ path: 'email', message: 'Must be a valid email address' }] }),
    ),
    InvalidToken: problemResponse('The token is missing, malformed, expired or revoked, or its user is gone', problemExample(401, 'Unauthorized', 'Not authenticated'), {
      ...rateLimitHeaders,
      'WWW-Authenticate': ref('headers', 'WWW-Authenticate-Token'),
    }),
    TooManyRequests: problemResponse('Over the per-client rate limit', problemExample(429, 'Too Many Requests', `Rate limit of ${options.rateLimitPerMinute} requests exceeded, retry in 30 s`), {
      ...rateLimitHeaders,
      'Retry-After': ref('headers', 'Retry-After'),
    }),
    // RateLimit-* are absent when the rate limiter itself refused (its store is down and configured to fail closed).
    ServiceUnavailable: problemResponse(
      'A dependency cannot serve now: the database or the rate-limit store is unreachable, or too many password hashes are queued',
      problemExample(503, 'Service Unavailable', 'The service is temporarily unavailable, try again shortly'),
      { ...requestId, 'Retry-After': ref('headers', 'Retry-After') },
    ),
    InternalError: problemResponse('An unexpected failure of ours, logged under the request id', problemExample(500, 'Internal Server Error', 'An unexpected error occurred'), requestId),
  };
}

export function buildOpenApiDocument(options: OpenApiOptions): OpenAPIObject {
  const builder = OpenApiBuilder.create({
    openapi: '3.1.0',
    info: {
      title: 'Auth Service API',
      version: '1.0.0',
      description: [
        'Register, log in with the OAuth2 password grant, and manage the current user with a bearer JWT.',
        `Access tokens live ${options.accessTokenTtlSeconds} s. Every \`/api/v1\` request counts against its client IP: ${options.rateLimitPerMinute} per minute.`,
        'Every error is `application/problem+json` (RFC 9457).',
      ].join('\n\n'),
    },
    paths: {},
    components: {
      schemas: zodComponents([
        { schema: RegisterRequest, io: 'input' },
        { schema: LoginRequest, io: 'input' },
        { schema: UpdateUserRequest, io: 'input' },
        { schema: UserResponse, io: 'output' },
        { schema: TokenResponse, io: 'output' },
        { schema: RefreshRequest, io: 'input' },
        { schema: SessionResponse, io: 'output' },
        { schema: SessionListResponse, io: 'output' },
        { schema: ProblemResponse, io: 'output' },
        { schema: NotReadyProblem, io: 'output' },
        { schema: LivenessResponse, io: 'output' },
        { schema: ReadinessResponse, io: 'output' },
      ]),
      headers: componentHeaders(options),
      responses: componentResponses(options),
      securitySchemes: {
        OAuth2PasswordBearer: {
          type: 'oauth2',
          description: 'Log in with a username (or email) and password; the token is sent as a bearer token.',
          flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } },
        },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /api/v1/auth/login' },
      },
    },
  });
  if (options.serverUrl !== undefined) builder.addServer({ url: options.serverUrl });
  builder
    .addTag({ name: 'auth', description: 'Registration and log-in' })
    .addTag({ name: 'users', description: 'The current user' })
    .addTag({ name: 'health', description: 'Liveness and readiness probes and metrics; not rate limited' })
    .addTag({ name: 'documentation', description: 'This document and its viewers; not rate limited' })
    .addTag({ name: 'keys', description: 'Public keys for services that verify our access tokens; not rate limited' });
  for (const [path, item] of Object.entries(operations(options))) builder.addPath(path, item);
  return deepFreeze(builder.getSpec());
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
