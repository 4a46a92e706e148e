import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { CONFIG_TABLE, CONFIG_VARIABLES } from '../../bootstrap/config.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { CONFIGURATION_PAGE, ENV_EXAMPLE_FILE, renderConfigurationPage, renderEnvExample } from '../../scripts/write-config-docs.js';

// The variable table in bootstrap/config.ts is the one place a setting is described; `.env.example` and
// docs/configuration.md are rendered from it and committed, so a reader of either sees what the service reads.

const committed = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // A missing file is reported by the comparison, with the same remedy.
    return '';
  }
};

/** Every TypeScript file of the service itself, as the package and the server ship it. */
function serviceSources(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

describe('configuration documentation', () => {
  it('.env.example is the one the variable table renders', () => {
    expect(committed(ENV_EXAMPLE_FILE) === renderEnvExample(), '.env.example is stale: run `npm run config:docs` and commit the result').to.equal(true);
  });

  it('docs/configuration.md is the one the variable table renders', () => {
    expect(committed(CONFIGURATION_PAGE) === renderConfigurationPage(), 'docs/configuration.md is stale: run `npm run config:docs` and commit the result').to.equal(
      true,
    );
  });

  it('lists every variable in a row of its own, with a meaning', () => {
    const page = renderConfigurationPage();
    for (const { name, doc } of CONFIG_TABLE) {
      expect(doc.trim(), `${name} says what it is for`).not.to.equal('');
      expect(page.match(new RegExp(`^\\| \`${name}\` \\|`, 'gm')), name).to.have.lengthOf(1);
    }
  });

  it('gives every setting one name: no variable is declared twice', () => {
    expect(CONFIG_VARIABLES.filter((name, i) => CONFIG_VARIABLES.indexOf(name) !== i)).to.deep.equal([]);
  });

  it('reads variables nowhere but in bootstrap/config.ts, so none has a second name elsewhere', () => {
    const readers = ['domain', 'application', 'adapters', 'bootstrap']
      .flatMap(serviceSources)
      .filter((file) => file !== join('bootstrap', 'config.ts'))
      .filter((file) => /process\.env\s*(\.|\[|\?\.)/.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(readers).to.deep.equal([]);
  });
});
