// `npm run env:init`: writes a `.env` beside package.json holding a fresh random SECRET_KEY (48 bytes) and
// DATA_ENCRYPTION_KEY (32 bytes, base64), the two secrets a production start requires, and nothing else: every
// other variable keeps its default (.env.example lists them all). Refuses to overwrite an existing `.env`, whose
// keys sign live tokens and decrypt stored secrets: replacing them by accident would log everyone out and lose
// every TOTP secret. `node scripts/env-init.mjs <path>` writes elsewhere.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = resolve(process.argv[2] ?? join(root, '.env'));
const contents = [
  '# Written by `npm run env:init`. Keep it secret; the real environment wins over this file.',
  '# HMAC signing key of the tokens (rotate with SECRET_KEY_PREVIOUS, see .env.example).',
  `SECRET_KEY=${randomBytes(48).toString('base64')}`,
  '# AES-256-GCM key of the secrets kept at rest (rotate with DATA_ENCRYPTION_KEY_PREVIOUS).',
  `DATA_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
  '',
].join('\n');

try {
  // wx: fails when the file exists, with no window between a check and the write. 0600: only its owner reads it.
  writeFileSync(target, contents, { flag: 'wx', mode: 0o600 });
} catch (error) {
  if (error.code !== 'EEXIST') throw error;
  process.stderr.write(`env:init: ${target} exists already; it is left as it is (move it away first to make a new one)\n`);
  process.exit(1);
}
process.stdout.write(`env:init: wrote ${target} with a fresh SECRET_KEY and DATA_ENCRYPTION_KEY\n`);
