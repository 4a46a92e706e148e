import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-postgres.js';
import { skipOrFail } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BROWSER_BUNDLE = join(REPO_ROOT, 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js');

/**
 * A port the OS just handed out. The relying party's origin must name the port the browser uses, and the origin is
 * configuration, read before the server listens: so the port is chosen first, then given to the service.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

type Json = Record<string, unknown>;

/** The stores each run uses: the counter and the sessions' `amr` go through each store's own code. */
const STORES: readonly { readonly name: string; database(): Promise<{ url: string; drop?: () => Promise<void> }> }[] = [
  { name: 'memory', database: async () => ({ url: 'memory' }) },
  // Unset: the default, embedded PostgreSQL under the test's own DATA_DIR.
  { name: 'the embedded default (PGlite)', database: async () => ({ url: '' }) },
  {
    name: 'PostgreSQL',
    async database() {
      const scratch: ScratchDatabase = await createScratchDatabase();
      return { url: scratch.url, drop: () => scratch.drop() };
    },
  },
];

for (const store of STORES) {
  describe(`Passkeys in a browser (Chromium virtual authenticator), on ${store.name}`, function () {
    this.timeout(90_000);
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    let base: string;
    let drop: (() => Promise<void>) | undefined;

    before(async function () {
      if (!existsSync(CHROMIUM)) return skipOrFail(this, 'Chromium', new Error(`no executable at ${CHROMIUM}; set CHROMIUM_PATH`));
      let database;
      try {
        database = await store.database();
      } catch (error) {
        return skipOrFail(this, store.name, error);
      }
      drop = database.drop;
      const port = await freePort();
      // WebAuthn refuses IP addresses: the browser and the relying party both say localhost.
      base = `http://localhost:${port}`;
      server = await startTestServer({ PORT: String(port), PUBLIC_URL: base, DATABASE_URL: database.url });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await drop?.();
    });

    async function api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
    }

    /** A page of the service with @simplewebauthn/browser loaded and a virtual authenticator attached. */
    async function authenticatorPage(backedUp = false): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
      // The bundle is injected as an inline script, which the API's own CSP would refuse: the pages serve it themselves.
      const context = await browser!.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${base}/health/live`);
      await page.addScriptTag({ path: BROWSER_BUNDLE });
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          // A synced passkey's flags (BE, BS): what a password manager's passkey reports.
          ...(backedUp ? { defaultBackupEligibility: true, defaultBackupState: true } : {}),
        },
      });
      return { context, page, cdp, authenticatorId };
    }

    const create = (page: Page, optionsJSON: Json) =>
      page.evaluate((options) => (globalThis as unknown as { SimpleWebAuthnBrowser: { startRegistration(o: unknown): Promise<Json> } }).SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options }), optionsJSON);
    const get = (page: Page, optionsJSON: Json) =>
      page.evaluate((options) => (globalThis as unknown as { SimpleWebAuthnBrowser: { startAuthentication(o: unknown): Promise<Json> } }).SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: options }), optionsJSON);

    async function registeredUserToken(): Promise<string> {
      const tag = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
      const user = { email: `pk-${tag}@example.com`, username: `pk_${tag}`, password: 'violet-Harbor-93-quartz' };
      expect((await api('POST', '/auth/register', user)).status).to.equal(201);
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: user.username, password: user.password }),
      });
      expect(login.status).to.equal(200);
      return ((await login.json()) as { access_token: string }).access_token;
    }

    async function loginOptions(): Promise<{ challengeId: string; options: Json }> {
      const answer = await api('POST', '/auth/passkey/options');
      expect(answer.status).to.equal(200);
      const { challenge_id: challengeId, ...options } = answer.body;
      expect(options).to.not.have.property('allowCredentials');
      return { challengeId: challengeId as string, options };
    }

    const amrOf = (accessToken: string) => (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { amr: string[] }).amr;

    it('adds a passkey, logs in with it alone, and refuses a replay, a reused challenge and a counter gone backwards', async () => {
      const token = await registeredUserToken();
      const { context, page, cdp, authenticatorId } = await authenticatorPage();
      try {
        // Add a passkey from the page, against the JSON routes.
        const creation = await api('POST', '/users/me/passkeys/options', undefined, token);
        expect(creation.status).to.equal(200);
        expect(creation.body['authenticatorSelection']).to.deep.include({ residentKey: 'required', userVerification: 'required' });
        const attestation = await create(page, creation.body);
        const added = await api('POST', '/users/me/passkeys', { response: attestation, name: 'Virtual key' }, token);
        expect(added.status, JSON.stringify(added.body)).to.equal(201);
        expect(added.body).to.include({ id: attestation['id'], name: 'Virtual key', device_type: 'singleDevice', backed_up: false, last_used_at: null });
        // The same attestation again: its challenge is spent.
        expect((await api('POST', '/users/me/passkeys', { response: attestation }, token)).status).to.equal(400);

        // Log in with the passkey alone: no username, no password.
        const first = await loginOptions();
        const assertion = await get(page, first.options);
        const loggedIn = await api('POST', '/auth/passkey/login', { challenge_id: first.challengeId, response: assertion });
        expect(loggedIn.status, JSON.stringify(loggedIn.body)).to.equal(200);
        const accessToken = loggedIn.body['access_token'] as string;
        expect(amrOf(accessToken)).to.deep.equal(['hwk', 'user', 'mfa']);
        expect((await api('GET', '/users/me', undefined, accessToken)).status).to.equal(200);

        // A replayed assertion: refused.
        const replay = await api('POST', '/auth/passkey/login', { challenge_id: first.challengeId, response: assertion });
        expect([replay.status, replay.body['error']]).to.deep.equal([400, 'invalid_grant']);

        // Two fresh assertions for one challenge: the first logs in, the second is refused.
        const shared = await loginOptions();
        const one = await get(page, shared.options);
        const two = await get(page, shared.options);
        expect((await api('POST', '/auth/passkey/login', { challenge_id: shared.challengeId, response: one })).status).to.equal(200);
        const again = await api('POST', '/auth/passkey/login', { challenge_id: shared.challengeId, response: two });
        expect([again.status, again.body['error']]).to.deep.equal([400, 'invalid_grant']);

        // A copy of the key with an older signature counter (a cloned authenticator): refused and recorded.
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        expect(credentials).to.have.length(1);
        const [stored] = credentials;
        expect(stored!.signCount).to.be.greaterThan(1);
        await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: stored!.credentialId });
        await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...stored!, signCount: 0 } });
        const cloned = await loginOptions();
        const regressed = await api('POST', '/auth/passkey/login', { challenge_id: cloned.challengeId, response: await get(page, cloned.options) });
        expect([regressed.status, regressed.body['error']]).to.deep.equal([400, 'invalid_grant']);
        const events = await api('GET', '/users/me/events', undefined, accessToken);
        const types = (events.body['items'] as { type: string; details: Json }[]).map((e) => e.type);
        expect(types).to.include.members(['passkey.added', 'passkey.counter_regressed', 'login.succeeded']);

        // The list says when it was last used; renaming and removing work from the same routes.
        const listed = await api('GET', '/users/me/passkeys', undefined, accessToken);
        expect((listed.body as unknown as Json[]).map((p) => p['name'])).to.deep.equal(['Virtual key']);
        const id = encodeURIComponent(attestation['id'] as string);
        expect((await api('PATCH', `/users/me/passkeys/${id}`, { name: 'Renamed' }, accessToken)).body['name']).to.equal('Renamed');
        expect((await api('DELETE', `/users/me/passkeys/${id}`, undefined, accessToken)).status).to.equal(204);
        const gone = await loginOptions();
        expect((await api('POST', '/auth/passkey/login', { challenge_id: gone.challengeId, response: await get(page, gone.options) })).status).to.equal(400);
      } finally {
        await context.close();
      }
    });

    it('says swk for a backed-up (synced) passkey', async () => {
      const token = await registeredUserToken();
      const { context, page } = await authenticatorPage(true);
      try {
        const attestation = await create(page, (await api('POST', '/users/me/passkeys/options', undefined, token)).body);
        const added = await api('POST', '/users/me/passkeys', { response: attestation }, token);
        expect(added.body).to.include({ device_type: 'multiDevice', backed_up: true });
        const { challengeId, options } = await loginOptions();
        const loggedIn = await api('POST', '/auth/passkey/login', { challenge_id: challengeId, response: await get(page, options) });
        expect(loggedIn.status).to.equal(200);
        expect(amrOf(loggedIn.body['access_token'] as string)).to.deep.equal(['swk', 'user', 'mfa']);
      } finally {
        await context.close();
      }
    });
  });
}
