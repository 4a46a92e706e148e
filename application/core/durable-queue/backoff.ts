/** How long to wait before the next try of something that failed `attempts` times: doubling, capped. */
export interface BackoffSchedule {
  readonly baseMs: number;
  readonly maxMs: number;
  /**
   * An explicit schedule instead (WEBHOOK_RETRY_DELAYS): the wait after the first failure, the second, ...; past
   * its end the last one repeats.
   */
  readonly delaysMs?: readonly number[] | undefined;
}

/** `attempts` tries so far (0 before the first failure is recorded): base, 2·base, 4·base … up to `maxMs`. */
export function backoffDelay(schedule: BackoffSchedule, attempts: number): number {
  if (schedule.delaysMs !== undefined && schedule.delaysMs.length > 0) {
    return schedule.delaysMs[Math.min(Math.max(0, attempts), schedule.delaysMs.length - 1)]!;
  }
  // 2 ** 1075 is Infinity, which min() handles; a negative count is treated as the first.
  return Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.max(0, attempts));
}
