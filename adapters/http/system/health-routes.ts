import { problem, PROBLEM_CONTENT_TYPE } from '../problem.js';
import { LivenessResponse, NotReadyProblem, ReadinessResponse } from './schemas.js';
import { routesFor } from '../routes/define-route.js';

/** A dependency the service needs to answer requests: the database, the rate-limit store. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthDependencies {
  readonly checks: readonly ReadinessCheck[];
  readonly timeoutMs: number;
  readonly isShuttingDown: () => boolean;
}

const defineHealthRoute = routesFor<HealthDependencies>();
const JSON_TYPE = 'application/json';

export const healthRoutes = [
  defineHealthRoute({
    method: 'get',
    path: '/health/live',
    operationId: 'checkLiveness',
    tag: 'health',
    summary: 'The process answers',
    bearer: false,
    rateLimited: false,
    responses: { 200: { description: 'Alive', content: { [JSON_TYPE]: LivenessResponse } } },
    handle: () => ({ status: 200, body: { status: 'ok' } }),
  }),

  defineHealthRoute({
    method: 'get',
    path: '/health/ready',
    operationId: 'checkReadiness',
    tag: 'health',
    summary: 'The database and the rate-limit store answer',
    bearer: false,
    rateLimited: false,
    responses: {
      200: { description: 'Ready', content: { [JSON_TYPE]: ReadinessResponse } },
      503: { description: 'A dependency did not answer in time, or the service is shutting down', content: { [PROBLEM_CONTENT_TYPE]: NotReadyProblem } },
    },
    handle: async (_request, { checks, timeoutMs, isShuttingDown }) => {
      const results = await Promise.all(checks.map(async (c) => [c.name, await probe(c, timeoutMs)] as const));
      const status = Object.fromEntries(results);
      const failed = results.filter(([, r]) => r !== 'ok').map(([name]) => name);
      if (isShuttingDown()) return { status: 503, type: PROBLEM_CONTENT_TYPE, body: problem(503, 'Shutting down', { checks: status }) };
      if (failed.length > 0) {
        return { status: 503, type: PROBLEM_CONTENT_TYPE, body: problem(503, `Not ready: ${failed.join(', ')} unavailable`, { checks: status }) };
      }
      return { status: 200, body: { status: 'ok', checks: status } };
    },
  }),
];

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
