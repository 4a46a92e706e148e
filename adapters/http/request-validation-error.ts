import type { FieldError } from './problem.js';

/** A request that does not have the shape a route needs: 422 with one entry per offending field. */
export class RequestValidationError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

/** A request the HTTP layer refuses before any use case sees it (unreadable or oversized body). */
export class HttpRequestError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpRequestError';
  }
}
