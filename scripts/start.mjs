// `npm start`: compile only when a source changed since the last build, then run the compiled service in this
// same process. Plain JavaScript on purpose: loading TypeScript (or tsx) just to learn that nothing changed cost
// more than the whole start of the service (BENCHMARKS.md, start time).
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE_DIRS = ['domain', 'application', 'adapters', 'bootstrap'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
// Written by `tsc -p tsconfig.build.json` (incremental) when the output changes, from here or `npm run build`.
const BUILD_INFO = join(root, 'dist', '.tsbuildinfo');
const ENTRY = join(root, 'dist', 'bootstrap', 'main.js');

function newestSource() {
  let newest = 0;
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(child).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(root, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

function builtAt() {
  const info = statSync(BUILD_INFO, { throwIfNoEntry: false });
  return info && statSync(ENTRY, { throwIfNoEntry: false }) ? info.mtimeMs : -1;
}

if (builtAt() < newestSource()) {
  process.stderr.write('compiling: no build yet, or a source changed since the last one\n');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    // tsc writes its build info even when it reports errors: drop it, so the next start compiles again.
    rmSync(BUILD_INFO, { force: true });
    process.exit(result.status ?? 1);
  }
  // An incremental build that finds nothing to change leaves its build info untouched (a source saved without a
  // change): mark it, or every start would compile again.
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
}

// The prepared embedded cluster is data, not code: tsc does not copy it, and without it a first start of the
// embedded database would run initdb in-process (about 850 MB instead of about 450 MB; BENCHMARKS.md).
const CLUSTER = join('adapters', 'kysely', 'pglite-cluster');
// A copy of about 1 MB costs a millisecond or two, less than checking which version is already there.
cpSync(join(root, CLUSTER), join(root, 'dist', CLUSTER), { recursive: true });
// The pages' CSS and scripts are files too; the Docker image keeps only dist/.
const PAGE_ASSETS = join('adapters', 'http', 'pages', 'assets');
cpSync(join(root, PAGE_ASSETS), join(root, 'dist', PAGE_ASSETS), { recursive: true });

await import(ENTRY);
