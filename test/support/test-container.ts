import type { Container } from 'inversify';
import { pino } from 'pino';
import { AesGcmSecretBox } from '../../adapters/crypto/aes-gcm-secret-box.js';
import type { DatabaseHandle } from '../../adapters/kysely/database-handle.js';
import { PasswordPolicy } from '../../application/index.js';
import { loadConfig, type Config } from '../../bootstrap/config.js';
import { createContainer } from '../../bootstrap/container.js';
import { TOKENS } from '../../bootstrap/tokens.js';
import { FakeClock } from './fake-clock.js';
import { CountingHasher, PlainTokenIssuer, RecordingMfaNotifier } from './fakes.js';

/** A common-password list a test can name: the real one takes a second to load and is tested on its own. */
export const COMMON_PASSWORDS = new Set(['password123', 'qwertyuiop']);

export interface TestContainerOptions {
  /** Variables as a deployment sets them; `DATABASE_URL` defaults to `memory`. */
  readonly env?: Record<string, string>;
  /** A migrated SQL database (PGlite or PostgreSQL) to run on instead of the memory stores; the caller closes it. */
  readonly database?: DatabaseHandle;
  /** Fakes to share with another container (two instances, one clock). */
  readonly fakes?: Partial<TestFakes>;
}

/** The fakes a test container rebinds, for the test to read or drive. */
export interface TestFakes {
  readonly clock: FakeClock;
  readonly hasher: CountingHasher;
  readonly tokens: PlainTokenIssuer;
  readonly notifier: RecordingMfaNotifier;
  readonly box: AesGcmSecretBox;
}

/**
 * The service's own composition root (`createContainer`, every feature of `bootstrap/features.ts`) over the
 * memory infrastructure, with the clock, the hasher, the token issuer, the two-factor notifier, the secret box and
 * the common-password list rebound to fakes a test can drive. Nothing is wired by hand: a binding a feature adds
 * reaches the tests as it reaches the service.
 */
export async function testContainer(options: TestContainerOptions = {}): Promise<{ container: Container; config: Config; fakes: TestFakes }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    // The Kysely infrastructure serves PGlite and PostgreSQL alike; the handle below replaces the one it would open.
    DATABASE_URL: options.database ? 'postgres://given-handle.invalid/test' : 'memory',
    // Set, so nothing is created under DATA_DIR: the refresh-token key derives from it.
    SECRET_KEY: 'a-test-signing-secret-of-at-least-32-characters',
    DATA_DIR: '/nonexistent/test-container',
    ...options.env,
  });
  const container = await createContainer(config, pino({ level: 'silent' }));
  const fakes: TestFakes = {
    clock: new FakeClock(),
    hasher: new CountingHasher(),
    tokens: new PlainTokenIssuer(),
    notifier: new RecordingMfaNotifier(),
    box: new AesGcmSecretBox(new Uint8Array(32).fill(7)),
    ...options.fakes,
  };
  if (options.database) container.rebind(TOKENS.DatabaseHandle).toConstantValue(options.database);
  container.rebind(TOKENS.Clock).toConstantValue(fakes.clock);
  container.rebind(TOKENS.PasswordHasher).toConstantValue(fakes.hasher);
  container.rebind(TOKENS.TokenIssuer).toConstantValue(fakes.tokens);
  container.rebind(TOKENS.MfaNotifier).toConstantValue(fakes.notifier);
  container.rebind(TOKENS.SecretBox).toConstantValue(fakes.box);
  container.rebind(TOKENS.PasswordPolicy).toConstantValue(new PasswordPolicy(COMMON_PASSWORDS));
  return { container, config, fakes };
}
