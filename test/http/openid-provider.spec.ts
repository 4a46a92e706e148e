import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import type { BrowserLogIn } from '../../adapters/http/provider/browser-log-in.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { freePort, startTestServer, type TestServer } from '../support/test-server.js';

const ROOT = newAccount();
const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** A browser's cookies for one origin: enough for oidc-provider's interaction and session cookies. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

describe('The service as an OpenID Provider (oidc-provider, driven by openid-client)', function () {
  let server: TestServer;
  let issuer: string;
  let api: ApiClient;
  let rootToken: string;
  /** Who the service's browser session says is logged in: the pages' cookie session stands in here. */
  let browser: BrowserLogIn | undefined;

  before(async function () {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    server = await startTestServer(
      { PORT: String(port), PUBLIC_URL: issuer, FIRST_SUPERUSER_EMAIL: ROOT.email, FIRST_SUPERUSER_USERNAME: ROOT.username, FIRST_SUPERUSER_PASSWORD: ROOT.password },
      undefined,
      (container) => {
        container.rebind(TOKENS.ReadBrowserLogIn).toConstantValue(async () => browser);
      },
    );
    api = new ApiClient(issuer);
    rootToken = await logIn(ROOT);
  });

  after(async () => server?.close());

  async function logIn(account: { username: string; password: string }): Promise<string> {
    const response = await api.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
    expect(response.status, response.text).to.equal(200);
    return (response.body as { access_token: string }).access_token;
  }

  async function registered(): Promise<{ id: string; token: string; account: ReturnType<typeof newAccount> }> {
    const account = newAccount();
    const created = await api.request('POST', '/api/v1/auth/register', { json: account });
    expect(created.status, created.text).to.equal(201);
    return { id: (created.body as { id: string }).id, token: await logIn(account), account };
  }

  async function createClient(body: Record<string, unknown>): Promise<{ client_id: string; client_secret?: string }> {
    const response = await api.request('POST', '/api/v1/oauth/clients', { token: rootToken, json: body });
    expect(response.status, response.text).to.equal(201);
    return response.body as { client_id: string; client_secret?: string };
  }

  const confidentialMachine = () => createClient({ client_name: 'Reports job', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' });

  async function configFor(clientId: string, secret: string | undefined, auth?: client.ClientAuth): Promise<client.Configuration> {
    return client.discovery(new URL(issuer), clientId, secret, auth, { execute: [client.allowInsecureRequests] });
  }

  describe('discovery', () => {
    it('publishes the issuer PUBLIC_URL, endpoints under /oauth2/, RS256, the code flow and S256 only', async () => {
      const { client_id, client_secret } = await confidentialMachine();
      const metadata = (await configFor(client_id, client_secret)).serverMetadata();
      expect(metadata.issuer).to.equal(issuer);
      for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint'] as const) {
        expect(new URL(String(metadata[endpoint])).pathname, endpoint).to.match(/^\/oauth2\//);
      }
      expect(metadata.id_token_signing_alg_values_supported).to.include('RS256');
      expect(metadata.response_types_supported).to.deep.equal(['code']);
      expect(metadata.code_challenge_methods_supported).to.deep.equal(['S256']);
      expect(metadata.grant_types_supported).to.include.members(['authorization_code', 'refresh_token', 'client_credentials']);
    });

    it("publishes public keys only, and keeps the API's own /.well-known/jwks.json as it was", async () => {
      const jwks = (await (await fetch(`${issuer}/oauth2/jwks`)).json()) as { keys: Record<string, unknown>[] };
      expect(jwks.keys.map((key) => key.alg)).to.deep.equal(['RS256', 'ES256']);
      for (const key of jwks.keys) expect(Object.keys(key)).to.not.include.members(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']);
      const api = (await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      // HS256 here: the API's tokens are never verifiable through a JWKS, and the provider's keys are not mixed in.
      expect(api.keys).to.deep.equal([]);
    });
  });

  describe('client credentials, introspection and revocation', () => {
    it('grants a token that introspects active until it is revoked', async () => {
      const { client_id, client_secret } = await confidentialMachine();
      const config = await configFor(client_id, client_secret, client.ClientSecretBasic(client_secret!));
      const tokens = await client.clientCredentialsGrant(config);
      expect(tokens.token_type.toLowerCase()).to.equal('bearer');
      const before = await client.tokenIntrospection(config, tokens.access_token);
      expect(before.active).to.equal(true);
      expect(before.client_id).to.equal(client_id);
      await client.tokenRevocation(config, tokens.access_token);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);
    });

    it('refuses a wrong client secret with invalid_client', async () => {
      const { client_id } = await confidentialMachine();
      const wrong = randomBytes(32).toString('base64url');
      const config = await configFor(client_id, wrong, client.ClientSecretBasic(wrong));
      const error = await client.clientCredentialsGrant(config).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      // RFC 6749 §5.2: 401 with a WWW-Authenticate challenge for the Basic scheme the client used.
      expect(error).to.be.instanceOf(client.WWWAuthenticateChallengeError);
      expect((error as client.WWWAuthenticateChallengeError).status).to.equal(401);
      expect(JSON.stringify((error as client.WWWAuthenticateChallengeError).cause)).to.include('invalid_client');
    });

    it('refuses every token of a deleted client', async () => {
      const { client_id, client_secret } = await confidentialMachine();
      const config = await configFor(client_id, client_secret, client.ClientSecretBasic(client_secret!));
      const tokens = await client.clientCredentialsGrant(config);
      const inspector = await confidentialMachine();
      const inspect = await configFor(inspector.client_id, inspector.client_secret, client.ClientSecretBasic(inspector.client_secret!));
      expect((await client.tokenIntrospection(inspect, tokens.access_token)).active).to.equal(true);
      expect((await api.request('DELETE', `/api/v1/oauth/clients/${client_id}`, { token: rootToken })).status).to.equal(204);
      expect((await client.tokenIntrospection(inspect, tokens.access_token)).active).to.equal(false);
    });
  });

  describe('the authorization code flow (interactions completed from the browser session)', () => {
    const jar = () => new CookieJar();

    /** Follows the redirects a browser would, from the authorization request to the client's redirect URI. */
    async function authorize(url: URL, cookies: CookieJar, confirmConsent = false): Promise<URL> {
      let next = url.href;
      for (let hop = 0; hop < 10; hop += 1) {
        let response = await fetch(next, { redirect: 'manual', headers: { cookie: cookies.header() } });
        cookies.take(response);
        if (response.status === 200 && !response.headers.has('refresh') && confirmConsent && new URL(next).pathname.startsWith('/oauth2/interaction/')) {
          const html = await response.text();
          expect(html).to.include('asks to');
          response = await fetch(`${next}/confirm`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies.header(), origin: issuer } });
          cookies.take(response);
        }
        // A browser follows a redirect, or the Refresh the interaction answers with after a log-in.
        const location = response.headers.get('location') ?? /^0; url=(.+)$/.exec(response.headers.get('refresh') ?? '')?.[1] ?? null;
        expect(location, `${response.status} at ${next}: ${await response.text()}`).to.be.a('string');
        const target = new URL(location!, next);
        if (target.href.startsWith(REDIRECT_URI)) return target;
        next = target.href;
      }
      throw new Error('too many redirects');
    }

    async function codeFlow(options: { firstParty: boolean }) {
      const user = await registered();
      const registeredClient = await createClient({
        client_name: 'Notes app',
        redirect_uris: [REDIRECT_URI],
        post_logout_redirect_uris: ['http://127.0.0.1:9/'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
        first_party: options.firstParty,
      });
      const config = await configFor(registeredClient.client_id, registeredClient.client_secret, client.ClientSecretBasic(registeredClient.client_secret!));
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      const authTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 5_000);
      browser = { userId: user.id, authTime, amr: ['pwd', 'otp', 'mfa'] };
      const cookies = jar();
      const callback = await authorize(url, cookies, !options.firstParty);
      const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      return { user, config, tokens, authTime, cookies, clientId: registeredClient.client_id };
    }

    afterEach(() => {
      browser = undefined;
    });

    it('issues an ID token, verified against the JWKS, with the log-in that happened', async () => {
      const { user, tokens, authTime, clientId } = await codeFlow({ firstParty: true });
      const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${issuer}/oauth2/jwks`)), { issuer, audience: clientId });
      expect(protectedHeader.alg).to.equal('RS256');
      expect(payload.sub).to.equal(user.id);
      expect(payload.email).to.equal(user.account.email);
      expect(payload.email_verified).to.equal(false);
      expect(payload.preferred_username).to.equal(user.account.username);
      expect(payload.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
      expect(payload.auth_time).to.equal(authTime.getTime() / 1000);
    });

    it('answers userinfo, and rotates the refresh token on every use', async () => {
      const { user, config, tokens } = await codeFlow({ firstParty: true });
      const info = await client.fetchUserInfo(config, tokens.access_token, user.id);
      expect(info).to.include({ sub: user.id, email: user.account.email, preferred_username: user.account.username });
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.refresh_token).to.be.a('string').and.not.equal(tokens.refresh_token);
      const replay = await client.refreshTokenGrant(config, tokens.refresh_token!).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((replay as client.ResponseBodyError).error).to.equal('invalid_grant');
    });

    it('asks a third-party client for consent, lists the grant, and revoking it ends its tokens', async () => {
      const { user, config, tokens, clientId } = await codeFlow({ firstParty: false });
      const grants = await api.request('GET', '/api/v1/users/me/grants', { token: user.token });
      expect(grants.status).to.equal(200);
      const [grant] = grants.body as { id: string; client_id: string; client_name: string; scopes: string[] }[];
      expect(grant).to.include({ client_id: clientId, client_name: 'Notes app' });
      expect(grant!.scopes).to.include.members(['openid', 'email', 'profile']);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(true);
      const other = await registered();
      expect((await api.request('DELETE', `/api/v1/users/me/grants/${grant!.id}`, { token: other.token })).status, "another user's grant").to.equal(404);
      expect((await api.request('DELETE', `/api/v1/users/me/grants/${grant!.id}`, { token: user.token })).status).to.equal(204);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);
      expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).to.equal(false);
    });

    it('ends every grant and token of an account through ProviderGrants.revokeAllFor', async () => {
      const { user, config, tokens } = await codeFlow({ firstParty: true });
      const grants = await server.container.getAsync(TOKENS.ProviderGrants);
      expect(await grants.revokeAllFor(user.id as never)).to.be.greaterThan(0);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);
      expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).to.equal(false);
    });

    it('ends every provider token of an account whose password changes (CredentialsChanged)', async () => {
      const { user, config, tokens } = await codeFlow({ firstParty: true });
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(true);
      const changed = await api.request('PATCH', '/api/v1/users/me', {
        token: user.token,
        json: { password: 'a-new-passphrase-for-sso-42', current_password: user.account.password },
      });
      expect(changed.status, changed.text).to.equal(200);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);
      expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).to.equal(false);
    });

    it('ends every provider token of an account a superuser deactivates', async () => {
      const { user, config, tokens } = await codeFlow({ firstParty: true });
      const deactivated = await api.request('PATCH', `/api/v1/users/${user.id}`, { token: rootToken, json: { is_active: false, current_password: ROOT.password } });
      expect(deactivated.status, deactivated.text).to.equal(200);
      expect((await client.tokenIntrospection(config, tokens.access_token)).active).to.equal(false);
      expect((await client.tokenIntrospection(config, tokens.refresh_token!)).active).to.equal(false);
    });

    it('sends a browser with nobody logged in to /login, coming back to the interaction', async () => {
      const { client_id, client_secret } = await createClient({ client_name: 'Web', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_post', first_party: true });
      const config = await configFor(client_id, client_secret);
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
      const cookies = jar();
      const start = await fetch(url, { redirect: 'manual' });
      cookies.take(start);
      const interaction = new URL(start.headers.get('location')!, issuer);
      expect(interaction.pathname).to.match(/^\/oauth2\/interaction\//);
      const step = await fetch(interaction, { redirect: 'manual', headers: { cookie: cookies.header() } });
      const login = new URL(step.headers.get('location')!, issuer);
      expect(login.pathname).to.equal('/login');
      expect(login.searchParams.get('return_to')).to.equal(interaction.pathname);
    });
  });

  describe('client administration', () => {
    it('answers 403 to a user who is not a superuser, on every client route', async () => {
      const { token } = await registered();
      const body = { client_name: 'x', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' };
      expect((await api.request('POST', '/api/v1/oauth/clients', { token, json: body })).status).to.equal(403);
      expect((await api.request('GET', '/api/v1/oauth/clients', { token })).status).to.equal(403);
      const { client_id } = await confidentialMachine();
      expect((await api.request('GET', `/api/v1/oauth/clients/${client_id}`, { token })).status).to.equal(403);
      expect((await api.request('DELETE', `/api/v1/oauth/clients/${client_id}`, { token })).status).to.equal(403);
    });

    it('shows the secret once, never again, and records the creation and deletion', async () => {
      const created = await api.request('POST', '/api/v1/oauth/clients', {
        token: rootToken,
        json: { client_name: 'SPA', redirect_uris: ['https://app.example.com/cb'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
      });
      expect(created.status).to.equal(201);
      const spa = created.body as Record<string, unknown>;
      expect(spa).to.not.have.property('client_secret');
      const machine = await confidentialMachine();
      expect(machine.client_secret).to.match(/^[A-Za-z0-9_-]{43}$/);
      const one = await api.request('GET', `/api/v1/oauth/clients/${machine.client_id}`, { token: rootToken });
      expect(one.status).to.equal(200);
      expect(one.body).to.not.have.property('client_secret');
      const list = await api.request('GET', '/api/v1/oauth/clients', { token: rootToken });
      expect((list.body as { client_id: string }[]).map((c) => c.client_id)).to.include.members([spa.client_id, machine.client_id]);
      expect(JSON.stringify(list.body)).to.not.include(machine.client_secret!);
      expect((await api.request('DELETE', `/api/v1/oauth/clients/${machine.client_id}`, { token: rootToken })).status).to.equal(204);
      expect((await api.request('GET', `/api/v1/oauth/clients/${machine.client_id}`, { token: rootToken })).status).to.equal(404);
      const events = await api.request('GET', '/api/v1/audit-events?limit=100', { token: rootToken });
      const types = (events.body as { items: { type: string; details: { client_id?: string } }[] }).items.filter((e) => e.details.client_id === machine.client_id).map((e) => e.type);
      expect(types).to.include.members(['oauth_client.created', 'oauth_client.deleted']);
    });

    it('refuses redirect URIs that are not https (except loopback), and a public client-credentials client', async () => {
      for (const body of [
        { client_name: 'x', redirect_uris: ['http://app.example.com/cb'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
        { client_name: 'x', redirect_uris: ['https://app.example.com/cb#frag'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
        { client_name: 'x', redirect_uris: ['javascript:alert(1)'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'none' },
        { client_name: 'x', grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
      ]) {
        const response = await api.request('POST', '/api/v1/oauth/clients', { token: rootToken, json: body });
        expect(response.status, JSON.stringify(body)).to.equal(422);
      }
    });
  });
});
