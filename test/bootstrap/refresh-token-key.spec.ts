import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../bootstrap/config.js';
import { loadRefreshTokenKey } from '../../bootstrap/refresh-token-key.js';

const SECRET = 's'.repeat(40);

describe('loadRefreshTokenKey', () => {
  let dir: string;
  let ed25519File: string;
  let otherEd25519File: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-refresh-key-'));
    const write = (name: string) => {
      const path = join(dir, name);
      writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
      return path;
    };
    ed25519File = write('a.pem');
    otherEd25519File = write('b.pem');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const keyOf = async (env: Record<string, string>) => (await loadRefreshTokenKey(loadConfig({ DATA_DIR: join(dir, 'data'), ...env }))).export();

  it('gives every instance configured with one SECRET_KEY the same key, and another SECRET_KEY another', async () => {
    const key = await keyOf({ SECRET_KEY: SECRET });
    expect(key).to.have.length(32);
    expect(await keyOf({ SECRET_KEY: SECRET })).to.deep.equal(key);
    expect(await keyOf({ SECRET_KEY: 't'.repeat(40) })).not.to.deep.equal(key);
  });

  it('never uses the signing secret itself', async () => {
    expect((await keyOf({ SECRET_KEY: SECRET })).toString('latin1')).not.to.include(SECRET.slice(0, 32));
  });

  it('derives from the private key when the algorithm is asymmetric and there is no SECRET_KEY', async () => {
    const key = await keyOf({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File });
    expect(await keyOf({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: ed25519File })).to.deep.equal(key);
    expect(await keyOf({ ALGORITHM: 'EdDSA', PRIVATE_KEY_FILE: otherEd25519File })).not.to.deep.equal(key);
  });

  it('outside production without SECRET_KEY, derives from the development key kept under DATA_DIR', async () => {
    const key = await keyOf({ NODE_ENV: 'development' });
    expect(await keyOf({ NODE_ENV: 'development' })).to.deep.equal(key);
  });
});
