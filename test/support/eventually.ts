import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits for a condition that something running in the background (the mail worker) brings about: checks it
 * again every few milliseconds, and fails with `what` once `timeoutMs` has passed without it.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}
