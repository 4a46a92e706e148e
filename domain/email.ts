import { InvalidEmail } from './errors.js';

/** RFC 5321 §4.5.3.1.3 caps a path at 256 octets including the angle brackets, so an address at 254. */
export const EMAIL_MAX_LENGTH = 254;

// Shape only: one "@", a non-empty local part, a dotted domain, no white space or control characters.
// Whether the mailbox exists is not something a format can tell.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** An email address, always trimmed and lower-cased: two spellings of one address are one value. */
export class Email {
  private constructor(readonly value: string) {}

  static parse(raw: string): Email {
    const value = raw.trim().toLowerCase();
    if (value.length > EMAIL_MAX_LENGTH) {
      throw new InvalidEmail(`Email address must be at most ${EMAIL_MAX_LENGTH} characters`);
    }
    if (!EMAIL_SHAPE.test(value)) throw new InvalidEmail();
    return new Email(value);
  }

  get localPart(): string {
    return this.value.slice(0, this.value.lastIndexOf('@'));
  }

  equals(other: Email): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
