import { WeakPassword } from './errors.js';

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads 72 bytes and ignores the rest; a longer password is refused rather than silently cut. */
export const PASSWORD_MAX_BYTES = 72;

/** A set of commonly used passwords, lower-cased. Kept behind an interface so the domain ships no data file. */
export interface CommonPasswordList {
  has(lowerCasedPassword: string): boolean;
}

export interface PasswordContext {
  readonly username: string;
  readonly email: string;
}

const encoder = new TextEncoder();

/**
 * NFKC, so that a password typed on another keyboard or OS (composed vs decomposed, full-width digits)
 * still matches: NIST SP 800-63B §5.1.1.2.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function passwordByteLength(normalized: string): number {
  return encoder.encode(normalized).length;
}

/**
 * NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules, and a check against passwords that are
 * commonly used or specific to the context (here the username and the email's local part).
 */
export class PasswordPolicy {
  constructor(private readonly commonPasswords: CommonPasswordList) {}

  /** Returns the normalized password to hash, or throws `WeakPassword` saying why. */
  check(password: string, context: PasswordContext): string {
    const normalized = normalizePassword(password);
    if ([...normalized].length < PASSWORD_MIN_LENGTH) {
      throw new WeakPassword(`Password must be at least ${PASSWORD_MIN_LENGTH} characters`);
    }
    if (passwordByteLength(normalized) > PASSWORD_MAX_BYTES) {
      throw new WeakPassword(`Password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`);
    }
    const lower = normalized.toLowerCase();
    if (this.commonPasswords.has(lower)) {
      throw new WeakPassword('Password is too common');
    }
    if (lower.includes(context.username.toLowerCase())) {
      throw new WeakPassword('Password must not contain the username');
    }
    const localPart = context.email.slice(0, context.email.lastIndexOf('@')).toLowerCase();
    // A one- or two-letter local part would forbid most passwords; for those only equality is refused.
    if (lower === localPart || (localPart.length >= 3 && lower.includes(localPart))) {
      throw new WeakPassword('Password must not contain the email address');
    }
    return normalized;
  }
}
