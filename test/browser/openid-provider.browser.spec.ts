import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { skipOrFail } from '../support/services.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { freePort, startTestServer, type TestServer } from '../support/test-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ROOT = { email: 'root-op-browser@example.com', username: 'root_op_browser', password: 'root-passphrase-for-op-browser' };

/**
 * openid-client (a certified relying party) runs the authorization code flow with PKCE against the real service,
 * through real headless Chromium on the service's own /login page; the relying party's redirect_uri is a loopback
 * listener of this test, which records what the browser brings back.
 */
describe('OpenID Provider in a browser (openid-client, Chromium, the /login page)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let issuer: string;
  let api: ApiClient;
  let browser: Browser | undefined;
  let rp: Server | undefined;
  let redirectUri = '';
  let postLogoutUri = '';
  /** Every URL the relying party's listener received, in order. */
  const received: URL[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) return skipOrFail(this, 'Chromium', new Error(`no executable at ${CHROMIUM}; set CHROMIUM_PATH`));
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    server = await startTestServer({
      PORT: String(port),
      PUBLIC_URL: issuer,
      NODE_ENV: 'development',
      FIRST_SUPERUSER_EMAIL: ROOT.email,
      FIRST_SUPERUSER_USERNAME: ROOT.username,
      FIRST_SUPERUSER_PASSWORD: ROOT.password,
    });
    api = new ApiClient(issuer);
    rp = createServer((request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      // The browser also asks for /favicon.ico: only what an authorization brings back counts.
      if (url.searchParams.has('code') || url.searchParams.has('error')) received.push(url);
      response.setHeader('Content-Type', 'text/html');
      response.end('<!doctype html><html lang="en"><title>Relying party</title><p>back at the application</p></html>');
    });
    await new Promise<void>((resolve) => rp!.listen(0, '127.0.0.1', resolve));
    const rpOrigin = `http://127.0.0.1:${(rp.address() as AddressInfo).port}`;
    redirectUri = `${rpOrigin}/callback`;
    postLogoutUri = `${rpOrigin}/logged-out`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (rp ? rp.close(resolve) : resolve(undefined)));
    await server?.close();
  });

  async function token(account: { username: string; password: string }): Promise<string> {
    const response = await api.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(response.status, response.text).to.equal(200);
    return (response.body as { access_token: string }).access_token;
  }

  async function relyingParty(): Promise<client.Configuration> {
    const created = await api.request('POST', '/api/v1/oauth/clients', {
      token: await token(ROOT),
      json: {
        client_name: 'Notes',
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutUri],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
        first_party: true,
      },
    });
    expect(created.status, created.text).to.equal(201);
    const { client_id, client_secret } = created.body as { client_id: string; client_secret: string };
    return client.discovery(new URL(issuer), client_id, client_secret, client.ClientSecretBasic(client_secret), { execute: [client.allowInsecureRequests] });
  }

  async function person(): Promise<ReturnType<typeof newAccount>> {
    const account = newAccount();
    const created = await api.request('POST', '/api/v1/auth/register', { json: account });
    expect(created.status, created.text).to.equal(201);
    return account;
  }

  /** Sends the browser to the authorization endpoint and answers where it came back to the relying party. */
  async function authorize(page: Page, config: client.Configuration, extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    await page.goto(url.href);
    return { verifier, state };
  }

  async function logInOnThePage(page: Page, account: { username: string; password: string }): Promise<void> {
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('Username or email', { exact: true }).fill(account.username);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  const callback = (page: Page) => page.waitForURL((url) => url.href.startsWith(redirectUri)).then(() => new URL(page.url()));

  it('logs in on /login, issues tokens whose ID token verifies against the JWKS, answers userinfo, refreshes and logs out', async () => {
    const config = await relyingParty();
    const account = await person();
    const page = await browser!.newPage();
    const started = Math.floor(Date.now() / 1000);
    const { verifier, state } = await authorize(page, config);
    await logInOnThePage(page, account);
    const back = await callback(page);
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${issuer}/oauth2/jwks`)), { issuer, audience: config.clientMetadata().client_id });
    expect(payload.preferred_username).to.equal(account.username);
    expect(payload.email).to.equal(account.email);
    expect(payload.amr).to.deep.equal(['pwd']);
    expect(payload.auth_time).to.be.at.least(started - 1);
    const claims = tokens.claims()!;
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.preferred_username).to.equal(account.username);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).to.not.equal(tokens.refresh_token);

    // The code works once.
    const again = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((again as { error?: string }).error).to.equal('invalid_grant');

    // RP-initiated logout: the provider asks, the person confirms, the browser lands on the post-logout URI.
    const logout = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri });
    await page.goto(logout.href);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.href.startsWith(postLogoutUri));
    await page.close();
  });

  it('sends the person through /login again for prompt=login, and the ID token carries that log-in', async () => {
    const config = await relyingParty();
    const account = await person();
    const page = await browser!.newPage();
    const first = await authorize(page, config);
    await logInOnThePage(page, account);
    const firstBack = await callback(page);
    const firstTokens = await client.authorizationCodeGrant(config, firstBack, { pkceCodeVerifier: first.verifier, expectedState: first.state });
    const firstAuthTime = firstTokens.claims()!.auth_time!;

    // Without prompt=login the browser's log-in is reused: straight back to the application.
    const quiet = await authorize(page, config);
    const quietBack = await callback(page);
    const quietTokens = await client.authorizationCodeGrant(config, quietBack, { pkceCodeVerifier: quiet.verifier, expectedState: quiet.state });
    expect(quietTokens.claims()!.auth_time).to.equal(firstAuthTime);

    // prompt=login: the browser is at /login again although logged in (logInOnThePage waits for it there).
    const fresh = await authorize(page, config, { prompt: 'login' });
    await logInOnThePage(page, account);
    const freshBack = await callback(page);
    const freshTokens = await client.authorizationCodeGrant(config, freshBack, { pkceCodeVerifier: fresh.verifier, expectedState: fresh.state });
    expect(freshTokens.claims()!.auth_time).to.be.at.least(firstAuthTime);
    expect(freshTokens.claims()!.amr).to.deep.equal(['pwd']);
    await page.close();
  });

  it('refuses a missing code_verifier and a wrong client secret, and never redirects to an unregistered redirect_uri', async () => {
    const config = await relyingParty();
    const account = await person();
    const page = await browser!.newPage();
    const { state } = await authorize(page, config);
    await logInOnThePage(page, account);
    const back = await callback(page);
    const missing = await client.authorizationCodeGrant(config, back, { expectedState: state }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(missing, 'no code_verifier').to.be.instanceOf(Error);

    const wrong = await client
      .discovery(new URL(issuer), config.clientMetadata().client_id, 'not-the-secret', client.ClientSecretBasic('not-the-secret'), { execute: [client.allowInsecureRequests] })
      .then((bad) => client.authorizationCodeGrant(bad, back, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    // RFC 6749 §5.2: 401 with a WWW-Authenticate challenge naming invalid_client (client_secret_basic).
    const refusal = wrong as { error?: string; status?: number; cause?: { parameters?: { error?: string } }[] };
    expect(refusal.status).to.equal(401);
    expect(refusal.error ?? refusal.cause?.[0]?.parameters?.error).to.equal('invalid_client');

    const before = received.length;
    const evil = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:9/steal',
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const answer = await page.goto(evil.href);
    expect(answer?.status()).to.equal(400);
    expect(new URL(page.url()).origin).to.equal(issuer);
    expect(received.length).to.equal(before);
    await page.close();
  });
});
