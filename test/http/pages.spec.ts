import { expect } from 'chai';
import { developmentMailbox, isLoopback } from '../../bootstrap/modules/pages-module.js';
import { newAccount } from '../support/http-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A browser, by hand: a cookie jar of name=value pairs and the headers Chromium sends with a same-origin post. */
class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit & { form?: Record<string, string>; site?: string; origin?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    if (init.form) {
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
      headers.set('Sec-Fetch-Site', init.site ?? 'same-origin');
      if (init.origin) headers.set('Origin', init.origin);
    }
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      method: init.form ? 'POST' : (init.method ?? 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : init.body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The CSRF token of the forms on a page. */
  async csrfToken(path: string): Promise<string> {
    const html = await (await this.request(path)).text();
    return /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
  }
}

describe('Pages for people over HTTP', () => {
  let server: TestServer;
  let base: string;

  before(async () => {
    server = await startTestServer();
    base = server.publicUrl;
  });
  after(() => server?.close());

  async function registered(browser: Browser) {
    const account = newAccount();
    const response = await browser.request('/register', { form: { ...account, csrf_token: await browser.csrfToken('/register') } });
    expect(response.status).to.equal(303);
    return account;
  }

  async function loggedIn() {
    const browser = new Browser(base);
    const account = await registered(browser);
    const response = await browser.request('/login', { form: { login: account.username, password: account.password, csrf_token: await browser.csrfToken('/login') } });
    expect(response.status).to.equal(303);
    expect(response.headers.get('Location')).to.equal('/account');
    return { browser, account };
  }

  it('answers every page with a CSP that allows scripts only by nonce, frames nowhere, and keeps the origin in Referer', async () => {
    for (const path of ['/login', '/register', '/forgot-password', '/reset-password?token=abc', '/verify-email?token=abc', '/revert-email?token=abc', '/logout']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).to.equal(200);
      const csp = response.headers.get('Content-Security-Policy')!;
      expect(csp, path).to.match(/script-src 'self' 'nonce-[^']+'/);
      expect(csp, path).to.include("frame-ancestors 'none'").and.include("form-action 'self'").and.not.include('unsafe-inline');
      expect(response.headers.get('Referrer-Policy'), path).to.equal('same-origin');
      expect(response.headers.get('Cache-Control'), path).to.equal('no-store');
    }
  });

  it('sets a session cookie that is HttpOnly, SameSite=Lax and, outside development on localhost, __Host- and Secure', async () => {
    const browser = new Browser(base);
    const account = await registered(browser);
    const response = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Cookie: [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
      body: new URLSearchParams({ login: account.email, password: account.password, csrf_token: await browser.csrfToken('/login') }).toString(),
    });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('__Host-auth_session='));
    expect(cookie).to.match(/^__Host-auth_session=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+$/);
  });

  it('refuses a cross-site form post, and one without the token, with 403 and changes nothing', async () => {
    const { browser, account } = await loggedIn();
    const token = await browser.csrfToken('/account');
    const crossSite = await browser.request('/account/profile', { form: { username: 'changed_cross_site', csrf_token: token }, site: 'cross-site', origin: 'https://evil.example' });
    expect(crossSite.status).to.equal(403);
    // A sibling on the same site that is not listed is refused too.
    const sibling = await browser.request('/account/profile', { form: { username: 'changed_by_sibling', csrf_token: token }, site: 'same-site', origin: 'http://other.localhost' });
    expect(sibling.status).to.equal(403);
    const noToken = await browser.request('/account/profile', { form: { username: 'changed_without_token' } });
    expect(noToken.status).to.equal(403);
    // Chromium under no-referrer sends Origin: null on a same-origin post; Sec-Fetch-Site says what it is.
    const ownPost = await browser.request('/account/profile', { form: { username: `${account.username}_x`, csrf_token: token }, origin: 'null' });
    expect(ownPost.status).to.equal(303);
    const me = (await (await browser.request('/api/v1/users/me')).json()) as { username: string };
    expect(me.username).to.equal(`${account.username}_x`);
  });

  it('lets the JSON API take the cookie, with the token of GET /auth/csrf for unsafe calls', async () => {
    const { browser, account } = await loggedIn();
    expect((await browser.request('/api/v1/users/me')).status).to.equal(200);
    const patch = (headers: Record<string, string>) =>
      browser.request('/api/v1/users/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ username: `${account.username}_y` }) });
    expect((await patch({ Origin: base })).status).to.equal(403);
    expect(((await (await browser.request('/api/v1/users/me')).json()) as { username: string }).username).to.equal(account.username);
    const { csrf_token } = (await (await browser.request('/api/v1/auth/csrf')).json()) as { csrf_token: string };
    expect((await patch({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'X-CSRF-Token': csrf_token })).status).to.equal(403);
    expect((await patch({ Origin: base, 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': csrf_token })).status).to.equal(200);
    // A bearer token has no CSRF token to get.
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: account.email, password: account.password }) });
    const { access_token } = (await login.json()) as { access_token: string };
    expect((await fetch(`${base}/api/v1/auth/csrf`, { headers: { Authorization: `Bearer ${access_token}` } })).status).to.equal(401);
  });

  it('ends the browser session at once when it is ended through the API', async () => {
    const { browser, account } = await loggedIn();
    const sessionId = browser.cookies.get('__Host-auth_session')!.split('.')[0]!;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: account.email, password: account.password }) });
    const { access_token } = (await login.json()) as { access_token: string };
    const ended = await fetch(`${base}/api/v1/users/me/sessions/${sessionId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${access_token}` } });
    expect(ended.status).to.equal(204);
    const account_ = await browser.request('/account');
    expect(account_.status).to.equal(303);
    expect(account_.headers.get('Location')).to.match(/^\/login\?return_to=/);
  });

  it('refuses a forged session cookie', async () => {
    const { browser } = await loggedIn();
    const [id] = browser.cookies.get('__Host-auth_session')!.split('.');
    browser.cookies.set('__Host-auth_session', `${id}.${'A'.repeat(43)}`);
    expect((await browser.request('/api/v1/users/me')).status).to.equal(401);
  });

  it('goes on after the log-in to a path of this service only, never to another origin', async () => {
    for (const [returnTo, expected] of [
      ['/account#sessions', '/account#sessions'],
      ['//evil.example/x', '/account'],
      ['/\\evil.example', '/account'],
      ['https://evil.example', '/account'],
    ]) {
      const browser = new Browser(base);
      const account = await registered(browser);
      const response = await browser.request('/login', { form: { login: account.username, password: account.password, return_to: returnTo!, csrf_token: await browser.csrfToken('/login') } });
      expect(response.headers.get('Location'), returnTo).to.equal(expected);
    }
  });

  it('names the field of an error, and keeps what was typed but not the password', async () => {
    const browser = new Browser(base);
    const response = await browser.request('/register', { form: { email: 'not-an-address', username: 'someone_new', password: 'violet-Harbor-93-quartz', csrf_token: await browser.csrfToken('/register') } });
    expect(response.status).to.equal(400);
    const html = await response.text();
    expect(html).to.match(/<input[^>]*id="email"[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"/);
    expect(html).to.include('value="someone_new"').and.not.include('violet-Harbor-93-quartz');
    expect(html).to.include('href="#email"');
  });

  it('escapes what a person typed', async () => {
    const browser = new Browser(base);
    const response = await browser.request('/login', { form: { login: '"><script>alert(1)</script>', password: 'x', csrf_token: await browser.csrfToken('/login') } });
    const html = await response.text();
    expect(html).to.not.include('<script>alert(1)</script>');
    expect(html).to.include('&quot;>&lt;script>alert(1)&lt;/script>');
  });

  it('serves its assets from this origin under content-hashed names, cached for good', async () => {
    const html = await (await fetch(`${base}/login`)).text();
    const href = /href="(\/assets\/pages\.[0-9a-f]{12}\.css)"/.exec(html)![1]!;
    const css = await fetch(`${base}${href}`);
    expect(css.status).to.equal(200);
    expect(css.headers.get('Content-Type')).to.match(/^text\/css/);
    expect(css.headers.get('Cache-Control')).to.include('immutable');
    expect((await fetch(`${base}/assets/pages.000000000000.css`)).status).to.equal(404);
  });

  it('has no /dev/mail outside development', async () => {
    expect((await fetch(`${base}/dev/mail`)).status).to.equal(404);
  });
});

