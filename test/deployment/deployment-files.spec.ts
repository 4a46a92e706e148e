import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { expect } from 'chai';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../bootstrap/config.js';
import { REPO_ROOT } from '../../scripts/repo-root.js';

// There is no Docker engine where the tests run, so the deployment files are checked as text against the
// configuration schema they feed: a renamed or new variable cannot drift away from them unnoticed.

const read = (name: string) => readFileSync(join(REPO_ROOT, name), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[] };
  volumes?: (string | { type?: string; source?: string })[];
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | number | { target?: number })[];
  expose?: (string | number)[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** What an operator must supply, never written in the file, with a value the check fills in. */
const OPERATOR_SECRETS: Record<string, string> = {
  SECRET_KEY: 'x'.repeat(48),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

/** The service's environment as compose would pass it, with `${SECRET_KEY...}` and the like filled in as an operator must. */
function environmentOf(service: ComposeService): Record<string, string> {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const at = line.indexOf('=');
        return at === -1 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(
    entries.map(([key, value]) => {
      const secret = OPERATOR_SECRETS[key];
      if (secret !== undefined) {
        expect(value, `${key} must come from the operator, never be written in the file`).to.match(new RegExp(`^\\$\\{${key}(:?[?-][^}]*)?\\}$`));
        return [key, secret];
      }
      expect(value, `${key} interpolates a variable the check cannot fill in`).not.to.include('${');
      return [key, value];
    }),
  );
}

describe('deployment files', () => {
  describe('.env.example', () => {
    const example = parseEnv(read('.env.example')) as Record<string, string>;

    it('lists every variable the configuration reads', () => {
      expect(CONFIG_VARIABLES.filter((name) => !(name in example)), 'missing from .env.example').to.deep.equal([]);
    });

    it('lists only variables the configuration reads', () => {
      expect(Object.keys(example).filter((name) => !CONFIG_VARIABLES.includes(name)), 'unknown to the configuration').to.deep.equal([]);
    });

    it('is a valid configuration as it stands', () => {
      expect(() => loadConfig(example)).not.to.throw();
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parse(read('docker-compose.yml')) as ComposeFile;
    const { postgres, redis, api, proxy } = compose.services;

    it('runs PostgreSQL 16 and Redis 7, each with a health check', () => {
      expect(postgres?.image).to.match(/^postgres:16(?:[.-]|$)/);
      expect(redis?.image).to.match(/^redis:7(?:[.-]|$)/);
      for (const service of [postgres, redis]) {
        const test = service?.healthcheck?.test;
        expect(test, 'healthcheck.test').to.not.be.oneOf([undefined, '', 'NONE']);
        expect([test].flat()).not.to.include('NONE');
      }
    });

    it('keeps PostgreSQL data in a named volume', () => {
      const named = Object.keys(compose.volumes ?? {});
      const mounted = (postgres?.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
      const dataVolume = (postgres?.volumes ?? []).find((v) =>
        (typeof v === 'string' ? v.split(':')[1] : undefined)?.startsWith('/var/lib/postgresql/data'),
      );
      expect(dataVolume, 'a volume on /var/lib/postgresql/data').not.to.equal(undefined);
      expect(mounted.filter((source) => source !== undefined && named.includes(source))).to.have.lengthOf.at.least(1);
    });

    it('builds the API from the Dockerfile and starts it only once both stores are healthy', () => {
      expect(api?.build).not.to.equal(undefined);
      expect(api?.depends_on).to.deep.include({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    });

    it('passes the API only configuration variables', () => {
      const names = Object.keys(environmentOf(api!));
      expect(names.filter((name) => !CONFIG_VARIABLES.includes(name)), 'unknown to the configuration').to.deep.equal([]);
    });

    it('gives the API a configuration that loads, pointing at the compose stores and listening on its published port', () => {
      const config = loadConfig(environmentOf(api!));
      expect(config.env).to.equal('production');
      expect(config.database.kind).to.equal('postgres');
      expect(new URL((config.database as { url: string }).url).hostname).to.equal('postgres');
      expect(new URL(config.redisUrl!).hostname).to.equal('redis');
      // Inside a container, 127.0.0.1 would be unreachable through the published port.
      expect(config.host).to.equal('0.0.0.0');
      expect((api?.expose ?? []).map(Number)).to.include(config.port);
      expect(config.trustProxy, 'the proxy sets X-Forwarded-For').to.equal(true);
    });

    it('publishes no API port itself, so it can run as several replicas behind the proxy', () => {
      expect(api?.ports ?? []).to.deep.equal([]);
      expect(proxy?.depends_on).to.deep.include({ api: { condition: 'service_healthy' } });
      expect(proxy?.ports ?? []).to.have.lengthOf(1);
    });

    it('publishes only the proxy (and the mail catcher\'s page on loopback): PostgreSQL, Redis and SMTP stay internal', () => {
      const published = Object.entries(compose.services).flatMap(([name, service]) =>
        (service.ports ?? []).map((port) => ({ name, spec: String(typeof port === 'object' ? port.target : port) })),
      );
      expect(published.map((p) => p.name).sort()).to.deep.equal(['mailpit', 'proxy']);
      for (const { name, spec } of published) {
        const [host, hostPort] = spec.split(':');
        expect(host, `${name} publishes on loopback only`).to.equal('127.0.0.1');
        // The local services' own ports: compose would fail to start beside them.
        expect(Number(hostPort), `${name} would clash with a local service`).not.to.be.oneOf([5432, 6379, 1025]);
      }
    });

    it('sends mail links to the service\'s own pages, through the published proxy port', () => {
      // No APP_URL: links open the service's pages at PUBLIC_URL.
      const config = loadConfig(environmentOf(api!));
      expect(config.mail.appUrl).to.equal(undefined);
      const appUrl = new URL(config.publicUrl!);
      const proxyPort = String(proxy!.ports![0]).split(':')[1];
      expect(appUrl.port).to.equal(proxyPort);
      expect(appUrl.hostname).to.be.oneOf(['localhost', '127.0.0.1']);
    });

    it('has the proxy reach the API on its port and replace X-Forwarded-For, which the API trusts one hop of', () => {
      const nginx = read('deploy/nginx.conf');
      const port = loadConfig(environmentOf(api!)).port;
      expect(nginx).to.match(new RegExp(`set \\$api api:${port};`));
      expect(nginx).to.match(/proxy_pass http:\/\/\$api;/);
      expect(nginx).to.match(/proxy_set_header X-Forwarded-For \$remote_addr;/);
      const mounted = (proxy?.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
      expect(mounted).to.include('./deploy/nginx.conf');
      const published = (proxy?.ports ?? []).map((p) => (typeof p === 'object' ? p.target : Number(String(p).split(':').at(-1))));
      expect(nginx).to.match(new RegExp(`listen ${published[0]};`));
    });
  });

  describe('Dockerfile', () => {
    const lines = read('Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const fromIndexes = lines.flatMap((line, i) => (/^FROM\s/i.test(line) ? [i] : []));
    const finalStage = lines.slice(fromIndexes.at(-1));

    it('builds in one stage and runs from another', () => {
      expect(fromIndexes).to.have.lengthOf.at.least(2);
      expect(finalStage.some((line) => /^COPY\s+--from=/i.test(line)), 'the final stage copies the build output').to.equal(true);
    });

    it('installs production dependencies only in the final stage', () => {
      const installs = finalStage.filter((line) => /^RUN\s.*\bnpm (ci|install)\b/i.test(line));
      expect(installs).to.have.lengthOf.at.least(1);
      for (const install of installs) expect(install).to.match(/npm ci\b[^&;]*--omit=dev/);
    });

    it('runs as a user other than root', () => {
      const users = finalStage.filter((line) => /^USER\s/i.test(line));
      expect(users).to.have.lengthOf.at.least(1);
      expect(users.at(-1)!.split(/\s+/)[1]).not.to.match(/^(root|0)(:|$)/);
    });

    it('runs on Node 24 (slim) in both stages', () => {
      for (const index of fromIndexes) expect(lines[index]).to.match(/^FROM\s+node:24-slim(\s|$)/i);
    });

    it('checks its readiness, so that nothing routes to it before the database answers', () => {
      const healthcheck = finalStage.find((line) => /^HEALTHCHECK\s/i.test(line));
      expect(healthcheck).to.match(/\/health\/ready/);
    });

    it('keeps its data directory in a volume', () => {
      const dataDir = finalStage.join(' ').match(/DATA_DIR=(\S+)/)?.[1];
      expect(dataDir).to.be.a('string');
      const volumes = finalStage.filter((line) => /^VOLUME\s/i.test(line)).join(' ');
      expect(volumes).to.include(dataDir);
    });

    it('starts the compiled entry point', () => {
      const cmd = finalStage.filter((line) => /^CMD\s/i.test(line)).at(-1);
      expect(cmd).to.include('dist/bootstrap/main.js');
    });
  });

  describe('tracked files', () => {
    // A team's working notes sit beside its checkout; a user of the repository has only the repository.
    // Spelled in two parts so this file does not match itself.
    const outside = ['..', 'shared'].join('/');

    it(`link nowhere outside the repository (${outside})`, () => {
      const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
      expect(tracked).to.include('README.md');
      const offenders = tracked.filter((name) => {
        try {
          return read(name).includes(outside);
        } catch {
          // Listed but absent from the work tree (deleted, not yet staged): nothing to read.
          return false;
        }
      });
      expect(offenders).to.deep.equal([]);
    });
  });
});
