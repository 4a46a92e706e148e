import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { TOTP, URI } from 'otpauth';
import { TOKENS } from '../../bootstrap/tokens.js';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { REDIS_URL, requireRedis } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
// Registers the check that every response matches the OpenAPI document, here as in the main HTTP suite.
import { TEST_SECRET, type ServerFactory } from './http-api.suite.js';

const STEP_MS = 30_000;

type Account = ReturnType<typeof newAccount>;

/** The code an authenticator app with this secret shows, `offsetSteps` steps from now. */
function codeOf(app: TOTP, offsetSteps = 0): string {
  return app.generate({ timestamp: Date.now() + offsetSteps * STEP_MS });
}

/** A code no step near now has, so a wrong try never passes by chance, however the steps turn meanwhile. */
function wrongCodeFor(app: TOTP): string {
  const near = [-2, -1, 0, 1, 2].map((offset) => codeOf(app, offset));
  for (let candidate = 0; ; candidate++) {
    const text = String(candidate).padStart(6, '0');
    if (!near.includes(text)) return text;
  }
}

interface Tokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

/**
 * The two-factor routes over a real server, as a client with an authenticator app uses them. The server runs on
 * the system clock, so codes come from real time: the confirming code is the current step's, and a log-in uses
 * the next step's, which the one step of drift allows. Later steps would need waiting, so further second factors
 * are recovery codes.
 */
