/**
 * An in-memory store that can be put back as it was, which is how `InMemoryUnitOfWork` rolls back a failed run.
 * `snapshot` copies the state and returns the function that restores the copy.
 */
export interface Snapshottable {
  snapshot(): () => void;
}

/** Copies a map whose values are never changed in place, and returns what puts the copy back. */
export function restoreMap<K, V>(map: Map<K, V>): () => void {
  const saved = [...map];
  return () => {
    map.clear();
    for (const [key, value] of saved) map.set(key, value);
  };
}
