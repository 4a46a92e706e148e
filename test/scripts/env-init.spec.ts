import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { expect } from 'chai';
import { loadConfig } from '../../bootstrap/config.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';

function envInit(target: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'scripts', 'env-init.mjs'), target], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run env:init', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'env-init-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a .env with fresh keys that a production start accepts, readable by its owner only', async () => {
    const target = join(dir, '.env');
    expect((await envInit(target)).code).to.equal(0);
    const written = parseEnv(await readFile(target, 'utf8')) as Record<string, string>;
    const config = loadConfig({ ...written, NODE_ENV: 'production', MAIL_ENABLED: 'false' });
    expect(config.secretKey).to.have.length.above(32);
    expect(config.dataEncryptionKey).to.have.length(32);
    expect((await stat(target)).mode & 0o077).to.equal(0);
    const again = join(dir, 'second.env');
    await envInit(again);
    expect((parseEnv(await readFile(again, 'utf8')) as Record<string, string>).SECRET_KEY).not.to.equal(written.SECRET_KEY);
  });

  it('refuses to overwrite an existing .env', async () => {
    const target = join(dir, '.env');
    await writeFile(target, 'SECRET_KEY=keep-me\n');
    const run = await envInit(target);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('exists already');
    expect(await readFile(target, 'utf8')).to.equal('SECRET_KEY=keep-me\n');
  });
});