function twoFactorSuite(name: string, start: ServerFactory): void {
  describe(`Two-factor log-in over HTTP (${name})`, function () {
    let server: TestServer;

    before(async function () {
      server = await start({ SECRET_KEY: TEST_SECRET });
    });
    after(async () => server?.close());

    /** A registered account with an access token, seen from a client of its own address. */
    async function signedUp(client = new ApiClient(server.url)) {
      const account = newAccount();
      expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
      const login = await passwordStep(client, account);
      expect(login.status, login.text).to.equal(200);
      return { client, account, token: (login.body as Tokens).access_token };
    }

    /** An account with two-factor log-in on: its app (parsed from the otpauth URI, as an app would) and codes. */
    async function withTotp() {
      const world = await signedUp();
      const { client, account, token } = world;
      const enrol = await client.request('POST', '/api/v1/users/me/mfa/totp', { token, json: { current_password: account.password } });
      expect(enrol.status, enrol.text).to.equal(200);
      expect(enrol.headers.get('cache-control')).to.equal('no-store');
      const { secret, otpauth_uri } = enrol.body as { secret: string; otpauth_uri: string };
      const app = URI.parse(otpauth_uri);
      if (!(app instanceof TOTP)) throw new Error(`not a TOTP URI: ${otpauth_uri}`);
      expect(app.secret.base32).to.equal(secret);
      expect(app.label).to.equal(account.username);
      const code = (offsetSteps = 0) => codeOf(app, offsetSteps);
      const wrongCode = () => wrongCodeFor(app);

      const confirm = await client.request('POST', '/api/v1/users/me/mfa/totp/confirm', { token, json: { code: code() } });
      expect(confirm.status, confirm.text).to.equal(200);
      expect(confirm.headers.get('cache-control')).to.equal('no-store');
      const { recovery_codes: recoveryCodes } = confirm.body as { recovery_codes: string[] };
      expect(recoveryCodes).to.have.length(10);
      expect(new Set(recoveryCodes).size).to.equal(10);
      return { ...world, secret, code, wrongCode, recoveryCodes };
    }

    function passwordStep(client: ApiClient, account: Account): Promise<Exchange> {
      return client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    }

    /** The password step of an account with a second factor: a 403 with the mfa_token and no token. */
    async function mfaToken(client: ApiClient, account: Account): Promise<string> {
      const response = await passwordStep(client, account);
      expect(response.status, response.text).to.equal(403);
      const body = response.body as Record<string, unknown>;
      expect(body).to.include({ error: 'mfa_required', expires_in: 300 });
      expect(body).not.to.have.property('access_token');
      expect(body.mfa_token).to.be.a('string');
      return body.mfa_token as string;
    }

    function secondStep(client: ApiClient, token: string, code: string, as: 'form' | 'json' = 'form'): Promise<Exchange> {
      const fields = { mfa_token: token, code };
      return client.request('POST', '/api/v1/auth/login/mfa', as === 'form' ? { form: fields } : { json: fields });
    }

    function expectInvalidGrant(response: Exchange): void {
      expect(response.status, response.text).to.equal(400);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((response.body as { error?: string }).error).to.equal('invalid_grant');
    }

    async function auditTypes(userId: string): Promise<string[]> {
      const log = await server.container.getAsync(TOKENS.AuditLog);
      return (await log.list({ userId }, { limit: 100 })).map((event) => event.type).reverse();
    }

    it('turns two-factor log-in on, logs in in two steps with amr pwd+otp, refuses the code twice, and turns it off again', async () => {
      const { client, account, token, code, recoveryCodes } = await withTotp();
      const me = await client.request('GET', '/api/v1/users/me', { token });
      expect((me.body as { mfa_enabled: boolean }).mfa_enabled).to.equal(true);

      // The password alone opens nothing; the next step's code, which the drift allows, finishes the log-in.
      const next = code(1);
      const login = await secondStep(client, await mfaToken(client, account), next);
      expect(login.status, login.text).to.equal(200);
      expect(login.headers.get('cache-control')).to.equal('no-store');
      expect(login.headers.get('pragma')).to.equal('no-cache');
      const tokens = login.body as Tokens;
      expect(decodeJwt(tokens.access_token).amr).to.deep.equal(['pwd', 'otp']);
      expect((await client.request('GET', '/api/v1/users/me', { token: tokens.access_token })).status).to.equal(200);

      // The same code again, on a fresh mfa_token, as JSON this time: spent.
      expectInvalidGrant(await secondStep(client, await mfaToken(client, account), next, 'json'));

      // A recovery code, typed in capitals with spaces, works once.
      const typed = recoveryCodes[0]!.toUpperCase().replaceAll('-', ' ');
      const byRecovery = await secondStep(client, await mfaToken(client, account), typed);
      expect(byRecovery.status, byRecovery.text).to.equal(200);
      expect(decodeJwt((byRecovery.body as Tokens).access_token).amr).to.deep.equal(['pwd', 'otp']);
      expectInvalidGrant(await secondStep(client, await mfaToken(client, account), recoveryCodes[0]!));

      // A refresh keeps how the session was opened.
      const refreshed = await client.request('POST', '/api/v1/auth/refresh', { form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token } });
      expect(refreshed.status, refreshed.text).to.equal(200);
      expect(decodeJwt((refreshed.body as Tokens).access_token).amr).to.deep.equal(['pwd', 'otp']);

      // Off, with the password and a recovery code: one-step log-in is back, and says so in amr.
      const off = await client.request('POST', '/api/v1/users/me/mfa/totp/disable', {
        token,
        json: { current_password: account.password, code: recoveryCodes[1]! },
      });
      expect(off.status, off.text).to.equal(204);
      const plain = await passwordStep(client, account);
      expect(plain.status, plain.text).to.equal(200);
      expect(decodeJwt((plain.body as Tokens).access_token).amr).to.deep.equal(['pwd']);
      const after = await client.request('GET', '/api/v1/users/me', { token: (plain.body as Tokens).access_token });
      expect((after.body as { mfa_enabled: boolean }).mfa_enabled).to.equal(false);

      const userId = (me.body as { id: string }).id;
      const types = await auditTypes(userId);
      expect(types.filter((type) => type.startsWith('mfa.'))).to.deep.equal(['mfa.enabled', 'mfa.recovery_code_used', 'mfa.disabled']);
      const log = await server.container.getAsync(TOKENS.AuditLog);
      const logIns = (await log.list({ userId, type: 'login.succeeded' }, { limit: 100 })).reverse();
      expect(logIns.map((event) => event.details.amr)).to.deep.equal([['pwd'], ['pwd', 'otp'], ['pwd', 'otp'], ['pwd']]);
      expect(logIns[1]!.ip).to.equal(client.ip);
    });

    it('refuses the mfa_token as a bearer token', async () => {
      const { client, account } = await withTotp();
      const token = await mfaToken(client, account);
      const response = await client.request('GET', '/api/v1/users/me', { token });
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
    });

    it("kills the mfa_token after its fifth wrong code, and then the account's failure limit answers 429", async () => {
      const { client, account, code, wrongCode } = await withTotp();
      const spent = await mfaToken(client, account);
      const spare = await mfaToken(client, account);
      for (let i = 0; i < 5; i++) expectInvalidGrant(await secondStep(client, spent, wrongCode()));
      // A right code cannot revive it.
      expectInvalidGrant(await secondStep(client, spent, code(1)));
      // Five failures from this address spent the account's budget for it: the live token is refused as well.
      const limited = await secondStep(client, spare, code(1));
      expect(limited.status, limited.text).to.equal(429);
      expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
      // From another address the code (unspent so far) still finishes a new log-in.
      const elsewhere = new ApiClient(server.url);
      const login = await secondStep(elsewhere, await mfaToken(elsewhere, account), code(1));
      expect(login.status, login.text).to.equal(200);
    });

    it('takes the mfa_token only from the address that gave the password', async () => {
      const { client, account, code } = await withTotp();
      const token = await mfaToken(client, account);
      expectInvalidGrant(await secondStep(new ApiClient(server.url), token, code(1)));
    });

    it('refuses a wrong password or code when turning the factor on, confirming it or turning it off, and changes nothing', async () => {
      const { client, account, token } = await signedUp();
      const enrol = (password: string) => client.request('POST', '/api/v1/users/me/mfa/totp', { token, json: { current_password: password } });
      expect((await enrol('not the password')).status).to.equal(403);
      const pending = await enrol(account.password);
      expect(pending.status).to.equal(200);
      const app = URI.parse((pending.body as { otpauth_uri: string }).otpauth_uri) as TOTP;
      const wrong = wrongCodeFor(app);

      const badConfirm = await client.request('POST', '/api/v1/users/me/mfa/totp/confirm', { token, json: { code: wrong } });
      expect(badConfirm.status).to.equal(400);
      expect((badConfirm.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.deep.equal(['code']);
      expect((await passwordStep(client, account)).status, 'a pending factor asks for nothing').to.equal(200);
      const malformed = await client.request('POST', '/api/v1/users/me/mfa/totp/confirm', { token, json: { code: '12345' } });
      expect(malformed.status).to.equal(422);

      expect((await client.request('POST', '/api/v1/users/me/mfa/totp/confirm', { token, json: { code: codeOf(app) } })).status).to.equal(200);
      expect((await enrol(account.password)).status, 'already on').to.equal(409);

      const disable = (password: string, code: string) =>
        client.request('POST', '/api/v1/users/me/mfa/totp/disable', { token, json: { current_password: password, code } });
      expect((await disable('not the password', codeOf(app, 1))).status).to.equal(403);
      expect((await disable(account.password, wrongCodeFor(app))).status).to.equal(400);
      // Still on.
      await mfaToken(client, account);
    });
  });
}

twoFactorSuite('in-memory store', (env) => startTestServer({ DATABASE_URL: 'memory', ...env }));
// DATABASE_URL unset: the default, embedded PostgreSQL under the test's own DATA_DIR.
twoFactorSuite('PGlite store', (env) => startTestServer({ DATABASE_URL: '', ...env }));

describe('Two-factor log-in over HTTP on PostgreSQL + Redis', function () {
  let scratch: ScratchDatabase | undefined;

  before(async function () {
    scratch = await scratchDatabaseOrSkip(this);
    await requireRedis(this);
  });
  after(async () => scratch?.drop());

  twoFactorSuite('PostgreSQL store, Redis rate limiter', (env) => startTestServer({ DATABASE_URL: scratch!.url, REDIS_URL, ...env }));
});
