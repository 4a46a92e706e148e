import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Options, type Result } from 'autocannon';
import { Redis } from 'ioredis';
import { createScratchDatabase, type ScratchDatabase } from '../test/support/scratch-postgres.js';
import { freePort } from '../test/support/throwaway-services.js';
import { peakRssBytes, startChild, stopAll, waitForHttp, type Child } from './bench/children.js';
import { summarizeCpuProfile } from './bench/cpu-profile.js';
import { embeddedMemoryTable, measureEmbeddedMemory } from './bench/embedded-memory.js';
import { REPO_ROOT } from './repo-root.js';

/**
 * `npm run bench`: the service (compiled, on PostgreSQL + Redis, as in production) against a hand-rolled floor
 * (scripts/bench-floor.ts), both loaded by autocannon with the same connections, duration and warm-up, plus the
 * machine's raw bcrypt rate. Prints a table with the ratios against the targets of issue 6. Traffic goes to
 * 127.0.0.1 only; every child is killed and the scratch database and Redis keys removed on the way out.
 *
 * Knobs (environment): BENCH_DURATION and BENCH_WARMUP in seconds (10, 3), BENCH_CONNECTIONS for the
 * GET /users/me comparison (50), BENCH_ROUNDS of it, floor and service alternating (2), BENCH_HASH_CONNECTIONS
 * for register and log-in (2 x the thread pool),
 * BENCH_FLOOD_FACTOR (10), BENCH_FLOOD_CONNECTIONS (the flood rate), BENCH_FLOOD_GET_SHARE (0.2 of the measured GET
 * capacity), BENCH_LOG_LEVEL (warn), HASH_CONCURRENCY / HASH_QUEUE_MAX / DATABASE_POOL_MAX (passed to the service),
 * BENCH_FLOOR_QUERY (user: the issue's one SELECT by primary key; session: the service's session-and-user join),
 * BENCH_PHASES (comma list of register,bcrypt,login,get,flood,embedded,deadline; all but deadline by default;
 * embedded: the PGlite default's memory, scripts/bench/embedded-memory.ts, with BENCH_EMBEDDED_USERS (100);
 * deadline: the same service with and without its per-request database deadline, BENCH_DEADLINE_ROUNDS pairs (6)
 * at BENCH_DEADLINE_RATE requests/s each (150); BENCH_DEADLINE_CONTROL=1 keeps it on both sides, the noise floor),
 * BENCH_CPU_PROF=1 (profile the service's main thread and summarise it), BENCH_SERVICE_FLAGS (Node flags for the
 * service, space-separated, instead of SERVICE_NODE_FLAGS below), BENCH_SKIP_BUILD=1, TEST_DATABASE_URL /
 * TEST_REDIS_URL.
 */
