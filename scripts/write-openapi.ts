import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument, serviceRouteTables } from '../adapters/http/openapi/openapi-document.js';
import { featureRoutes } from '../bootstrap/features.js';
import { REPO_ROOT } from './repo-root.js';

/** The documented defaults (see API.md), so the committed file does not depend on anyone's environment. */
export const DEFAULT_DOCUMENT_OPTIONS = { rateLimitPerMinute: 60, accessTokenTtlSeconds: 1800, bodyLimitBytes: 16_384 } as const;

export const OPENAPI_FILE = join(REPO_ROOT, 'openapi.json');

export function renderOpenApiFile(): string {
  return `${JSON.stringify(buildOpenApiDocument(DEFAULT_DOCUMENT_OPTIONS, serviceRouteTables(featureRoutes)), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, renderOpenApiFile());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
