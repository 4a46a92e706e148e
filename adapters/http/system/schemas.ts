import { z } from 'zod';

const checkResult = z.enum(['ok', 'unavailable']);
const checks = z.record(z.string(), checkResult).meta({ description: 'Each dependency by name', examples: [{ database: 'ok', rate_limiter: 'ok' }] });

export const LivenessResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

export const ReadinessResponse = z.object({ status: z.literal('ok'), checks }).meta({ id: 'Readiness' });

export const NotReadyProblem = z
  .looseObject({
    type: z.string().meta({ examples: ['about:blank'] }),
    title: z.string().meta({ examples: ['Service Unavailable'] }),
    status: z.literal(503),
    detail: z.string().meta({ examples: ['Not ready: database unavailable'] }),
    checks,
  })
  .meta({ id: 'NotReadyProblem', description: 'RFC 9457 problem details naming each dependency and whether it answered' });
