import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { algorithmForKey, describeKey, KEY_REQUIRED, type AsymmetricAlgorithm } from './signing-algorithms.js';

/** A key file that cannot serve: the message says why in one line, and the caller names the setting. */
export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeyFileError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The signing key, checked against the one algorithm it may serve (RFC 8725 §3.1). */
export function readPrivateKeyFile(path: string, algorithm: AsymmetricAlgorithm): KeyObject {
  const pem = readKeyFile(path);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyFileError(`${path} is not a PEM private key`);
  }
  if (algorithmForKey(key) !== algorithm) {
    throw new KeyFileError(`${path} holds ${describeKey(key)}; ALGORITHM=${algorithm} needs ${KEY_REQUIRED[algorithm]}`);
  }
  return key;
}

/** A public key PEM; the old private key file works too, and only its public half is kept. */
export function readPublicKeyFile(path: string): KeyObject {
  const pem = readKeyFile(path);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new KeyFileError(`${path} is not a PEM public key`);
  }
  if (algorithmForKey(key) === undefined) {
    throw new KeyFileError(`${path} holds ${describeKey(key)}, which verifies none of EdDSA, ES256, RS256`);
  }
  return key;
}
