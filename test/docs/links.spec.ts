import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../scripts/repo-root.js';

// The README is a front page that sends readers to docs/; a page moved or a heading renamed must not leave a
// link pointing nowhere.

const PAGES = ['README.md', 'BENCHMARKS.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replaceAll(/[^\p{L}\p{N}\s_-]/gu, '')
    .replaceAll(/\s/g, '-');

function anchors(page: string): Set<string> {
  const text = readFileSync(join(REPO_ROOT, page), 'utf8').replaceAll(/^```[\s\S]*?^```$/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => slug(heading!)));
}

/** Relative links, outside code blocks: `[text](target)`. */
function links(page: string): string[] {
  const text = readFileSync(join(REPO_ROOT, page), 'utf8').replaceAll(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target!).filter((target) => !/^[a-z]+:/.test(target));
}

describe('documentation links', () => {
  for (const page of PAGES) {
    it(`${page} links only to files and headings that exist`, () => {
      const broken = links(page).filter((target) => {
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? page : relative(REPO_ROOT, join(REPO_ROOT, dirname(page), path));
        if (!existsSync(join(REPO_ROOT, file))) return true;
        return anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor);
      });
      expect(broken).to.deep.equal([]);
    });
  }
});
