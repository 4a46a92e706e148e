import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { HeaderObject, OperationObject, ReferenceObject, ResponseObject } from 'openapi3-ts/oas31';
import { z } from 'zod';
import { createRouter } from '../../../adapters/http/create-http-app.js';
import { buildOpenApiDocument, openApiJson } from '../../../adapters/http/openapi/openapi-document.js';
import { UserResponse } from '../../../adapters/http/schemas.js';
import { DEFAULT_DOCUMENT_OPTIONS, OPENAPI_FILE, renderOpenApiFile } from '../../../scripts/write-openapi.js';
import { assertResponseMatchesDocument } from '../../support/openapi-response-validator.js';

const document = buildOpenApiDocument(DEFAULT_DOCUMENT_OPTIONS);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `METHOD /path/{param}` for every route the app mounts, with every optional table present. */
function routedOperations(): string[] {
  // The router is only walked, never run, so the dependencies can be absent.
  const none = {} as never;
  const router: Router = createRouter(
    { ...(none as object), readinessChecks: [], metrics: none, metricsBearerToken: 'token', docs: none, jwks: none } as never,
    { bodyLimitBytes: 1024, readinessTimeoutMs: 1, isShuttingDown: () => false },
  );
  return router.stack.flatMap((layer) =>
    layer.methods
      // Koa's router answers HEAD with the GET route; the document describes the GET.
      .filter((method) => method !== 'HEAD')
      .map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
  );
}

function documentedOperations(): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

