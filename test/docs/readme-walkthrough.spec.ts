import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { REPO_ROOT } from '../../scripts/repo-root.js';
import { spawnService, type ChildService } from '../support/child-service.js';

// The README's first session is what a newcomer types after `npm start`: it runs here as written, against the
// service started the way `npm start` starts it (embedded database, mails to ./data/outbox/), in a folder of its
// own, with only the address changed.

const run = promisify(execFile);

function walkThrough(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A first session'));
  const script = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  expect(script, 'a sh block under "A first session" in README.md').to.be.a('string');
  return script!;
}

describe('the README\'s JSON walk-through', function () {
  this.timeout(120_000);
  let folder: string;
  let service: ChildService;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'auth-readme-'));
    service = await spawnService({ DATA_DIR: join(folder, 'data'), NODE_ENV: 'development', LOG_LEVEL: 'info' });
    await service.listening;
  });

  after(async () => {
    await service?.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  it('registers, verifies, logs in, refreshes and logs out, as its comments say', async () => {
    const script = walkThrough().replaceAll('http://localhost:8000', service.url);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: folder, timeout: 60_000 });
    expect(stdout).to.include('"username":"jane"');
    expect(stdout).to.include('"is_verified":true');
    expect(stdout).to.include('"current":true');
    const statusLines = stdout.match(/HTTP\/1\.1 \d+/g);
    expect(statusLines, 'log-out, then the token refused').to.deep.equal(['HTTP/1.1 204', 'HTTP/1.1 401']);
  });
});
