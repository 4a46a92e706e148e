import { expect } from 'chai';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/http-client.js';
// Registers the check that every response matches the OpenAPI document, here as in the main HTTP suite.
import './http-api.suite.js';

const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
const ALLOWED = 'https://app.example.com';

function expectHardened(headers: Headers, csp = JSON_CSP): void {
  expect(headers.get('x-content-type-options')).to.equal('nosniff');
  expect(headers.get('referrer-policy')).to.equal('no-referrer');
  expect(headers.get('content-security-policy')).to.equal(csp);
}

function expectNoCors(headers: Headers): void {
  for (const name of headers.keys()) expect(name, `${name} on a refused origin`).not.to.match(/^access-control-/);
}

describe('Security headers and CORS', () => {
  describe('outside production', () => {
    let server: TestServer;
    let client: ApiClient;

    before(async () => {
      server = await startTestServer({ SECRET_KEY: 'k'.repeat(40), CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` });
      client = new ApiClient(server.url);
    });
    after(async () => server?.close());

    it('hardens every JSON answer, success or problem, with nosniff, no-referrer and a CSP that loads nothing', async () => {
      for (const [method, path] of [
        ['GET', '/health/live'],
        ['GET', '/openapi.json'],
        ['GET', '/.well-known/jwks.json'],
        ['GET', '/api/v1/users/me'],
        ['GET', '/api/v1/nothing-here'],
        ['POST', '/api/v1/auth/login'],
      ] as const) {
        const response = await client.request(method, path);
        expectHardened(response.headers);
      }
    });

    it('lets the documentation pages run their own scripts and styles, and nothing from elsewhere', async () => {
      for (const path of ['/docs', '/redoc']) {
        const response = await client.request('GET', path);
        expect(response.status).to.equal(200);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).to.include("script-src 'self'");
        expect(csp).to.include("default-src 'none'");
        expect(csp).to.include("frame-ancestors 'none'");
        expect(csp).not.to.match(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|\*|https?:)/);
        expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
      }
    });

    it('sends no HSTS outside production', async () => {
      expect((await client.request('GET', '/health/live')).headers.get('strict-transport-security')).to.equal(null);
    });

    it('echoes an allowed origin, never a wildcard, varies on Origin and exposes the headers clients read', async () => {
      const response = await client.request('GET', '/api/v1/users/me', { headers: { Origin: ALLOWED } });
      expect(response.status).to.equal(401);
      expect(response.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
      expect(response.headers.get('vary')).to.match(/\bOrigin\b/);
      // A listed origin may call with the session cookie of the pages (docs/pages.md), never a wildcard one.
      expect(response.headers.get('access-control-allow-credentials')).to.equal('true');
      const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(',').map((h) => h.trim());
      expect(exposed).to.include.members(['Location', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
    });

    it('answers a preflight from an allowed origin for a bearer PUT', async () => {
      // A preflight is not an operation of the API document, so it goes around the validating client.
      const response = await fetch(`${server.url}/api/v1/users/me`, {
        method: 'OPTIONS',
        headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization, content-type' },
      });
      expect(response.status).to.equal(204);
      expect(response.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
      expect(response.headers.get('access-control-allow-methods')).to.include('PUT');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).to.include('authorization');
      expect(response.headers.get('ratelimit-limit')).to.equal(null);
    });

    it('gives an origin not on the list, or a look-alike, no CORS header at all', async () => {
      for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
        expectNoCors((await client.request('GET', '/api/v1/users/me', { headers: { Origin: origin } })).headers);
        const preflight = await fetch(`${server.url}/api/v1/users/me`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' },
        });
        expectNoCors(preflight.headers);
      }
    });
  });

  describe('in production', () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'), MAIL_ENABLED: 'false' });
    });
    after(async () => server?.close());

    it('sends HSTS on every answer', async () => {
      const client = new ApiClient(server.url);
      for (const path of ['/health/live', '/api/v1/users/me', '/docs']) {
        expect((await client.request('GET', path)).headers.get('strict-transport-security')).to.equal('max-age=31536000; includeSubDomains');
      }
    });

    it('answers no origin with CORS headers when CORS_ORIGINS is empty', async () => {
      const response = await new ApiClient(server.url).request('GET', '/api/v1/users/me', { headers: { Origin: ALLOWED } });
      expectNoCors(response.headers);
    });
  });
});
