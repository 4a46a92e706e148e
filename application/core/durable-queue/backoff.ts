/** How long to wait before the next try of something that failed `attempts` times: doubling, capped. */
export interface BackoffSchedule {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** `attempts` tries so far (0 before the first failure is recorded): base, 2·base, 4·base … up to `maxMs`. */
export function backoffDelay(schedule: BackoffSchedule, attempts: number): number {
  // 2 ** 1075 is Infinity, which min() handles; a negative count is treated as the first.
  return Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.max(0, attempts));
}
