import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { hmacKeyId } from '../../adapters/crypto/jose-key-set.js';
import { ApiClient, newAccount, type Exchange } from '../support/http-client.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-postgres.js';
import { skipOrFail } from '../support/services.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
// Registers the check that every response matches the OpenAPI document, here as in the main HTTP suite.
import './http-api.suite.js';

/** RFC 6750 §3.1 and the problem every refused token gets: nothing tells one refusal from another. */
function expectRefused(exchange: Exchange): void {
  expect(exchange.status, exchange.text).to.equal(401);
  expect(exchange.headers.get('www-authenticate')).to.equal('Bearer error="invalid_token"');
  expect(exchange.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(exchange.body).to.deep.equal({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Could not validate credentials' });
}

function expectAccepted(exchange: Exchange): void {
  expect(exchange.status, exchange.text).to.equal(200);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token the service really issued, so forged variants carry every claim it expects (session and all). */
async function issuedToken(client: ApiClient): Promise<string> {
  const account = newAccount();
  expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);
  const login = await client.request('POST', '/api/v1/auth/login', { form: { username: account.username, password: account.password } });
  expect(login.status, login.text).to.equal(200);
  return (login.body as { access_token: string }).access_token;
}

type SigningKey = Uint8Array | KeyObject;

interface Forgery {
  readonly header?: Record<string, unknown>;
  readonly payload?: Record<string, unknown>;
  readonly drop?: readonly string[];
}

/** The real token's claims, changed as asked, signed with any key under any header. */
async function resign(token: string, key: SigningKey, { header = {}, payload = {}, drop = [] }: Forgery = {}): Promise<string> {
  const claims: JWTPayload = { ...decodeJwt(token), ...payload };
  for (const name of drop) delete claims[name];
  const protectedHeader = { ...decodeProtectedHeader(token), ...header };
  return new SignJWT(claims).setProtectedHeader(protectedHeader as { alg: string }).sign(key);
}

/** `alg: none` is refused however it is spelled (RFC 8725 §2.1): a signature-less token in every casing. */
function unsigned(token: string, alg: string, withKid: boolean): string {
  const header = { ...decodeProtectedHeader(token), alg, ...(withKid ? {} : { kid: undefined }) };
  return `${b64(header)}.${b64(decodeJwt(token))}.`;
}

const ASYMMETRIC = [
  ['EdDSA', () => generateKeyPairSync('ed25519')],
  ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
] as const;

describe('Access tokens under attack', function () {
  let keyDir: string;
  const pemFile = async (name: string, key: KeyObject) => {
    const path = join(keyDir, name);
    await writeFile(path, key.export(key.type === 'private' ? { type: 'pkcs8', format: 'pem' } : { type: 'spki', format: 'pem' }));
    return path;
  };

  before(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'auth-keys-'));
  });
  after(async () => rm(keyDir, { recursive: true, force: true }));

  describe('HS256 after a rotation (SECRET_KEY_PREVIOUS set)', () => {
    const current = new TextEncoder().encode('current-secret-key-that-is-at-least-32-bytes');
    const previous = new TextEncoder().encode('previous-secret-key-that-is-at-least-32-bytes');
    const stranger = new TextEncoder().encode('unknown-secret-key-that-is-at-least-32-bytes!');
    let server: TestServer;
    let client: ApiClient;
    let token: string;

    before(async () => {
      server = await startTestServer({ SECRET_KEY: new TextDecoder().decode(current), SECRET_KEY_PREVIOUS: new TextDecoder().decode(previous) });
      client = new ApiClient(server.url);
      token = await issuedToken(client);
    });
    after(async () => server?.close());
    const me = async (bearer: string) => client.request('GET', '/api/v1/users/me', { token: bearer });

    it('issues tokens naming the current key by a kid that is not the key', () => {
      expect(decodeProtectedHeader(token)).to.deep.equal({ alg: 'HS256', typ: 'at+jwt', kid: hmacKeyId(current) });
      expect(Buffer.from(decodeProtectedHeader(token).kid!, 'base64url').toString('latin1')).not.to.include('secret');
    });

    it('accepts a token signed with SECRET_KEY_PREVIOUS under its own kid', async () => {
      expectAccepted(await me(await resign(token, previous, { header: { kid: hmacKeyId(previous) } })));
    });

    it('refuses a token signed with SECRET_KEY_PREVIOUS under the current kid, or without kid', async () => {
      expectRefused(await me(await resign(token, previous)));
      expectRefused(await me(await resign(token, previous, { header: { kid: undefined } })));
    });

    it('refuses a token signed with an unknown key, under its own kid or ours', async () => {
      expectRefused(await me(await resign(token, stranger, { header: { kid: hmacKeyId(stranger) } })));
      expectRefused(await me(await resign(token, stranger)));
    });

    it('refuses alg none in any casing, with or without kid', async () => {
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        for (const withKid of [true, false]) expectRefused(await me(unsigned(token, alg, withKid)));
      }
    });

    it('refuses another HMAC strength under the same secret', async () => {
      expectRefused(await me(await resign(token, current, { header: { alg: 'HS512' } })));
    });

    it('answers an empty key set: the secret is never published', async () => {
      const response = await client.request('GET', '/.well-known/jwks.json');
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({ keys: [] });
      expect(response.text).not.to.include(new TextDecoder().decode(current));
    });
  });

  for (const [algorithm, generate] of ASYMMETRIC) {
    describe(`${algorithm} with PRIVATE_KEY_FILE`, () => {
      const pair = generate();
      const previousPair = generateKeyPairSync('ed25519');
      let server: TestServer;
      let client: ApiClient;
      let token: string;

      before(async () => {
        server = await startTestServer({
          ALGORITHM: algorithm,
          PRIVATE_KEY_FILE: await pemFile(`${algorithm}.pem`, pair.privateKey),
          PUBLIC_KEY_FILE_PREVIOUS: await pemFile(`${algorithm}-previous.pub.pem`, previousPair.publicKey),
        });
        client = new ApiClient(server.url);
        token = await issuedToken(client);
      });
      after(async () => server?.close());
      const me = async (bearer: string) => client.request('GET', '/api/v1/users/me', { token: bearer });

      it(`signs ${algorithm}, and a control token re-signed with the same key is accepted`, async () => {
        expect(decodeProtectedHeader(token)).to.include({ alg: algorithm, typ: 'at+jwt' });
        expectAccepted(await me(token));
        expectAccepted(await me(await resign(token, pair.privateKey)));
      });

      it('refuses HS256 signed with the public key as the HMAC secret (HS/RS confusion)', async () => {
        const encodings = [Buffer.from(pair.publicKey.export({ type: 'spki', format: 'pem' })), pair.publicKey.export({ type: 'spki', format: 'der' })];
        for (const encoded of encodings) {
          const publicBytes = new Uint8Array(encoded);
          expectRefused(await me(await resign(token, publicBytes, { header: { alg: 'HS256' } })));
          expectRefused(await me(await resign(token, publicBytes, { header: { alg: 'HS256', kid: undefined } })));
        }
      });

      it('refuses alg none in any casing, with or without kid', async () => {
        for (const alg of ['none', 'None', 'NONE']) {
          for (const withKid of [true, false]) expectRefused(await me(unsigned(token, alg, withKid)));
        }
      });

      it('accepts a token of the previous key, published in the JWKS, and refuses an unknown key', async () => {
        const jwks = (await client.request('GET', '/.well-known/jwks.json')).body as { keys: { kid: string; alg: string }[] };
        const previousKid = jwks.keys[1]!.kid;
        expect(jwks.keys.map((k) => k.alg)).to.deep.equal([algorithm, 'EdDSA']);
        expectAccepted(await me(await resign(token, previousPair.privateKey, { header: { alg: 'EdDSA', kid: previousKid } })));
        // The previous key verifies its own algorithm only.
        expectRefused(await me(await resign(token, previousPair.privateKey, { header: { alg: 'EdDSA' } })));
        const stranger = generate();
        expectRefused(await me(await resign(token, stranger.privateKey)));
        expectRefused(await me(await resign(token, pair.privateKey, { header: { kid: 'no-such-key' } })));
      });

      // Built when the test runs: the expiry cases are relative to that moment.
      const flaws: [string, () => Forgery, boolean][] = [
        ['of type JWT instead of at+jwt', () => ({ header: { typ: 'JWT' } }), false],
        ['without typ', () => ({ header: { typ: undefined } }), false],
        ['from another issuer', () => ({ payload: { iss: 'https://evil.example' } }), false],
        ['for another audience', () => ({ payload: { aud: 'another-service' } }), false],
        ['without exp', () => ({ drop: ['exp'] }), false],
        ['expired 45 s ago, beyond the 30 s of skew', () => ({ payload: { exp: now() - 45 } }), false],
        ['expired 10 s ago, within the skew', () => ({ payload: { exp: now() - 10 } }), true],
      ];
      for (const [what, forgery, accepted] of flaws) {
        it(`${accepted ? 'accepts' : 'refuses'} a token ${what}`, async () => {
          const forged = await resign(token, pair.privateKey, forgery());
          if (accepted) expectAccepted(await me(forged));
          else expectRefused(await me(forged));
        });
      }
    });
  }

  describe('another program verifying through /.well-known/jwks.json alone', () => {
    let server: TestServer;

    before(async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      server = await startTestServer({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: await pemFile('remote.pem', privateKey) });
    });
    after(async () => server?.close());

    it('verifies an issued token with jose createRemoteJWKSet', async () => {
      const token = await issuedToken(new ApiClient(server.url));
      const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', server.url));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
        issuer: 'auth-service',
        audience: 'auth-service',
      });
      expect(protectedHeader.alg).to.equal('EdDSA');
      expect(payload.sub).to.match(/^[0-9a-f-]{36}$/);
    });

    it('publishes the key cacheable, unlimited, with kid, alg and use', async () => {
      const client = new ApiClient(server.url);
      const response = await client.request('GET', '/.well-known/jwks.json');
      expect(response.status).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('public, max-age=300');
      expect(response.headers.get('ratelimit-limit')).to.equal(null);
      const [key] = (response.body as { keys: Record<string, string>[] }).keys;
      expect(key).to.have.all.keys('kty', 'crv', 'x', 'kid', 'alg', 'use');
      expect(key).to.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    });
  });

  describe('a rolling rotation of SECRET_KEY across instances sharing PostgreSQL', function () {
    const oldSecret = 'old-secret-key-that-is-at-least-32-bytes-long';
    const newSecret = 'new-secret-key-that-is-at-least-32-bytes-long';
    let scratch: ScratchDatabase | undefined;
    const servers: TestServer[] = [];

    before(async function () {
      try {
        scratch = await createScratchDatabase();
      } catch (error) {
        skipOrFail(this, 'PostgreSQL', error);
      }
    });
    after(async () => {
      await Promise.all(servers.map((server) => server.close()));
      await scratch?.drop();
    });

    it('keeps tokens of the old key working on rotated instances until SECRET_KEY_PREVIOUS goes', async () => {
      const start = async (env: Record<string, string>) => {
        const server = await startTestServer({ DATABASE_URL: scratch!.url, ...env });
        servers.push(server);
        return new ApiClient(server.url);
      };
      const before = await start({ SECRET_KEY: oldSecret });
      const rotated = await start({ SECRET_KEY: newSecret, SECRET_KEY_PREVIOUS: oldSecret });
      const finished = await start({ SECRET_KEY: newSecret });
      const oldToken = await issuedToken(before);
      const newToken = await issuedToken(rotated);

      expectAccepted(await rotated.request('GET', '/api/v1/users/me', { token: oldToken }));
      expectAccepted(await finished.request('GET', '/api/v1/users/me', { token: newToken }));
      expectRefused(await finished.request('GET', '/api/v1/users/me', { token: oldToken }));
      // The old instance never learnt the new key: deploy SECRET_KEY_PREVIOUS everywhere before the new key signs.
      expectRefused(await before.request('GET', '/api/v1/users/me', { token: newToken }));
    });
  });
});
