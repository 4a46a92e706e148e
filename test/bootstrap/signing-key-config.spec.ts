import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../bootstrap/config.js';

const SECRET = 's'.repeat(40);

describe('configuration of signing keys', () => {
  let dir: string;
  let ed25519File: string;
  let p256File: string;
  let p256PublicFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-keys-'));
    const write = (name: string, pem: string | Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, pem);
      return path;
    };
    const ed = generateKeyPairSync('ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ed25519File = write('ed25519.pem', ed.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    p256File = write('p256.pem', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    p256PublicFile = write('p256.pub.pem', ec.publicKey.export({ type: 'spki', format: 'pem' }));
    write('garbage.pem', 'not a key');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refused = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      return (error as Error).message;
    }
    return expect.fail('expected a ConfigError');
  };

  it('reads an EdDSA private key, and needs no SECRET_KEY in production then', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), MAIL_ENABLED: 'false', ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, PUBLIC_KEY_FILE_PREVIOUS: p256PublicFile });
    expect(config.algorithm).to.equal('EdDSA');
    expect(config.privateKey?.asymmetricKeyType).to.equal('ed25519');
    expect(config.previousPublicKey?.type).to.equal('public');
    expect(config.secretKey).to.equal(undefined);
  });

  it('keeps only the public half of a previous private key', () => {
    const config = loadConfig({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, PUBLIC_KEY_FILE_PREVIOUS: p256File });
    expect(config.previousPublicKey?.type).to.equal('public');
  });

  it('still requires SECRET_KEY in production with an HMAC algorithm', () => {
    const otherwiseComplete = { NODE_ENV: 'production', DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), MAIL_ENABLED: 'false' };
    expect(refused(otherwiseComplete)).to.equal('SECRET_KEY: must be set when NODE_ENV=production');
  });

  it('takes SECRET_KEY_PREVIOUS of at least 32 bytes that differs from SECRET_KEY', () => {
    expect(loadConfig({ SECRET_KEY: SECRET, SECRET_KEY_PREVIOUS: 'p'.repeat(32) }).secretKeyPrevious).to.equal('p'.repeat(32));
    expect(refused({ SECRET_KEY: SECRET, SECRET_KEY_PREVIOUS: 'short' })).to.equal('SECRET_KEY_PREVIOUS: must be at least 32 bytes');
    expect(refused({ SECRET_KEY: SECRET, SECRET_KEY_PREVIOUS: SECRET })).to.equal('SECRET_KEY_PREVIOUS: must differ from SECRET_KEY');
  });

  it('refuses each misfit with one line naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [{ ALGORITHM: 'none' }, 'ALGORITHM: must be one of HS256, HS384, HS512, EdDSA, ES256, RS256'],
      [{ ALGORITHM: 'EdDSA' }, 'PRIVATE_KEY_FILE: must be set when ALGORITHM is EdDSA, ES256 or RS256'],
      [{ PRIVATE_KEY_FILE: ed25519File }, 'PRIVATE_KEY_FILE: applies only when ALGORITHM is EdDSA, ES256 or RS256'],
      [{ PUBLIC_KEY_FILE_PREVIOUS: p256PublicFile }, 'PUBLIC_KEY_FILE_PREVIOUS: applies only when ALGORITHM is EdDSA, ES256 or RS256'],
      [
        { ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, SECRET_KEY_PREVIOUS: SECRET },
        'SECRET_KEY_PREVIOUS: applies only when ALGORITHM is HS256, HS384 or HS512',
      ],
      [{ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: join(dir, 'missing.pem') }, `PRIVATE_KEY_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`],
      [{ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: join(dir, 'garbage.pem') }, `PRIVATE_KEY_FILE: ${join(dir, 'garbage.pem')} is not a PEM private key`],
      [{ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: p256PublicFile }, `PRIVATE_KEY_FILE: ${p256PublicFile} is not a PEM private key`],
      [
        { ALGORITHM: 'ES256', PRIVATE_KEY_FILE: ed25519File },
        `PRIVATE_KEY_FILE: ${ed25519File} holds an Ed25519 key; ALGORITHM=ES256 needs an EC key on curve P-256 (prime256v1)`,
      ],
      [
        { ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, PUBLIC_KEY_FILE_PREVIOUS: join(dir, 'garbage.pem') },
        `PUBLIC_KEY_FILE_PREVIOUS: ${join(dir, 'garbage.pem')} is not a PEM public key`,
      ],
      [
        { ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, PUBLIC_KEY_FILE_PREVIOUS: join(dir, 'missing.pem') },
        `PUBLIC_KEY_FILE_PREVIOUS: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
      ],
    ];
    for (const [env, message] of cases) expect(refused(env), JSON.stringify(env)).to.equal(message);
  });

  it('refuses a previous key no algorithm of ours verifies', () => {
    const p384 = join(dir, 'p384.pub.pem');
    writeFileSync(p384, generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(refused({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File, PUBLIC_KEY_FILE_PREVIOUS: p384 })).to.equal(
      `PUBLIC_KEY_FILE_PREVIOUS: ${p384} holds an EC key on curve secp384r1, which verifies none of EdDSA, ES256, RS256`,
    );
  });
});
