import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { AssertionError, expect } from 'chai';
import Koa from 'koa';
import { EmailTaken } from '../../../domain/index.js';
import { bodyParserWithLimit } from '../../../adapters/http/middleware/body-parser.js';
import { requestFrame } from '../../../adapters/http/middleware/request-frame.js';
import { buildOpenApiDocument } from '../../../adapters/http/openapi/openapi-document.js';
import { apiRoutes } from '../../../adapters/http/routes/api-routes.js';
import { docsRoutes } from '../../../adapters/http/system/docs-routes.js';
import { healthRoutes } from '../../../adapters/http/system/health-routes.js';
import { jwksRoutes } from '../../../adapters/http/system/jwks-routes.js';
import { metricsRoutes } from '../../../adapters/http/system/metrics-routes.js';
import { routesFor, type Route } from '../../../adapters/http/routes/define-route.js';
import { mountRoutes } from '../../../adapters/http/routes/mount-routes.js';
import { DEFAULT_DOCUMENT_OPTIONS } from '../../../scripts/write-openapi.js';
import { assertResponseMatchesDocument } from '../../support/openapi-response-validator.js';

const defineRoute = routesFor<void>();
const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** A route that raises `email_taken`, declaring it or not. */
function conflicting(declared: boolean): Route<void> {
  return defineRoute({
    method: 'post',
    path: '/conflict',
    operationId: 'conflict',
    tag: 'spec',
    summary: 'Always a conflict',
    bearer: false,
    rateLimited: false,
    responses: { 204: { description: 'Never' } },
    ...(declared ? { errors: ['email_taken'] as const } : {}),
    handle: () => {
      throw new EmailTaken();
    },
  });
}

async function answer(route: Route<void>) {
  const router = new Router({ sensitive: true, strict: true });
  mountRoutes(router, [route], undefined, { prefix: '', bodyParser: bodyParserWithLimit(1024) });
  const app = new Koa();
  app.silent = true;
  app.use(requestFrame({ logger: silent, hsts: false, isShuttingDown: () => false })).use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/conflict`, { method: 'POST' });
    return { method: 'POST', path: '/conflict', status: response.status, headers: response.headers, body: await response.json() };
  } finally {
    server.close();
  }
}

describe('Route table', () => {
  it('fails the response check when a handler answers a status its declaration does not list', async () => {
    const undeclared = conflicting(false);
    const exchange = await answer(undeclared);
    expect(exchange.status).to.equal(409);
    const document = buildOpenApiDocument(DEFAULT_DOCUMENT_OPTIONS, [['', [undeclared as Route<never>]]]);
    expect(() => assertResponseMatchesDocument(exchange, document)).to.throw(AssertionError, /status 409 is not declared for conflict/);
  });

  it('passes it once the route lists the domain error, whose status comes from the error mapping', async () => {
    const declared = conflicting(true);
    const document = buildOpenApiDocument(DEFAULT_DOCUMENT_OPTIONS, [['', [declared as Route<never>]]]);
    assertResponseMatchesDocument(await answer(declared), document);
  });

  it('declares rate limiting where the limiter counts: every /api/v1 route, and nothing outside it', () => {
    expect(apiRoutes.filter((route) => !route.rateLimited).map((route) => route.operationId)).to.deep.equal([]);
    const outside = [...healthRoutes, ...metricsRoutes, ...jwksRoutes, ...docsRoutes] as readonly Route<never>[];
    expect(outside.filter((route) => route.rateLimited).map((route) => route.operationId)).to.deep.equal([]);
  });

  it('gives every API route a unique operation id and a method and path of its own', () => {
    const ids = apiRoutes.map((route) => route.operationId);
    const endpoints = apiRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(new Set(endpoints).size).to.equal(endpoints.length);
  });
});
