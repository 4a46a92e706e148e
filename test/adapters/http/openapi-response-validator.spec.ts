import { AssertionError, expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { assertResponseMatchesDocument, type HttpExchange } from '../../support/openapi-response-validator.js';

const user = {
  id: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f',
  email: 'user@example.com',
  username: 'johndoe',
  is_active: true,
  is_superuser: false,
  mfa_enabled: false,
  is_verified: false,
  created_at: '2026-11-24T10:00:00.000Z',
  updated_at: '2026-11-24T10:00:00.000Z',
};
const limitHeaders = { 'X-Request-Id': 'abc', 'RateLimit-Limit': '60', 'RateLimit-Remaining': '59', 'RateLimit-Reset': '60', 'Cache-Control': 'no-store' };

function exchange(overrides: Partial<HttpExchange> & { headers?: Headers }): HttpExchange {
  return {
    method: 'GET',
    path: '/api/v1/users/me',
    status: 200,
    headers: new Headers({ ...limitHeaders, 'Content-Type': 'application/json; charset=utf-8' }),
    body: user,
    ...overrides,
  };
}

async function send(server: TestServer, method: string, path: string, init: RequestInit = {}): Promise<HttpExchange> {
  const response = await fetch(`${server.url}${path}`, { method, ...init });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
  return { method, path, status: response.status, headers: response.headers, body };
}

describe('assertResponseMatchesDocument', () => {
  it('accepts a response the document declares', () => {
    assertResponseMatchesDocument(exchange({ path: '/api/v1/users/me?expand=none' }));
  });

  it('refuses a body that does not match the schema, naming the operation and the field', () => {
    const leaky: Record<string, unknown> = { ...user, password_hash: 'x' };
    delete leaky.email;
    expect(() => assertResponseMatchesDocument(exchange({ body: leaky })))
      .to.throw(AssertionError, /getCurrentUser.*must have required property 'email'/);
  });

  it('refuses a status the operation does not declare', () => {
    expect(() => assertResponseMatchesDocument(exchange({ status: 418 }))).to.throw(AssertionError, /status 418 is not declared for getCurrentUser/);
  });

  it('refuses a response without a required header', () => {
    const headers = new Headers({ ...limitHeaders, 'Content-Type': 'application/problem+json' });
    const body = { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Not authenticated' };
    expect(() => assertResponseMatchesDocument(exchange({ status: 401, headers, body }))).to.throw(AssertionError, /required header WWW-Authenticate is missing/);
  });

  it('refuses a content type the response does not declare', () => {
    expect(() => assertResponseMatchesDocument(exchange({ headers: new Headers({ ...limitHeaders, 'Content-Type': 'text/plain' }) }))).to.throw(
      AssertionError,
      /content type "text\/plain" is not declared/,
    );
  });

  it('refuses an operation the document does not know', () => {
    expect(() => assertResponseMatchesDocument(exchange({ method: 'PUT', path: '/api/v1/auth/register', status: 200 }))).to.throw(AssertionError, /no operation is documented for PUT/);
  });

  describe('against the running service', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer();
    });
    after(() => server.close());

    it('accepts what the service answers', async () => {
      const account = { email: 'validator@example.com', username: 'validator', password: 'violet-Harbor-93-quartz' };
      const exchanges = [
        await send(server, 'POST', '/api/v1/auth/register', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(account) }),
        await send(server, 'POST', '/api/v1/auth/register', { headers: { 'Content-Type': 'text/plain' }, body: 'hello' }),
        await send(server, 'POST', '/api/v1/auth/register', { headers: { 'Content-Type': 'application/json' }, body: '{' }),
        await send(server, 'POST', '/api/v1/auth/register', { headers: { 'Content-Type': 'application/json' }, body: '{}' }),
        await send(server, 'POST', '/api/v1/auth/login', { body: new URLSearchParams({ username: 'validator', password: 'wrong' }) }),
        await send(server, 'GET', '/api/v1/users/me'),
        await send(server, 'PUT', '/api/v1/auth/register'),
        await send(server, 'GET', '/api/v1/nowhere'),
        await send(server, 'GET', '/health/live'),
        await send(server, 'GET', '/health/ready'),
        await send(server, 'GET', '/openapi.json'),
        await send(server, 'GET', '/docs'),
        await send(server, 'GET', '/docs/assets/swagger-ui.css'),
        await send(server, 'GET', '/docs/assets/..%2Fpackage.json'),
      ];
      expect(exchanges.map((e) => e.status)).to.deep.equal([201, 415, 400, 422, 401, 401, 405, 404, 200, 200, 200, 200, 200, 404]);
      for (const e of exchanges) assertResponseMatchesDocument(e);
    });
  });
});
