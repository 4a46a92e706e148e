/** `auth-service/adapters/system`: the wall clock. */
export { SystemClock } from './system-clock.js';
