import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import {
  algorithmForKey,
  describeKey,
  isHmacAlgorithm,
  KEY_REQUIRED,
  SIGNING_ALGORITHMS,
  type AsymmetricAlgorithm,
} from '../adapters/crypto/signing-algorithms.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const integer = (min: number, max: number, fallback: number) => wholeNumber(min, max).default(fallback);

const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(fallback);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** 32 random bytes in base64 (or base64url): an AES-256 key for secrets kept at rest. */
const encryptionKey = optionalText.refine((v) => v === undefined || /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
  error: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
});

/**
 * bcrypt runs on libuv's thread pool (UV_THREADPOOL_SIZE threads, 4 by default). More hashes at once than cores
 * buys no throughput, only latency. And at least one pool thread must stay free of bcrypt: jose's HMAC and
 * signature checks run on the same pool, so with every thread hashing, each `GET /users/me` would wait behind a
 * bcrypt round (measured: p99 3.7 s under a log-in flood).
 */
function defaultHashConcurrency(threadPoolSize: number): number {
  return Math.max(1, Math.min(availableParallelism(), threadPoolSize - 1));
}

const EnvironmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
    PORT: integer(0, 65535, 8000),
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    DATABASE_URL: optionalText.refine((v) => v === undefined || v === 'memory' || /^postgres(ql)?:\/\//.test(v), {
      error: 'must be memory or a postgres:// URL',
    }),
    DATABASE_POOL_MAX: integer(1, 1000, 10),
    DATABASE_STATEMENT_TIMEOUT_MS: integer(100, 600_000, 5000),
    MIGRATE_ON_START: boolean(true),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    REDIS_URL: optionalText.refine((v) => v === undefined || /^rediss?:\/\//.test(v), { error: 'must be a redis:// or rediss:// URL' }),
    SECRET_KEY: optionalText.refine((v) => v === undefined || Buffer.byteLength(v) >= 32, { error: 'must be at least 32 bytes' }),
    SECRET_KEY_PREVIOUS: optionalText.refine((v) => v === undefined || Buffer.byteLength(v) >= 32, { error: 'must be at least 32 bytes' }),
    DATA_ENCRYPTION_KEY: encryptionKey,
    DATA_ENCRYPTION_KEY_PREVIOUS: encryptionKey,
    ALGORITHM: z.enum(SIGNING_ALGORITHMS, { error: `must be one of ${SIGNING_ALGORITHMS.join(', ')}` }).default('HS256'),
    PRIVATE_KEY_FILE: optionalText,
    PUBLIC_KEY_FILE_PREVIOUS: optionalText,
    ACCESS_TOKEN_EXPIRE_MINUTES: integer(1, 1440, 30),
    REFRESH_TOKEN_EXPIRE_DAYS: integer(1, 365, 14),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: integer(1, 10_000, 10),
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: integer(1, 10_000, 5),
    JWT_ISSUER: z.string().trim().min(1).default('auth-service'),
    JWT_AUDIENCE: z.string().trim().min(1).default('auth-service'),
    RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000, 60),
    RATE_LIMIT_FAIL_OPEN: boolean(true),
    BCRYPT_COST: integer(10, 15, 12),
    // Empty means the default, as `.env.example` leaves it: the right value depends on the machine.
    // Unset or empty: derived from the cores and the thread pool (see defaultHashConcurrency).
    HASH_CONCURRENCY: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), wholeNumber(1, 1023).optional()),
    // Read by libuv itself at the first use of its thread pool; validated here so HASH_CONCURRENCY can be checked against it.
    UV_THREADPOOL_SIZE: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), integer(2, 1024, 4)),
    HASH_QUEUE_MAX: integer(0, 10_000, 32),
    TRUST_PROXY: boolean(false),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .refine((origins) => !origins.includes('*'), { error: 'must list origins; "*" is not allowed' })
      .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), { error: 'must be origins like https://app.example.com' }),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    BODY_LIMIT_BYTES: integer(1024, 1_048_576, 16_384),
    SHUTDOWN_TIMEOUT_MS: integer(0, 120_000, 10_000),
    SHUTDOWN_DELAY_MS: integer(0, 120_000, 0),
    SMTP_URL: optionalText.refine((v) => v === undefined || /^smtps?:\/\/[^/\s]+/.test(v), { error: 'must be an smtp:// or smtps:// URL' }),
    MAIL_FROM: z.string().trim().min(3).default('Auth Service <no-reply@localhost>'),
    APP_URL: z
      .string()
      .trim()
      .default('http://localhost:3000')
      .refine((v) => /^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/.test(v), { error: 'must be an http(s) URL with no query, e.g. https://app.example.com' }),
    MAIL_ENABLED: boolean(true),
    MAIL_TEMPLATES_DIR: optionalText,
    REQUIRE_VERIFIED_EMAIL: boolean(false),
    VERIFY_TOKEN_EXPIRE_HOURS: integer(1, 720, 24),
    RESET_TOKEN_EXPIRE_MINUTES: integer(5, 1440, 30),
    MAIL_LIMIT_PER_ADDRESS_PER_HOUR: integer(1, 10_000, 5),
    MAIL_LIMIT_PER_CLIENT_PER_HOUR: integer(1, 1_000_000, 30),
  })
  .refine((env) => env.NODE_ENV !== 'production' || !isHmacAlgorithm(env.ALGORITHM) || env.SECRET_KEY !== undefined, {
    path: ['SECRET_KEY'],
    error: 'must be set when NODE_ENV=production',
  })
  .refine((env) => isHmacAlgorithm(env.ALGORITHM) || env.PRIVATE_KEY_FILE !== undefined, {
    path: ['PRIVATE_KEY_FILE'],
    error: 'must be set when ALGORITHM is EdDSA, ES256 or RS256',
  })
  // A key given for another kind of algorithm is a deployment mistake, not something to ignore silently.
  .refine((env) => !isHmacAlgorithm(env.ALGORITHM) || env.PRIVATE_KEY_FILE === undefined, {
    path: ['PRIVATE_KEY_FILE'],
    error: 'applies only when ALGORITHM is EdDSA, ES256 or RS256',
  })
  .refine((env) => !isHmacAlgorithm(env.ALGORITHM) || env.PUBLIC_KEY_FILE_PREVIOUS === undefined, {
    path: ['PUBLIC_KEY_FILE_PREVIOUS'],
    error: 'applies only when ALGORITHM is EdDSA, ES256 or RS256',
  })
  // HMAC tokens cannot be verified through the JWKS, so they are not carried over into an asymmetric setup.
  .refine((env) => env.NODE_ENV !== 'production' || env.DATA_ENCRYPTION_KEY !== undefined, {
    path: ['DATA_ENCRYPTION_KEY'],
    error: 'must be set when NODE_ENV=production',
  })
  .refine((env) => env.DATA_ENCRYPTION_KEY_PREVIOUS === undefined || env.DATA_ENCRYPTION_KEY_PREVIOUS !== env.DATA_ENCRYPTION_KEY, {
    path: ['DATA_ENCRYPTION_KEY_PREVIOUS'],
    error: 'must differ from DATA_ENCRYPTION_KEY',
  })
  .refine((env) => isHmacAlgorithm(env.ALGORITHM) || env.SECRET_KEY_PREVIOUS === undefined, {
    path: ['SECRET_KEY_PREVIOUS'],
    error: 'applies only when ALGORITHM is HS256, HS384 or HS512',
  })
  .refine((env) => env.SECRET_KEY_PREVIOUS === undefined || env.SECRET_KEY_PREVIOUS !== env.SECRET_KEY, {
    path: ['SECRET_KEY_PREVIOUS'],
    error: 'must differ from SECRET_KEY',
  })
  .refine((env) => env.HASH_CONCURRENCY === undefined || env.HASH_CONCURRENCY < env.UV_THREADPOOL_SIZE, {
    path: ['HASH_CONCURRENCY'],
    error: 'must be below UV_THREADPOOL_SIZE, so token checks never wait behind bcrypt',
  })
  // Without SMTP a production instance would pile mail up unsent; turning mail off must be a decision.
  .refine((env) => env.NODE_ENV !== 'production' || !env.MAIL_ENABLED || env.SMTP_URL !== undefined, {
    path: ['SMTP_URL'],
    error: 'must be set when NODE_ENV=production (or set MAIL_ENABLED=false to run without mail)',
  });

