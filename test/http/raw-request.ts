import { randomInt } from 'node:crypto';
import { request } from 'node:http';
import type { Exchange } from '../support/http-client.js';
import { assertResponseMatchesDocument } from '../support/openapi-response-validator.js';

export interface RawRequestOptions {
  /** The socket's source address; any 127.0.0.0/8 address reaches a server listening on 127.0.0.1. */
  readonly from?: string;
  readonly forwardedFor?: string;
  readonly token?: string;
}

/**
 * A loopback address of its own, so that a test limited by socket address (TRUST_PROXY=false) has its own budget,
 * even against a Redis shared with other suites and earlier runs. Never 127.0.0.x, which ordinary clients use.
 */
export function loopbackAddress(): string {
  return `127.${randomInt(1, 256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A random private address for `X-Forwarded-For`: a budget of its own for each simulated client. */
export function forwardedAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * One request over a fresh connection from a chosen source address (fetch cannot choose it), checked against the
 * OpenAPI document like every response of the HTTP suite.
 */
export function rawRequest(baseUrl: string, method: string, path: string, options: RawRequestOptions = {}): Promise<Exchange> {
  const headers: Record<string, string> = {};
  if (options.forwardedFor !== undefined) headers['X-Forwarded-For'] = options.forwardedFor;
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { method, headers, agent: false, localAddress: options.from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const type = responseHeaders.get('content-type') ?? '';
        const body: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text;
        const exchange: Exchange = { method, path, status: res.statusCode ?? 0, headers: responseHeaders, body, text };
        try {
          assertResponseMatchesDocument(exchange);
          resolve(exchange);
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The limiters count in fixed windows of a minute aligned to the clock, so a run that happens to straddle a
 * window end sees its budget refilled halfway. Within one window `RateLimit-Reset` only counts down; across the
 * boundary it jumps back up to about 60. `attempt` builds its own fresh clients each time; a run that crossed a
 * boundary is run once more, which cannot cross another one a minute later.
 */
export async function withinOneWindow<T>(attempt: () => Promise<{ exchanges: readonly Exchange[]; result: T }>): Promise<T> {
  for (let run = 1; ; run++) {
    const started = Date.now();
    const { exchanges, result } = await attempt();
    const elapsedSeconds = Math.ceil((Date.now() - started) / 1000);
    const resets = exchanges.map((e) => Number(e.headers.get('ratelimit-reset'))).filter((n) => Number.isFinite(n) && n > 0);
    const crossed = resets.length > 0 && Math.max(...resets) - Math.min(...resets) > elapsedSeconds + 1;
    if (!crossed || run === 2) return result;
  }
}
