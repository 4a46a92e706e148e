import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const ASSET_PREFIX = '/assets/';

export interface Asset {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
}

/**
 * The pages' own CSS and scripts, served by the service (no CDN), each under a name carrying a hash of its content
 * (`/assets/pages.3f2a1c9e.css`), so a response can be cached for a year and a changed file is a new URL.
 * The files are read once at start-up from `assets/` beside this module's source (tsc copies no CSS to `dist/`,
 * so the compiled module looks two levels further up, as the mail templates do).
 */
export class PageAssets {
  readonly #byName = new Map<string, Asset>();
  readonly #byPath = new Map<string, Asset>();

  constructor(directory = defaultAssetsDirectory()) {
    for (const file of readdirSync(directory)) {
      const type = TYPES[extname(file)];
      if (type === undefined) continue;
      const body = readFileSync(join(directory, file));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const ext = extname(file);
      const asset = { path: `${ASSET_PREFIX}${file.slice(0, -ext.length)}.${hash}${ext}`, type, body };
      this.#byName.set(file, asset);
      this.#byPath.set(asset.path, asset);
    }
  }

  /** The URL of `name` (`pages.css`); throws for a file that is not there, so a typo fails the first render. */
  url(name: string): string {
    const asset = this.#byName.get(name);
    if (!asset) throw new Error(`no page asset named ${name}`);
    return asset.path;
  }

  byPath(path: string): Asset | undefined {
    return this.#byPath.get(path);
  }
}

function defaultAssetsDirectory(): string {
  const candidates = ['./assets', '../../../../adapters/http/pages/assets'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((candidate) => existsSync(join(candidate, 'pages.css'))) ?? candidates[0]!;
}
