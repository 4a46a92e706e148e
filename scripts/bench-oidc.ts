/**
 * Client-credentials grants and introspections per second on PostgreSQL: the service runs as a child process
 * (production mode, its own CPU), autocannon loads it from here. `npm run bench:oidc`; DURATION seconds each
 * (default 10), CONNECTIONS at once (default 20). Results go to stdout as one table, for BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Options, type Result } from 'autocannon';
import { createScratchDatabase, type ScratchDatabase } from '../test/support/scratch-postgres.js';
import { freePort } from '../test/support/test-server.js';
import { startChild, stopAll, waitForHttp } from './bench/children.js';
import { REPO_ROOT } from './repo-root.js';

const DURATION = Number(process.env.DURATION ?? 10);
const WARMUP = 3;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const fire = (options: Options): Promise<Result> => Promise.resolve(autocannon({ timeout: 10, ...options }));

async function call(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** CPU seconds (user + system) the process has used: on a shared machine, requests per CPU-second is the fair rate. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Row {
  label: string;
  perSecond: number;
  perCpuSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(label: string, options: Options, pid: number): Promise<Row> {
  await fire({ ...options, duration: WARMUP });
  const before = cpuSeconds(pid);
  const result = await fire({ ...options, duration: DURATION });
  const used = cpuSeconds(pid) - before;
  const answered = Object.values(result.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);
  return {
    label,
    perSecond: Math.round(result.requests.average),
    perCpuSecond: Math.round(answered / used),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-oidc-'));
  let database: ScratchDatabase | undefined;
  try {
    database = await createScratchDatabase();
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const root = { email: `root-${randomBytes(4).toString('hex')}@example.com`, username: 'bench_root', password: `Bench-${randomBytes(8).toString('hex')}` };
    const service = startChild(
      'service',
      process.execPath,
      // tsx resolved from here: the child runs in a scratch directory (its data and log).
      ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'bootstrap/main.ts')],
      {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        SECRET_KEY: randomBytes(48).toString('base64'),
        MAIL_ENABLED: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: url,
        LOG_LEVEL: 'warn',
        BCRYPT_COST: '10',
        FIRST_SUPERUSER_EMAIL: root.email,
        FIRST_SUPERUSER_USERNAME: root.username,
        FIRST_SUPERUSER_PASSWORD: root.password,
      },
      dir,
    );
    await waitForHttp(service, `http://127.0.0.1:${port}/health/ready`);
    const login = (await call(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: root.username, password: root.password }),
    })) as { access_token: string };
    const created = (await call(`http://127.0.0.1:${port}/api/v1/oauth/clients`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${login.access_token}` },
      body: JSON.stringify({ client_name: 'bench', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic' }),
    })) as { client_id: string; client_secret: string };
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(created.client_id)}:${encodeURIComponent(created.client_secret)}`).toString('base64')}`;
    const form = { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic };
    const token = (await call(`http://127.0.0.1:${port}/oauth2/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' })) as { access_token: string };

    const grants = await measure('client-credentials grants', {
      url: `http://127.0.0.1:${port}/oauth2/token`,
      method: 'POST',
      headers: form,
      body: 'grant_type=client_credentials',
      connections: CONNECTIONS,
    }, service.process.pid!);
    const introspections = await measure('introspections', {
      url: `http://127.0.0.1:${port}/oauth2/introspect`,
      method: 'POST',
      headers: form,
      body: `token=${token.access_token}`,
      connections: CONNECTIONS,
    }, service.process.pid!);
    const cpu = `${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}`;
    console.log(`\n${cpu}, Node ${process.version}, PostgreSQL (local), ${CONNECTIONS} connections, ${DURATION} s each\n`);
    console.log('| operation | per second | per CPU-second of the service | p50 ms | p99 ms | non-2xx |');
    console.log('|---|---|---|---|---|---|');
    for (const row of [grants, introspections]) console.log(`| ${row.label} | ${row.perSecond} | ${row.perCpuSecond} | ${row.p50} | ${row.p99} | ${row.non2xx} |`);
  } finally {
    await stopAll();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
