import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { HttpRequestError } from '../request-validation-error.js';

export const MALFORMED_BODY_DETAIL = 'Request body is not valid JSON or form data';

export function bodyTooLargeDetail(limitBytes: number): string {
  return `Request body must be at most ${limitBytes} bytes`;
}

/**
 * JSON and form bodies up to `limitBytes`. Mounted only on routes that declare a body, so a GET pays nothing for
 * it and a stray body on a DELETE is never read. Parser errors are replaced by our own detail: the JSON parser's
 * message quotes the body, which may hold a password.
 */
export function bodyParserWithLimit(limitBytes: number): Middleware {
  return bodyParser({
    enableTypes: ['json', 'form'],
    jsonLimit: `${limitBytes}b`,
    formLimit: `${limitBytes}b`,
    strict: true,
    onerror: (error: Error & { status?: number }) => {
      if (error.status === 413) throw new HttpRequestError(413, bodyTooLargeDetail(limitBytes));
      if (error.status === 415) throw new HttpRequestError(415, 'Unsupported body encoding');
      throw new HttpRequestError(400, MALFORMED_BODY_DETAIL);
    },
  });
}
