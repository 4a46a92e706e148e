import { expect } from 'chai';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ApiClient, newAccount, observeResponses, type Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';
import type { TestServer } from '../support/test-server.js';

export const TEST_SECRET = 'test-secret-key-that-is-at-least-32-bytes-long';
const ISSUER = 'auth-service';
const AUDIENCE = 'auth-service';

// The documentation cannot drift from the behaviour: every response of every HTTP test must match it.
observeResponses((exchange) => assertResponseMatchesDocument(exchange));

export type ServerFactory = (env: Record<string, string>) => Promise<TestServer>;

function expectProblem(exchange: Exchange, status: number): Record<string, unknown> {
  expect(exchange.status, exchange.text).to.equal(status);
  expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
  const body = exchange.body as Record<string, unknown>;
  expect(body).to.include({ type: 'about:blank', status });
  expect(body.title).to.be.a('string');
  return body;
}

function expectInvalidToken(exchange: Exchange): void {
  expectProblem(exchange, 401);
  expect(exchange.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
}

function fieldsOf(exchange: Exchange): string[] {
  return ((exchange.body as { errors?: { path: string }[] }).errors ?? []).map((e) => e.path);
}

/**
 * Every row and every failure of docs/api.md, against a real listening server. Run once per store
 * combination; each test builds its own accounts and uses its own client address.
 */
export function httpApiSuite(name: string, startServer: ServerFactory): void {
  describe(`HTTP API (${name})`, function () {
    let server: TestServer;
    let client: ApiClient;

    before(async function () {
      server = await startServer({ SECRET_KEY: TEST_SECRET });
    });
    after(async () => server?.close());
    beforeEach(() => {
      client = new ApiClient(server.url);
    });

    async function register(account = newAccount()) {
      const response = await client.request('POST', '/api/v1/auth/register', { json: account });
      expect(response.status, response.text).to.equal(201);
      return { account, user: response.body as Record<string, unknown> };
    }

    async function logIn(username: string, password: string): Promise<string> {
      const response = await client.request('POST', '/api/v1/auth/login', { form: { username, password } });
      expect(response.status, response.text).to.equal(200);
      return (response.body as { access_token: string }).access_token;
    }

    async function registeredWithToken() {
      const { account, user } = await register();
      return { account, user, token: await logIn(account.username, account.password) };
    }

    describe('POST /auth/register', () => {
      it('creates the user and answers 201 with the user and its Location', async () => {
        const account = newAccount({ email: ' Mixed.Case@Example.COM ' });
        const response = await client.request('POST', '/api/v1/auth/register', { json: { ...account, email: account.email.trim() } });
        expect(response.status).to.equal(201);
        expect(response.headers.get('location')).to.equal('/api/v1/users/me');
        const user = response.body as Record<string, unknown>;
        expect(user).to.have.all.keys('id', 'email', 'username', 'is_active', 'is_verified', 'is_superuser', 'mfa_enabled', 'created_at', 'updated_at');
        expect(user.mfa_enabled).to.equal(false);
        expect(user.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(user.email).to.equal('mixed.case@example.com');
        expect(user.username).to.equal(account.username);
        expect(user.is_active).to.equal(true);
        expect(user.is_superuser).to.equal(false);
        expect(new Date(user.created_at as string).toISOString()).to.equal(user.created_at);
        expect(response.text).not.to.include(account.password);
      });

      it('refuses an email already registered, in any case, with 409 saying so', async () => {
        const { account } = await register();
        const again = newAccount({ email: account.email.toUpperCase() });
        const body = expectProblem(await client.request('POST', '/api/v1/auth/register', { json: again }), 409);
        expect(body.detail).to.equal('Email already registered');
      });

      it('refuses a username that differs only in case with 409 saying so', async () => {
        const { account } = await register();
        const again = newAccount({ username: account.username.toUpperCase() });
        const body = expectProblem(await client.request('POST', '/api/v1/auth/register', { json: again }), 409);
        expect(body.detail).to.equal('Username already taken');
      });

      const invalid: [string, Partial<ReturnType<typeof newAccount>>, string, RegExp][] = [
        ['a malformed email', { email: 'not-an-email' }, 'email', /email/i],
        ['an email over 254 characters', { email: `${'a'.repeat(64)}@${'b'.repeat(190)}.example.com` }, 'email', /254|email/i],
        ['a username with a space', { username: 'john doe' }, 'username', /letters/],
        ['a two-letter username', { username: 'jo' }, 'username', /3 to 50/],
        ['a password under 8 characters', { password: 'Sh0rt!' }, 'password', /at least 8/],
        ['a common password', { password: 'password123' }, 'password', /too common/],
        ['a password containing the username', { username: 'zebra_keeper', password: 'my zebra_keeper pass' }, 'password', /username/],
        ['a password longer than 72 bytes', { password: 'é'.repeat(37) }, 'password', /72 bytes/],
      ];
      for (const [what, override, field, message] of invalid) {
        it(`refuses ${what} with 422 naming the field`, async () => {
          const account = newAccount(override);
          const response = await client.request('POST', '/api/v1/auth/register', { json: account });
          const body = expectProblem(response, 422);
          const errors = body.errors as { path: string; message: string }[];
          expect(errors.map((e) => e.path)).to.include(field);
          expect(errors.find((e) => e.path === field)!.message).to.match(message);
          expect(response.text).not.to.include(account.password);
          // Nothing was written: the same email and username register once the input is fixed.
          const fixed = newAccount();
          if (field !== 'email') fixed.email = account.email;
          if (field !== 'username') fixed.username = account.username;
          await register(fixed);
        });
      }

      it('names every missing field in one 422', async () => {
        const response = await client.request('POST', '/api/v1/auth/register', { json: {} });
        expectProblem(response, 422);
        expect(fieldsOf(response)).to.have.members(['email', 'username', 'password']);
      });

      it('answers 400 for a malformed JSON body without echoing it', async () => {
        const response = await client.request('POST', '/api/v1/auth/register', {
          raw: { body: '{"password": "Secret-Value-123", ', contentType: 'application/json' },
        });
        expectProblem(response, 400);
        expect(response.text).not.to.include('Secret-Value-123');
      });

      it('answers 415 for a form body, which registration does not take', async () => {
        expectProblem(await client.request('POST', '/api/v1/auth/register', { form: newAccount() }), 415);
      });

      it('answers 413 for a body over the size limit', async () => {
        const response = await client.request('POST', '/api/v1/auth/register', { json: { ...newAccount(), padding: 'x'.repeat(20_000) } });
        expectProblem(response, 413);
      });

      it('lets exactly one of many concurrent identical registrations win', async () => {
        const account = newAccount();
        const responses = await Promise.all(
          Array.from({ length: 40 }, () => new ApiClient(server.url).request('POST', '/api/v1/auth/register', { json: account })),
        );
        const statuses = responses.map((r) => r.status);
        expect(statuses.filter((s) => s === 201)).to.have.length(1);
        expect(statuses.filter((s) => s === 409)).to.have.length(39);
      });
    });

    describe('POST /auth/login', () => {
      it('issues a bearer token for the username as an OAuth2 password form', async () => {
        const { account } = await register();
        const response = await client.request('POST', '/api/v1/auth/login', {
          form: { grant_type: 'password', username: account.username, password: account.password, scope: '' },
        });
        expect(response.status).to.equal(200);
        const body = response.body as Record<string, unknown>;
        expect(body).to.have.all.keys('access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_expires_in');
        expect(body.token_type).to.equal('bearer');
        expect(body.expires_in).to.equal(1800);
        expect(body.refresh_expires_in).to.equal(14 * 86_400);
        expect(body.refresh_token).to.match(/^[A-Za-z0-9_-]{43}$/);
        expect(response.headers.get('cache-control')).to.equal('no-store');
      });

      it('accepts the email in any case, and JSON instead of a form', async () => {
        const { account } = await register();
        const response = await client.request('POST', '/api/v1/auth/login', {
          json: { username: account.email.toUpperCase(), password: account.password },
        });
        expect(response.status).to.equal(200);
      });

      it('accepts the username in another case', async () => {
        const { account } = await register();
        expect(await logIn(account.username.toUpperCase(), account.password)).to.be.a('string');
      });

      it('answers a wrong password and an unknown user with the same 401', async () => {
        const { account } = await register();
        const wrong = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not-the-password' } });
        const unknown = await client.request('POST', '/api/v1/auth/login', { form: { username: 'nobody_here', password: 'not-the-password' } });
        for (const response of [wrong, unknown]) {
          expectProblem(response, 401);
          expect(response.headers.get('www-authenticate')).to.equal('Bearer');
        }
        expect(wrong.text).to.equal(unknown.text);
      });

      it('refuses a password that only matches on its first 72 bytes', async () => {
        const password = `${'k'.repeat(60)}Zq9-horse#!`;
        expect(Buffer.byteLength(password)).to.equal(71);
        const { account } = await register(newAccount({ password: `${password}x` }));
        const response = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: `${password}xTAIL` } });
        expectProblem(response, 401);
      });

      it('answers 403 for an inactive account, but only to a caller who knows the password', async () => {
        const { account, user } = await register();
        const users = server.userRepository;
        const stored = (await users.findById(user.id as string))!;
        await users.updateWith(stored.id, (user) => user.withActive(false, new Date()));
        expectProblem(await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'wrong-password' } }), 401);
        const body = expectProblem(
          await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } }),
          403,
        );
        expect(body.detail).to.equal('Account is inactive');
      });

      it('names missing fields with 422', async () => {
        const response = await client.request('POST', '/api/v1/auth/login', { form: {} });
        expectProblem(response, 422);
        expect(fieldsOf(response)).to.have.members(['username', 'password']);
      });

      it('refuses a grant type other than password with 400 unsupported_grant_type (RFC 6749 §5.2)', async () => {
        const { account } = await register();
        const response = await client.request('POST', '/api/v1/auth/login', {
          form: { grant_type: 'client_credentials', username: account.username, password: account.password },
        });
        expect(expectProblem(response, 400).error).to.equal('unsupported_grant_type');
      });
    });

    describe('GET /users/me', () => {
      it('answers the current user', async () => {
        const { user, token } = await registeredWithToken();
        const response = await client.request('GET', '/api/v1/users/me', { token });
        expect(response.status).to.equal(200);
        expect(response.body).to.deep.equal(user);
      });

      it('refuses a missing, malformed or foreign-scheme credential with 401 invalid_token', async () => {
        expectInvalidToken(await client.request('GET', '/api/v1/users/me'));
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: 'not-a-jwt' }));
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }));
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { headers: { Authorization: 'Bearer' } }));
      });

      describe('refuses a token that was not issued as it should be', () => {
        const secret = new TextEncoder().encode(TEST_SECRET);
        let sub: string;
        let sid: string;
        // A real session, so the only thing wrong with each forged token below is the flaw it names.
        before(async function () {
          const account = newAccount();
          const caller = new ApiClient(server.url);
          await caller.request('POST', '/api/v1/auth/register', { json: account });
          const login = await caller.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
          const payload = JSON.parse(Buffer.from((login.body as { access_token: string }).access_token.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };
          ({ sub, sid } = payload);
        });
        const now = () => Math.floor(Date.now() / 1000);
        const claims = () => ({ ver: 0, jti: 'j', sid });
        const forged: [string, () => Promise<string>][] = [
          ['expired', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now() - 7200).setExpirationTime(now() - 3600).sign(secret)],
          ['without exp', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().sign(secret)],
          ['signed with another key', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode('x'.repeat(40)))],
          ['signed with another algorithm', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS512', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(secret)],
          ['with alg none', async () => new UnsecuredJWT(claims()).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').encode()],
          ['from another issuer', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer('evil').setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(secret)],
          ['for another audience', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience('other').setIssuedAt().setExpirationTime('10m').sign(secret)],
          ['of another type', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(secret)],
          ['with a tampered payload', async () => {
            const good = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(secret);
            const [header, , signature] = good.split('.');
            const payload = Buffer.from(JSON.stringify({ sub, sid, ver: 0, jti: 'j', iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 86_400 })).toString('base64url');
            return `${header}.${payload}.${signature}`;
          }],
        ];
        it('accepts a well-formed control token (so the refusals below are about the flaw alone)', async () => {
          const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(secret);
          expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);
        });
        for (const [what, make] of forged) {
          it(`refuses a token ${what}`, async () => {
            expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: await make() }));
          });
        }
      });
    });

    describe('PUT /users/me', () => {
      it('changes email and username and answers the updated user', async () => {
        const { account, user, token } = await registeredWithToken();
        const next = newAccount();
        const response = await client.request('PUT', '/api/v1/users/me', { token, json: { email: next.email.toUpperCase(), username: next.username } });
        expect(response.status).to.equal(200);
        const updated = response.body as Record<string, unknown>;
        expect(updated).to.include({ id: user.id, email: next.email, username: next.username });
        expect(updated.updated_at).not.to.equal(user.updated_at);
        // The email change does not end the session, and the new email logs in.
        expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);
        expect(await logIn(next.email, account.password)).to.be.a('string');
      });

      it('changes the password with the current one and refuses every earlier token', async () => {
        const { account, token } = await registeredWithToken();
        const other = await logIn(account.username, account.password);
        const response = await client.request('PUT', '/api/v1/users/me', {
          token,
          json: { password: 'A-brand-new-passphrase', current_password: account.password },
        });
        expect(response.status).to.equal(200);
        expect(response.text).not.to.include('A-brand-new-passphrase');
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token }));
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: other }));
        expectProblem(await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } }), 401);
        const fresh = await logIn(account.username, 'A-brand-new-passphrase');
        expect((await client.request('GET', '/api/v1/users/me', { token: fresh })).status).to.equal(200);
      });

      it('changes the password without current_password in a session fresh from its log-in (REAUTH_MAX_AGE_SECONDS)', async () => {
        const { token } = await registeredWithToken();
        const response = await client.request('PUT', '/api/v1/users/me', { token, json: { password: 'A-brand-new-passphrase' } });
        expect(response.status, response.text).to.equal(200);
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token }));
      });

      it('refuses a wrong current_password with 403 and keeps the old password', async () => {
        const { account, token } = await registeredWithToken();
        const response = await client.request('PUT', '/api/v1/users/me', {
          token,
          json: { password: 'A-brand-new-passphrase', current_password: 'wrong-password' },
        });
        expectProblem(response, 403);
        expect(await logIn(account.username, account.password)).to.be.a('string');
        expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);
      });

      it('refuses an email or username taken by another user with 409 and changes nothing', async () => {
        const { account: other } = await register();
        const { user, token } = await registeredWithToken();
        expectProblem(await client.request('PUT', '/api/v1/users/me', { token, json: { email: other.email } }), 409);
        expectProblem(await client.request('PUT', '/api/v1/users/me', { token, json: { username: other.username.toUpperCase(), email: newAccount().email } }), 409);
        expect((await client.request('GET', '/api/v1/users/me', { token })).body).to.deep.equal(user);
      });

      it('refuses invalid fields with 422 and changes nothing', async () => {
        const { user, token } = await registeredWithToken();
        const response = await client.request('PUT', '/api/v1/users/me', { token, json: { email: 'nope', username: 'x' } });
        expectProblem(response, 422);
        expect(fieldsOf(response)).to.have.members(['email', 'username']);
        expect((await client.request('GET', '/api/v1/users/me', { token })).body).to.deep.equal(user);
      });

      it('refuses a weak new password with 422', async () => {
        const { account, token } = await registeredWithToken();
        const response = await client.request('PUT', '/api/v1/users/me', { token, json: { password: 'qwertyuiop', current_password: account.password } });
        expectProblem(response, 422);
        expect(fieldsOf(response)).to.deep.equal(['password']);
      });

      it('answers 401 without a token', async () => {
        expectInvalidToken(await client.request('PUT', '/api/v1/users/me', { json: { username: 'someone_else' } }));
      });
    });

    describe('DELETE /users/me', () => {
      it('deletes the user: 204, its tokens refused, its login gone, its email and username free', async () => {
        const { account, token } = await registeredWithToken();
        const other = await logIn(account.email, account.password);
        const response = await client.request('DELETE', '/api/v1/users/me', { token });
        expect(response.status).to.equal(204);
        expect(response.text).to.equal('');
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token }));
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: other }));
        expectInvalidToken(await client.request('DELETE', '/api/v1/users/me', { token }));
        expectProblem(await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } }), 401);
        await register(account);
      });

      it('answers 401 without a token', async () => {
        expectInvalidToken(await client.request('DELETE', '/api/v1/users/me'));
      });
    });

    describe('sessions: refresh, log-out and the session list', () => {
      async function loggedIn(account = newAccount()) {
        await register(account);
        const response = await client.request('POST', '/api/v1/auth/login', {
          form: { username: account.username, password: account.password },
          headers: { 'User-Agent': 'spec-agent/1.0' },
        });
        return { account, tokens: response.body as { access_token: string; refresh_token: string } };
      }
      const refresh = (refreshToken: string, as: 'form' | 'json' = 'form') =>
        client.request('POST', '/api/v1/auth/refresh', { [as]: { grant_type: 'refresh_token', refresh_token: refreshToken } });

      it('rotates the refresh token: a new pair, the old refresh token refused with 400 invalid_grant', async () => {
        const { tokens } = await loggedIn();
        const first = await refresh(tokens.refresh_token);
        expect(first.status, first.text).to.equal(200);
        expect(first.headers.get('cache-control')).to.equal('no-store');
        const next = first.body as { access_token: string; refresh_token: string };
        expect(next.refresh_token).not.to.equal(tokens.refresh_token);
        expect((await client.request('GET', '/api/v1/users/me', { token: next.access_token })).status).to.equal(200);
        const again = await client.request('POST', '/api/v1/auth/refresh', { json: { grant_type: 'refresh_token', refresh_token: next.refresh_token } });
        expect(again.status).to.equal(200);
      });

      it('answers two concurrent refreshes with one token alike (200, same refresh token) and keeps the session', async () => {
        const { tokens } = await loggedIn();
        const [one, two] = await Promise.all([refresh(tokens.refresh_token), refresh(tokens.refresh_token, 'json')]);
        expect([one.status, two.status], `${one.text} ${two.text}`).to.deep.equal([200, 200]);
        const successor = (one.body as { refresh_token: string }).refresh_token;
        expect((two.body as { refresh_token: string }).refresh_token).to.equal(successor);
        expect(successor).not.to.equal(tokens.refresh_token);
        for (const answer of [one, two]) {
          expect((await client.request('GET', '/api/v1/users/me', { token: (answer.body as { access_token: string }).access_token })).status).to.equal(200);
        }
        expect((await refresh(successor)).status).to.equal(200);
      });

      it('kills the session for both parties when a stolen refresh token comes back after its successor was used', async () => {
        const { tokens } = await loggedIn();
        const first = (await refresh(tokens.refresh_token)).body as { refresh_token: string };
        // Within the reuse grace, but the real client has moved on: the old token can only be a copy.
        const legitimate = (await refresh(first.refresh_token)).body as { access_token: string; refresh_token: string };
        const stolen = await refresh(tokens.refresh_token);
        const body = expectProblem(stolen, 400);
        expect(body.error).to.equal('invalid_grant');
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: legitimate.access_token }));
        expectProblem(await refresh(legitimate.refresh_token), 400);
      });

      it('refuses an unknown refresh token, a wrong grant type and a missing token', async () => {
        expectProblem(await refresh('x'.repeat(43)), 400);
        const wrongGrant = await client.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'password', refresh_token: 'x' } });
        expect(expectProblem(wrongGrant, 400).error).to.equal('unsupported_grant_type');
        const noGrant = await client.request('POST', '/api/v1/auth/refresh', { form: { refresh_token: 'x' } });
        expect(expectProblem(noGrant, 400).error).to.equal('invalid_request');
        const missing = await client.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token' } });
        expectProblem(missing, 422);
        expect(fieldsOf(missing)).to.deep.equal(['refresh_token']);
      });

      it('logs out the current session at once: its access and refresh tokens are refused, others stay', async () => {
        const { account, tokens } = await loggedIn();
        const other = await logIn(account.username, account.password);
        const response = await client.request('POST', '/api/v1/auth/logout', { token: tokens.access_token });
        expect(response.status).to.equal(204);
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: tokens.access_token }));
        expectProblem(await refresh(tokens.refresh_token), 400);
        expect((await client.request('GET', '/api/v1/users/me', { token: other })).status).to.equal(200);
      });

      it('logs out every session with scope=all', async () => {
        const { account, tokens } = await loggedIn();
        const other = await logIn(account.username, account.password);
        expect((await client.request('POST', '/api/v1/auth/logout?scope=all', { token: tokens.access_token })).status).to.equal(204);
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: other }));
      });

      it('refuses log-out without a token, and an unknown scope', async () => {
        expectInvalidToken(await client.request('POST', '/api/v1/auth/logout'));
        const { tokens } = await loggedIn();
        expectProblem(await client.request('POST', '/api/v1/auth/logout?scope=everything', { token: tokens.access_token }), 422);
      });

      it('lists open sessions with their origin and marks the current one; ends one by id', async () => {
        const { account, tokens } = await loggedIn();
        const other = await logIn(account.username, account.password);
        const listed = await client.request('GET', '/api/v1/users/me/sessions', { token: tokens.access_token });
        expect(listed.status).to.equal(200);
        const sessions = listed.body as { id: string; current: boolean; ip: string; user_agent: string | null }[];
        expect(sessions).to.have.length(2);
        expect(sessions.filter((s) => s.current)).to.have.length(1);
        const current = sessions.find((s) => s.current)!;
        expect(current).to.include({ ip: client.ip, user_agent: 'spec-agent/1.0' });
        const otherSession = sessions.find((s) => !s.current)!;
        expect((await client.request('DELETE', `/api/v1/users/me/sessions/${otherSession.id}`, { token: tokens.access_token })).status).to.equal(204);
        expectInvalidToken(await client.request('GET', '/api/v1/users/me', { token: other }));
        expectProblem(await client.request('DELETE', `/api/v1/users/me/sessions/${otherSession.id}`, { token: tokens.access_token }), 404);
        expectProblem(await client.request('DELETE', '/api/v1/users/me/sessions/not-a-uuid', { token: tokens.access_token }), 404);
      });

      it("cannot end another user's session", async () => {
        const alice = await loggedIn();
        const bob = await loggedIn();
        const [bobSession] = (await client.request('GET', '/api/v1/users/me/sessions', { token: bob.tokens.access_token })).body as { id: string }[];
        expectProblem(await client.request('DELETE', `/api/v1/users/me/sessions/${bobSession!.id}`, { token: alice.tokens.access_token }), 404);
        expect((await client.request('GET', '/api/v1/users/me', { token: bob.tokens.access_token })).status).to.equal(200);
      });

      it('refuses refresh tokens after a password change and after the account is deleted', async () => {
        const changed = await loggedIn();
        await client.request('PUT', '/api/v1/users/me', { token: changed.tokens.access_token, json: { password: 'A-changed-passphrase', current_password: changed.account.password } });
        expectProblem(await refresh(changed.tokens.refresh_token), 400);
        const deleted = await loggedIn();
        await client.request('DELETE', '/api/v1/users/me', { token: deleted.tokens.access_token });
        expectProblem(await refresh(deleted.tokens.refresh_token), 400);
      });
    });

    describe('failed log-in limits', () => {
      it('answers 429 with Retry-After once guesses from 20 addresses spend the per-account budget', async () => {
        const { account } = await register();
        // Each client has its own X-Forwarded-For address, which the test server trusts (TRUST_PROXY).
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) {
          const attacker = new ApiClient(server.url);
          statuses.push((await attacker.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: `guess-${i}-wrong` } })).status);
        }
        expect(statuses).to.deep.equal([...Array(10).fill(401), ...Array(10).fill(429)]);
        const blocked = await new ApiClient(server.url).request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
        const body = expectProblem(blocked, 429);
        expect(Number(blocked.headers.get('retry-after'))).to.be.within(1, 300);
        expect(body.detail).to.match(/Too many failed log-in attempts/);
      });

      it('stops one address after 5 failures while the owner, elsewhere, still logs in', async () => {
        const { account } = await register();
        const attacker = new ApiClient(server.url);
        for (let i = 0; i < 5; i++) {
          expectProblem(await attacker.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: `guess-${i}-wrong` } }), 401);
        }
        expectProblem(await attacker.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } }), 429);
        expect(await logIn(account.username, account.password)).to.be.a('string');
      });
    });

    describe('whatever a client sends', () => {
      const bodies: unknown[] = [null, [], [1, 2], 42, 'text', { email: 42, username: {}, password: [] }, { email: null }, { username: 'a'.repeat(10_000) }, { password: '\u0000\uD800' }];
      const routes: [string, string][] = [
        ['POST', '/api/v1/auth/register'],
        ['POST', '/api/v1/auth/login'],
        ['PUT', '/api/v1/users/me'],
      ];
      it('never answers 500, and answers problem+json for every refusal', async () => {
        const { token } = await registeredWithToken();
        for (const [method, path] of routes) {
          for (const body of bodies) {
            const response = await client.request(method, path, { raw: { body: JSON.stringify(body), contentType: 'application/json' }, token });
            expect(response.status, `${method} ${path} ${JSON.stringify(body).slice(0, 40)}`).to.be.within(400, 499);
            expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
          }
        }
        expect((await client.request('GET', '/api/v1/users/me', { token })).status).to.equal(200);
      });

      it('ignores a stray body on a DELETE rather than refusing it', async () => {
        const { token } = await registeredWithToken();
        const response = await client.request('DELETE', '/api/v1/users/me', { token, raw: { body: '{not json', contentType: 'application/json' } });
        expect(response.status).to.equal(204);
      });

      it('answers an unknown path with a 404 problem and a wrong method with a 405 problem', async () => {
        expectProblem(await client.request('GET', '/api/v1/nothing-here'), 404);
        const response = await client.request('GET', '/api/v1/auth/register');
        expectProblem(response, 405);
        expect(response.headers.get('allow')).to.include('POST');
      });
    });

    describe('rate limiting headers and operations routes', () => {
      it('sends RateLimit-* on API routes and counts down', async () => {
        const first = await client.request('GET', '/api/v1/users/me');
        const second = await client.request('GET', '/api/v1/users/me');
        expect(first.headers.get('ratelimit-limit')).to.equal('1000');
        expect(Number(first.headers.get('ratelimit-remaining')) - Number(second.headers.get('ratelimit-remaining'))).to.equal(1);
        expect(Number(first.headers.get('ratelimit-reset'))).to.be.within(1, 60);
      });

      it('answers health checks without limiting them', async () => {
        const live = await client.request('GET', '/health/live');
        expect(live.status).to.equal(200);
        expect(live.headers.get('ratelimit-limit')).to.equal(null);
        const ready = await client.request('GET', '/health/ready');
        expect(ready.status).to.equal(200);
        expect(ready.body).to.deep.equal({ status: 'ok', checks: { database: 'ok', rate_limiter: 'ok' } });
      });

      it('returns the caller\'s safe X-Request-Id and replaces an unsafe one', async () => {
        const kept = await client.request('GET', '/health/live', { headers: { 'X-Request-Id': 'abc-123' } });
        expect(kept.headers.get('x-request-id')).to.equal('abc-123');
        const replaced = await client.request('GET', '/health/live', { headers: { 'X-Request-Id': 'evil\tvalue' } });
        expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      });
    });

    describe('the route table', () => {
      it('takes PATCH /users/me as a synonym of PUT, as fastapi-users clients send it', async () => {
        const { token } = await registeredWithToken();
        const next = newAccount();
        const response = await client.request('PATCH', '/api/v1/users/me', { token, json: { username: next.username } });
        expect(response.status, response.text).to.equal(200);
        expect(response.body).to.include({ username: next.username });
      });

      it('matches paths case-sensitively: another spelling of an API path is 404, never the route', async () => {
        const { token } = await registeredWithToken();
        for (const path of ['/API/v1/users/me', '/Api/V1/users/me', '/api/v1/USERS/me', '/api/v1/users/ME']) {
          const response = await client.request('GET', path, { token });
          expectProblem(response, 404);
          expect(response.text).not.to.include('@');
        }
      });

      it('counts every spelling under /api/v1 against the client, and any other spelling reaches nothing', async () => {
        const before = await client.request('GET', '/api/v1/users/me');
        const variant = await client.request('GET', '/api/v1/USERS/me');
        expect(Number(before.headers.get('ratelimit-remaining')) - Number(variant.headers.get('ratelimit-remaining'))).to.equal(1);
      });

      it('sends Cache-Control: no-store with personal data', async () => {
        const { token } = await registeredWithToken();
        for (const path of ['/api/v1/users/me', '/api/v1/users/me/sessions']) {
          const response = await client.request('GET', path, { token });
          expect(response.status).to.equal(200);
          expect(response.headers.get('cache-control'), path).to.equal('no-store');
        }
        const updated = await client.request('PUT', '/api/v1/users/me', { token, json: { username: newAccount().username } });
        expect(updated.headers.get('cache-control')).to.equal('no-store');
        const registered = await client.request('POST', '/api/v1/auth/register', { json: newAccount() });
        expect(registered.headers.get('cache-control')).to.equal('no-store');
      });

      it('says invalid_grant (RFC 6749 §5.2) on a failed log-in, beside the 401 and its challenge', async () => {
        const { account } = await register();
        const response = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'not-the-password' } });
        const body = expectProblem(response, 401);
        expect(response.headers.get('www-authenticate')).to.equal('Bearer');
        expect(body).to.include({ error: 'invalid_grant', error_description: body.detail });
      });

      it('gives a refused refresh an error_description', async () => {
        const response = await client.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: 'x'.repeat(43) } });
        const body = expectProblem(response, 400);
        expect(body).to.include({ error: 'invalid_grant' });
        expect(body.error_description).to.be.a('string').and.equal(body.detail);
      });
    });

    describe('logs', () => {
      it('write one line per request with the status the client got, thrown errors included', async () => {
        const requestId = `log-check-${Date.now()}`;
        await client.request('GET', '/api/v1/users/me', { headers: { 'X-Request-Id': requestId } });
        const line = server.logLines.find((l) => l.requestId === requestId && l.msg === 'request');
        expect(line).to.deep.include({ method: 'GET', route: '/api/v1/users/me', status: 401 });
        expect(line!.durationMs).to.be.a('number');
      });

      it('never hold a password, a hash or a token', async () => {
        const { account, token } = await registeredWithToken();
        await client.request('PUT', '/api/v1/users/me', { token, json: { password: 'Another-fine-passphrase', current_password: account.password } });
        await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: 'Another-fine-passphrase' } });
        const log = server.rawLog.join('\n');
        expect(log).to.include('"route":"/api/v1/users/me"');
        for (const secret of [account.password, 'Another-fine-passphrase', token, '$2b$', TEST_SECRET]) {
          expect(log).not.to.include(secret);
        }
      });
    });
  });
}
