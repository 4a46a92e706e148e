import { InvalidUsername } from './errors.js';

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 50;
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,50}$/;

/**
 * A username is displayed as registered but compared case-insensitively: `JohnDoe` and `johndoe` are one
 * account name. ASCII only, so lower-casing is unambiguous and no homoglyph can impersonate another name.
 */
export class Username {
  private constructor(
    readonly value: string,
    readonly normalized: string,
  ) {}

  static parse(raw: string): Username {
    if (!USERNAME_PATTERN.test(raw)) throw new InvalidUsername();
    return new Username(raw, raw.toLowerCase());
  }

  equals(other: Username): boolean {
    return this.normalized === other.normalized;
  }

  toString(): string {
    return this.value;
  }
}
