import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CONFIG_VARIABLES } from '../../bootstrap/config.js';
import { API_PREFIX } from '../../adapters/http/create-http-app.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { rows } from '../../scripts/write-config-docs.js';

// docs/api.md is written by hand for people; these checks keep its names in step with the code, so a route or
// variable added, renamed or removed shows up here rather than in a user's bug report.

const doc = readFileSync(join(REPO_ROOT, 'docs/api.md'), 'utf8');
const openApi = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

/** Paths the page writes in full; every other one it writes relative to the API prefix. */
const OUTSIDE_API = /^\/(\.well-known|health|metrics|openapi\.json|docs|redoc)(\/|$)/;
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function documentedOperations(): Set<string> {
  const operations = [...doc.matchAll(/`(GET|PUT|POST|DELETE|PATCH) (\/[^`\s]*)`/g)].map(([, method, path]) => {
    const full = OUTSIDE_API.test(path!) ? path! : `${API_PREFIX}${path}`;
    return `${method} ${full}`;
  });
  return new Set(operations);
}

function servedOperations(): Set<string> {
  return new Set(
    Object.entries(openApi.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => HTTP_METHODS.has(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

describe('docs/api.md', () => {
  it('names every operation of the OpenAPI document, and no other', () => {
    const documented = documentedOperations();
    const served = servedOperations();
    expect(documented.size, 'the page names operations as `METHOD /path`').to.be.greaterThan(10);
    expect([...served].filter((op) => !documented.has(op)), 'served but not documented').to.deep.equal([]);
    expect([...documented].filter((op) => !served.has(op)), 'documented but not served').to.deep.equal([]);
  });

  it('names only configuration variables the service reads', () => {
    const section = doc.slice(doc.indexOf('## Configuration'));
    const named = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)`(?:, `([A-Z][A-Z0-9_]+)`)?/gm)].flatMap(([, first, second]) => (second ? [first!, second] : [first!]));
    expect(named).to.include('SECRET_KEY');
    expect(named.filter((name) => !CONFIG_VARIABLES.includes(name))).to.deep.equal([]);
    // One row a variable: two rows once gave DATA_ENCRYPTION_KEY two different meanings.
    expect(named.filter((name, i) => named.indexOf(name) !== i), 'listed twice').to.deep.equal([]);
  });

  it('gives each variable the default the configuration table has', () => {
    const fallbacks = new Map(rows().map((row) => [row.name, row.fallback]));
    const section = doc.slice(doc.indexOf('## Configuration'));
    const stated = [...section.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]+`(?:, )?)+) \| ([^|]*) \|/gm)].flatMap(([, names, defaults]) => {
      const variables = [...names!.matchAll(/`([A-Z0-9_]+)`/g)].map(([, name]) => name!);
      const values = defaults!.split(', ');
      return values.length === variables.length ? variables.map((name, i) => [name, values[i]!.trim()] as const) : [];
    });
    expect(stated.length, 'rows whose defaults can be read').to.be.greaterThan(10);
    const wrong = stated.filter(([name, text]) => {
      const fallback = fallbacks.get(name);
      if (/^unset\b/.test(text)) return fallback !== undefined;
      if (text === 'empty') return fallback !== '';
      const value = /^`([^`]*)`$/.exec(text)?.[1];
      return value !== undefined && value !== fallback;
    });
    expect(wrong.map(([name, text]) => `${name}: ${text}`)).to.deep.equal([]);
  });
});
