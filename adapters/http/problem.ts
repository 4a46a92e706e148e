import { STATUS_CODES } from 'node:http';
import type { Context } from 'koa';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** RFC 9457 problem details. `errors` appears on validation failures only. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problem(status: number, detail?: string, extensions: Record<string, unknown> = {}): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extensions,
  };
}

export function sendProblem(ctx: Context, body: Problem): void {
  ctx.status = body.status;
  ctx.body = body;
  // After the body: Koa would otherwise reset the type to application/json for an object.
  ctx.type = PROBLEM_CONTENT_TYPE;
}
