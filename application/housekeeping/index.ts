export type { HousekeepingLock } from './housekeeping-lock.js';
export {
  Housekeeping,
  DEFAULT_HOUSEKEEPING_POLICY,
  type HousekeepingObserver,
  type HousekeepingPolicy,
  type JobReport,
  type RoundReport,
} from './housekeeping.js';
