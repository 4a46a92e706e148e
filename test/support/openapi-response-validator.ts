import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AssertionError } from 'chai';
import type { HeaderObject, OpenAPIObject, OperationObject, ReferenceObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { buildOpenApiDocument } from '../../adapters/http/openapi/openapi-document.js';
import { DEFAULT_DOCUMENT_OPTIONS } from '../../scripts/write-openapi.js';

export interface HttpExchange {
  readonly method: string;
  /** The request path, with or without a query string; a full URL is accepted too. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, text, or undefined/empty for no body. */
  readonly body: unknown;
}

// ajv-formats is CommonJS: under NodeNext the default import is its module object, the plugin is `.default`.
const addFormats = addFormatsModule.default;
// Only a name for ajv's registry; nothing is fetched.
const DEFS_ID = 'https://openapi.invalid/components';

/** Answers the routers give for any path or method, which no operation can document (unknown path, wrong method). */
const ROUTER_FALLBACK_STATUSES = new Set([404, 405, 501]);

interface Validator {
  readonly document: OpenAPIObject;
  readonly ajv: Ajv2020;
  readonly cache: Map<string, ValidateFunction>;
  readonly templates: readonly { template: string; pattern: RegExp }[];
}

const validators = new WeakMap<OpenAPIObject, Validator>();
let defaultDocument: OpenAPIObject | undefined;

function createValidator(document: OpenAPIObject): Validator {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // An annotation for form fillers, not a constraint.
  ajv.addFormat('password', true);
  ajv.addSchema({ $id: DEFS_ID, $defs: rewriteRefs(document.components?.schemas ?? {}) });
  const templates = Object.keys(document.paths ?? {})
    // Literal paths before templated ones, as routers match them.
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
    .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  return { document, ajv, cache: new Map(), templates };
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' ? [key, inner.replace('#/components/schemas/', `${DEFS_ID}#/$defs/`)] : [key, rewriteRefs(inner)],
    ),
  );
}

function resolve<T>(document: OpenAPIObject, value: T | ReferenceObject): T {
  if (typeof value === 'object' && value !== null && '$ref' in value && typeof value.$ref === 'string') {
    const target = value.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], document);
    if (target === undefined) throw new Error(`Unresolvable $ref ${value.$ref}`);
    return target as T;
  }
  return value as T;
}

function fail(exchange: HttpExchange, message: string, body?: unknown): never {
  const shown = body === undefined ? '' : `\n  body: ${JSON.stringify(body)?.slice(0, 500)}`;
  throw new AssertionError(`${exchange.method.toUpperCase()} ${exchange.path} -> ${exchange.status}: ${message}${shown}`);
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || body === '';
}

function compiled(validator: Validator, key: string, schema: object): ValidateFunction {
  let validate = validator.cache.get(key);
  if (!validate) {
    validate = validator.ajv.compile(rewriteRefs(schema) as object);
    validator.cache.set(key, validate);
  }
  return validate;
}

function validatorFor(document: OpenAPIObject): Validator {
  let validator = validators.get(document);
  if (!validator) {
    validator = createValidator(document);
    validators.set(document, validator);
  }
  return validator;
}

/**
 * Asserts that a response is one the OpenAPI document declares: a documented status for the operation, a body
 * that matches the schema of its media type, and every required header present with a value its schema allows.
 */
export function assertResponseMatchesDocument(exchange: HttpExchange, document?: OpenAPIObject): void {
  // The options only change examples and prose, never a schema.
  const validator = validatorFor(document ?? (defaultDocument ??= buildOpenApiDocument(DEFAULT_DOCUMENT_OPTIONS)));
  const method = exchange.method.toLowerCase();
  const path = new URL(exchange.path, 'http://localhost').pathname;
  const template = validator.templates.find((t) => t.pattern.test(path))?.template;
  // HEAD is answered by the GET route, without a body.
  const operationMethod = method === 'head' ? 'get' : method;
  const operation = template ? (validator.document.paths?.[template] as Record<string, OperationObject> | undefined)?.[operationMethod] : undefined;

  if (!operation) {
    if (!ROUTER_FALLBACK_STATUSES.has(exchange.status)) fail(exchange, `no operation is documented for ${method.toUpperCase()} ${path}`);
    if (!isEmpty(exchange.body) && !exchange.headers.get('content-type')?.startsWith('application/problem+json')) {
      fail(exchange, 'an undocumented route must answer with application/problem+json');
    }
    return;
  }

  const name = `${operation.operationId ?? `${operationMethod} ${template}`}`;
  const declared = operation.responses?.[String(exchange.status)] as ResponseObject | ReferenceObject | undefined;
  if (!declared) fail(exchange, `status ${exchange.status} is not declared for ${name} (declared: ${Object.keys(operation.responses ?? {}).join(', ')})`, exchange.body);
  const response = resolve<ResponseObject>(validator.document, declared);

  for (const [headerName, headerOrRef] of Object.entries(response.headers ?? {})) {
    const header = resolve<HeaderObject>(validator.document, headerOrRef);
    const value = exchange.headers.get(headerName);
    if (value === null) {
      if (header.required) fail(exchange, `required header ${headerName} is missing (${name})`);
      continue;
    }
    const schema = header.schema && resolve<SchemaObject>(validator.document, header.schema);
    const typed = schema?.type === 'integer' || schema?.type === 'number' ? Number(value) : value;
    if (schema && !compiled(validator, `header ${name} ${exchange.status} ${headerName}`, schema)(typed)) {
      fail(exchange, `header ${headerName}: ${JSON.stringify(value)} does not match ${JSON.stringify(schema)} (${name})`);
    }
  }

  const content = response.content ?? {};
  if (method === 'head' || (Object.keys(content).length === 0 && isEmpty(exchange.body))) return;
  if (Object.keys(content).length === 0) fail(exchange, `${name} declares no body for ${exchange.status}`, exchange.body);

  const mediaType = exchange.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  const media = content[mediaType];
  if (!media) fail(exchange, `content type ${JSON.stringify(mediaType)} is not declared (declared: ${Object.keys(content).join(', ')}) for ${name}`);
  if (!media.schema) return;

  const validate = compiled(validator, `body ${name} ${exchange.status} ${mediaType}`, media.schema);
  const body = typeof exchange.body === 'string' && mediaType.endsWith('json') ? JSON.parse(exchange.body) : exchange.body;
  if (!validate(body)) fail(exchange, `body does not match the ${mediaType} schema of ${name}: ${validator.ajv.errorsText(validate.errors)}`, body);
}
