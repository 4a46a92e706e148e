import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Paths pino blanks in every log object. The request logger never logs headers or bodies; this is the net
 * under it, for an error object or a future log call that carries one.
 */
export const REDACTED_PATHS = [
  'password',
  'current_password',
  'currentPassword',
  'passwordHash',
  'hashed_password',
  'token',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'refreshTokenHash',
  'newTokenHash',
  'token_hash',
  'authorization',
  '*.password',
  '*.current_password',
  '*.passwordHash',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.refreshTokenHash',
  '*.newTokenHash',
  '*.token_hash',
  '*.authorization',
  // Two-factor log-in: the TOTP secret (and the URI that carries it), recovery codes, the mfa_token.
  'secret',
  'sealedSecret',
  'otpauth_uri',
  'otpauthUri',
  'recovery_codes',
  'recoveryCodes',
  'mfa_token',
  'mfaToken',
  '*.secret',
  '*.sealedSecret',
  '*.otpauth_uri',
  '*.otpauthUri',
  '*.recovery_codes',
  '*.recoveryCodes',
  '*.mfa_token',
  '*.mfaToken',
  'req.headers.authorization',
  'req.headers.cookie',
  // PGlite errors carry the statement's parameters (a password hash among them); pg's carry the connection.
  'err.query',
  'err.params',
  'err.client',
];

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    // pino-pretty is a development dependency: production images log plain JSON.
    return false;
  }
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY && prettyAvailable()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } });
  }
  return pino(options);
}
