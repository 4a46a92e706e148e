import { webcrypto } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import Koa from 'koa';
import pg from 'pg';

/**
 * The floor `npm run bench` compares `GET /api/v1/users/me` against: the same unavoidable work with no
 * architecture around it. One Redis INCR (the rate-limit count), one HS256 verification with a key imported
 * once, one SELECT by primary key, one JSON body. Whatever the service spends beyond this is the price of its
 * layers (container, middleware, zod, Kysely, domain objects, logging).
 *
 * Started by scripts/bench.ts as a child process; configured through its environment.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bench-floor: ${name} is required`);
  return value;
};

const port = Number(env('PORT'));
const issuer = env('JWT_ISSUER');
const audience = env('JWT_AUDIENCE');
const keyPrefix = env('FLOOR_KEY_PREFIX');
const windowMs = 60_000;

// `user` is the floor: one SELECT of the user by primary key. `session` reads what the service's
// AuthenticateUser reads since sessions exist (the session by primary key joined with its user, the same columns),
// so the ratio against it shows the cost of the layers alone rather than of the extra feature.
const QUERIES = {
  user: { claim: 'sub', sql: 'select id, email, username, is_active, is_superuser, mfa_enabled, is_verified, created_at, updated_at from users where id = $1' },
  session: {
    claim: 'sid',
    sql: `select u.id, u.email, u.username, u.hashed_password, u.is_active, u.is_superuser, u.mfa_enabled, u.is_verified,
      u.token_version, u.created_at, u.updated_at,
      s.id as session_id, s.user_id as session_user_id, s.token_version as session_token_version,
      s.created_at as session_created_at, s.last_used_at as session_last_used_at, s.expires_at as session_expires_at,
      s.revoked_at as session_revoked_at, s.user_agent as session_user_agent, s.ip as session_ip, s.amr as session_amr
      from sessions as s inner join users as u on u.id = s.user_id where s.id = $1`,
  },
} as const;
const query = QUERIES[(process.env.FLOOR_QUERY ?? 'user') as keyof typeof QUERIES];
if (!query) throw new Error('bench-floor: FLOOR_QUERY must be user or session');

const key = await webcrypto.subtle.importKey('raw', Buffer.from(env('SECRET_KEY')), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
const redis = new Redis(env('REDIS_URL'), { lazyConnect: true });
await redis.connect();

// The service trusts the last X-Forwarded-For hop in the benchmark too, so both count the same client.
const app = new Koa({ proxy: true, maxIpsCount: 1 });
app.use(async (ctx) => {
  if (ctx.path === '/health') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.method !== 'GET' || ctx.path !== '/api/v1/users/me') {
    ctx.status = 404;
    return;
  }
  const counterKey = `${keyPrefix}${ctx.ip}:${Math.floor(Date.now() / windowMs)}`;
  const count = await redis.incr(counterKey);
  if (count === 1) await redis.pexpire(counterKey, windowMs + 1_000);

  const authorization = ctx.get('Authorization');
  const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : '';
  let id: unknown;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer, audience });
    id = payload[query.claim];
  } catch {
    ctx.status = 401;
    return;
  }
  const { rows } = await pool.query<{
    id: string;
    email: string;
    username: string;
    is_active: boolean;
    is_superuser: boolean;
    mfa_enabled: boolean;
    is_verified: boolean;
    created_at: Date;
    updated_at: Date;
  }>(query.sql, [id]);
  const row = rows[0];
  if (!row) {
    ctx.status = 401;
    return;
  }
  ctx.body = {
    id: row.id,
    email: row.email,
    username: row.username,
    is_active: row.is_active,
    is_superuser: row.is_superuser,
    mfa_enabled: row.mfa_enabled,
    is_verified: row.is_verified,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
});

const server = createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
