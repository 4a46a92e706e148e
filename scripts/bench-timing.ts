import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../test/support/scratch-postgres.js';
import { freePort } from '../test/support/throwaway-services.js';
import { startChild, waitForHttp } from './bench/children.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * `npm run bench:timing`: does the time taken by `forgot-password` and `request-verify-token` tell a registered
 * address from an unknown one? On PostgreSQL (a scratch database) and on PGlite (the embedded default), the real
 * service (its own process, as an attacker's client would be elsewhere; mail written as development `.eml` files) gets BENCH_TIMING_PAIRS (40) interleaved pairs per route, one request for the registered (unverified)
 * address and one for an unknown address, their order alternating pair by pair, after BENCH_TIMING_WARMUP (10)
 * pairs not counted. Requests go one at a time, BENCH_TIMING_GAP_MS (250) apart, so the background work a request
 * leaves (the request worker's resolution, the mail) is over before the next is timed, as an attacker pacing their
 * probes would have it. Prints each route's median for each kind of address and their difference, and the load
 * average. The mail limits are raised so no request is cut short by them (a throttled one costs less, for either).
 */
const pairs = Number(process.env.BENCH_TIMING_PAIRS ?? 40);
const warmup = Number(process.env.BENCH_TIMING_WARMUP ?? 10);
const gapMs = Number(process.env.BENCH_TIMING_GAP_MS ?? 250);
const ROUTES = ['/api/v1/auth/forgot-password', '/api/v1/auth/request-verify-token'] as const;

const LIMITS = {
  MAIL_LIMIT_PER_ADDRESS_PER_HOUR: '10000',
  MAIL_LIMIT_PER_CLIENT_PER_HOUR: '1000000',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'test',
  BCRYPT_COST: '10',
  HOST: '127.0.0.1',
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(url: string, email: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 202) throw new Error(`${url} answered ${response.status}`);
  return ms;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service in a child process on `databaseUrl` ('' for PGlite under `dir`), measured, then stopped. */
async function withService(engine: string, databaseUrl: string, dir: string): Promise<void> {
  const port = await freePort();
  const child = startChild(`service-${engine}`, process.execPath, ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'bootstrap/main.ts')], { ...process.env, ...LIMITS, PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: dir }, dir);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(child, `${url}/health/ready`, 120_000);
    await measure(engine, url);
  } finally {
    await child.stop();
  }
}

async function measure(engine: string, serviceUrl: string): Promise<void> {
  const server = { url: serviceUrl };
  const known = `timing-${Date.now()}@example.com`;
  const registered = await fetch(`${server.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: known, username: `timing_${Date.now()}`, password: 'a long enough secret' }),
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  for (const route of ROUTES) {
    const url = `${server.url}${route}`;
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    for (let i = 0; i < warmup + pairs; i += 1) {
      const unknown = `nobody-${i}-${Date.now()}@example.com`;
      const order = i % 2 === 0 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
      for (const which of order) {
        const ms = await timed(url, which === 'known' ? known : unknown);
        if (i >= warmup) (which === 'known' ? knownMs : unknownMs).push(ms);
        await pause(gapMs);
      }
    }
    const k = median(knownMs);
    const u = median(unknownMs);
    console.log(
      `${engine.padEnd(10)} ${route.padEnd(34)} known ${k.toFixed(2).padStart(7)} ms  unknown ${u.toFixed(2).padStart(7)} ms  difference ${(k - u).toFixed(2).padStart(6)} ms  (${pairs} pairs)`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const scratch = await createScratchDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'auth-bench-timing-'));
  try {
    await withService('PostgreSQL', scratch.url, dir);
    await withService('PGlite', '', dir);
  } finally {
    await scratch.drop();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();