export type Environment = z.infer<typeof EnvironmentSchema>;

/** The variables the service reads, for the `.env.example` and docker-compose checks. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvironmentSchema.shape);

export type DatabaseConfig =
  | { readonly kind: 'memory' }
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number; readonly statementTimeoutMs: number };

export interface Config {
  readonly env: Environment['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly migrateOnStart: boolean;
  readonly redisUrl: string | undefined;
  /** Undefined outside production when unset: a development key is kept under `dataDir`. */
  readonly secretKey: string | undefined;
  /** Verifies tokens signed before SECRET_KEY was rotated; never signs. */
  readonly secretKeyPrevious: string | undefined;
  /** Undefined outside production when unset: a development key is kept under `dataDir`. */
  readonly dataEncryptionKey: Uint8Array | undefined;
  /** Still opens secrets sealed before DATA_ENCRYPTION_KEY was rotated; never seals. */
  readonly dataEncryptionKeyPrevious: Uint8Array | undefined;
  readonly algorithm: Environment['ALGORITHM'];
  /** Read and checked against `algorithm` at start-up; set exactly when `algorithm` is asymmetric. */
  readonly privateKey: KeyObject | undefined;
  /** The public half of the key PRIVATE_KEY_FILE held before rotation; verifies only. */
  readonly previousPublicKey: KeyObject | undefined;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlMs: number;
  /** Failed log-ins per account in 5 minutes, from any address. */
  readonly loginMaxFailuresPerAccount: number;
  /** Failed log-ins per account from one address in 15 minutes. */
  readonly loginMaxFailuresPerAccountAddress: number;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly rateLimitPerMinute: number;
  readonly rateLimitFailOpen: boolean;
  readonly bcryptCost: number;
  readonly hashConcurrency: number;
  readonly hashQueueMax: number;
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  /** After SIGTERM, readiness fails this long while requests are still served, before the server stops accepting. */
  readonly shutdownDelayMs: number;
  readonly mail: MailConfig;
}

