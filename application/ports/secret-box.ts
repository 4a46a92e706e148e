/**
 * Encrypts the small secrets the service must read back later (TOTP secrets, the token of a mail not yet sent),
 * so a database dump holds none of them in clear. Authenticated: a value that was tampered with, or sealed under
 * a key the box no longer knows, does not open (it throws).
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}
