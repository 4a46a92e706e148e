import { hash, verify } from '@node-rs/bcrypt';

/**
 * The machine's own bcrypt ceiling: verifications per second at the service's cost, with `parallel` in flight
 * (the binding runs them on libuv's thread pool), and the CPU time each costs. Run as a child of
 * scripts/bench.ts with the service's UV_THREADPOOL_SIZE, so both see the same pool. Prints one JSON line.
 */
const [costArg, warmUpArg, durationArg, parallelArg] = process.argv.slice(2);
const cost = Number(costArg);
const parallel = Number(parallelArg);
const password = 'bench horse battery staple';
const passwordHash = await hash(password, cost);

async function run(seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        if (!(await verify(password, passwordHash))) throw new Error('bcrypt verify refused its own hash');
        done += 1;
      }
    }),
  );
  return done;
}

await run(Number(warmUpArg));
const started = performance.now();
const cpuBefore = process.cpuUsage();
const verifications = await run(Number(durationArg));
const cpu = process.cpuUsage(cpuBefore);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ cost, parallel, verifications, seconds, perSecond: verifications / seconds, cpuMsEach: (cpu.user + cpu.system) / 1000 / verifications })}\n`,
);
