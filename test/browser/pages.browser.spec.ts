import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually } from '../support/eventually.js';
import { scratchDatabaseOrSkip, type ScratchDatabase } from '../support/scratch-postgres.js';
import { skipOrFail } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = process.env.PAGE_SHOTS_DIR ?? '/tmp/shots';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Watch {
  /** Requests to any origin but the service's. */
  readonly foreign: string[];
  /** Content-Security-Policy refusals the pages logged. */
  readonly cspErrors: string[];
  /** Every page (document) response: its URL and CSP header. */
  readonly documents: { url: string; csp: string | undefined }[];
}

function watch(context: BrowserContext, origin: string, allowed: readonly string[] = []): Watch {
  const seen: Watch = { foreign: [], cspErrors: [], documents: [] };
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.origin !== origin && !allowed.includes(url.origin)) seen.foreign.push(request.url());
  });
  context.on('response', (response) => {
    if (response.request().resourceType() === 'document' && new URL(response.url()).origin === origin) {
      seen.documents.push({ url: response.url(), csp: response.headers()['content-security-policy'] });
    }
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) seen.cspErrors.push(message.text());
  });
  return seen;
}

/** axe-core, evaluated through the DevTools protocol (the pages' CSP would refuse an injected script tag). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
}

/** Checks a page as it stands: accessibility, then screenshots at desktop and phone width. */
async function inspect(page: Page, name: string, problems: string[]): Promise<void> {
  for (const violation of await seriousViolations(page)) problems.push(`${name}: ${violation}`);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function newestLink(page: Page, base: string, to: string, path: string): Promise<string> {
  return eventually(`a mail to ${to} with a ${path} link`, async () => {
    await page.goto(`${base}/dev/mail`);
    const links = await page.locator('article.mail', { hasText: `To ${to}` }).first().locator(`a[href*="${path}?token="]`).all();
    return links.length > 0 ? ((await links[0]!.getAttribute('href')) ?? undefined) : undefined;
  });
}

function totpCode(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
}

function pagesSuite(name: string, storeEnv: (context: Mocha.Context) => Promise<Record<string, string>>, cleanUp: () => Promise<void> = async () => {}): void {
  describe(`Pages for people in a browser (${name})`, function () {
    this.timeout(180_000);
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    let attacker: Server | undefined;
    let attackerOrigin = '';
    let base = '';

    before(async function () {
      if (!existsSync(CHROMIUM)) return skipOrFail(this, 'Chromium', new Error(`no executable at ${CHROMIUM}; set CHROMIUM_PATH`));
      // Development: the development outbox and /dev/mail, and cookies without `Secure` over http on localhost.
      server = await startTestServer({ ...(await storeEnv(this)), NODE_ENV: 'development', RATE_LIMIT_PER_MINUTE: '1000' });
      base = server.publicUrl;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
      mkdirSync(SHOTS, { recursive: true });
      // Another site, posting a form of its own to the service.
      attacker = createServer((request, response) => {
        response.setHeader('Content-Type', 'text/html');
        response.end(
          `<!doctype html><html lang="en"><title>Win a prize</title><form method="post" action="${base}/account/profile"><input name="username" value="pwned_by_csrf"><button>Claim</button></form></html>`,
        );
      });
      await new Promise<void>((resolve) => attacker!.listen(0, '127.0.0.1', resolve));
      attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
      await cleanUp();
    });

    it('registers, verifies from the mail, enrols TOTP, logs in with a code, resets the password, refuses cross-site posts', async () => {
      const suffix = `${Date.now().toString(36)}${name.length}`;
      const account = { email: `walk-${suffix}@example.com`, username: `walk_${suffix}`, password: 'violet-Harbor-93-quartz' };
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      const seen = watch(context, base, [attackerOrigin]);
      const page = await context.newPage();
      const problems: string[] = [];
      try {
        // Registration, with a field error first.
        await page.goto(`${base}/register`);
        await inspect(page, 'register', problems);
        await page.getByLabel('Email', { exact: true }).fill(account.email);
        await page.getByLabel('Username', { exact: true }).fill('x');
        await page.getByLabel('Password', { exact: true }).fill(account.password);
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
        await inspect(page, 'register-error', problems);
        await page.getByLabel('Username', { exact: true }).fill(account.username);
        await page.getByLabel('Password', { exact: true }).fill(account.password);
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.waitForURL(/\/login\?done=registered/);
        await inspect(page, 'login-registered', problems);

        // The verification link, from the development outbox.
        const verify = await newestLink(page, base, account.email, '/verify-email');
        await inspect(page, 'dev-mail', problems);
        await page.goto(verify);
        await inspect(page, 'verify-email', problems);
        await page.getByRole('button', { name: 'Confirm my address' }).click();
        await page.waitForURL(/\/login\?done=verified/);

        // A wrong password names the field; then the log-in.
        await page.getByLabel('Username or email', { exact: true }).fill(account.username);
        await page.getByLabel('Password', { exact: true }).fill('not-the-password-at-all');
        await page.getByRole('button', { name: 'Log in' }).click();
        expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
        await inspect(page, 'login-error', problems);
        await page.getByLabel('Password', { exact: true }).fill(account.password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(/\/account$/);
        await page.getByText('verified', { exact: true }).waitFor();
        await inspect(page, 'account', problems);

        // The session cookie: HttpOnly, SameSite=Lax, no token in it.
        const cookie = (await context.cookies(base)).find((c) => c.name === 'auth_session');
        expect(cookie, 'the session cookie').to.not.equal(undefined);
        expect(cookie!).to.deep.include({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(cookie!.value).to.match(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
        const cookieHeader = `auth_session=${cookie!.value}`;

        // The JSON API takes the cookie; an unsafe call without the CSRF token is refused and changes nothing.
        const me = await fetch(`${base}/api/v1/users/me`, { headers: { Cookie: cookieHeader } });
        expect(me.status).to.equal(200);
        const refused = await fetch(`${base}/api/v1/users/me`, {
          method: 'PATCH',
          headers: { Cookie: cookieHeader, 'Content-Type': 'application/json', Origin: base },
          body: JSON.stringify({ username: 'changed_without_token' }),
        });
        expect(refused.status).to.equal(403);
        const { csrf_token: csrfToken } = (await (await fetch(`${base}/api/v1/auth/csrf`, { headers: { Cookie: cookieHeader } })).json()) as { csrf_token: string };
        const crossSite = await fetch(`${base}/api/v1/users/me`, {
          method: 'PATCH',
          headers: { Cookie: cookieHeader, 'Content-Type': 'application/json', Origin: attackerOrigin, 'Sec-Fetch-Site': 'cross-site', 'X-CSRF-Token': csrfToken },
          body: JSON.stringify({ username: 'changed_cross_site' }),
        });
        expect(crossSite.status).to.equal(403);
        const formCrossSite = await fetch(`${base}/account/profile`, {
          method: 'POST',
          redirect: 'manual',
          headers: { Cookie: cookieHeader, 'Content-Type': 'application/x-www-form-urlencoded', Origin: attackerOrigin, 'Sec-Fetch-Site': 'cross-site' },
          body: new URLSearchParams({ username: 'changed_by_form', csrf_token: csrfToken }).toString(),
        });
        expect(formCrossSite.status).to.equal(403);
        const unchanged = (await (await fetch(`${base}/api/v1/users/me`, { headers: { Cookie: cookieHeader } })).json()) as { username: string };
        expect(unchanged.username).to.equal(account.username);

        // The same from another site in the browser: its form post reaches us without the session, and is refused.
        const evil = await context.newPage();
        await evil.goto(attackerOrigin);
        const [answer] = await Promise.all([evil.waitForResponse(`${base}/account/profile`), evil.getByRole('button', { name: 'Claim' }).click()]);
        expect(answer.status()).to.equal(403);
        await evil.close();
        await page.reload();
        expect(await page.locator('#profile-username').inputValue()).to.equal(account.username);

        // Two-factor log-in from the page: the secret read off the page, a code computed from it.
        await page.locator('#two-factor-on-current_password').fill(account.password);
        await page.getByRole('button', { name: 'Set up two-factor log-in' }).click();
        await page.locator('#totp-secret').waitFor();
        await inspect(page, 'two-factor-setup', problems);
        const secret = (await page.locator('#totp-secret').innerText()).trim();
        expect(await page.locator('.qr-code svg').count()).to.equal(1);
        await page.getByLabel('Code from the app', { exact: true }).fill(totpCode(secret, Date.now()));
        await page.getByRole('button', { name: 'Turn on' }).click();
        await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
        await inspect(page, 'recovery-codes', problems);
        const recoveryCodes = await page.locator('.codes code').allInnerTexts();
        expect(recoveryCodes.length).to.be.greaterThan(0);
        await page.getByRole('link', { name: 'I have saved them' }).click();
        await page.getByText('Log-ins ask for a code').waitFor();

        // Log out (GET asks, POST acts), then in again with the password and a code.
        await page.goto(`${base}/logout`);
        await inspect(page, 'logout', problems);
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.waitForURL(/\/login\?done=logged-out/);
        expect((await fetch(`${base}/api/v1/users/me`, { headers: { Cookie: cookieHeader } })).status, 'the ended session').to.equal(401);
        await page.getByLabel('Username or email', { exact: true }).fill(account.email);
        await page.getByLabel('Password', { exact: true }).fill(account.password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(/\/login\/code/);
        await inspect(page, 'login-code', problems);
        // The next step's code: the one of the enrolment is spent, and one step of drift is accepted.
        await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, Date.now() + 30_000));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/\/account$/);
        await page.goto(`${base}/logout`);
        await page.getByRole('button', { name: 'Log out' }).click();
        await page.waitForURL(/\/login\?done=logged-out/);

        // Forgotten password: the mailed link, a new password, a log-in with it (and a recovery code).
        await page.getByRole('link', { name: 'Forgot your password?' }).click();
        await inspect(page, 'forgot-password', problems);
        await page.getByLabel('Email', { exact: true }).fill(account.email);
        await page.getByRole('button', { name: 'Mail me a link' }).click();
        await page.waitForURL(/done=reset-sent/);
        const reset = await newestLink(page, base, account.email, '/reset-password');
        await page.goto(reset);
        await inspect(page, 'reset-password', problems);
        const newPassword = 'amber-Lantern-58-orbit';
        await page.getByLabel('New password', { exact: true }).fill(newPassword);
        await page.getByRole('button', { name: 'Set password' }).click();
        await page.waitForURL(/\/login\?done=password-reset/);
        await page.getByLabel('Username or email', { exact: true }).fill(account.username);
        await page.getByLabel('Password', { exact: true }).fill(newPassword);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(/\/login\/code/);
        await page.getByLabel('Code', { exact: true }).fill(recoveryCodes[0]!);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/\/account$/);
        await page.getByRole('heading', { name: 'Security history' }).waitFor();
        await inspect(page, 'account-after-reset', problems);
      } finally {
        await context.close();
      }
      expect(problems, 'serious or critical accessibility violations').to.deep.equal([]);
      expect(seen.foreign, 'requests to another origin').to.deep.equal([]);
      expect(seen.cspErrors, 'Content-Security-Policy refusals').to.deep.equal([]);
      expect(seen.documents.length).to.be.greaterThan(10);
      for (const document of seen.documents.filter((d) => !new URL(d.url).pathname.startsWith('/api/'))) {
        expect(document.csp, document.url).to.match(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
        expect(document.csp, document.url).to.not.include('unsafe-inline');
        expect(document.csp, document.url).to.include("frame-ancestors 'none'");
      }
    });
  });
}

pagesSuite('embedded PostgreSQL', async () => ({ DATABASE_URL: '' }));

let scratch: ScratchDatabase | undefined;
pagesSuite(
  'PostgreSQL',
  async (context) => {
    scratch = await scratchDatabaseOrSkip(context);
    return { DATABASE_URL: scratch.url };
  },
  async () => scratch?.drop(),
);
