import Router from '@koa/router';
import { problem, sendProblem } from '../problem.js';

/** A dependency the service needs to answer requests: the database, the rate-limit store. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export function healthRoutes(checks: readonly ReadinessCheck[], options: { timeoutMs: number; isShuttingDown: () => boolean }): Router {
  const router = new Router();

  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/health/ready', async (ctx) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await probe(c, options.timeoutMs)] as const));
    const status = Object.fromEntries(results);
    if (options.isShuttingDown()) {
      sendProblem(ctx, problem(503, 'Shutting down', { checks: status }));
    } else if (results.some(([, result]) => result !== 'ok')) {
      const failed = results.filter(([, r]) => r !== 'ok').map(([name]) => name);
      sendProblem(ctx, problem(503, `Not ready: ${failed.join(', ')} unavailable`, { checks: status }));
    } else {
      ctx.body = { status: 'ok', checks: status };
    }
  });

  return router;
}

async function probe(check: ReadinessCheck, timeoutMs: number): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), timeoutMs);
  });
  try {
    return await Promise.race([check.check().then(() => 'ok' as const), timeout]);
  } catch {
    // Readiness reports the failure by name; the reason belongs in the dependency's own logs.
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
