import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import type { Container } from 'inversify';
import { MfaRequired } from '../../application/index.js';
import { loadConfig } from '../../bootstrap/config.js';
import { createContainer } from '../../bootstrap/container.js';
import { createLogger } from '../../bootstrap/logger.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { stale } from '../support/requester.js';

describe('Two-factor wiring', function () {
  let dataDir: string;
  let container: Container;

  before(async function () {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-totp-wiring-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: 'memory', BCRYPT_COST: '10', LOG_LEVEL: 'silent' });
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    container = await createContainer(config, createLogger(config, quiet));
  });

  after(async function () {
    await container?.unbindAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs in in two steps through the container, with a signed access token saying amr pwd+otp', async function () {
    const password = 'a long enough secret';
    const user = await (await container.getAsync(TOKENS.RegisterUser)).execute({ email: 'wired@example.com', username: 'wired', password });
    const totp = await container.getAsync(TOKENS.Totp);
    const { secret } = await (await container.getAsync(TOKENS.EnrolTotp)).execute(stale(user), { kind: 'password', password });
    // The system clock: confirm with the current code, then log in with the next step's, which the drift allows.
    await (await container.getAsync(TOKENS.ConfirmTotp)).execute(user, totp.generate(secret, new Date()));

    const logIn = await container.getAsync(TOKENS.LogIn);
    const required = await logIn.execute({ login: 'wired', password, origin: { ip: '127.0.0.1' } }).then(
      () => expect.fail('a one-step log-in for an account with a second factor'),
      (error: unknown) => error,
    );
    expect(required).to.be.instanceOf(MfaRequired);
    const next = totp.generate(secret, new Date(Date.now() + 30_000));
    const { tokens } = await (await container.getAsync(TOKENS.CompleteMfaLogIn)).execute({
      mfaToken: (required as MfaRequired).mfaToken,
      code: next,
      origin: { ip: '127.0.0.1' },
    });
    expect(decodeJwt(tokens.accessToken.token).amr).to.deep.equal(['pwd', 'otp']);
    expect((await container.getAsync(TOKENS.DisableTotp)).execute).to.be.a('function');
  });
});
