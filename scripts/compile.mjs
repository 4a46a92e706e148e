// Transpiles the TypeScript sources to JavaScript with esbuild, file by file (no bundling: the output mirrors the
// tree, as tsc's did), and copies the prepared embedded cluster beside the compiled adapter. Type-checking is not
// done here: that is `npm run typecheck` (tsc --noEmit), which CI runs as its own stage. esbuild turns the whole
// tree into JavaScript in well under a second where tsc took 14 s on a quiet machine (BENCHMARKS.md); the code is
// written for it (`isolatedModules`, `verbatimModuleSyntax`: every file compiles on its own).
//
//   node scripts/compile.mjs [outdir] [dir...]     defaults: dist, and the service's four source folders
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const SERVICE_DIRS = ['domain', 'application', 'adapters', 'bootstrap'];

/** The TypeScript files under `dir` (`.tsx` for the pages), and every other file (the prepared cluster, page assets, fixtures) apart. */
function walk(dir, into) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      // package-check is compiled against the installed package in a scratch project, never from here.
      if (!['node_modules', 'package-check'].includes(entry.name)) walk(path, into);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) into.sources.push(path);
    else if (!entry.name.endsWith('.d.ts')) into.assets.push(path);
  }
  return into;
}

/** Empties `outdir` and writes the compiled `dirs` into it; returns how many files and how long it took. */
export async function compile({ outdir = 'dist', dirs = SERVICE_DIRS } = {}) {
  const started = performance.now();
  // Loaded only when there is something to compile: a start with nothing changed does not pay for it.
  const { build } = await import('esbuild');
  const out = join(REPO_ROOT, outdir);
  // From scratch each time: a source moved or deleted must not leave its old output behind to be imported.
  rmSync(out, { recursive: true, force: true });
  const files = { sources: [], assets: [] };
  for (const dir of dirs) walk(join(REPO_ROOT, dir), files);
  const entryPoints = files.sources;
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: out,
    outbase: REPO_ROOT,
    bundle: false,
    platform: 'node',
    format: 'esm',
    // The tsconfig's target; Node 20.19 runs all of it natively.
    target: 'es2022',
    sourcemap: true,
    logLevel: 'error',
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
  });
  // Files that are not code travel beside the compiled ones, where `import.meta.url` finds them: the prepared
  // embedded cluster above all (without it a first start of the embedded database would run initdb in-process,
  // about 850 MB instead of about 450 MB; BENCHMARKS.md), and any page asset.
  for (const asset of files.assets) cpSync(asset, join(out, relative(REPO_ROOT, asset)));
  return { files: entryPoints.length, ms: performance.now() - started, outdir: relative(REPO_ROOT, out) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outdir, ...dirs] = process.argv.slice(2);
  const result = await compile({ outdir: outdir ?? 'dist', dirs: dirs.length > 0 ? dirs : SERVICE_DIRS });
  process.stderr.write(`compiled ${result.files} files into ${result.outdir}/ with esbuild in ${(result.ms / 1000).toFixed(1)} s\n`);
}
