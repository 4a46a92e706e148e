import { createRequire } from 'node:module';
import type { CommonPasswordList } from '../../domain/index.js';

/**
 * The ~49,000 most common passwords from leaked-password corpora, as ranked and shipped by zxcvbn-ts (more than
 * the 10,000 NIST SP 800-63B asks to check against). Lower-cased into a set at the first check, not at start-up:
 * reading the dictionaries cost about 75 ms of every start, and the first registration pays it once instead.
 */
export function loadZxcvbnCommonPasswords(): CommonPasswordList {
  const require = createRequire(import.meta.url);
  // Found now, read later: a missing package still fails the start, not the first registration.
  const path = require.resolve('@zxcvbn-ts/language-common');
  let passwords: ReadonlySet<string> | undefined;
  return {
    // Synchronous, as a check is: the package ships CommonJS beside its ES modules.
    has: (lowerCasedPassword) => (passwords ??= readList(require(path) as { dictionary: Record<string, readonly string[]> })).has(lowerCasedPassword),
  };
}

function readList({ dictionary }: { dictionary: Record<string, readonly string[]> }): ReadonlySet<string> {
  const passwords = dictionary['passwords-common'];
  if (!passwords || passwords.length < 10_000) throw new Error('@zxcvbn-ts/language-common has no passwords-common list');
  return new Set(passwords.map((p) => p.toLowerCase()));
}
