import { hash, verify } from '@node-rs/bcrypt';

/**
 * The machine's own bcrypt ceiling: verifications per second at the service's cost, with as many in flight as
 * the libuv thread pool runs at once (the binding queues anything beyond on that pool). Run as a child of
 * scripts/bench.ts with the service's UV_THREADPOOL_SIZE, so both see the same pool. Prints one JSON line.
 */
const [costArg, warmUpArg, durationArg] = process.argv.slice(2);
const cost = Number(costArg);
const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const password = 'bench horse battery staple';
const passwordHash = await hash(password, cost);

async function run(seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: threads }, async () => {
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
const verifications = await run(Number(durationArg));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ cost, threads, verifications, seconds, perSecond: verifications / seconds })}\n`);