export interface MailConfig {
  /** False: mail is still queued with the change that causes it, but no worker sends it. */
  readonly enabled: boolean;
  /** Undefined outside production: mail goes to the development outbox under `dataDir`. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  /** The front end the links open, with no trailing slash. */
  readonly appUrl: string;
  /** Undefined: the templates shipped with the service. */
  readonly templatesDir: string | undefined;
  readonly requireVerifiedEmail: boolean;
  readonly verifyTokenTtlMs: number;
  readonly resetTokenTtlMs: number;
  readonly limitPerAddressPerHour: number;
  readonly limitPerClientPerHour: number;
}

/** One line naming the variable and why, which is all `main` prints before exiting. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` when present; the real environment wins over it, as twelve-factor tools do. */
export function readEnvironment(env: NodeJS.ProcessEnv, dotenvPath = '.env'): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnv(readFileSync(dotenvPath, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`${dotenvPath}: ${(error as Error).message}`);
  }
  // libuv sizes its thread pool from the process environment before any of our code runs: a value in .env
  // would be validated here but never take effect.
  if (fromFile.UV_THREADPOOL_SIZE?.trim() && env.UV_THREADPOOL_SIZE === undefined) {
    throw new ConfigError(`UV_THREADPOOL_SIZE: must be set in the process environment, not in ${dotenvPath}`);
  }
  return { ...fromFile, ...env };
}

