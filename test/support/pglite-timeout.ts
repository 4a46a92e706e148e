/**
 * For hooks that open PGlite: from the prepared cluster it opens in about two seconds on a quiet machine, and in
 * 20 to 30 s with a dozen other processes on the same two cores (measured while this round's helpers ran their
 * suites), past mocha's 20 s. It is CPU, not a hang, so the bound is generous.
 */
export const PGLITE_OPEN_TIMEOUT_MS = 120_000;