describe('/dev/mail', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  after(() => server?.close());

  it('lists the development outbox in development, to a loopback peer with no forwarding header', async () => {
    expect((await fetch(`${server.url}/dev/mail`)).status).to.equal(200);
  });

  for (const header of ['X-Forwarded-For', 'Forwarded', 'X-Forwarded-Host', 'X-Real-IP']) {
    it(`is a 404 for a request carrying ${header} (a reverse proxy in front)`, async () => {
      expect((await fetch(`${server.url}/dev/mail`, { headers: { [header]: '127.0.0.1' } })).status).to.equal(404);
    });
  }

  it('is a 404 when the service sends real mail (SMTP_URL)', async () => {
    const withSmtp = await startTestServer({ NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:9', MAIL_ENABLED: 'false' });
    try {
      expect((await fetch(`${withSmtp.url}/dev/mail`)).status).to.equal(404);
    } finally {
      await withSmtp.close();
    }
  });

  it('does not exist on a listener other than loopback, nor outside development', () => {
    const local = { env: 'development', smtpUrl: undefined, host: '127.0.0.1', dataDir: '/tmp/x' } as const;
    expect(developmentMailbox(local)).to.not.equal(undefined);
    expect(developmentMailbox({ ...local, host: '0.0.0.0' })).to.equal(undefined);
    expect(developmentMailbox({ ...local, host: '::' })).to.equal(undefined);
    expect(developmentMailbox({ ...local, env: 'production' })).to.equal(undefined);
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost'].every(isLoopback)).to.equal(true);
    expect(['10.0.0.1', '0.0.0.0', '::', '192.168.1.2'].some(isLoopback)).to.equal(false);
  });
});
