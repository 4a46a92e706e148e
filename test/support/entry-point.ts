import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file's own tree: the repository when the suite runs from source (tsx), .build/ when `npm test` runs it
// compiled.
const TREE = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const COMPILED = import.meta.url.endsWith('.js');

/**
 * The Node arguments that run `source` (a path like `bootstrap/main.ts`) in a process of its own: the compiled
 * file beside this compiled suite under `npm test`, which starts in a fraction of the time tsx needs to
 * transpile the service's tree again in every child; tsx when a spec runs from source (`npx mocha x.spec.ts`).
 */
export function nodeArgumentsFor(source: string): string[] {
  return COMPILED ? [join(TREE, source.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', source];
}
