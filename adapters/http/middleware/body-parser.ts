import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { HttpRequestError } from '../request-validation-error.js';

/**
 * JSON and form bodies up to `limitBytes`. Parser errors are replaced by our own detail: the JSON parser's
 * message quotes the body, which may hold a password.
 */
export function bodyParserWithLimit(limitBytes: number): Middleware {
  return bodyParser({
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
}
