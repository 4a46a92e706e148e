import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { newAccount } from '../support/http-client.js';
import { METRICS_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';

const SECRET_KEY = 'secrets-suite-signing-key-at-least-32-bytes';
const BCRYPT_HASH = /\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{20,}/;

interface Recorded {
  readonly label: string;
  readonly status: number;
  readonly text: string;
}

/**
 * Plays a client through register, log-in, refresh, password change, log-out and every refusal on the way, then
 * reads everything the service let out besides the token responses themselves: each log line, each error body,
 * the metrics. None may hold a password, a hash, a token or an Authorization header.
 */
describe('Secrets stay secret', () => {
  let server: TestServer;
  const ip = `10.77.${randomBytes(1)[0]}.${randomBytes(1)[0]! % 250 + 1}`;
  const recorded: Recorded[] = [];
  const secrets = new Set<string>([SECRET_KEY]);

  async function call(label: string, method: string, path: string, init: { json?: unknown; form?: Record<string, string>; authorization?: string; raw?: string } = {}) {
    const headers: Record<string, string> = { 'X-Forwarded-For': ip };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.raw !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = init.raw;
    }
    if (init.authorization !== undefined) {
      headers.Authorization = init.authorization;
      secrets.add(init.authorization);
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    recorded.push({ label, status: response.status, text });
    // Whatever the service hands out as a token is a secret from here on.
    if (response.ok && text.startsWith('{')) {
      for (const [name, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
        if (name.endsWith('_token') && typeof value === 'string') secrets.add(value);
      }
    }
    return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, string>) : {} };
  }

  before(async () => {
    server = await startTestServer({ SECRET_KEY, METRICS_TOKEN });
    const account = newAccount();
    const newPassword = `Second-orbit-${randomBytes(4).toString('hex')}`;
    const wrongPassword = `Wrong-guess-${randomBytes(4).toString('hex')}`;
    // Holds the username: refused by the policy, and a value the refusal must not echo.
    const weakPassword = `${account.username}-9`;
    for (const password of [account.password, newPassword, wrongPassword, weakPassword]) secrets.add(password);

    expect((await call('register', 'POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
    const other = newAccount({ username: `${account.username}-9`.slice(0, 50) });
    expect((await call('weak password', 'POST', '/api/v1/auth/register', { json: { ...other, password: weakPassword } })).status).to.equal(422);
    expect((await call('malformed JSON with a password', 'POST', '/api/v1/auth/register', { raw: `{"password":"${account.password}",` })).status).to.equal(400);
    expect((await call('wrong password', 'POST', '/api/v1/auth/login', { form: { username: account.username, password: wrongPassword } })).status).to.equal(401);
    expect((await call('unknown user', 'POST', '/api/v1/auth/login', { form: { username: 'nobody-here', password: account.password } })).status).to.equal(401);

    const login = await call('login', 'POST', '/api/v1/auth/login', { json: { username: account.email, password: account.password } });
    expect(login.status).to.equal(200);
    const bearer = `Bearer ${login.body.access_token}`;
    expect((await call('me', 'GET', '/api/v1/users/me', { authorization: bearer })).status).to.equal(200);
    const [header, payload] = login.body.access_token!.split('.');
    expect((await call('tampered token', 'GET', '/api/v1/users/me', { authorization: `Bearer ${header}.${payload}.${'A'.repeat(43)}` })).status).to.equal(401);
    expect((await call('basic credentials', 'GET', '/api/v1/users/me', { authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}` })).status).to.equal(401);
    expect((await call('garbage token', 'GET', '/api/v1/users/me', { authorization: `Bearer ${randomBytes(24).toString('base64url')}` })).status).to.equal(401);
    expect((await call('wrong current password', 'PUT', '/api/v1/users/me', { authorization: bearer, json: { password: newPassword, current_password: wrongPassword } })).status).to.equal(403);
    expect((await call('weak new password', 'PUT', '/api/v1/users/me', { authorization: bearer, json: { password: weakPassword, current_password: account.password } })).status).to.equal(422);

    if (login.body.refresh_token !== undefined) {
      const refreshed = await call('refresh', 'POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: login.body.refresh_token } });
      expect(refreshed.status).to.equal(200);
      // The successor used first, so the replay below counts as reuse even within the grace.
      expect((await call('refresh again', 'POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token! } })).status).to.equal(200);
      expect((await call('refresh reuse', 'POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: login.body.refresh_token } })).status).to.be.within(400, 401);
    }

    const relogin = await call('login again', 'POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(relogin.status).to.equal(200);
    const freshBearer = `Bearer ${relogin.body.access_token}`;
    expect((await call('change password', 'PUT', '/api/v1/users/me', { authorization: freshBearer, json: { password: newPassword, current_password: account.password } })).status).to.equal(200);
    expect((await call('token from before the change', 'GET', '/api/v1/users/me', { authorization: freshBearer })).status).to.equal(401);
    expect((await call('old password', 'POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } })).status).to.equal(401);
    const last = await call('new password', 'POST', '/api/v1/auth/login', { form: { username: account.username, password: newPassword } });
    expect(last.status).to.equal(200);
    expect((await call('delete', 'DELETE', '/api/v1/users/me', { authorization: `Bearer ${last.body.access_token}` })).status).to.equal(204);

    const metrics = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).to.equal(200);
    recorded.push({ label: 'metrics', status: metrics.status, text: await metrics.text() });
  });
  after(async () => server?.close());

  const leaksIn = (text: string) => [...secrets].filter((secret) => text.includes(secret));

  it('collected the secrets it looks for (passwords, access and refresh tokens, Authorization values)', () => {
    expect(secrets.size).to.be.greaterThan(8);
    expect(server.rawLog.length).to.be.greaterThan(recorded.length - 2);
  });

  it('writes no secret and no bcrypt hash to any log line', () => {
    for (const line of server.rawLog) {
      expect(leaksIn(line), line).to.deep.equal([]);
      expect(line).not.to.match(BCRYPT_HASH);
      expect(line).not.to.include('$2b$');
    }
  });

  it('puts no secret and no hash in any error body', () => {
    const errors = recorded.filter((r) => r.status >= 400);
    expect(errors.length).to.be.greaterThan(10);
    for (const { label, text } of errors) {
      expect(leaksIn(text), label).to.deep.equal([]);
      expect(text, label).not.to.match(BCRYPT_HASH);
    }
  });

  it('puts no secret in the metrics', () => {
    const metrics = recorded.find((r) => r.label === 'metrics')!;
    expect(leaksIn(metrics.text)).to.deep.equal([]);
    expect(metrics.text).not.to.match(BCRYPT_HASH);
  });
});
