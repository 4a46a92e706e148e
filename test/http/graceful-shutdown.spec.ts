import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { ApiClient, newAccount } from '../support/http-client.js';
import { METRICS_TOKEN } from '../support/test-server.js';
import { freePort } from '../support/throwaway-services.js';
import { nodeArgumentsFor } from '../support/entry-point.js';

const IN_FLIGHT = 200;
// Generous: draining 200 queued hashes takes seconds on a busy CI machine; the bound is what is checked.
const SHUTDOWN_TIMEOUT_MS = 60_000;

interface ChildService {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real entry point, as `npm start` runs it, in a process of its own so that it can be sent SIGTERM. */
async function spawnService(env: Record<string, string>): Promise<ChildService> {
  const port = await freePort();
  const child = spawn(process.execPath, nodeArgumentsFor('bootstrap/main.ts'), {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (output.join('').includes('"msg":"listening on')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    void exited.then(({ code }) => reject(new Error(`service exited with ${code} before listening:\n${output.join('')}`)));
  });
  await listening;
  return { url: `http://127.0.0.1:${port}`, child, output, exited };
}

function gauge(exposition: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition);
  return match ? Number(match[1]) : 0;
}

describe('Graceful shutdown of the real process', function () {
  this.timeout(120_000);
  let dataDir: string;
  let service: ChildService | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'auth-shutdown-'));
  });
  after(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`answers all ${IN_FLIGHT} requests in flight at SIGTERM, fails readiness meanwhile, then exits 0`, async () => {
    service = await spawnService({
      NODE_ENV: 'test',
      DATABASE_URL: 'memory',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      BCRYPT_COST: '10',
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_MINUTE: '100000',
      // Every log-in is accepted into the queue, so each stays in flight for a while: 200 hashes, 2 at a time.
      HASH_CONCURRENCY: '2',
      HASH_QUEUE_MAX: String(IN_FLIGHT),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      SHUTDOWN_DELAY_MS: '1000',
      METRICS_TOKEN,
    });
    const client = new ApiClient(service.url);
    const account = newAccount();
    expect((await client.request('POST', '/api/v1/auth/register', { json: account })).status).to.equal(201);

    const form = { username: account.username, password: account.password };
    const inFlight = Array.from({ length: IN_FLIGHT }, () =>
      new ApiClient(service!.url).request('POST', '/api/v1/auth/login', { form }).then(
        (response) => ({ status: response.status, error: undefined }),
        (error: unknown) => ({ status: 0, error: String((error as { cause?: unknown }).cause ?? error) }),
      ),
    );
    // SIGTERM only once the server holds every one of them: running, queued for the hasher, or already done.
    for (;;) {
      const metrics = (await client.request('GET', '/metrics', { token: METRICS_TOKEN })).text;
      const seen = gauge(metrics, 'password_hash_in_progress') + gauge(metrics, 'password_hash_queue_depth') + gauge(metrics, 'auth_logins_total');
      if (seen >= IN_FLIGHT) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const signalled = Date.now();
    service.child.kill('SIGTERM');

    // During the shutdown delay the server still answers, and says it is not ready once the signal has landed.
    // Polled until it does, however long a busy machine takes to deliver the signal: readiness turns before the
    // delay starts, so a server that never turns it closes (and the request throws) or outlasts the test.
    let readiness = await client.request('GET', '/health/ready');
    while (readiness.status === 200) readiness = await client.request('GET', '/health/ready');
    expect(readiness.status, readiness.text).to.equal(503);
    expect(readiness.body).to.include({ detail: 'Shutting down' });

    const results = await Promise.all(inFlight);
    const failures = results.filter((r) => r.status !== 200);
    expect(failures, JSON.stringify(failures.slice(0, 3))).to.deep.equal([]);

    const { code, signal } = await service.exited;
    expect({ code, signal }, service.output.join('')).to.deep.equal({ code: 0, signal: null });
    expect(Date.now() - signalled).to.be.below(SHUTDOWN_TIMEOUT_MS);
    const log = service.output.join('');
    expect(log).to.include('"msg":"stopped"');
    expect(log).not.to.include('shutdown timeout');

    // Stopped means stopped: nothing listens any more.
    const after = await fetch(`${service.url}/health/live`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(after).to.equal('refused');
  });
});
