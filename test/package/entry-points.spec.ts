import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../scripts/repo-root.js';

// The package's entry points as package.json declares them, checked against the source tree. What the packed
// tarball really offers (compiled files, declarations, what `.` loads) is checked by scripts/package-check.sh.

interface Manifest {
  private?: boolean;
  types?: string;
  files?: string[];
  exports: Record<string, string | { types: string; default: string }>;
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const families = readdirSync(join(REPO_ROOT, 'adapters'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** `./lib/adapters/memory/index.js` → `adapters/memory/index.ts`, the source it is compiled from. */
function sourceOf(target: string): string {
  const match = /^\.\/lib\/(.+)\.(js|d\.ts)$/.exec(target);
  expect(match, `${target} is compiled output under lib/`).not.to.equal(null);
  return `${match![1]}.ts`;
}

describe('package entry points', () => {
  const conditional = Object.entries(manifest.exports).filter(([, target]) => typeof target !== 'string') as [string, { types: string; default: string }][];

  it('offers the use cases at . and one subpath per adapter family', () => {
    expect(Object.keys(manifest.exports).sort()).to.deep.equal(['.', './package.json', ...families.map((family) => `./adapters/${family}`)].sort());
    expect(sourceOf((manifest.exports['.'] as { default: string }).default)).to.equal('application/index.ts');
    expect(manifest.types).to.equal((manifest.exports['.'] as { types: string }).types);
  });

  it('gives every entry point declarations beside its JavaScript, from one source file that exists', () => {
    for (const [name, target] of conditional) {
      expect(Object.keys(target), `${name}: types first, as TypeScript reads conditions in order`).to.deep.equal(['types', 'default']);
      expect(sourceOf(target.types), name).to.equal(sourceOf(target.default));
      expect(existsSync(join(REPO_ROOT, sourceOf(target.default))), `${name}: ${sourceOf(target.default)}`).to.equal(true);
    }
  });

  it('ships the compiled tree and stays unpublishable by accident', () => {
    expect(manifest.files).to.include('lib');
    expect(manifest.private).to.equal(true);
  });

  for (const family of families) {
    it(`adapters/${family} exports every adapter its folder holds`, async () => {
      // Beside this spec, so the compiled suite under .build/ loads the compiled entry point.
      const entry = (await import(new URL(`../../adapters/${family}/index.js`, import.meta.url).href)) as Record<string, unknown>;
      expect(Object.keys(entry)).not.to.deep.equal([]);
      // Every adapter of the family (a class implementing a port) is reachable from the entry point.
      const declared = readdirSync(join(REPO_ROOT, 'adapters', family))
        .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
        .flatMap((name) => [...readFileSync(join(REPO_ROOT, 'adapters', family, name), 'utf8').matchAll(/^export class (\w+)[^{]* implements /gm)].map((m) => m[1]!));
      expect(declared.filter((name) => !(name in entry))).to.deep.equal([]);
    });
  }
});
