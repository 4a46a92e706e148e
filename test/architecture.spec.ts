import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../scripts/repo-root.js';

const ROOT = REPO_ROOT;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => (match[1] ?? match[2])!,
  );
}

/**
 * The layer rule (docs/development.md, "Layers": dependencies point inward), checked on every test run; ESLint's
 * no-restricted-imports in eslint.config.js checks it too, in the editor and in CI.
 */
describe('Architecture', () => {
  const layers: [string, (specifier: string) => boolean][] = [
    ['domain', (s) => s.startsWith('node:crypto') || (s.startsWith('./') && !s.includes('..'))],
    ['application', (s) => s.startsWith('node:crypto') || s.startsWith('./') || /^(\.\.\/)+(domain|application|ports|use-cases)\b/.test(s) || s.startsWith('../errors') || s === '../domain/index.js'],
  ];
  for (const [layer, allowed] of layers) {
    it(`keeps ${layer}/ free of frameworks and outer layers`, () => {
      const offenders = sourceFiles(layer).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => !allowed(specifier))
          .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
      );
      expect(offenders).to.deep.equal([]);
    });
  }

  it('finds the imports it checks (the check itself can fail)', () => {
    expect(importsOf(join(ROOT, 'application/use-cases/log-in.ts'))).to.include('node:crypto');
    expect(importsOf(join(ROOT, 'adapters/crypto/jose-token-issuer.ts'))).to.include('jose');
  });
});
