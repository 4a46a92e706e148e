import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { TOKENS } from '../../bootstrap/tokens.js';
import { eventually } from '../support/eventually.js';
import { ApiClient, newAccount, observeResponses, type Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { SmtpCatcher, type CaughtMail } from '../support/smtp-catcher.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Every answer below must be one the OpenAPI document declares, as in the main HTTP suite.
observeResponses((exchange) => assertResponseMatchesDocument(exchange));

const APP_URL = 'https://app.example.com';
const API = '/api/v1';

type LinkPage = 'verify-email' | 'reset-password' | 'revert-email';

function linkToken(mail: CaughtMail, page: LinkPage): string | undefined {
  const match = new RegExp(`${APP_URL.replace(/\./g, '\\.')}/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.parsed.text ?? '');
  return match?.[1];
}

function mailsTo(catcher: SmtpCatcher, address: string): CaughtMail[] {
  return catcher.mails.filter((mail) => mail.envelopeTo.includes(address));
}

/** Waits for the `count`-th mail to `address` whose subject matches, and returns it. */
async function mailTo(catcher: SmtpCatcher, address: string, subject: RegExp, count = 1): Promise<CaughtMail> {
  return eventually(`mail ${count} to ${address} with subject ${subject}`, async () => {
    const matching = mailsTo(catcher, address).filter((mail) => subject.test(mail.parsed.subject ?? ''));
    return matching.length >= count ? matching[count - 1] : undefined;
  });
}

async function tokenMailed(catcher: SmtpCatcher, address: string, subject: RegExp, page: LinkPage, count = 1): Promise<string> {
  const token = linkToken(await mailTo(catcher, address, subject, count), page);
  expect(token, `a ${page} link`).to.be.a('string');
  return token!;
}

function expectProblem(exchange: Exchange, status: number): Record<string, unknown> {
  expect(exchange.status, exchange.text).to.equal(status);
  expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
  return exchange.body as Record<string, unknown>;
}

const VERIFY_SUBJECT = /^Confirm your email address$/;
const RESET_SUBJECT = /^Reset your password$/;
const PASSWORD_CHANGED = /^Your password was changed$/;
const EMAIL_CHANGED = /^Your email address was changed$/;
const REGISTRATION_ATTEMPT = /^Someone tried to register/;

describe('E-mail verification and recovery over HTTP, against a real SMTP server', function () {
  this.timeout(30_000);

  flows('in memory', async () => ({ DATABASE_URL: 'memory' }));

  describe('on PostgreSQL', function () {
    let scratch: ScratchDatabase | undefined;
    before(async function () {
      scratch = await scratchDatabaseOrSkip(this);
    });
    after(async () => scratch?.drop());
    // The outbox is a table there, and the worker is woken through LISTEN/NOTIFY.
    flows('on PostgreSQL', async () => ({ DATABASE_URL: scratch!.url }));
  });

  describe('with REQUIRE_VERIFIED_EMAIL=true', () => {
    let catcher: SmtpCatcher;
    let server: TestServer;
    let client: ApiClient;

    before(async () => {
      catcher = await SmtpCatcher.start();
      server = await startTestServer({ SMTP_URL: catcher.url, APP_URL, REQUIRE_VERIFIED_EMAIL: 'true' });
    });
    after(async () => {
      await server?.close();
      await catcher?.close();
    });
    beforeEach(() => {
      client = new ApiClient(server.url);
    });

    it('registers with 202 and no user, and refuses log-in with 403 until the address is verified', async () => {
      const account = newAccount();
      const registered = await client.request('POST', `${API}/auth/register`, { json: account });
      expect(registered.status, registered.text).to.equal(202);
      expect(registered.body).to.have.all.keys('detail');
      expect(registered.headers.get('location')).to.equal(null);

      const refused = expectProblem(await client.request('POST', `${API}/auth/login`, { form: { username: account.username, password: account.password } }), 403);
      expect(refused.error).to.equal('email_not_verified');

      const token = await tokenMailed(catcher, account.email, VERIFY_SUBJECT, 'verify-email');
      expect((await client.request('POST', `${API}/auth/verify`, { json: { token } })).status).to.equal(200);
      const loggedIn = await client.request('POST', `${API}/auth/login`, { form: { username: account.username, password: account.password } });
      expect(loggedIn.status, loggedIn.text).to.equal(200);
    });

    it('answers a taken email as a new one, and mails its owner a notice instead of a link', async () => {
      const owner = newAccount();
      const first = await client.request('POST', `${API}/auth/register`, { json: owner });
      await mailTo(catcher, owner.email, VERIFY_SUBJECT);

      const again = await client.request('POST', `${API}/auth/register`, { json: newAccount({ email: owner.email }) });
      expect([again.status, again.text]).to.deep.equal([first.status, first.text]);

      const notice = await mailTo(catcher, owner.email, REGISTRATION_ATTEMPT);
      expect(linkToken(notice, 'verify-email')).to.equal(undefined);
      expect(mailsTo(catcher, owner.email).filter((mail) => VERIFY_SUBJECT.test(mail.parsed.subject ?? ''))).to.have.length(1);
    });
  });

  it('without SMTP_URL outside production, logs the reset link and writes the mail under DATA_DIR/outbox', async () => {
    const server = await startTestServer({ APP_URL });
    try {
      const client = new ApiClient(server.url);
      const account = newAccount();
      expect((await client.request('POST', `${API}/auth/register`, { json: account })).status).to.equal(201);
      expect((await client.request('POST', `${API}/auth/forgot-password`, { json: { email: account.email } })).status).to.equal(202);

      const line = await eventually('the logged reset link', async () =>
        server.logLines.find((entry) => typeof entry.link === 'string' && entry.link.startsWith(`${APP_URL}/reset-password?token=`)),
      );
      const outbox = join(server.dataDir, 'outbox');
      const files = await eventually('two .eml files', async () => {
        const names = (await readdir(outbox).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
        return names.length === 2 ? names : undefined;
      });
      const contents = await Promise.all(files.map((name) => readFile(join(outbox, name), 'utf8')));
      expect(contents.some((eml) => /^Subject: Reset your password$/m.test(eml))).to.equal(true);

      // The logged link works.
      const token = new URL(line.link as string).searchParams.get('token')!;
      const reset = await client.request('POST', `${API}/auth/reset-password`, { json: { token, password: `Fresh-lantern-${Date.now()}` } });
      expect(reset.status, reset.text).to.equal(204);
    } finally {
      await server.close();
    }
  });
});

/** The fields a validation problem names. */
function fieldsOf(problem: Record<string, unknown>): string[] {
  return ((problem.errors ?? []) as { path: string }[]).map((error) => error.path);
}

/** The flows whose outcome depends on the store: the outbox, the tokens and the sessions live there. */
function flows(name: string, storeEnv: () => Promise<Record<string, string>>): void {
  describe(`by default (${name})`, () => {
    let catcher: SmtpCatcher;
    let server: TestServer;
    let client: ApiClient;

    before(async () => {
      catcher = await SmtpCatcher.start();
      server = await startTestServer({ ...(await storeEnv()), SMTP_URL: catcher.url, APP_URL });
    });
    after(async () => {
      await server?.close();
      await catcher?.close();
    });
    beforeEach(() => {
      client = new ApiClient(server.url);
    });

    async function register(account = newAccount()) {
      const response = await client.request('POST', `${API}/auth/register`, { json: account });
      expect(response.status, response.text).to.equal(201);
      return account;
    }

    async function logIn(username: string, password: string) {
      const response = await client.request('POST', `${API}/auth/login`, { form: { username, password } });
      expect(response.status, response.text).to.equal(200);
      return response.body as { access_token: string; refresh_token: string };
    }

    it('verifies the address from the link mailed at registration', async () => {
      const account = await register();
      const tokens = await logIn(account.username, account.password);
      expect(((await client.request('GET', `${API}/users/me`, { token: tokens.access_token })).body as { is_verified: boolean }).is_verified).to.equal(false);

      const token = await tokenMailed(catcher, account.email, VERIFY_SUBJECT, 'verify-email');
      const verified = await client.request('POST', `${API}/auth/verify`, { json: { token } });

      expect(verified.status, verified.text).to.equal(200);
      expect(verified.body).to.include({ email: account.email, username: account.username, is_verified: true });
      const me = await client.request('GET', `${API}/users/me`, { token: tokens.access_token });
      expect((me.body as { is_verified: boolean }).is_verified).to.equal(true);
      // Single use.
      expectProblem(await client.request('POST', `${API}/auth/verify`, { json: { token } }), 400);
    });

    it('mails a new verification link on request, and refuses tokens it never issued', async () => {
      const account = await register();
      await mailTo(catcher, account.email, VERIFY_SUBJECT);
      const accepted = await client.request('POST', `${API}/auth/request-verify-token`, { json: { email: account.email } });
      expect(accepted.status, accepted.text).to.equal(202);
      const token = await tokenMailed(catcher, account.email, VERIFY_SUBJECT, 'verify-email', 2);
      expect((await client.request('POST', `${API}/auth/verify`, { json: { token } })).status).to.equal(200);

      expectProblem(await client.request('POST', `${API}/auth/verify`, { json: { token: 'not-a-token-we-issued' } }), 400);
      expect(fieldsOf(expectProblem(await client.request('POST', `${API}/auth/verify`, { json: { token: 'x'.repeat(257) } }), 422))).to.deep.equal(['token']);
      expect(fieldsOf(expectProblem(await client.request('POST', `${API}/auth/request-verify-token`, { json: { email: 'not-an-email' } }), 422))).to.deep.equal(['email']);
    });

    it('resets the password from the mailed link: the new one works; the old one, earlier tokens and links do not; the owner is told', async () => {
      const account = await register();
      const before = await logIn(account.username, account.password);

      expect((await client.request('POST', `${API}/auth/forgot-password`, { json: { email: account.email } })).status).to.equal(202);
      const first = await tokenMailed(catcher, account.email, RESET_SUBJECT, 'reset-password');
      expect((await client.request('POST', `${API}/auth/forgot-password`, { json: { email: account.email } })).status).to.equal(202);
      const second = await tokenMailed(catcher, account.email, RESET_SUBJECT, 'reset-password', 2);

      // A new link voids the older one.
      const newPassword = `Fresh-lantern-${Date.now()}`;
      expectProblem(await client.request('POST', `${API}/auth/reset-password`, { json: { token: first, password: newPassword } }), 400);
      // A weak password is refused and leaves the link usable.
      const weak = expectProblem(await client.request('POST', `${API}/auth/reset-password`, { json: { token: second, password: 'password123' } }), 422);
      expect(fieldsOf(weak)).to.deep.equal(['password']);

      const reset = await client.request('POST', `${API}/auth/reset-password`, { json: { token: second, password: newPassword } });
      expect(reset.status, reset.text).to.equal(204);
      expect(reset.text).to.equal('');

      await logIn(account.username, newPassword);
      expectProblem(await client.request('POST', `${API}/auth/login`, { form: { username: account.username, password: account.password } }), 401);
      expectProblem(await client.request('GET', `${API}/users/me`, { token: before.access_token }), 401);
      const refresh = await client.request('POST', `${API}/auth/refresh`, { form: { grant_type: 'refresh_token', refresh_token: before.refresh_token } });
      expect(expectProblem(refresh, 400).error).to.equal('invalid_grant');
      expectProblem(await client.request('POST', `${API}/auth/reset-password`, { json: { token: second, password: `${newPassword}-again` } }), 400);

      const notice = await mailTo(catcher, account.email, PASSWORD_CHANGED);
      expect(linkToken(notice, 'reset-password')).to.equal(undefined);
    });

    it('answers an unknown address exactly as a known one, and mails nobody', async () => {
      const account = await register();
      const unknown = newAccount().email;
      const outbox = await server.container.getAsync(TOKENS.MailOutbox);

      for (const path of ['/auth/forgot-password', '/auth/request-verify-token']) {
        const forUnknown = await client.request('POST', `${API}${path}`, { json: { email: unknown } });
        const forKnown = await client.request('POST', `${API}${path}`, { json: { email: account.email } });
        expect(forUnknown.status).to.equal(202);
        expect([forUnknown.status, forUnknown.text, forUnknown.headers.get('content-type')]).to.deep.equal([forKnown.status, forKnown.text, forKnown.headers.get('content-type')]);
      }

      // The known address got its reset link and a second verification link: the queue has run dry since.
      await mailTo(catcher, account.email, RESET_SUBJECT);
      await mailTo(catcher, account.email, VERIFY_SUBJECT, 2);
      await eventually('an empty outbox', async () => (await outbox.pendingCount()) === 0);
      expect(mailsTo(catcher, unknown)).to.deep.equal([]);
    });

    it('mails a verification link to a changed address and a revert link to the old one; the revert puts the old one back', async () => {
      const account = await register();
      const { access_token } = await logIn(account.username, account.password);
      await client.request('POST', `${API}/auth/verify`, { json: { token: await tokenMailed(catcher, account.email, VERIFY_SUBJECT, 'verify-email') } });
      const newEmail = newAccount().email;

      const changed = await client.request('PUT', `${API}/users/me`, { token: access_token, json: { email: newEmail } });
      expect(changed.status, changed.text).to.equal(200);
      expect(changed.body).to.include({ email: newEmail, is_verified: false });

      await tokenMailed(catcher, newEmail, VERIFY_SUBJECT, 'verify-email');
      const notice = await mailTo(catcher, account.email, EMAIL_CHANGED);
      expect(notice.parsed.text).to.include(newEmail);
      const revert = linkToken(notice, 'revert-email');
      expect(revert, 'a revert link').to.be.a('string');

      const reverted = await client.request('POST', `${API}/auth/revert-email`, { json: { token: revert } });
      expect(reverted.status, reverted.text).to.equal(204);

      // Every session ended; the old address logs in again, the new one does not.
      expectProblem(await client.request('GET', `${API}/users/me`, { token: access_token }), 401);
      const again = await logIn(account.email, account.password);
      expect((await client.request('GET', `${API}/users/me`, { token: again.access_token })).body).to.include({ email: account.email });
      expectProblem(await client.request('POST', `${API}/auth/login`, { form: { username: newEmail, password: account.password } }), 401);
      expectProblem(await client.request('POST', `${API}/auth/revert-email`, { json: { token: revert } }), 400);
    });
  });

  it(`answers a forgotten password while SMTP is down, and the mail arrives once it is back (${name})`, async () => {
    let catcher = await SmtpCatcher.start();
    const port = Number(new URL(catcher.url).port);
    const server = await startTestServer({ ...(await storeEnv()), SMTP_URL: catcher.url, APP_URL });
    try {
      const client = new ApiClient(server.url);
      const account = newAccount();
      expect((await client.request('POST', `${API}/auth/register`, { json: account })).status).to.equal(201);
      await mailTo(catcher, account.email, VERIFY_SUBJECT);
      await catcher.close();

      const accepted = await client.request('POST', `${API}/auth/forgot-password`, { json: { email: account.email } });
      expect(accepted.status, accepted.text).to.equal(202);
      await eventually('a refused delivery', async () => server.logLines.some((line) => String(line.msg).startsWith('mail delivery failing')));

      catcher = await SmtpCatcher.start(port);
      const token = await tokenMailed(catcher, account.email, RESET_SUBJECT, 'reset-password');
      const reset = await client.request('POST', `${API}/auth/reset-password`, { json: { token, password: `Fresh-lantern-${Date.now()}` } });
      expect(reset.status, reset.text).to.equal(204);
    } finally {
      await server.close();
      await catcher.close();
    }
  });
}
