import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig, readEnvironment } from '../../bootstrap/config.js';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as Error).message;
  }
  return expect.fail(`accepted ${JSON.stringify(env)}`);
}

describe('Configuration', () => {
  it('names every bad or missing variable of a production start in one message', () => {
    expect(refusal({ NODE_ENV: 'production', PORT: 'eighty', DATA_ENCRYPTION_KEY: 'short', LOG_LEVEL: 'loud' })).to.equal(
      [
        'PORT: must be a whole number from 0 to 65535',
        'DATA_ENCRYPTION_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)',
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        'SECRET_KEY: must be set when NODE_ENV=production',
        'SMTP_URL: must be set when NODE_ENV=production (or set MAIL_ENABLED=false to run without mail)',
      ].join('; '),
    );
  });

  it('runs with nothing set: embedded database under ./data, in-process limiter, the documented defaults', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({ port: 8000, host: '127.0.0.1', dataDir: './data', redisUrl: undefined, rateLimitPerMinute: 60, bcryptCost: 12 });
    expect(config.database).to.deep.equal({ kind: 'pglite', dataDir: './data' });
    expect(config.accessTokenTtlSeconds).to.equal(1800);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads the mail settings, with the contract\'s defaults', () => {
    expect(loadConfig({}).mail).to.deep.equal({
      enabled: true,
      smtpUrl: undefined,
      from: 'Auth Service <no-reply@localhost>',
      // Unset: links open the service's own pages at PUBLIC_URL.
      appUrl: undefined,
      templatesDir: undefined,
      requireVerifiedEmail: false,
      verifyTokenTtlMs: 24 * 3_600_000,
      resetTokenTtlMs: 30 * 60_000,
      limitPerAddressPerHour: 5,
      limitPerClientPerHour: 30,
      maxConnections: 5,
      maxUncertainRetries: 1,
      uncertainRetryDelayMs: 600_000,
      replyTimeoutMs: 600_000,
      retentionMs: 30 * 86_400_000,
    });
    const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig({ ...production, MAIL_ENABLED: 'false' }).mail.enabled).to.equal(false);
    expect(loadConfig({ ...production, SMTP_URL: 'smtps://u:p@smtp.example.com:465', APP_URL: 'https://app.example.com/' }).mail).to.deep.include({
      smtpUrl: 'smtps://u:p@smtp.example.com:465',
      appUrl: 'https://app.example.com',
    });
  });

  it('reads PUBLIC_URL as an origin, unset by default (then http://localhost:PORT)', () => {
    expect(loadConfig({}).publicUrl).to.equal(undefined);
    expect(loadConfig({ PUBLIC_URL: 'https://auth.example.com/' }).publicUrl).to.equal('https://auth.example.com');
    expect(() => loadConfig({ PUBLIC_URL: 'https://auth.example.com/login' })).to.throw(/^PUBLIC_URL: must be an origin/);
  });

  it('chooses the store from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'memory' }).database).to.deep.equal({ kind: 'memory' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DATABASE_POOL_MAX: '7' }).database).to.deep.include({ kind: 'postgres', url: 'postgres://u@h/db', poolMax: 7 });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT: must be a whole number/],
    [{ PORT: '70000' }, /^PORT: must be at most 65535/],
    [{ BCRYPT_COST: '9' }, /^BCRYPT_COST: must be at least 10/],
    [{ NODE_ENV: 'production' }, /^SECRET_KEY: must be set when NODE_ENV=production/],
    [{ SECRET_KEY: 'too short' }, /^SECRET_KEY: must be at least 32 bytes/],
    [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS: .*"\*" is not allowed/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: must be memory or a postgres:\/\/ URL/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL:/],
    [{ TRUST_PROXY: 'maybe' }, /^TRUST_PROXY: must be true or false/],
    [{ HASH_CONCURRENCY: '4' }, /^HASH_CONCURRENCY: must be below UV_THREADPOOL_SIZE/],
    [{ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32) }, /^DATA_ENCRYPTION_KEY: must be set when NODE_ENV=production/],
    [{ DATA_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64') }, /^DATA_ENCRYPTION_KEY: must be 32 random bytes in base64/],
    [{ DATA_ENCRYPTION_KEY: 'not base64 at all!' }, /^DATA_ENCRYPTION_KEY: must be 32 random bytes/],
    [{ DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), DATA_ENCRYPTION_KEY_PREVIOUS: Buffer.alloc(32, 1).toString('base64') }, /^DATA_ENCRYPTION_KEY_PREVIOUS: must differ/],
    [{ METRICS_PORT: 'nine' }, /^METRICS_PORT: must be a whole number/],
    [{ METRICS_TOKEN: 'guessable' }, /^METRICS_TOKEN: must be at least 32 bytes/],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32), DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') },
      /^SMTP_URL: must be set when NODE_ENV=production \(or set MAIL_ENABLED=false/,
    ],
    [{ SMTP_URL: 'http://mail.example.com' }, /^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ APP_URL: 'app.example.com' }, /^APP_URL: must be an http\(s\) URL/],
    [{ RESET_TOKEN_EXPIRE_MINUTES: '0' }, /^RESET_TOKEN_EXPIRE_MINUTES: must be at least 5/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with one line naming the variable`, () => {
      const text = refusal(env);
      expect(text).to.match(message);
      expect(text).not.to.include('\n');
    });
  }

  it('reads DATA_ENCRYPTION_KEY and its predecessor as 32-byte keys', () => {
    const key = Buffer.alloc(32, 7);
    const previous = Buffer.alloc(32, 9);
    const config = loadConfig({ DATA_ENCRYPTION_KEY: key.toString('base64'), DATA_ENCRYPTION_KEY_PREVIOUS: previous.toString('base64url') });
    expect(Buffer.from(config.dataEncryptionKey!).equals(key)).to.equal(true);
    expect(Buffer.from(config.dataEncryptionKeyPrevious!).equals(previous)).to.equal(true);
    expect(loadConfig({}).dataEncryptionKey).to.equal(undefined);
  });

  it('keeps metrics off unless METRICS_PORT or METRICS_TOKEN is set, with the listener on loopback by default', () => {
    expect(loadConfig({})).to.deep.include({ metricsPort: undefined, metricsToken: undefined });
    expect(loadConfig({ METRICS_PORT: '9464' })).to.deep.include({ metricsPort: 9464, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '', METRICS_TOKEN: '' })).to.deep.include({ metricsPort: undefined, metricsToken: undefined });
  });

  it('keeps bcrypt off at least one thread of the pool by default', () => {
    expect(loadConfig({}).hashConcurrency).to.be.within(1, 3);
    expect(loadConfig({ HASH_CONCURRENCY: '' }).hashConcurrency).to.equal(loadConfig({}).hashConcurrency);
    expect(loadConfig({ UV_THREADPOOL_SIZE: '2' }).hashConcurrency).to.equal(1);
    expect(loadConfig({ HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '8' }).hashConcurrency).to.equal(6);
  });

  it('gives a rotated refresh token 10 s of grace by default; 0 turns the grace off; more than 300 s is refused', () => {
    expect(loadConfig({}).refreshReuseGraceMs).to.equal(10_000);
    expect(loadConfig({ REFRESH_REUSE_GRACE_SECONDS: '0' }).refreshReuseGraceMs).to.equal(0);
    expect(refusal({ REFRESH_REUSE_GRACE_SECONDS: '301' })).to.match(/^REFRESH_REUSE_GRACE_SECONDS: must be at most 300/);
  });

  describe('the first superuser', () => {
    const ROOT = { FIRST_SUPERUSER_EMAIL: 'root@example.com', FIRST_SUPERUSER_USERNAME: 'root', FIRST_SUPERUSER_PASSWORD: ' a passphrase with edges ' };

    it('is none by default, and all three variables together otherwise, the password kept exactly', () => {
      expect(loadConfig({}).firstSuperuser).to.equal(undefined);
      expect(loadConfig({ FIRST_SUPERUSER_EMAIL: '', FIRST_SUPERUSER_USERNAME: ' ', FIRST_SUPERUSER_PASSWORD: '' }).firstSuperuser).to.equal(undefined);
      expect(loadConfig(ROOT).firstSuperuser).to.deep.equal({ email: 'root@example.com', username: 'root', password: ' a passphrase with edges ' });
    });

    for (const left of Object.keys(ROOT) as (keyof typeof ROOT)[]) {
      it(`refuses the set without ${left} with one line naming it, and never the password`, () => {
        const text = refusal({ ...ROOT, [left]: '' });
        expect(text).to.match(new RegExp(`^${left}: must be set too`));
        expect(text).not.to.include('\n');
        expect(text).not.to.include('passphrase');
      });
    }

    it('refuses a password alone', () => {
      expect(refusal({ FIRST_SUPERUSER_PASSWORD: 'a passphrase' })).to.match(/^FIRST_SUPERUSER_EMAIL: must be set too/);
    });
  });

  it('keeps the security history 90 days by default', () => {
    expect(loadConfig({}).auditRetentionMs).to.equal(90 * 86_400_000);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '7' }).auditRetentionMs).to.equal(7 * 86_400_000);
    expect(refusal({ AUDIT_RETENTION_DAYS: '0' })).to.match(/^AUDIT_RETENTION_DAYS: must be at least 1/);
  });

  describe('readEnvironment', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'auth-config-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    it('reads .env, and the real environment wins over it', async () => {
      await writeFile(join(dir, '.env'), 'PORT=9000\nLOG_LEVEL=debug\n# a comment\n');
      const source = readEnvironment({ PORT: '9100' }, join(dir, '.env'));
      expect(loadConfig(source)).to.deep.include({ port: 9100, logLevel: 'debug' });
    });

    it('runs without a .env file', () => {
      expect(readEnvironment({ PORT: '1' }, join(dir, 'absent.env'))).to.deep.equal({ PORT: '1' });
    });

    it('refuses UV_THREADPOOL_SIZE from .env, where Node would never see it', async () => {
      await writeFile(join(dir, '.env'), 'UV_THREADPOOL_SIZE=8\n');
      expect(() => readEnvironment({}, join(dir, '.env'))).to.throw(ConfigError, /UV_THREADPOOL_SIZE: must be set in the process environment/);
      expect(readEnvironment({ UV_THREADPOOL_SIZE: '8' }, join(dir, '.env')).UV_THREADPOOL_SIZE).to.equal('8');
    });

    it('says which file it could not read', async () => {
      expect(() => readEnvironment({}, dir)).to.throw(ConfigError, new RegExp(dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    });
  });
});
