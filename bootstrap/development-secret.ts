import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SECRET_FILE_NAME = 'secret-key';
export const ENCRYPTION_KEY_FILE_NAME = 'data-encryption-key';

/**
 * Outside production an unset SECRET_KEY is replaced by a random one kept under the data directory, so tokens
 * survive a restart without anyone choosing a weak key. Created with `wx` (fails if it exists), so two
 * processes starting together agree on one key; readable by the owner only.
 */
export async function loadOrCreateDevelopmentSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, SECRET_FILE_NAME);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = (await readFile(path, 'utf8')).trim();
  if (Buffer.byteLength(secret) < 32) throw new Error(`${path} holds fewer than 32 bytes; delete it to get a new key`);
  return secret;
}

/**
 * The DATA_ENCRYPTION_KEY counterpart of `loadOrCreateDevelopmentSecret`: 32 random bytes kept (base64) under the
 * data directory, so secrets sealed at rest still open after a restart. Production must configure its own.
 */
export async function loadOrCreateDevelopmentEncryptionKey(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, ENCRYPTION_KEY_FILE_NAME);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold 32 bytes in base64; delete it to get a new key (secrets sealed under it are lost)`);
  return key;
}
