import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { skipOrFail } from '../support/services.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

// ReDoc always renders its attribution logo from its CDN; our CSP refuses it and the element hides itself.
const EXPECTED_REFUSAL = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

/** Everything the page loaded from another origin, and every other CSP refusal it logged: both must stay empty. */
function watch(page: Page, origin: string): { foreign: string[]; cspErrors: string[] } {
  const seen = { foreign: [] as string[], cspErrors: [] as string[] };
  page.on('requestfinished', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.origin !== origin) seen.foreign.push(request.url());
  });
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy/i.test(text) && !text.includes(EXPECTED_REFUSAL)) seen.cspErrors.push(text);
  });
  return seen;
}

describe('Documentation pages in a browser', function () {
  this.timeout(90_000);
  let server: TestServer | undefined;
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) return skipOrFail(this, 'Chromium', new Error(`no executable at ${CHROMIUM}; set CHROMIUM_PATH`));
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in from Swagger UI with the password flow and shows the current user', async () => {
    const user = { email: `docs-${Date.now()}@example.com`, username: `docs_${Date.now()}`, password: 'violet-Harbor-93-quartz' };
    const registered = await fetch(`${server!.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(user),
    });
    expect(registered.status).to.equal(201);

    const page = await browser!.newPage();
    const seen = watch(page, server!.url);
    try {
      await page.goto(`${server!.url}/docs`);
      await page.locator('button.authorize').click();
      const oauth = page.locator('.auth-container', { hasText: 'OAuth2PasswordBearer' });
      await oauth.locator('#oauth_username').fill(user.username);
      await oauth.locator('#oauth_password').fill(user.password);
      await oauth.locator('button.authorize').click();
      await oauth.locator('button', { hasText: 'Logout' }).waitFor();
      await page.locator('.dialog-ux button.close-modal').click();

      const operation = page.locator('#operations-users-getCurrentUser');
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('button.execute').click();
      const live = operation.locator('.live-responses-table');
      const response = live.locator('tr.response').filter({ has: page.locator('.response-col_status', { hasText: '200' }) });
      expect(await response.locator('.response-col_description .highlight-code').first().innerText()).to.contain(user.email);
      await page.screenshot({ path: `${ARTIFACTS}/docs-swagger-ui.png`, fullPage: true });
    } finally {
      await page.close();
    }
    expect(seen.foreign, 'requests to another host').to.deep.equal([]);
    expect(seen.cspErrors, 'Content-Security-Policy refusals').to.deep.equal([]);
  });

  it('lists every operation in ReDoc', async () => {
    const page = await browser!.newPage();
    const seen = watch(page, server!.url);
    try {
      await page.goto(`${server!.url}/redoc`);
      for (const summary of ['Register a new user', 'Log in with the OAuth2 password grant', 'The user the token belongs to', 'Delete the account', 'The process answers']) {
        await page.locator('h2', { hasText: summary }).first().waitFor();
      }
      await page.screenshot({ path: `${ARTIFACTS}/docs-redoc.png` });
    } finally {
      await page.close();
    }
    expect(seen.foreign, 'requests to another host').to.deep.equal([]);
    expect(seen.cspErrors, 'Content-Security-Policy refusals').to.deep.equal([]);
  });
});
