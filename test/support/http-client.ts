import { randomBytes, randomInt } from 'node:crypto';

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export interface RequestOptions {
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly raw?: { readonly body: string; readonly contentType: string };
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

type ResponseObserver = (exchange: Exchange) => void;
const observers: ResponseObserver[] = [];

/** Lets a suite check every response the HTTP tests receive (the OpenAPI conformance check). */
export function observeResponses(observer: ResponseObserver): void {
  observers.push(observer);
}

/**
 * A client for one simulated caller. Each gets its own `X-Forwarded-For` address, so tests against a server that
 * trusts the proxy header have their own rate-limit budget and never disturb each other.
 */
export class ApiClient {
  readonly ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Exchange> {
    const headers: Record<string, string> = { 'X-Forwarded-For': this.ip, ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw !== undefined) {
      headers['Content-Type'] = options.raw.contentType;
      body = options.raw.body;
    }
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text !== '' ? JSON.parse(text) : text;
    const exchange = { method, path, status: response.status, headers: response.headers, body: parsed, text };
    for (const observe of observers) observe(exchange);
    return exchange;
  }
}

/** Unique, valid account details for one test's world. */
export function newAccount(overrides: Partial<{ email: string; username: string; password: string }> = {}) {
  const tag = randomBytes(5).toString('hex');
  return {
    email: `user-${tag}@example.com`,
    username: `user_${tag}`,
    password: `Quiet-orbit-${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}