const number = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const THREADPOOL = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const CORES = availableParallelism();
const DURATION = number('BENCH_DURATION', 10);
const WARMUP = number('BENCH_WARMUP', 3);
const CONNECTIONS = number('BENCH_CONNECTIONS', 50);
const ROUNDS = Math.round(number('BENCH_ROUNDS', 2));
const HASH_CONNECTIONS = number('BENCH_HASH_CONNECTIONS', 2 * THREADPOOL);
const FLOOD_FACTOR = number('BENCH_FLOOD_FACTOR', 10);
const FLOOD_GET_SHARE = number('BENCH_FLOOD_GET_SHARE', 0.2);
const FLOOD_CONNECTIONS = process.env.BENCH_FLOOD_CONNECTIONS ? Math.round(number('BENCH_FLOOD_CONNECTIONS', 1)) : undefined;
// warn: the service runs its real logger and every level check, but writes no line per request. At info each
// request costs a JSON line (see BENCHMARKS.md for the measured difference); the floor logs nothing.
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const PHASES = new Set((process.env.BENCH_PHASES ?? 'register,bcrypt,login,get,flood,embedded').split(',').map((p) => p.trim()));
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const DEADLINE_ROUNDS = Math.round(number('BENCH_DEADLINE_ROUNDS', 6));
const DEADLINE_RATE = Math.round(number('BENCH_DEADLINE_RATE', 150));
const DEADLINE_CONTROL = process.env.BENCH_DEADLINE_CONTROL === '1';
/** Node flags the service runs with, as scripts/start.mjs and the Dockerfile start it. */
const SERVICE_FLAGS = (process.env.BENCH_SERVICE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const BCRYPT_COST = 12;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const API = '/api/v1';
const PASSWORD = 'bench horse battery staple';
// RFC 2544's benchmarking range: a client address no test or real caller uses, so this run's rate-limit
// counters are its own and can be deleted afterwards.
const CLIENT_IP = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
const RUN_ID = randomBytes(4).toString('hex');
const FLOOR_KEY_PREFIX = `bench:floor:${RUN_ID}:`;
const FLOOR_QUERY = process.env.BENCH_FLOOR_QUERY ?? 'user';
const PASS_THROUGH = ['HASH_CONCURRENCY', 'HASH_QUEUE_MAX', 'DATABASE_POOL_MAX'];
const HARD_LIMIT_MS = number('BENCH_TIMEOUT', 600) * 1000;

// Other processes on the machine skew every number; the table says how busy it was.
const LOAD_BEFORE = loadavg().map((l) => l.toFixed(2)).join(' ');

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

interface Measured {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  /**
   * CPU time (all threads) the target process spent per answered request. Unlike requests per second it hardly
   * moves when a neighbour takes CPU away, so it is the steadier comparison on a shared machine.
   */
  readonly cpuMicrosPerRequest?: number;
}

function summarize(result: Result): Measured {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]));
  return {
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Rounds averaged: throughput and each percentile. */
function mean(rounds: readonly Measured[]): Measured | undefined {
  if (rounds.length === 0) return undefined;
  const avg = (pick: (m: Measured) => number) => rounds.reduce((sum, m) => sum + pick(m), 0) / rounds.length;
  const statuses: Record<string, number> = {};
  for (const m of rounds) for (const [code, count] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  return {
    perSecond: avg((m) => m.perSecond),
    p50: avg((m) => m.p50),
    p99: avg((m) => m.p99),
    statuses,
    errors: rounds.reduce((sum, m) => sum + m.errors, 0),
    timeouts: rounds.reduce((sum, m) => sum + m.timeouts, 0),
    ...(rounds.every((m) => m.cpuMicrosPerRequest !== undefined) ? { cpuMicrosPerRequest: avg((m) => m.cpuMicrosPerRequest!) } : {}),
  };
}

const fire = (options: Options): Promise<Result> => Promise.resolve(autocannon({ timeout: 10, ...options }));

/** A warm-up of the same load, discarded, then the measured run. */
async function measure(label: string, options: Options, pid?: number): Promise<Measured> {
  log(`${label}: warm-up ${WARMUP} s, then ${DURATION} s`);
  const warm = await fire({ ...options, duration: WARMUP });
  // autocannon hangs up at the end of the warm-up, but the service still finishes what it had accepted (a queue
  // of log-ins, say); measuring before that drains would charge its CPU and its slots to the measured run.
  await sleep(Math.min(10_000, warm.latency.max));
  const cpuBefore = pid === undefined ? undefined : cpuMicros(pid);
  const result = await fire({ ...options, duration: DURATION });
  const cpuAfter = pid === undefined ? undefined : cpuMicros(pid);
  const answered = Object.values(result.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);
  const measured: Measured = {
    ...summarize(result),
    ...(cpuBefore !== undefined && cpuAfter !== undefined && answered > 0 ? { cpuMicrosPerRequest: (cpuAfter - cpuBefore) / answered } : {}),
  };
  const cpu = measured.cpuMicrosPerRequest === undefined ? '' : `, ${measured.cpuMicrosPerRequest.toFixed(0)} µs CPU each`;
  log(`${label}: ${measured.perSecond.toFixed(1)}/s ok, p50 ${measured.p50} ms, p99 ${measured.p99} ms${cpu}, statuses ${JSON.stringify(measured.statuses)}, errors ${measured.errors}`);
  return measured;
}

/** utime + stime of a process in microseconds, from /proc (Linux; USER_HZ is 100 on every mainstream kernel). */
function cpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const headers = (extra: Record<string, string> = {}) => ({ 'x-forwarded-for': CLIENT_IP, ...extra });

async function call(base: string, path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...headers(), ...(init.headers as Record<string, string>) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

function nodeArgs(script: string): string[] {
  return script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
}

interface RawBcrypt {
  readonly perSecond: number;
  readonly parallel: number;
  readonly cpuMsEach: number;
}

async function rawBcrypt(parallel: number): Promise<RawBcrypt> {
  log(`raw bcrypt: ${parallel} verifications in parallel at cost ${BCRYPT_COST}, warm-up ${WARMUP} s, then ${DURATION} s`);
  const args = [...nodeArgs(join(REPO_ROOT, 'scripts/bench/raw-bcrypt.ts')), String(BCRYPT_COST), String(WARMUP), String(DURATION), String(parallel)];
  const output = execFileSync(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, UV_THREADPOOL_SIZE: String(THREADPOOL) },
    encoding: 'utf8',
    timeout: (WARMUP + DURATION + 30) * 1000,
  });
  const result = JSON.parse(output.trim().split('\n').pop()!) as RawBcrypt;
  log(`raw bcrypt: ${result.perSecond.toFixed(2)}/s, ${result.cpuMsEach.toFixed(0)} ms CPU each`);
  return result;
}

function printProfile(name: string, profileDir: string): void {
  const file = readdirSync(profileDir).find((entry) => entry.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${profileDir}`);
  const summary = summarizeCpuProfile(join(profileDir, file), REPO_ROOT);
  const share = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1)} %`;
  process.stdout.write(
    `\n${name} main thread: ${(summary.busyMs / 1000).toFixed(1)} s busy, ${(summary.idleMs / 1000).toFixed(1)} s idle (shares of busy time)\n`,
  );
  const print = (title: string, rows: readonly (readonly [string, number])[]) => {
    process.stdout.write(`${title}\n`);
    for (const [label, ms] of rows) process.stdout.write(`  ${share(ms).padStart(7)}  ${label}\n`);
  };
  print('self time by area:', summary.selfByArea);
  print('time with the area on the stack:', summary.totalByArea);
  print('self time by function:', summary.selfByFunction);
  print('native self time by nearest JavaScript caller:', summary.nativeCallers);
}

const fmt = (value: number | undefined, digits = 1) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const verdict = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : 'MISSED');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-bench-'));
  let database: ScratchDatabase | undefined;
  let service: Child | undefined;
  let floor: Child | undefined;
  const hardStop = setTimeout(() => {
    log(`still running after ${HARD_LIMIT_MS / 1000} s: giving up`);
    process.exit(2);
  }, HARD_LIMIT_MS);
  hardStop.unref();

  const cleanUp = async () => {
    await stopAll();
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for (const pattern of [`*${CLIENT_IP}:*`, `${FLOOR_KEY_PREFIX}*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      }
    } catch (error) {
      log(`could not delete this run's Redis keys (${(error as Error).message}); they expire within two minutes`);
    } finally {
      redis.disconnect();
    }
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: stopping children and cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    if (process.env.BENCH_SKIP_BUILD !== '1') {
      log('npm run build');
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
    }
    database = await createScratchDatabase();
    const secret = randomBytes(48).toString('base64url');
    const common = {
      PATH: process.env.PATH,
      UV_THREADPOOL_SIZE: String(THREADPOOL),
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
      REDIS_URL,
      SECRET_KEY: secret,
      JWT_ISSUER: 'auth-service',
      JWT_AUDIENCE: 'auth-service',
    };

    const serviceEnv = {
      ...common,
      NODE_ENV: 'production',
      // Production refuses to start without them: a throw-away key, and no SMTP (mail is queued, not sent).
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      MAIL_ENABLED: 'false',
      HOST: '127.0.0.1',
      // High enough that the limiter counts every request (one Redis round trip each) but never refuses.
      RATE_LIMIT_PER_MINUTE: '1000000',
      BCRYPT_COST: String(BCRYPT_COST),
      LOG_LEVEL,
      TRUST_PROXY: 'true',
      MIGRATE_ON_START: 'true',
      // Passed through when set, to try other bounds; otherwise the service's own defaults are measured.
      ...Object.fromEntries(PASS_THROUGH.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]])),
    };
    const servicePort = await freePort();
    const profileDir = join(dir, 'profile');
    log(`service node flags: ${SERVICE_FLAGS.join(' ') || '(none)'}`);
    service = startChild(
      'service',
      process.execPath,
      [...SERVICE_FLAGS, ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), join(REPO_ROOT, 'dist/bootstrap/main.js')],
      { ...serviceEnv, PORT: String(servicePort) },
      dir,
    );
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    await waitForHttp(service, `${serviceUrl}/health/ready`);

    const floorPort = await freePort();
    const floorProfileDir = join(dir, 'floor-profile');
    const floorArgs = [...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', floorProfileDir] : []), ...nodeArgs(join(REPO_ROOT, 'scripts/bench-floor.ts'))];
    floor = startChild('floor', process.execPath, floorArgs, { ...common, PORT: String(floorPort), FLOOR_KEY_PREFIX, FLOOR_QUERY }, REPO_ROOT);
    const floorUrl = `http://127.0.0.1:${floorPort}`;
    await waitForHttp(floor, `${floorUrl}/health`);

    const username = `bench_${RUN_ID}`;
    await call(serviceUrl, `${API}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${username}@example.com`, username, password: PASSWORD }),
    });
    const loginBody = new URLSearchParams({ username, password: PASSWORD }).toString();
    const formHeaders = headers({ 'content-type': 'application/x-www-form-urlencoded' });
    const { access_token: token } = (await (
      await call(serviceUrl, `${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: loginBody })
    ).json()) as { access_token: string };
    const bearer = headers({ authorization: `Bearer ${token}` });
    // The floor must do the same work and answer the same user, or the comparison means nothing.
    const [fromService, fromFloor] = await Promise.all(
      [serviceUrl, floorUrl].map(async (base) => (await call(base, `${API}/users/me`, { headers: { authorization: `Bearer ${token}` } })).json()),
    );
    if (JSON.stringify(fromService) !== JSON.stringify(fromFloor)) {
      throw new Error(`the floor answers differently:\n${JSON.stringify(fromService)}\n${JSON.stringify(fromFloor)}`);
    }

    let registered: Measured | undefined;
    if (PHASES.has('register')) {
      let sequence = 0;
      registered = await measure('register', {
        url: serviceUrl,
        connections: HASH_CONNECTIONS,
        requests: [
          {
            method: 'POST',
            path: `${API}/auth/register`,
            headers: headers({ 'content-type': 'application/json' }),
            setupRequest: (request) => {
              sequence += 1;
              const name = `b${RUN_ID}_${sequence}`;
              return { ...request, body: JSON.stringify({ email: `${name}@example.com`, username: name, password: PASSWORD }) };
            },
          },
        ],
      }, service.process.pid);
    }

    // The thread pool's size is the machine's ceiling (the target's reference); one per core is what the
    // service's default HASH_CONCURRENCY runs, and on a shared machine fewer threads get a smaller share of it.
    const bcrypt = PHASES.has('bcrypt') ? await rawBcrypt(THREADPOOL) : undefined;
    const bcryptPerCore = PHASES.has('bcrypt') && CORES !== THREADPOOL ? await rawBcrypt(CORES) : undefined;

    let loggedIn: Measured | undefined;
    if (PHASES.has('login')) {
      loggedIn = await measure('log-in', { url: `${serviceUrl}${API}/auth/login`, method: 'POST', connections: HASH_CONNECTIONS, headers: formHeaders, body: loginBody }, service.process.pid);
    }

    let floorGet: Measured | undefined;
    let serviceGet: Measured | undefined;
    if (PHASES.has('get') || PHASES.has('flood')) {
      // Alternating rounds, so a neighbour's load on a shared machine falls on both sides rather than one.
      const floorRounds: Measured[] = [];
      const serviceRounds: Measured[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        if (PHASES.has('get')) {
          floorRounds.push(await measure(`GET /users/me on the floor, round ${round}/${ROUNDS}`, { url: `${floorUrl}${API}/users/me`, connections: CONNECTIONS, headers: bearer }, floor!.process.pid));
        }
        serviceRounds.push(await measure(`GET /users/me on the service, round ${round}/${ROUNDS}`, { url: `${serviceUrl}${API}/users/me`, connections: CONNECTIONS, headers: bearer }, service!.process.pid));
      }
      floorGet = mean(floorRounds);
      serviceGet = mean(serviceRounds);
    }

    let floodRate: number | undefined;
    let getRate: number | undefined;
    let calm: Measured | undefined;
    let flooded: Measured | undefined;
    let flood: Measured | undefined;
    if (PHASES.has('flood') && serviceGet) {
      // Log-in capacity from this run, or the raw bcrypt rate when the log-in phase was skipped.
      const capacity = loggedIn?.perSecond ?? bcrypt?.perSecond ?? 10;
      floodRate = Math.max(1, Math.round(FLOOD_FACTOR * capacity));
      getRate = Math.max(10, Math.round(FLOOD_GET_SHARE * serviceGet.perSecond));
      const steady: Options = { url: `${serviceUrl}${API}/users/me`, connections: CONNECTIONS, headers: bearer, overallRate: getRate };
      calm = await measure(`GET /users/me at ${getRate}/s, no flood`, steady);
      log(`log-in flood at ${floodRate}/s (${FLOOD_FACTOR} x capacity); GET /users/me at ${getRate}/s measured after ${WARMUP} s of it`);
      const flooding = fire({
        url: `${serviceUrl}${API}/auth/login`,
        method: 'POST',
        // One request a second per connection: floodRate/s while the service answers (or refuses) promptly.
        // autocannon waits for each answer, so while log-ins queue at most `connections` are in flight.
        connections: FLOOD_CONNECTIONS ?? floodRate,
        connectionRate: 1,
        headers: formHeaders,
        body: loginBody,
        duration: WARMUP + DURATION,
      });
      await sleep(WARMUP * 1000);
      flooded = summarize(await fire({ ...steady, duration: DURATION }));
      flood = summarize(await flooding);
      log(`flooded GET: p50 ${flooded.p50} ms, p99 ${flooded.p99} ms, statuses ${JSON.stringify(flooded.statuses)}; flood statuses ${JSON.stringify(flood.statuses)}, timeouts ${flood.timeouts}`);
    }

    const rss = peakRssBytes(service.process.pid!);
    const floorRss = peakRssBytes(floor.process.pid!);
    await floor.stop();

    let deadlineTable: string | undefined;
    if (PHASES.has('deadline')) {
      deadlineTable = await compareDeadline({ dir, env: serviceEnv, serviceUrl, servicePid: service.process.pid!, bearer });
    }
    await service.stop();

    const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
    const getRatio = ratio(serviceGet?.perSecond, floorGet?.perSecond);
    const loginRatio = ratio(loggedIn?.perSecond, bcrypt?.perSecond);
    const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024 / 1024);
    const rows: string[][] = [
      ['measure', 'service', 'reference', 'ratio', 'target', 'verdict'],
      ['GET /users/me, requests/s', fmt(serviceGet?.perSecond, 0), `${fmt(floorGet?.perSecond, 0)} (floor)`, fmt(getRatio, 2), '>= 0.85 of floor', verdict(getRatio === undefined ? undefined : getRatio >= 0.85)],
      [
        'GET /users/me, CPU µs per request',
        fmt(serviceGet?.cpuMicrosPerRequest, 0),
        `${fmt(floorGet?.cpuMicrosPerRequest, 0)} (floor)`,
        fmt(ratio(floorGet?.cpuMicrosPerRequest, serviceGet?.cpuMicrosPerRequest), 2),
        '(floor / service: the same ratio, less sensitive to neighbours)',
        '',
      ],
      ['GET /users/me, p50 / p99 ms', `${fmt(serviceGet?.p50, 0)} / ${fmt(serviceGet?.p99, 0)}`, `${fmt(floorGet?.p50, 0)} / ${fmt(floorGet?.p99, 0)} (floor)`, '', '', ''],
      ['log-ins/s', fmt(loggedIn?.perSecond), `${fmt(bcrypt?.perSecond)} (raw bcrypt verify, cost ${BCRYPT_COST}, ${THREADPOOL} in parallel)`, fmt(loginRatio, 2), '>= 0.9 of raw bcrypt', verdict(loginRatio === undefined ? undefined : loginRatio >= 0.9)],
      ...(bcryptPerCore
        ? [['', '', `${fmt(bcryptPerCore.perSecond)} (raw bcrypt verify, ${CORES} in parallel)`, fmt(ratio(loggedIn?.perSecond, bcryptPerCore.perSecond), 2), '', '']]
        : []),
      [
        'log-in, CPU ms each (all threads)',
        fmt((loggedIn?.cpuMicrosPerRequest ?? NaN) / 1000, 0),
        `${fmt(bcrypt?.cpuMsEach, 0)} (one raw bcrypt verify)`,
        fmt(ratio(bcrypt?.cpuMsEach, (loggedIn?.cpuMicrosPerRequest ?? NaN) / 1000), 2),
        '',
        '',
      ],
      ['registrations/s', fmt(registered?.perSecond), '', '', '', ''],
      [`GET /users/me p50 / p99 ms at ${getRate ?? 'n/a'}/s, no flood`, `${fmt(calm?.p50, 0)} / ${fmt(calm?.p99, 0)}`, '', '', '', ''],
      [
        `GET /users/me p50 / p99 ms at ${getRate ?? 'n/a'}/s, log-ins flooding at ${floodRate ?? 'n/a'}/s`,
        `${fmt(flooded?.p50, 0)} / ${fmt(flooded?.p99, 0)}`,
        '',
        '',
        '< 50 ms p99',
        verdict(flooded === undefined ? undefined : flooded.p99 < 50),
      ],
      [
        `flood: ${FLOOD_CONNECTIONS ?? floodRate ?? 'n/a'} connections, at most 1 request/s each; answers (status: count)`,
        flood ? Object.entries(flood.statuses).map(([s, c]) => `${s}: ${c}`).join(', ') + (flood.timeouts ? `, timeouts: ${flood.timeouts}` : '') : 'n/a',
        '',
        '',
        '',
        '',
      ],
      ['peak RSS, MB', fmt(mb(rss)), `${fmt(mb(floorRss))} (floor)`, '', '< 150 MB', verdict(rss === undefined ? undefined : mb(rss)! < 150)],
    ];
    const table = rows.map((row, i) => `| ${row.join(' | ')} |${i === 0 ? `\n|${row.map(() => '---').join('|')}|` : ''}`).join('\n');
    process.stdout.write(
      `\n${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ${CONNECTIONS} connections for GET, ${HASH_CONNECTIONS} for register and log-in; ` +
        `warm-up ${WARMUP} s, ${DURATION} s measured (GET: mean of ${ROUNDS} alternating rounds); load average before ${LOAD_BEFORE}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}; LOG_LEVEL=${LOG_LEVEL}; floor query: ${FLOOR_QUERY}\n\n${table}\n`,
    );

    if (deadlineTable) process.stdout.write(`\n${deadlineTable}\n`);

    if (PHASES.has('embedded')) {
      const embedded = await measureEmbeddedMemory(number('BENCH_EMBEDDED_USERS', 100), log);
      process.stdout.write(`\n${embeddedMemoryTable(embedded)}\n`);
    }

    if (CPU_PROF) {
      printProfile('service', profileDir);
      printProfile('floor', floorProfileDir);
    }
  } catch (error) {
    for (const child of [service, floor]) if (child) log(`${child.name} log:\n${child.tail()}`);
    throw error;
  } finally {
    await cleanUp();
  }
}

/**
 * The per-request database deadline's cost: the same compiled tree started a second time with the deadline's
 * wrapper taken out of dist/bootstrap/server.js (nothing else differs; the dialect then finds no budget and runs
 * each statement unbounded), both on the same database and Redis, measured in alternating pairs whose order
 * flips each round. CPU per request of each, and the ratio within each pair: a neighbour's load moves both
 * sides of a pair alike, so the pairs' ratios spread far less than either side does.
 */
async function compareDeadline(run: { dir: string; env: NodeJS.ProcessEnv; serviceUrl: string; servicePid: number; bearer: Record<string, string> }): Promise<string> {
  const variant = join(run.dir, 'without-deadline');
  cpSync(join(REPO_ROOT, 'dist'), join(variant, 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(variant, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(variant, 'node_modules'));
  const serverJs = join(variant, 'dist/bootstrap/server.js');
  const source = readFileSync(serverJs, 'utf8');
  const wrapped = /withDatabaseDeadline\(database\.timeoutMs, \(\) => handle\(request, response\)\)/;
  if (!wrapped.test(source)) throw new Error('dist/bootstrap/server.js no longer wraps the handler as this phase expects: update compareDeadline');
  // BENCH_DEADLINE_CONTROL=1: both sides keep the deadline, to see how far two identical processes differ here.
  if (!DEADLINE_CONTROL) writeFileSync(serverJs, source.replace(wrapped, 'handle(request, response)'));
  const port = await freePort();
  const bare = startChild('without-deadline', process.execPath, [...SERVICE_FLAGS, join(variant, 'dist/bootstrap/main.js')], { ...run.env, PORT: String(port), MIGRATE_ON_START: 'false' }, run.dir);
  const bareUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(bare, `${bareUrl}/health/ready`);
  const sides = { on: { url: run.serviceUrl, pid: run.servicePid }, off: { url: bareUrl, pid: bare.process.pid! } };
  const load = (side: 'on' | 'off', duration: number): Options => ({
    url: `${sides[side].url}${API}/users/me`,
    connections: CONNECTIONS,
    headers: run.bearer,
    overallRate: DEADLINE_RATE,
    duration,
  });
  const rows: string[] = [];
  const ratios: number[] = [];
  try {
    // Both sides at once, at the same fixed rate: whatever else the machine runs then falls on both alike, and
    // neither is saturated (a saturated process's CPU per request rises with its queue). A long warm-up first:
    // the side without the deadline is a fresh process, the other one has served the earlier phases.
    log(`deadline on and off at ${DEADLINE_RATE}/s each, at the same time: warm-up ${3 * WARMUP} s`);
    await Promise.all([fire(load('on', 3 * WARMUP)), fire(load('off', 3 * WARMUP))]);
    for (let round = 1; round <= DEADLINE_ROUNDS; round += 1) {
      const loadAverage = loadavg()[0]!.toFixed(1);
      const before = { on: cpuMicros(sides.on.pid), off: cpuMicros(sides.off.pid) };
      const [on, off] = await Promise.all([fire(load('on', DURATION)), fire(load('off', DURATION))]);
      const after = { on: cpuMicros(sides.on.pid), off: cpuMicros(sides.off.pid) };
      const perRequest = (side: 'on' | 'off', result: Result) => {
        const answered = Object.values(result.statusCodeStats).reduce((sum, { count }) => sum + Number(count), 0);
        const b = before[side];
        const a = after[side];
        return b === undefined || a === undefined || answered === 0 || result.non2xx > 0 ? undefined : (a - b) / answered;
      };
      const cpu = { on: perRequest('on', on), off: perRequest('off', off) };
      const ratio = cpu.on !== undefined && cpu.off !== undefined ? cpu.on / cpu.off : undefined;
      if (ratio !== undefined) ratios.push(ratio);
      log(`deadline pair ${round}/${DEADLINE_ROUNDS}: on ${fmt(cpu.on, 0)} µs (${(on['2xx'] / on.duration).toFixed(0)}/s), off ${fmt(cpu.off, 0)} µs (${(off['2xx'] / off.duration).toFixed(0)}/s), on/off ${fmt(ratio, 3)}`);
      rows.push(`| ${round} | ${fmt(cpu.on, 0)} | ${fmt(cpu.off, 0)} | ${fmt(ratio, 3)} | ${on.latency.p99} / ${off.latency.p99} | ${loadAverage} |`);
    }
  } finally {
    await bare.stop();
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const median = sorted.length === 0 ? undefined : sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const meanRatio = ratios.length === 0 ? undefined : ratios.reduce((a, b) => a + b, 0) / ratios.length;
  return [
    `Deadline on / ${DEADLINE_CONTROL ? 'on (control: both sides identical)' : 'off'}, GET /users/me, CPU µs per request, both at ${DEADLINE_RATE}/s at the same time over ${CONNECTIONS} connections each, ${DURATION} s per pair, Node ${process.version}`,
    '',
    '| pair | deadline on | deadline off | on / off | p99 ms on / off | load (1 min) |',
    '|---|---|---|---|---|---|',
    ...rows,
    `| median of pairs (mean) | | | ${fmt(median, 3)} (${fmt(meanRatio, 3)}) | | |`,
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
