import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { featureRedactions } from './features.js';

/**
 * Paths pino blanks in every log object, from each feature's registration (`redact`). The request logger never
 * logs headers or bodies; this is the net under it, for an error object or a future log call that carries one.
 */
export const REDACTED_PATHS: readonly string[] = featureRedactions;

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
  const options = { level: config.logLevel, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY && prettyAvailable()) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } });
  }
  return pino(options);
}