function resolve<T>(value: T | ReferenceObject): T {
  if (typeof value === 'object' && value !== null && '$ref' in value) {
    return value.$ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], document) as T;
  }
  return value as T;
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(openApiJson(document)) as Record<string, unknown>);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('documents every route the app mounts, and no other', () => {
    expect(documentedOperations().sort()).to.deep.equal(routedOperations().sort());
  });

  it('takes its component schemas from the zod schemas', () => {
    const generated = z.toJSONSchema(UserResponse, { target: 'draft-2020-12', io: 'output' }) as { $defs: Record<string, unknown> };
    expect(document.components?.schemas?.User).to.deep.equal(generated.$defs.User);
  });

  it('declares an operationId, a tag and a summary on every operation', () => {
    const operations = Object.values(document.paths ?? {}).flatMap((item) => METHODS.map((m) => item[m]).filter((o): o is OperationObject => o !== undefined));
    for (const operation of operations) {
      expect(operation.operationId, JSON.stringify(operation.summary)).to.be.a('string');
      expect(operation.tags).to.have.length(1);
      expect(operation.summary).to.be.a('string');
    }
    expect(new Set(operations.map((o) => o.operationId)).size).to.equal(operations.length);
  });

  it('gives examples that are responses the document itself accepts', () => {
    let checked = 0;
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        for (const [status, declared] of Object.entries(item[method]?.responses ?? {})) {
          const response = resolve<ResponseObject>(declared as ResponseObject);
          const headers = new Headers();
          for (const [name, header] of Object.entries(response.headers ?? {})) headers.set(name, String(resolve<HeaderObject>(header).example));
          for (const [mediaType, media] of Object.entries(response.content ?? {})) {
            const examples = [media.example, ...Object.values(media.examples ?? {}).map((e) => (e as { value: unknown }).value)].filter((e) => e !== undefined);
            headers.set('Content-Type', mediaType);
            const concretePath = path.replace('{file}', 'swagger-ui.css').replace('{id}', '0193b6c2-8a1f-7b3c-9d2e-4f5a6b7c8d9e');
            for (const example of examples) {
              assertResponseMatchesDocument({ method, path: concretePath, status: Number(status), headers, body: example }, document);
              checked += 1;
            }
          }
        }
      }
    }
    expect(checked).to.be.greaterThan(20);
  });

  it('tells generated clients what the server enforces', () => {
    const schemas = document.components?.schemas as Record<string, { properties?: Record<string, Record<string, unknown>>; [key: string]: unknown }>;
    // A form built from the document must refuse what the server refuses.
    expect(schemas.RegisterRequest!.properties!.password!.minLength).to.equal(8);
    expect(schemas.UpdateUserRequest!.properties!.password!.minLength).to.equal(8);
    expect(schemas.UpdateUserRequest!.dependentRequired).to.deep.equal({ code: ['current_password'] });
    const oauth = document.components?.securitySchemes?.OAuth2PasswordBearer as { flows: { password: { tokenUrl: string; refreshUrl?: string } } };
    expect(oauth.flows.password).to.deep.include({ tokenUrl: '/api/v1/auth/login', refreshUrl: '/api/v1/auth/refresh' });
    const endSession = document.paths?.['/api/v1/users/me/sessions/{id}']?.delete;
    expect((endSession?.parameters?.[0] as { schema: { format: string } }).schema.format).to.equal('uuid');
    expect(document.servers).to.have.length.greaterThan(0);
    // RFC 9457 §6.2: extension members are allowed.
    expect(schemas.Problem!.additionalProperties).not.to.equal(false);
    const ready = document.paths?.['/health/ready']?.get?.responses?.['503'] as { content: Record<string, { schema: { $ref: string } }> };
    const notReady = resolve<{ properties: Record<string, { const?: number }> }>(ready.content['application/problem+json']!.schema as never);
    expect(Object.keys(notReady.properties)).not.to.include('errors');
    expect(notReady.properties.status!.const).to.equal(503);
  });

  it('names in each 415 example the media types that route takes', () => {
    const mediaTypesIn415 = (path: string, method: 'post' | 'put') => {
      const response = resolve<ResponseObject>(document.paths?.[path]?.[method]?.responses?.['415'] as ResponseObject);
      const examples = Object.values(response.content?.['application/problem+json']?.examples ?? {}) as { value: { detail: string } }[];
      return examples.map((e) => e.value.detail);
    };
    expect(mediaTypesIn415('/api/v1/auth/login', 'post')).to.deep.equal(['Content-Type must be application/x-www-form-urlencoded or application/json']);
    expect(mediaTypesIn415('/api/v1/auth/refresh', 'post')).to.deep.equal(['Content-Type must be application/x-www-form-urlencoded or application/json']);
    expect(mediaTypesIn415('/api/v1/users/me', 'put')).to.deep.equal(['Content-Type must be application/json']);
  });

  it('bounds every string and array a client can send (what OWASP API4 asks, for requests)', () => {
    const unbounded: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      const node = resolve<Record<string, unknown>>(schema as Record<string, unknown>);
      if (typeof node !== 'object' || node === null) return;
      if (node.type === 'string' && node.maxLength === undefined && node.enum === undefined && node.const === undefined) unbounded.push(where);
      if (node.type === 'array' && node.maxItems === undefined) unbounded.push(where);
      for (const [key, inner] of Object.entries(node.properties ?? {})) walk(inner, `${where}.${key}`);
      for (const key of ['items', 'additionalProperties'] as const) if (node[key] !== undefined) walk(node[key], `${where}.${key}`);
      for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const inner of (node[key] as unknown[] | undefined) ?? []) walk(inner, `${where}.${key}`);
    };
    let walked = 0;
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        for (const parameter of operation.parameters ?? []) walk(resolve<{ schema?: unknown; name: string }>(parameter as { name: string }).schema, `${method} ${path} ${(parameter as { name: string }).name}`);
        const body = operation.requestBody && resolve<{ content: Record<string, { schema?: unknown }> }>(operation.requestBody as never);
        for (const [type, media] of Object.entries(body?.content ?? {})) {
          walk(media.schema, `${method} ${path} ${type}`);
          walked += 1;
        }
      }
    }
    expect(walked).to.be.greaterThan(5);
    expect(unbounded).to.deep.equal([]);
  });

  it('is serialized once, as the JSON it is', () => {
    expect(openApiJson(document)).to.equal(openApiJson(document)).and.to.equal(JSON.stringify(document));
    expect(Object.isFrozen(document.paths)).to.equal(true);
  });

  it('matches the committed openapi.json', () => {
    let committed = '';
    try {
      committed = readFileSync(OPENAPI_FILE, 'utf8');
    } catch {
      // A missing file is reported by the comparison below, with the same remedy.
    }
    expect(committed === renderOpenApiFile(), 'openapi.json is stale or missing: run `npm run openapi` and commit the result').to.equal(true);
  });
});
