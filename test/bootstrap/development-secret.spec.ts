import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ENCRYPTION_KEY_FILE_NAME, loadOrCreateDevelopmentEncryptionKey } from '../../bootstrap/development-secret.js';

describe('The development encryption key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is made once, readable by the owner only, and the same on every later start', async () => {
    const first = await loadOrCreateDevelopmentEncryptionKey(dir);
    const again = await loadOrCreateDevelopmentEncryptionKey(dir);
    expect(first).to.have.length(32);
    expect(Buffer.from(again).equals(Buffer.from(first))).to.equal(true);
    expect((await stat(join(dir, ENCRYPTION_KEY_FILE_NAME))).mode & 0o777).to.equal(0o600);
  });

  it('gives two processes starting together the same key', async () => {
    const [a, b] = await Promise.all([loadOrCreateDevelopmentEncryptionKey(dir), loadOrCreateDevelopmentEncryptionKey(dir)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
    expect(Buffer.from(await readFile(join(dir, ENCRYPTION_KEY_FILE_NAME), 'utf8'), 'base64').equals(Buffer.from(a))).to.equal(true);
  });

  it('refuses a file that does not hold a 32-byte key, rather than sealing under a weak one', async () => {
    await writeFile(join(dir, ENCRYPTION_KEY_FILE_NAME), 'c2hvcnQ=');
    try {
      await loadOrCreateDevelopmentEncryptionKey(dir);
      expect.fail('accepted a short key');
    } catch (error) {
      expect((error as Error).message).to.match(/does not hold 32 bytes/);
    }
  });
});
