import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * The predicate of a bounded purge: `DELETE FROM t WHERE ctid = ANY(ARRAY(<select ctid … limit n>))`. The rows
 * are found by the subquery (through an index when few are due) and deleted by physical address (a Tid Scan).
 * The usual `id IN (SELECT id … LIMIT n)` let the planner hash-join the subquery against the whole table once most
 * rows were due: every batch of a 500,000-row backlog read the table whole. A row changed meanwhile has a new
 * ctid and is simply left for the next batch.
 */
export function atAddresses(due: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`ctid = any(array(${due}))`;
}
