import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
    ['application', (s) => s.startsWith('node:crypto') || s.startsWith('./') || /^(\.\.\/)+(domain|application|ports|core|account|sessions|email|two-factor|administration)\b/.test(s) || s.startsWith('../errors') || s === '../domain/index.js'],
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

  /**
   * Per feature: a feature folder reaches the shared core (domain/, application/ports/, application/core/,
   * application/errors.ts) and its own folder, never another feature's internals. What two features share moves
   * into the core. In adapters/http/ a feature's routes and schemas use the shared HTTP files, not another
   * feature's folder. A folder under application/ or adapters/http/ that is not shared is a feature.
   */
  const sharedApplication = ['ports', 'core'];
  const sharedHttp = ['middleware', 'openapi', 'routes'];
  const featuresOf = (dir: string, shared: string[]) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !shared.includes(entry.name))
      .map((entry) => entry.name);
  const resolvedImports = (file: string) =>
    importsOf(file)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(ROOT, join(dirname(file), specifier)));

  it('keeps application/core/ and application/ports/ free of features', () => {
    const features = featuresOf('application', sharedApplication);
    const offenders = sharedApplication.flatMap((folder) =>
      sourceFiles(`application/${folder}`).flatMap((file) =>
        resolvedImports(file)
          .filter((target) => features.some((feature) => target.startsWith(`application/${feature}/`)))
          .map((target) => `${relative(ROOT, file)} imports ${target}`),
      ),
    );
    expect(offenders).to.deep.equal([]);
  });

  it('keeps each feature of application/ out of the other features', () => {
    const features = featuresOf('application', sharedApplication);
    expect(features).to.include.members(['account', 'sessions', 'email', 'two-factor', 'administration']);
    const offenders = features.flatMap((feature) =>
      sourceFiles(`application/${feature}`).flatMap((file) =>
        resolvedImports(file)
          .filter(
            (target) =>
              !target.startsWith('domain/') &&
              !target.startsWith(`application/${feature}/`) &&
              !sharedApplication.some((folder) => target.startsWith(`application/${folder}/`)) &&
              target !== 'application/errors.js',
          )
          .map((target) => `${relative(ROOT, file)} imports ${target}`),
      ),
    );
    expect(offenders).to.deep.equal([]);
  });

  it('keeps each feature of adapters/http/ out of the other features', () => {
    const features = featuresOf('adapters/http', sharedHttp);
    expect(features).to.include.members(['account', 'sessions', 'email', 'two-factor', 'administration']);
    const offenders = features.flatMap((feature) =>
      sourceFiles(`adapters/http/${feature}`).flatMap((file) =>
        resolvedImports(file)
          .filter((target) => features.some((other) => other !== feature && target.startsWith(`adapters/http/${other}/`)))
          .map((target) => `${relative(ROOT, file)} imports ${target}`),
      ),
    );
    expect(offenders).to.deep.equal([]);
  });

  it('finds the imports it checks (the check itself can fail)', () => {
    expect(importsOf(join(ROOT, 'application/sessions/log-in.ts'))).to.include('node:crypto');
    expect(resolvedImports(join(ROOT, 'application/two-factor/complete-mfa-log-in.ts'))).to.include('application/core/open-session.js');
    expect(importsOf(join(ROOT, 'adapters/crypto/jose-token-issuer.ts'))).to.include('jose');
  });
});
