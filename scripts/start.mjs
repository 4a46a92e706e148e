// `npm start`: compile only when a source changed since the last build, then run the compiled service in this
// same process. Plain JavaScript on purpose: loading TypeScript (or tsx) just to learn that nothing changed cost
// more than the whole start of the service (BENCHMARKS.md, start time). Compiling is esbuild's transpile
// (scripts/compile.mjs, about a second); type errors are `npm run typecheck`'s and CI's to report.
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { REPO_ROOT as root, SERVICE_DIRS, compile } from './compile.mjs';

const SOURCE_FILES = ['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/compile.mjs'];
// Touched after every successful compile; its age is the build's.
const STAMP = join(root, 'dist', '.compiled');
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
  for (const dir of SERVICE_DIRS) visit(join(root, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

function builtAt() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  return stamp && statSync(ENTRY, { throwIfNoEntry: false }) ? stamp.mtimeMs : -1;
}

if (builtAt() < newestSource()) {
  process.stderr.write('preparing: compiling the TypeScript sources (no build yet, or a source changed since the last one)\n');
  const startedAt = new Date();
  const { files, ms } = await compile({ outdir: 'dist' });
  writeFileSync(STAMP, '');
  // Dated when the compile began: a source saved during it stays newer than the stamp, and the next start compiles.
  utimesSync(STAMP, startedAt, startedAt);
  process.stderr.write(`preparing: compiled ${files} files in ${(ms / 1000).toFixed(1)} s; starting the service\n`);
}

await import(ENTRY);
