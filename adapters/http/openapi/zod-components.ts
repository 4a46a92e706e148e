import { z } from 'zod';
import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';

const COMPONENT_PREFIX = '#/components/schemas/';

export function schemaRef(id: string): ReferenceObject {
  return { $ref: `${COMPONENT_PREFIX}${id}` };
}

/**
 * Turns zod schemas that carry a `.meta({ id })` into OpenAPI 3.1 component schemas (3.1 uses JSON Schema
 * 2020-12 as is). Requests are described by what zod accepts (`input`), responses by what it emits (`output`):
 * the two differ, for one, in whether unknown properties are allowed.
 */
export function zodComponents(entries: readonly { schema: z.ZodType; io: 'input' | 'output' }[]): Record<string, SchemaObject> {
  const components: Record<string, SchemaObject> = {};
  for (const { schema, io } of entries) {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as { $ref?: string; $defs?: Record<string, unknown> };
    if (!json.$ref?.startsWith('#/$defs/')) throw new Error('Every schema in the OpenAPI document needs .meta({ id })');
    for (const [id, definition] of Object.entries(json.$defs ?? {})) {
      const schemaObject = rewriteRefs(definition) as SchemaObject;
      const existing = components[id];
      // One id must mean one shape, or a client generated from the document would be wrong on one side.
      if (existing && JSON.stringify(existing) !== JSON.stringify(schemaObject)) {
        throw new Error(`Schema ${id} converts differently as request and as response`);
      }
      components[id] = schemaObject;
    }
  }
  return components;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' ? [key, inner.replace('#/$defs/', COMPONENT_PREFIX)] : [key, rewriteRefs(inner)],
    ),
  );
}
