import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { KeyFileError, readPrivateKeyFile, readPublicKeyFile } from '../adapters/crypto/pem-key-files.js';
import { isHmacAlgorithm, SIGNING_ALGORITHMS, type AsymmetricAlgorithm } from '../adapters/crypto/signing-algorithms.js';

/** One variable of the environment: its name, how its text is parsed (default included), and what it is for. */
function variable<S extends z.ZodType>(name: string, schema: S, doc: string) {
  return { name, schema, doc } as const;
}

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

const text = (fallback: string) => z.string().trim().min(1, { error: 'must not be empty' }).default(fallback);

const secret = optionalText.refine((v) => v === undefined || Buffer.byteLength(v) >= 32, { error: 'must be at least 32 bytes' });

/** Kept exactly as given (a passphrase may begin or end with a space); empty means unset. */
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

/** 32 random bytes in base64 (or base64url): an AES-256 key for secrets kept at rest, decoded once here. */
const encryptionKey = optionalText
  .refine((v) => v === undefined || (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32), {
    error: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  .transform((v): Uint8Array | undefined => (v === undefined ? undefined : Buffer.from(v, 'base64')));

const FIRST_SUPERUSER = ['FIRST_SUPERUSER_EMAIL', 'FIRST_SUPERUSER_USERNAME', 'FIRST_SUPERUSER_PASSWORD'] as const;

/** For variables whose default `.env.example` leaves empty because it depends on the machine or the deployment. */
const emptyAsUnset = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

/**
 * bcrypt runs on libuv's thread pool (UV_THREADPOOL_SIZE threads, 4 by default). More hashes at once than cores
 * buys no throughput, only latency. And at least one pool thread must stay free of bcrypt: jose's HMAC and
 * signature checks run on the same pool, so with every thread hashing, each `GET /users/me` would wait behind a
 * bcrypt round (measured: p99 3.7 s under a log-in flood).
 */
function defaultHashConcurrency(threadPoolSize: number): number {
  return Math.max(1, Math.min(availableParallelism(), threadPoolSize - 1));
}

/**
 * Every variable the service reads, declared once: the property of `Config` it becomes, the variable's name, its
 * parser (zod, default included) and what it means. To add one, add one line here; `Config`, the refusal message
 * and `CONFIG_VARIABLES` follow from it. Rules that involve two variables go in RULES below.
 */
const VARIABLES = {
  env: variable('NODE_ENV', z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'), 'production requires SECRET_KEY (or a key file) and sends HSTS'),
  port: variable('PORT', integer(0, 65535, 8000), 'where the service listens'),
  host: variable('HOST', text('127.0.0.1'), 'where the service listens'),
  databaseUrl: variable('DATABASE_URL', optionalText.refine((v) => v === undefined || v === 'memory' || /^postgres(ql)?:\/\//.test(v), { error: 'must be memory or a postgres:// URL' }), 'unset: embedded PostgreSQL under DATA_DIR; memory: a throw-away store'),
  databasePoolMax: variable('DATABASE_POOL_MAX', integer(1, 1000, 10), 'PostgreSQL connections at most'),
  // Unset or empty: DATABASE_TIMEOUT_MS, which also sets the pool's connection wait, lock_timeout and
  // idle_in_transaction_session_timeout.
  databaseStatementTimeoutMs: variable('DATABASE_STATEMENT_TIMEOUT_MS', emptyAsUnset(wholeNumber(100, 600_000).optional()), 'the server cancels statements running longer; unset: DATABASE_TIMEOUT_MS'),
  databaseTimeoutMs: variable('DATABASE_TIMEOUT_MS', integer(100, 600_000, 5000), "one request's time on the database in all: waiting for a connection and every statement"),
  migrateOnStart: variable('MIGRATE_ON_START', boolean(true), 'apply pending migrations at start-up'),
  dataDir: variable('DATA_DIR', text('./data'), 'embedded database files and the development signing key'),
  redisUrl: variable('REDIS_URL', optionalText.refine((v) => v === undefined || /^rediss?:\/\//.test(v), { error: 'must be a redis:// or rediss:// URL' }), 'unset: each process limits on its own'),
  secretKey: variable('SECRET_KEY', secret, 'HMAC signing key; unset outside production: one kept under DATA_DIR'),
  secretKeyPrevious: variable('SECRET_KEY_PREVIOUS', secret, 'the HMAC key before rotation: verifies, never signs'),
  dataEncryptionKey: variable('DATA_ENCRYPTION_KEY', encryptionKey, 'AES-256-GCM key for secrets at rest; unset outside production: one kept under DATA_DIR'),
  dataEncryptionKeyPrevious: variable('DATA_ENCRYPTION_KEY_PREVIOUS', encryptionKey, 'the key before rotation: decrypts, never encrypts'),
  algorithm: variable('ALGORITHM', z.enum(SIGNING_ALGORITHMS, { error: `must be one of ${SIGNING_ALGORITHMS.join(', ')}` }).default('HS256'), 'the JWS algorithm tokens are signed with'),
  privateKeyFile: variable('PRIVATE_KEY_FILE', optionalText, 'PEM private key for EdDSA, ES256 or RS256'),
  previousPublicKeyFile: variable('PUBLIC_KEY_FILE_PREVIOUS', optionalText, 'PEM public key of the key before rotation: verifies, never signs'),
  accessTokenTtlSeconds: variable('ACCESS_TOKEN_EXPIRE_MINUTES', integer(1, 1440, 30).transform((minutes) => minutes * 60), 'access token lifetime'),
  refreshTokenTtlMs: variable('REFRESH_TOKEN_EXPIRE_DAYS', integer(1, 365, 14).transform((days) => days * 86_400_000), 'a session ends after this long without a refresh'),
  refreshReuseGraceMs: variable('REFRESH_REUSE_GRACE_SECONDS', integer(0, 300, 10).transform((seconds) => seconds * 1000), 'a rotated refresh token still yields its successor this long; 0 ends the session on any second use'),
  loginMaxFailuresPerAccount: variable('LOGIN_MAX_FAILURES_PER_ACCOUNT', integer(1, 10_000, 10), 'failed log-ins per account in 5 minutes, from any address'),
  reauthMaxAgeSeconds: variable('REAUTH_MAX_AGE_SECONDS', integer(1, 86_400, 300), 'how recent a proof of the credentials a sensitive action needs (RFC 9470 max_age)'),
  mfaMaxConsecutiveFailures: variable('MFA_MAX_CONSECUTIVE_FAILURES', integer(1, 100_000, 100), 'wrong second-factor codes in a row before the account refuses every code until a password reset (NIST SP 800-63B §5.2.2)'),
  loginMaxFailuresPerAccountAddress: variable('LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS', integer(1, 10_000, 5), 'failed log-ins per account from one address in 15 minutes'),
  jwtIssuer: variable('JWT_ISSUER', text('auth-service'), 'the iss claim issued and required'),
  jwtAudience: variable('JWT_AUDIENCE', text('auth-service'), 'the aud claim issued and required'),
  rateLimitPerMinute: variable('RATE_LIMIT_PER_MINUTE', integer(1, 1_000_000, 60), 'per-IP request budget'),
  rateLimitFailOpen: variable('RATE_LIMIT_FAIL_OPEN', boolean(true), 'while Redis is down: limit in process (true) or answer 503'),
  bcryptCost: variable('BCRYPT_COST', integer(10, 15, 12), 'bcrypt work factor'),
  // Unset or empty: derived from the cores and the thread pool (see defaultHashConcurrency).
  hashConcurrency: variable('HASH_CONCURRENCY', emptyAsUnset(wholeNumber(1, 1023).optional()), 'password hashes running at once'),
  // Read by libuv itself at the first use of its thread pool; validated here so HASH_CONCURRENCY can be checked against it.
  threadPoolSize: variable('UV_THREADPOOL_SIZE', emptyAsUnset(integer(2, 1024, 4)), "libuv's thread pool (bcrypt, WebCrypto)"),
  hashQueueMax: variable('HASH_QUEUE_MAX', integer(0, 10_000, 32), 'hashes waiting for a slot before 503'),
  trustProxy: variable('TRUST_PROXY', boolean(false), 'believe the last X-Forwarded-For hop'),
  corsOrigins: variable(
    'CORS_ORIGINS',
    z
      .string()
      .default('')
      .transform((v) => Object.freeze(v.split(',').map((o) => o.trim()).filter(Boolean)))
      .refine((origins) => !origins.includes('*'), { error: 'must list origins; "*" is not allowed' })
      .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), { error: 'must be origins like https://app.example.com' }),
    'comma-separated allowed origins',
  ),
  logLevel: variable('LOG_LEVEL', z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'), 'pino level'),
  bodyLimitBytes: variable('BODY_LIMIT_BYTES', integer(1024, 1_048_576, 16_384), 'largest request body'),
  shutdownTimeoutMs: variable('SHUTDOWN_TIMEOUT_MS', integer(0, 120_000, 10_000), 'how long in-flight requests may finish after SIGTERM'),
  shutdownDelayMs: variable('SHUTDOWN_DELAY_MS', integer(0, 120_000, 0), 'after SIGTERM, readiness fails this long while requests are still served'),
  metricsPort: variable('METRICS_PORT', emptyAsUnset(wholeNumber(0, 65535).optional()), 'a listener of its own for GET /metrics; unset: none'),
  metricsHost: variable('METRICS_HOST', text('127.0.0.1'), 'where the metrics listener listens'),
  metricsToken: variable('METRICS_TOKEN', secret, 'GET /metrics on the API port for this bearer; unset: never served there'),
  firstSuperuserEmail: variable('FIRST_SUPERUSER_EMAIL', optionalText, 'the first superuser, created at start-up when no account has this email'),
  firstSuperuserUsername: variable('FIRST_SUPERUSER_USERNAME', optionalText, "the first superuser's username"),
  // Never logged: it holds a password.
  firstSuperuserPassword: variable('FIRST_SUPERUSER_PASSWORD', optionalSecret, "the first superuser's password (the password policy applies)"),
  auditRetentionMs: variable('AUDIT_RETENTION_DAYS', integer(1, 36_500, 90).transform((days) => days * 86_400_000), 'security events older than this are purged'),
  smtpUrl: variable('SMTP_URL', optionalText.refine((v) => v === undefined || /^smtps?:\/\/[^/\s]+/.test(v), { error: 'must be an smtp:// or smtps:// URL' }), 'unset outside production: the development outbox under DATA_DIR'),
  mailFrom: variable('MAIL_FROM', z.string().trim().min(3, { error: 'must be an address' }).default('Auth Service <no-reply@localhost>'), 'the From of every mail'),
  appUrl: variable(
    'APP_URL',
    optionalText
      .refine((v) => v === undefined || /^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/.test(v), { error: 'must be an http(s) URL with no query, e.g. https://app.example.com' })
      .transform((v) => v?.replace(/\/+$/, '')),
    "your own front end the links in mails open; unset: the service's own pages at PUBLIC_URL",
  ),
  publicUrl: variable(
    'PUBLIC_URL',
    optionalText
      .refine((v) => v === undefined || /^https?:\/\/[^/\s?#]+\/?$/.test(v), { error: 'must be an origin like https://auth.example.com (no path)' })
      .transform((v) => v?.replace(/\/+$/, '')),
    'where people reach the service (its pages, mail links, allowed origin); unset: http://localhost:PORT',
  ),
  webauthnRpId: variable(
    'WEBAUTHN_RP_ID',
    optionalText.refine((v) => v === undefined || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(v), { error: 'must be a host name like auth.example.com' }),
    'the host name passkeys are bound to; unset: the host name of PUBLIC_URL',
  ),
  webauthnOrigins: variable(
    'WEBAUTHN_ORIGINS',
    z
      .string()
      .default('')
      .transform((v) => Object.freeze(v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)))
      .refine((origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), { error: 'must be origins like https://auth.example.com' }),
    'comma-separated origins passkey ceremonies may come from; unset: the origin of PUBLIC_URL',
  ),
  mailEnabled: variable('MAIL_ENABLED', boolean(true), 'false: mail is queued but this instance sends none'),
  mailTemplatesDir: variable('MAIL_TEMPLATES_DIR', optionalText, 'your own <kind>.txt and <kind>.html templates; unset: the shipped ones'),
  requireVerifiedEmail: variable('REQUIRE_VERIFIED_EMAIL', boolean(false), 'unverified accounts cannot log in; email changes confirm first; registration does not tell taken emails apart'),
  verifyTokenTtlMs: variable('VERIFY_TOKEN_EXPIRE_HOURS', integer(1, 720, 24).transform((hours) => hours * 3_600_000), 'verification links work this long'),
  resetTokenTtlMs: variable('RESET_TOKEN_EXPIRE_MINUTES', integer(5, 1440, 30).transform((minutes) => minutes * 60_000), 'reset links work this long'),
  mailLimitPerAddressPerHour: variable('MAIL_LIMIT_PER_ADDRESS_PER_HOUR', integer(1, 10_000, 5), 'mail-triggering requests per address an hour'),
  mailLimitPerClientPerHour: variable('MAIL_LIMIT_PER_CLIENT_PER_HOUR', integer(1, 1_000_000, 30), 'mail-triggering requests per client an hour'),
  mailMaxConnections: variable('MAIL_MAX_CONNECTIONS', integer(1, 100, 5), 'SMTP connections per instance, one message in flight on each'),
  mailMaxUncertainRetries: variable('MAIL_MAX_UNCERTAIN_RETRIES', integer(0, 10, 1), 'times a mail whose outcome was unknown (no reply after DATA) is sent again'),
  mailUncertainRetryDelayMs: variable('MAIL_UNCERTAIN_RETRY_DELAY_SECONDS', integer(0, 86_400, 600).transform((s) => s * 1000), 'wait before sending again a mail whose outcome was unknown'),
  smtpReplyTimeoutMs: variable('SMTP_REPLY_TIMEOUT_SECONDS', integer(1, 3_600, 600).transform((s) => s * 1000), "the longest wait for an SMTP reply, the final one to DATA included (RFC 5321: 10 minutes)"),
  mailRetentionMs: variable('MAIL_RETENTION_DAYS', integer(1, 36_500, 30).transform((days) => days * 86_400_000), 'sent and failed mail envelopes older than this are purged'),
  housekeepingIntervalMs: variable('HOUSEKEEPING_INTERVAL_SECONDS', integer(10, 604_800, 3_600).transform((s) => s * 1000), 'between housekeeping rounds (every purge); one also runs at start-up'),
  webhookRetryDelaysMs: variable(
    'WEBHOOK_RETRY_DELAYS',
    z
      .string()
      .trim()
      .default('5,300,1800,7200,18000,36000,36000')
      .refine((v) => /^\d{1,6}(\s*,\s*\d{1,6}){0,19}$/.test(v), { error: 'must be 1 to 20 comma-separated whole numbers of seconds' })
      .transform((v) => Object.freeze(v.split(',').map((d) => Number(d.trim()) * 1000))),
    'seconds between webhook attempts; after the last, a delivery is failed',
  ),
  webhookAllowPrivateTargets: variable('WEBHOOK_ALLOW_PRIVATE_TARGETS', boolean(false), 'true: webhooks may target loopback, private and other special-purpose addresses'),
  webhookRetentionMs: variable('WEBHOOK_RETENTION_DAYS', integer(1, 3650, 30).transform((days) => days * 86_400_000), 'delivered and failed webhook deliveries older than this are purged'),
};

type Settings = { readonly [K in keyof typeof VARIABLES]: z.output<(typeof VARIABLES)[K]['schema']> };

/** Rules between variables: the variable named is the one the message blames. */
const RULES: readonly (readonly [variable: string, holds: (s: Settings) => boolean, error: string])[] = [
  ['SECRET_KEY', (s) => s.env !== 'production' || !isHmacAlgorithm(s.algorithm) || s.secretKey !== undefined, 'must be set when NODE_ENV=production'],
  ['PRIVATE_KEY_FILE', (s) => isHmacAlgorithm(s.algorithm) || s.privateKeyFile !== undefined, 'must be set when ALGORITHM is EdDSA, ES256 or RS256'],
  // A key given for another kind of algorithm is a deployment mistake, not something to ignore silently.
  ['PRIVATE_KEY_FILE', (s) => !isHmacAlgorithm(s.algorithm) || s.privateKeyFile === undefined, 'applies only when ALGORITHM is EdDSA, ES256 or RS256'],
  ['PUBLIC_KEY_FILE_PREVIOUS', (s) => !isHmacAlgorithm(s.algorithm) || s.previousPublicKeyFile === undefined, 'applies only when ALGORITHM is EdDSA, ES256 or RS256'],
  // HMAC tokens cannot be verified through the JWKS, so they are not carried over into an asymmetric setup.
  ['SECRET_KEY_PREVIOUS', (s) => isHmacAlgorithm(s.algorithm) || s.secretKeyPrevious === undefined, 'applies only when ALGORITHM is HS256, HS384 or HS512'],
  ['SECRET_KEY_PREVIOUS', (s) => s.secretKeyPrevious === undefined || s.secretKeyPrevious !== s.secretKey, 'must differ from SECRET_KEY'],
  ['HASH_CONCURRENCY', (s) => s.hashConcurrency === undefined || s.hashConcurrency < s.threadPoolSize, 'must be below UV_THREADPOOL_SIZE, so token checks never wait behind bcrypt'],
  ['DATA_ENCRYPTION_KEY', (s) => s.env !== 'production' || s.dataEncryptionKey !== undefined, 'must be set when NODE_ENV=production'],
  [
    'DATA_ENCRYPTION_KEY_PREVIOUS',
    (s) => s.dataEncryptionKeyPrevious === undefined || s.dataEncryptionKey === undefined || !Buffer.from(s.dataEncryptionKeyPrevious).equals(Buffer.from(s.dataEncryptionKey)),
    'must differ from DATA_ENCRYPTION_KEY',
  ],
  // Without SMTP a production instance would pile mail up unsent; turning mail off must be a decision.
  ['SMTP_URL', (s) => s.env !== 'production' || !s.mailEnabled || s.smtpUrl !== undefined, 'must be set when NODE_ENV=production (or set MAIL_ENABLED=false to run without mail)'],
  // Half a first superuser is a typo, not a choice: starting without one would leave the service unadministered.
  ...FIRST_SUPERUSER.map(
    (name) =>
      [
        name,
        (s: Settings) => {
          const given = [s.firstSuperuserEmail, s.firstSuperuserUsername, s.firstSuperuserPassword].map((v) => v !== undefined);
          const index = FIRST_SUPERUSER.indexOf(name);
          // Blame the first one missing, when some are given.
          return given.every(Boolean) || !given.some(Boolean) || given[index] || given.indexOf(false) !== index;
        },
        `must be set too: ${FIRST_SUPERUSER.join(', ')} go together, or none of them`,
      ] as const,
  ),
];

/** The variables the service reads, for the `.env.example` and docker-compose checks. */
export const CONFIG_VARIABLES: readonly string[] = Object.values(VARIABLES).map((v) => v.name);

/** Every variable with its parser and meaning, in declaration order: `npm run config:docs` renders it. */
export const CONFIG_TABLE: readonly { readonly name: string; readonly schema: z.ZodType; readonly doc: string }[] = Object.values(VARIABLES);

/** Read by Node or libuv before any of our code runs: only the process environment sets them, never `.env`. */
export const PROCESS_ENVIRONMENT_ONLY: readonly string[] = ['UV_THREADPOOL_SIZE'];

export type DatabaseConfig =
  | { readonly kind: 'memory' }
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolMax: number;
      readonly statementTimeoutMs: number;
      /** One request's time on the database in all: waiting for a connection and for every statement. */
      readonly timeoutMs: number;
    };

/** What the settings imply, computed once at start-up. */
interface Derived {
  readonly database: DatabaseConfig;
  readonly hashConcurrency: number;
  /** Read and checked against `algorithm` at start-up; set exactly when `algorithm` is asymmetric. */
  readonly privateKey: KeyObject | undefined;
  /** The public half of the key PUBLIC_KEY_FILE_PREVIOUS holds; verifies only. */
  readonly previousPublicKey: KeyObject | undefined;
  /** Created at start-up when no account has its email; never logged (it holds a password). */
  readonly firstSuperuser: { readonly email: string; readonly username: string; readonly password: string } | undefined;
  readonly mail: MailConfig;
  readonly webauthn: WebAuthnConfig;
}

export interface WebAuthnConfig {
  /** WebAuthn §5.1.2 RP ID; undefined when it would be an IP address, which WebAuthn refuses: passkeys are off then. */
  readonly rpId: string | undefined;
  readonly origins: readonly string[];
}

/** Passkeys are bound to a host name: an IP address (IPv4, or IPv6 in brackets) cannot be one. */
function webAuthnConfig(s: Settings): WebAuthnConfig {
  const publicUrl = new URL(s.publicUrl ?? `http://localhost:${s.port}`);
  const host = publicUrl.hostname;
  const isIpAddress = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  return Object.freeze({
    rpId: s.webauthnRpId ?? (isIpAddress ? undefined : host),
    origins: s.webauthnOrigins.length > 0 ? s.webauthnOrigins : Object.freeze([publicUrl.origin]),
  });
}

export interface MailConfig {
  /** False: mail is still queued with the change that causes it, but no worker sends it. */
  readonly enabled: boolean;
  /** Undefined outside production: mail goes to the development outbox under `dataDir`. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  /** The front end the links open, with no trailing slash; undefined: the service's own pages at its public URL. */
  readonly appUrl: string | undefined;
  /** Undefined: the templates shipped with the service. */
  readonly templatesDir: string | undefined;
  readonly requireVerifiedEmail: boolean;
  readonly verifyTokenTtlMs: number;
  readonly resetTokenTtlMs: number;
  readonly limitPerAddressPerHour: number;
  readonly limitPerClientPerHour: number;
  readonly maxConnections: number;
  readonly maxUncertainRetries: number;
  readonly uncertainRetryDelayMs: number;
  readonly replyTimeoutMs: number;
  readonly retentionMs: number;
}

export type Config = Omit<Settings, keyof Derived> & Derived;

/** One line naming each bad or missing variable and why, which is all `main` prints before exiting. */
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
  for (const name of PROCESS_ENVIRONMENT_ONLY) {
    if (fromFile[name]?.trim() && env[name] === undefined) throw new ConfigError(`${name}: must be set in the process environment, not in ${dotenvPath}`);
  }
  return { ...fromFile, ...env };
}

/**
 * Refuses with every bad or missing variable at once ("A: …; B: …"), so that a deployment is fixed in one round
 * rather than one variable per failed start.
 */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const settings = {} as Record<string, unknown>;
  const problems = new Map<string, string>();
  for (const [key, { name, schema }] of Object.entries(VARIABLES)) {
    const parsed = (schema as z.ZodType).safeParse(source[name]);
    if (parsed.success) settings[key] = parsed.data;
    else {
      problems.set(name, parsed.error.issues[0]!.message);
      // Its default stands in, so that the rules below judge the other variables and blame none for this one.
      settings[key] = (schema as z.ZodType).safeParse(undefined).data;
    }
  }
  const s = settings as Settings;
  for (const [name, holds, error] of RULES) if (!problems.has(name) && !holds(s)) problems.set(name, error);
  const keys = {
    privateKey: s.privateKeyFile === undefined ? undefined : keyFromFile('PRIVATE_KEY_FILE', () => readPrivateKeyFile(s.privateKeyFile!, s.algorithm as AsymmetricAlgorithm), problems),
    previousPublicKey: s.previousPublicKeyFile === undefined ? undefined : keyFromFile('PUBLIC_KEY_FILE_PREVIOUS', () => readPublicKeyFile(s.previousPublicKeyFile!), problems),
  };
  if (problems.size > 0) throw new ConfigError([...problems].map(([name, problem]) => `${name}: ${problem}`).join('; '));
  const database: DatabaseConfig =
    s.databaseUrl === undefined
      ? { kind: 'pglite', dataDir: s.dataDir }
      : s.databaseUrl === 'memory'
        ? { kind: 'memory' }
        : { kind: 'postgres', url: s.databaseUrl, poolMax: s.databasePoolMax, statementTimeoutMs: s.databaseStatementTimeoutMs ?? s.databaseTimeoutMs, timeoutMs: s.databaseTimeoutMs };
  return Object.freeze({
    ...s,
    database: Object.freeze(database),
    hashConcurrency: s.hashConcurrency ?? defaultHashConcurrency(s.threadPoolSize),
    ...keys,
    firstSuperuser:
      s.firstSuperuserEmail === undefined
        ? undefined
        : Object.freeze({ email: s.firstSuperuserEmail, username: s.firstSuperuserUsername!, password: s.firstSuperuserPassword! }),
    webauthn: webAuthnConfig(s),
    mail: Object.freeze({
      enabled: s.mailEnabled,
      smtpUrl: s.smtpUrl,
      from: s.mailFrom,
      appUrl: s.appUrl,
      templatesDir: s.mailTemplatesDir,
      requireVerifiedEmail: s.requireVerifiedEmail,
      verifyTokenTtlMs: s.verifyTokenTtlMs,
      resetTokenTtlMs: s.resetTokenTtlMs,
      limitPerAddressPerHour: s.mailLimitPerAddressPerHour,
      limitPerClientPerHour: s.mailLimitPerClientPerHour,
      maxConnections: s.mailMaxConnections,
      maxUncertainRetries: s.mailMaxUncertainRetries,
      uncertainRetryDelayMs: s.mailUncertainRetryDelayMs,
      replyTimeoutMs: s.smtpReplyTimeoutMs,
      retentionMs: s.mailRetentionMs,
    }),
  });
}

/** Key files are read at start-up, so a bad one is refused like any other bad value. */
function keyFromFile(name: string, read: () => KeyObject, problems: Map<string, string>): KeyObject | undefined {
  if (problems.has(name)) return undefined;
  try {
    return read();
  } catch (error) {
    if (!(error instanceof KeyFileError)) throw error;
    problems.set(name, error.message);
    return undefined;
  }
}
