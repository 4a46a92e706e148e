import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits each: past the 64 asked for, and still short enough to type (16 base32 characters). */
const RECOVERY_CODE_BYTES = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface NewRecoveryCodes {
  /** Shown to the user once, when two-factor log-in is turned on; never stored. */
  readonly codes: readonly string[];
  /** What the store keeps. */
  readonly hashes: readonly string[];
}

/**
 * SHA-256, not bcrypt: 80 random bits cannot be brute-forced from a leaked hash, and a fast hash lets a
 * log-in find the code by an index instead of running ten slow checks per try, which would hand anyone who
 * knows a password a lever to burn our CPU.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}

/** Case, spaces and dashes are how people copy codes, not part of them. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toLowerCase();
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): NewRecoveryCodes {
  const codes = Array.from({ length: count }, () => formatCode(base32(randomBytes(RECOVERY_CODE_BYTES))));
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function formatCode(raw: string): string {
  return raw.match(/.{1,4}/g)!.join('-');
}
