import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { HttpRequestError } from '../request-validation-error.js';

// No route of this API reads a body on these; skipping them keeps GET /users/me free of parser work, and a stray
// body there can no longer turn an answer into a 400.
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * JSON and form bodies up to `limitBytes`. Parser errors are replaced by our own detail: the JSON parser's
 * message quotes the body, which may hold a password.
 */
export function bodyParserWithLimit(limitBytes: number): Middleware {
  const parse = bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: `${limitBytes}b`,
    formLimit: `${limitBytes}b`,
    strict: true,
    onerror: (error: Error & { status?: number }) => {
      if (error.status === 413) throw new HttpRequestError(413, `Request body must be at most ${limitBytes} bytes`);
      if (error.status === 415) throw new HttpRequestError(415, 'Unsupported body encoding');
      throw new HttpRequestError(400, 'Request body is not valid JSON or form data');
    },
  });
  return (ctx, next) => (BODILESS_METHODS.has(ctx.method) ? next() : parse(ctx, next));
}
