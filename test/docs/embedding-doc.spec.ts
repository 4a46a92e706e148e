import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../scripts/repo-root.js';

// docs/embedding.md tells an embedding team which interfaces to implement. A port is an interface declared in a
// file of `application/` named after it (STYLE: one per file, kebab-case), wherever its feature keeps it.

const doc = readFileSync(join(REPO_ROOT, 'docs/embedding.md'), 'utf8');

function ports(): string[] {
  return readdirSync(join(REPO_ROOT, 'application'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .flatMap((entry) => {
      const name = basename(entry.name, '.ts').replaceAll(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
      const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      return new RegExp(`^export interface ${name}\\b`, 'm').test(source) ? [name] : [];
    });
}

describe('docs/embedding.md', () => {
  it('lists every port in its table of ports', () => {
    const listed = [...doc.slice(doc.indexOf('## The ports')).matchAll(/^\| `(\w+)` \|/gm)].map(([, name]) => name!);
    expect(ports(), 'the ports application/ declares').to.have.length.greaterThan(10);
    expect(
      ports().filter((port) => !listed.includes(port)),
      'ports missing from the table under "The ports" in docs/embedding.md: add a row naming each and its adapters',
    ).to.deep.equal([]);
    expect(listed.filter((name) => !ports().includes(name)), 'rows naming no port').to.deep.equal([]);
  });

  it('keeps the package check\'s example under its heading', () => {
    // scripts/package-check.sh runs the first js block after this heading in a scratch project.
    expect(doc).to.match(/^# Embedding the use cases$[\s\S]*?^```js$/m);
  });
});
