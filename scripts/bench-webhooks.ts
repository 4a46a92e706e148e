import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../bootstrap/config.js';
import { createLogger } from '../bootstrap/logger.js';
import { startServer } from '../bootstrap/server.js';
import { WebhookReceiver } from '../test/support/webhook-receiver.js';

/**
 * `npm run bench:webhooks`: BENCH_WEBHOOK_COUNT (80) registrations, BENCH_WEBHOOK_CONCURRENCY (4) at a time, against
 * the service on a fresh PGlite data directory (or DATABASE_URL), once with no webhook endpoint and once with an
 * endpoint for `user.registered` whose receiver (on 127.0.0.1) takes BENCH_WEBHOOK_RECEIVER_MS (5000) to answer.
 * Prints p50, p99 and max of the register requests for each: a slow receiver must leave them unchanged.
 */
const count = Number(process.env.BENCH_WEBHOOK_COUNT ?? 80);
const concurrency = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 4);
const receiverMs = Number(process.env.BENCH_WEBHOOK_RECEIVER_MS ?? 5_000);

async function run(withSlowReceiver: boolean) {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-webhooks-'));
  const root = { email: `root-${randomBytes(4).toString('hex')}@example.com`, username: `root_${randomBytes(4).toString('hex')}`, password: 'the operators own long secret' };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    BCRYPT_COST: '10',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
    FIRST_SUPERUSER_EMAIL: root.email,
    FIRST_SUPERUSER_USERNAME: root.username,
    FIRST_SUPERUSER_PASSWORD: root.password,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const server = await startServer(config, createLogger(config, new Writable({ write: (_c, _e, done) => done() })));
  const receiver = await WebhookReceiver.start();
  receiver.respond = () => ({ status: 204, delayMs: receiverMs });
  try {
    if (withSlowReceiver) {
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: root.username, password: root.password }) });
      const { access_token } = (await login.json()) as { access_token: string };
      const created = await fetch(`${server.url}/api/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, events: ['user.registered'] }),
      });
      if (created.status !== 201) throw new Error(`webhook not created: ${created.status} ${await created.text()}`);
    }
    const durations: number[] = [];
    let next = 0;
    const tag = randomBytes(3).toString('hex');
    const lane = async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        const response = await fetch(`${server.url}/api/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `u${i}-${tag}@example.com`, username: `u${i}_${tag}`, password: 'a long enough password 123' }),
        });
        await response.text();
        if (response.status !== 201) throw new Error(`register answered ${response.status}`);
        durations.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    durations.sort((a, b) => a - b);
    const at = (q: number) => durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)]!.toFixed(1);
    return { p50: at(0.5), p99: at(0.99), max: durations.at(-1)!.toFixed(1), receiverGot: receiver.received.length };
  } finally {
    await server.close();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const without = await run(false);
const withSlow = await run(true);
console.log(`| register, ${count} requests, ${concurrency} at a time | p50 ms | p99 ms | max ms |`);
console.log('|---|---|---|---|');
console.log(`| no webhook endpoint | ${without.p50} | ${without.p99} | ${without.max} |`);
console.log(`| an endpoint whose receiver answers after ${receiverMs / 1000} s | ${withSlow.p50} | ${withSlow.p99} | ${withSlow.max} |`);
