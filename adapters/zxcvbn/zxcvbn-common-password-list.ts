import { dictionary } from '@zxcvbn-ts/language-common';
import type { CommonPasswordList } from '../../domain/index.js';

/**
 * The ~49,000 most common passwords from leaked-password corpora, as ranked and shipped by zxcvbn-ts (more than
 * the 10,000 NIST SP 800-63B asks to check against). Lower-cased into a set once at start-up: one hash look-up
 * per check afterwards.
 */
export function loadZxcvbnCommonPasswords(): CommonPasswordList {
  const passwords = (dictionary as Record<string, readonly string[]>)['passwords-common'];
  if (!passwords || passwords.length < 10_000) throw new Error('@zxcvbn-ts/language-common has no passwords-common list');
  return new Set(passwords.map((p) => p.toLowerCase()));
}
