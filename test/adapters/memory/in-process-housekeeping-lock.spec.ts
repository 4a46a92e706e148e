import { InProcessHousekeepingLock } from '../../../adapters/memory/in-process-housekeeping-lock.js';
import { housekeepingLockContract } from '../../contract/housekeeping-lock.contract.js';

// Memory and PGlite (whose data directory one process holds) both run on this lock: one process, one lock.
housekeepingLockContract('InProcessHousekeepingLock', async () => {
  const lock = new InProcessHousekeepingLock();
  return { lock, otherInstance: lock, async close() {} };
});