export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = EnvironmentSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.') || 'environment'}: ${issue.message}`);
  }
  const e = parsed.data;
  const database: DatabaseConfig =
    e.DATABASE_URL === undefined
      ? { kind: 'pglite', dataDir: e.DATA_DIR }
      : e.DATABASE_URL === 'memory'
        ? { kind: 'memory' }
        : { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS };
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    database: Object.freeze(database),
    migrateOnStart: e.MIGRATE_ON_START,
    redisUrl: e.REDIS_URL,
    secretKey: e.SECRET_KEY,
    secretKeyPrevious: e.SECRET_KEY_PREVIOUS,
    dataEncryptionKey: e.DATA_ENCRYPTION_KEY === undefined ? undefined : Buffer.from(e.DATA_ENCRYPTION_KEY, 'base64'),
    dataEncryptionKeyPrevious: e.DATA_ENCRYPTION_KEY_PREVIOUS === undefined ? undefined : Buffer.from(e.DATA_ENCRYPTION_KEY_PREVIOUS, 'base64'),
    algorithm: e.ALGORITHM,
    privateKey: e.PRIVATE_KEY_FILE === undefined ? undefined : readPrivateKey(e.PRIVATE_KEY_FILE, e.ALGORITHM as AsymmetricAlgorithm),
    previousPublicKey: e.PUBLIC_KEY_FILE_PREVIOUS === undefined ? undefined : readPreviousPublicKey(e.PUBLIC_KEY_FILE_PREVIOUS),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_EXPIRE_MINUTES * 60,
    refreshTokenTtlMs: e.REFRESH_TOKEN_EXPIRE_DAYS * 86_400_000,
    loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerAccountAddress: e.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
    jwtIssuer: e.JWT_ISSUER,
    jwtAudience: e.JWT_AUDIENCE,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitFailOpen: e.RATE_LIMIT_FAIL_OPEN,
    bcryptCost: e.BCRYPT_COST,
    hashConcurrency: e.HASH_CONCURRENCY ?? defaultHashConcurrency(e.UV_THREADPOOL_SIZE),
    hashQueueMax: e.HASH_QUEUE_MAX,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    mail: Object.freeze({
      enabled: e.MAIL_ENABLED,
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      appUrl: e.APP_URL.replace(/\/+$/, ''),
      templatesDir: e.MAIL_TEMPLATES_DIR,
      requireVerifiedEmail: e.REQUIRE_VERIFIED_EMAIL,
      verifyTokenTtlMs: e.VERIFY_TOKEN_EXPIRE_HOURS * 3_600_000,
      resetTokenTtlMs: e.RESET_TOKEN_EXPIRE_MINUTES * 60_000,
      limitPerAddressPerHour: e.MAIL_LIMIT_PER_ADDRESS_PER_HOUR,
      limitPerClientPerHour: e.MAIL_LIMIT_PER_CLIENT_PER_HOUR,
    }),
  });
}

function readKeyFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function readPrivateKey(path: string, algorithm: AsymmetricAlgorithm): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readKeyFile('PRIVATE_KEY_FILE', path));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`PRIVATE_KEY_FILE: ${path} is not a PEM private key`);
  }
  if (algorithmForKey(key) !== algorithm) {
    throw new ConfigError(`PRIVATE_KEY_FILE: ${path} holds ${describeKey(key)}; ALGORITHM=${algorithm} needs ${KEY_REQUIRED[algorithm]}`);
  }
  return key;
}

/** A public key PEM; the old private key file works too, and only its public half is kept. */
function readPreviousPublicKey(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readKeyFile('PUBLIC_KEY_FILE_PREVIOUS', path));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`PUBLIC_KEY_FILE_PREVIOUS: ${path} is not a PEM public key`);
  }
  if (algorithmForKey(key) === undefined) {
    throw new ConfigError(`PUBLIC_KEY_FILE_PREVIOUS: ${path} holds ${describeKey(key)}, which verifies none of EdDSA, ES256, RS256`);
  }
  return key;
}
