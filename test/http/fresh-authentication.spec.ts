import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { OtpauthTotp } from '../../adapters/otpauth/otpauth-totp.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { eventually } from '../support/eventually.js';
import { FakeClock } from '../support/fake-clock.js';
import { ApiClient, newAccount, observeResponses, type Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { SmtpCatcher, type CaughtMail } from '../support/smtp-catcher.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

observeResponses((exchange) => assertResponseMatchesDocument(exchange));

const API = '/api/v1';
const APP_URL = 'https://app.example.com';
const SECRET_KEY = 'test-secret-key-that-is-at-least-32-bytes-long';
const TEN_MINUTES = 10 * 60_000;
const CHALLENGE = 'Bearer error="insufficient_user_authentication", max_age=300';
const totp = new OtpauthTotp('auth-service');

function expectStatus(exchange: Exchange, status: number): void {
  expect(exchange.status, `${exchange.method} ${exchange.path}: ${exchange.text}`).to.equal(status);
}

/** RFC 9470 §3: the challenge, and the problem body with the same error code. */
function expectStepUp(exchange: Exchange): void {
  expectStatus(exchange, 401);
  expect(exchange.headers.get('www-authenticate')).to.equal(CHALLENGE);
  expect((exchange.body as { error?: string }).error).to.equal('insufficient_user_authentication');
}

function linkToken(mail: CaughtMail, page: string): string {
  const match = new RegExp(`${APP_URL.replace(/\./g, '\\.')}/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`no ${page} link in "${mail.parsed.subject}"`);
  return match[1]!;
}

async function mailTo(catcher: SmtpCatcher, address: string, subject: RegExp, count = 1): Promise<CaughtMail> {
  return eventually(`mail ${count} to ${address} with subject ${subject}`, async () => {
    const matching = catcher.mails.filter((mail) => mail.envelopeTo.includes(address) && subject.test(mail.parsed.subject ?? ''));
    return matching.length >= count ? matching[count - 1] : undefined;
  });
}

/**
 * Issue 18's chain and every sensitive action, against a real listening server on each store. The server's clock
 * is a fake one the test moves, so "an access token from a log-in ten minutes ago" needs no waiting.
 */
function freshAuthenticationSuite(name: string, storeEnv: () => Record<string, string>): void {
  describe(`Fresh authentication over HTTP (${name})`, function () {
    this.timeout(60_000);
    let server: TestServer;
    let catcher: SmtpCatcher;
    let clock: FakeClock;
    const root = { email: `root-${randomBytes(3).toString('hex')}@example.com`, username: `root_${randomBytes(3).toString('hex')}`, password: 'the operators own long secret' };

    before(async () => {
      catcher = await SmtpCatcher.start();
      clock = new FakeClock(new Date());
      server = await startTestServer(
        {
          ...storeEnv(),
          SECRET_KEY,
          SMTP_URL: catcher.url,
          APP_URL,
          MFA_MAX_CONSECUTIVE_FAILURES: '3',
          FIRST_SUPERUSER_EMAIL: root.email,
          FIRST_SUPERUSER_USERNAME: root.username,
          FIRST_SUPERUSER_PASSWORD: root.password,
        },
        undefined,
        (container) => container.rebind(TOKENS.Clock).toConstantValue(clock),
      );
    });
    after(async () => {
      await server?.close();
      await catcher?.close();
    });

    const client = (_label: string) => new ApiClient(server.url);

    async function logIn(as: ApiClient, username: string, password: string): Promise<{ access_token: string; refresh_token: string }> {
      const response = await as.request('POST', `${API}/auth/login`, { form: { username, password } });
      expectStatus(response, 200);
      return response.body as { access_token: string; refresh_token: string };
    }

    async function registered(as: ApiClient) {
      const account = newAccount();
      expectStatus(await as.request('POST', `${API}/auth/register`, { json: account }), 201);
      return { account, tokens: await logIn(as, account.username, account.password) };
    }

    it("replays issue 18's chain: the owner ends with the account, the password alone, and every attacker token refused", async () => {
      const victim = client(`198.51.100.${1 + Math.floor(Math.random() * 200)}`);
      const attacker = client('203.0.113.66');
      const { account, tokens: stolen } = await registered(victim);
      clock.advance(TEN_MINUTES);

      // 1. The stolen access token alone: no email change, no deletion, no factor of the attacker's.
      const attackerEmail = `attacker-${randomBytes(3).toString('hex')}@example.com`;
      expectStepUp(await attacker.request('PUT', `${API}/users/me`, { token: stolen.access_token, json: { email: attackerEmail } }));
      expectStepUp(await attacker.request('DELETE', `${API}/users/me`, { token: stolen.access_token }));
      expectStepUp(await attacker.request('POST', `${API}/users/me/mfa/totp`, { token: stolen.access_token, json: {} }));
      const me = await victim.request('GET', `${API}/users/me`, { token: stolen.access_token });
      expect((me.body as { email: string }).email).to.equal(account.email.toLowerCase());

      // 2. An attacker who also has the password gets further: the address, a reset from it, a factor of their own.
      const moved = await attacker.request('PUT', `${API}/users/me`, { token: stolen.access_token, json: { email: attackerEmail, current_password: account.password } });
      expectStatus(moved, 200);
      expectStatus(await attacker.request('POST', `${API}/auth/forgot-password`, { json: { email: attackerEmail } }), 202);
      const attackerReset = linkToken(await mailTo(catcher, attackerEmail, /^Reset your password$/), 'reset-password');
      expectStatus(await attacker.request('POST', `${API}/auth/reset-password`, { json: { token: attackerReset, password: 'the attackers chosen secret' } }), 204);
      const attackerTokens = await logIn(attacker, account.username, 'the attackers chosen secret');
      const enrolled = await attacker.request('POST', `${API}/users/me/mfa/totp`, { token: attackerTokens.access_token, json: {} });
      expectStatus(enrolled, 200);
      const { secret } = enrolled.body as { secret: string };
      expectStatus(await attacker.request('POST', `${API}/users/me/mfa/totp/confirm`, { token: attackerTokens.access_token, json: { code: totp.generate(secret, clock.now()) } }), 200);
      clock.advance(30_000);
      const pending = await attacker.request('POST', `${API}/auth/login`, { form: { username: account.username, password: 'the attackers chosen secret' } });
      expectStatus(pending, 403);

      // 3. The owner follows the revert link mailed to the old address, then the reset link it brings.
      const revert = linkToken(await mailTo(catcher, account.email.toLowerCase(), /^Your email address was changed$/), 'revert-email');
      expectStatus(await victim.request('POST', `${API}/auth/revert-email`, { json: { token: revert } }), 204);
      const ownerReset = linkToken(await mailTo(catcher, account.email.toLowerCase(), /^Reset your password$/), 'reset-password');
      await mailTo(catcher, account.email.toLowerCase(), /^Two-factor sign-in was removed/);
      expectStatus(await victim.request('POST', `${API}/auth/reset-password`, { json: { token: ownerReset, password: 'the owners new secret' } }), 204);

      // The password alone logs the owner in: the attacker's factor is gone.
      const owner = await logIn(victim, account.email, 'the owners new secret');
      const mine = await victim.request('GET', `${API}/users/me`, { token: owner.access_token });
      expect(mine.body).to.include({ email: account.email.toLowerCase(), mfa_enabled: false, is_verified: true });
      // Every token the attacker held is refused, and the pending second step is dead.
      for (const token of [stolen.access_token, attackerTokens.access_token]) {
        const refused = await attacker.request('GET', `${API}/users/me`, { token });
        expectStatus(refused, 401);
      }
      for (const refresh of [stolen.refresh_token, attackerTokens.refresh_token]) {
        expectStatus(await attacker.request('POST', `${API}/auth/refresh`, { form: { grant_type: 'refresh_token', refresh_token: refresh } }), 400);
      }
      const mfaToken = (pending.body as { mfa_token: string }).mfa_token;
      expectStatus(await attacker.request('POST', `${API}/auth/login/mfa`, { form: { mfa_token: mfaToken, code: totp.generate(secret, clock.now()) } }), 400);
    });

    it('refuses every sensitive action without fresh authentication with the RFC 9470 challenge, changing nothing', async () => {
      const as = client('198.51.100.230');
      const { account, tokens } = await registered(as);
      const admin = client('198.51.100.231');
      const adminTokens = await logIn(admin, root.username, root.password);
      const target = await as.request('GET', `${API}/users/me`, { token: tokens.access_token });
      const id = (target.body as { id: string }).id;
      clock.advance(TEN_MINUTES);

      const attempts: [ApiClient, string, string, string, unknown][] = [
        [as, 'PUT', '/users/me', tokens.access_token, { email: 'elsewhere@example.com' }],
        [as, 'PATCH', '/users/me', tokens.access_token, { password: 'a brand new secret' }],
        [as, 'DELETE', '/users/me', tokens.access_token, undefined],
        [as, 'POST', '/users/me/mfa/totp', tokens.access_token, {}],
        [admin, 'PATCH', `/users/${id}`, adminTokens.access_token, { is_active: false }],
        [admin, 'DELETE', `/users/${id}`, adminTokens.access_token, undefined],
        [admin, 'DELETE', `/users/${id}/sessions`, adminTokens.access_token, undefined],
        [admin, 'DELETE', `/users/${id}/mfa`, adminTokens.access_token, undefined],
      ];
      for (const [who, method, path, token, json] of attempts) {
        expectStepUp(await who.request(method, `${API}${path}`, { token, ...(json === undefined ? {} : { json }) }));
      }
      const after = await as.request('GET', `${API}/users/me`, { token: tokens.access_token });
      expectStatus(after, 200);
      expect(after.body).to.deep.equal(target.body);

      // How a client recovers: reauthenticate (a wrong password is 403), then the action goes through.
      expectStatus(await as.request('POST', `${API}/auth/reauthenticate`, { token: tokens.access_token, json: { password: 'not the password' } }), 403);
      expectStatus(await as.request('POST', `${API}/auth/reauthenticate`, { token: tokens.access_token, json: { password: account.password } }), 204);
      expectStatus(await as.request('PATCH', `${API}/users/me`, { token: tokens.access_token, json: { username: `${account.username}x`, email: `x${account.email}` } }), 200);
      // Or send current_password with the change itself.
      expectStatus(await admin.request('PATCH', `${API}/users/${id}`, { token: adminTokens.access_token, json: { is_verified: true, current_password: root.password } }), 200);
    });

    it('locks two-factor log-in after MFA_MAX_CONSECUTIVE_FAILURES wrong codes (423), mails the owner, and a reset unlocks it', async () => {
      const as = client('198.51.100.240');
      const { account, tokens } = await registered(as);
      const enrolled = await as.request('POST', `${API}/users/me/mfa/totp`, { token: tokens.access_token, json: {} });
      const { secret } = enrolled.body as { secret: string };
      expectStatus(await as.request('POST', `${API}/users/me/mfa/totp/confirm`, { token: tokens.access_token, json: { code: totp.generate(secret, clock.now()) } }), 200);
      clock.advance(30_000);
      const right = () => totp.generate(secret, clock.now());
      const wrong = () => (right() === '000000' ? '111111' : '000000');
      const passwordStep = async () => {
        const step = await as.request('POST', `${API}/auth/login`, { form: { username: account.username, password: account.password } });
        expectStatus(step, 403);
        return (step.body as { mfa_token: string }).mfa_token;
      };
      for (let i = 0; i < 3; i++) {
        expectStatus(await as.request('POST', `${API}/auth/login/mfa`, { form: { mfa_token: await passwordStep(), code: wrong() } }), 400);
        clock.advance(60 * 60_000);
      }
      const locked = await as.request('POST', `${API}/auth/login/mfa`, { form: { mfa_token: await passwordStep(), code: right() } });
      expectStatus(locked, 423);
      expect((locked.body as { error: string }).error).to.equal('mfa_locked');
      await mailTo(catcher, account.email.toLowerCase(), /^Two-factor sign-in is locked/);

      expectStatus(await as.request('POST', `${API}/auth/forgot-password`, { json: { email: account.email } }), 202);
      const reset = linkToken(await mailTo(catcher, account.email.toLowerCase(), /^Reset your password$/), 'reset-password');
      expectStatus(await as.request('POST', `${API}/auth/reset-password`, { json: { token: reset, password: 'the owners new secret' } }), 204);
      clock.advance(30_000);
      const step = await as.request('POST', `${API}/auth/login`, { form: { username: account.username, password: 'the owners new secret' } });
      expectStatus(await as.request('POST', `${API}/auth/login/mfa`, { form: { mfa_token: (step.body as { mfa_token: string }).mfa_token, code: right() } }), 200);
    });

    it('lets a superuser remove a user\'s second factors (DELETE /users/{id}/mfa), 404 for an unknown user, and refuses PATCH mfa_enabled', async () => {
      const as = client('198.51.100.250');
      const { tokens } = await registered(as);
      const enrolled = await as.request('POST', `${API}/users/me/mfa/totp`, { token: tokens.access_token, json: {} });
      const { secret } = enrolled.body as { secret: string };
      expectStatus(await as.request('POST', `${API}/users/me/mfa/totp/confirm`, { token: tokens.access_token, json: { code: totp.generate(secret, clock.now()) } }), 200);
      const id = ((await as.request('GET', `${API}/users/me`, { token: tokens.access_token })).body as { id: string }).id;
      const admin = client('198.51.100.251');
      const adminToken = (await logIn(admin, root.username, root.password)).access_token;
      const patched = await admin.request('PATCH', `${API}/users/${id}`, { token: adminToken, json: { mfa_enabled: false } });
      expectStatus(patched, 422);
      expectStatus(await admin.request('DELETE', `${API}/users/00000000-0000-7000-8000-000000000000/mfa`, { token: adminToken }), 404);
      expectStatus(await admin.request('DELETE', `${API}/users/${id}/mfa`, { token: adminToken }), 204);
      const user = await admin.request('GET', `${API}/users/${id}`, { token: adminToken });
      expect((user.body as { mfa_enabled: boolean }).mfa_enabled).to.equal(false);
      const events = await admin.request('GET', `${API}/audit-events?user_id=${id}&type=admin.mfa_reset`, { token: adminToken });
      expect((events.body as { items: unknown[] }).items).to.have.length(1);
    });

    it('answers the OAuth errors on the token routes, and a 422 naming a query parameter with a control character', async () => {
      const as = client('198.51.100.252');
      const login = await as.request('POST', `${API}/auth/login`, { form: { username: 'x', password: 'y', grant_type: 'client_credentials' } });
      expectStatus(login, 400);
      expect((login.body as { error: string }).error).to.equal('unsupported_grant_type');
      const missing = await as.request('POST', `${API}/auth/refresh`, { form: { refresh_token: 'abc' } });
      expectStatus(missing, 400);
      expect((missing.body as { error: string }).error).to.equal('invalid_request');
      const other = await as.request('POST', `${API}/auth/refresh`, { form: { grant_type: 'password', refresh_token: 'abc' } });
      expectStatus(other, 400);
      expect((other.body as { error: string }).error).to.equal('unsupported_grant_type');

      const adminToken = (await logIn(as, root.username, root.password)).access_token;
      const search = await as.request('GET', `${API}/users?q=a%00b`, { token: adminToken });
      expectStatus(search, 422);
      expect((search.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.deep.equal(['q']);
    });
  });
}

freshAuthenticationSuite('in memory', () => ({ DATABASE_URL: 'memory' }));
freshAuthenticationSuite('embedded PGlite', () => ({ DATABASE_URL: '' }));

describe('on PostgreSQL', function () {
  let scratch: ScratchDatabase | undefined;
  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
  });
  after(async () => scratch?.drop());
  freshAuthenticationSuite('PostgreSQL', () => ({ DATABASE_URL: scratch!.url }));
});
