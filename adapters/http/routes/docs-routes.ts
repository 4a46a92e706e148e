import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { DOCS_ASSET_NAMES } from '../openapi/docs-assets.js';
import { openApiJson } from '../openapi/openapi-document.js';

const ASSETS_PATH = '/docs/assets';

/**
 * The pages run their own scripts only: no inline script, nothing from another host. Both viewers set style
 * attributes and ReDoc injects style elements, hence 'unsafe-inline' for styles; ReDoc's search runs in a Worker
 * it builds from a blob.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// persistAuthorization stays off: a token kept in localStorage would outlive the tab that asked for it.
const SWAGGER_INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    oauth2RedirectUrl: new URL('${ASSETS_PATH}/oauth2-redirect.html', window.location.href).href,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const SWAGGER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auth Service API - Swagger UI</title>
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}/swagger-initializer.js"></script>
</body>
</html>
`;

// ReDoc's standalone bundle renders any <redoc spec-url> element it finds when it loads: no initializer needed.
const REDOC_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auth Service API - ReDoc</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="${ASSETS_PATH}/redoc.standalone.js"></script>
</body>
</html>
`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * Found at start-up, so a missing package fails the start and not the first visitor; read at the first request
 * for each, since the bundles (3 MB) cost every start time and most starts never serve them.
 */
function loadAssets(): ReadonlyMap<string, () => Asset> {
  const require = createRequire(import.meta.url);
  const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const redocFile = require.resolve('redoc/bundles/redoc.standalone.js');
  const assets = new Map<string, () => Asset>();
  for (const name of DOCS_ASSET_NAMES) {
    const type = CONTENT_TYPES[extname(name)]!;
    const path = name === 'redoc.standalone.js' ? redocFile : join(swaggerDir, name);
    if (name !== 'swagger-initializer.js') statSync(path);
    let asset: Asset | undefined;
    const read = () => (name === 'swagger-initializer.js' ? Buffer.from(SWAGGER_INITIALIZER) : readFileSync(path));
    assets.set(name, () => (asset ??= { body: read(), type }));
  }
  return assets;
}

function sendHtml(ctx: Context, html: string): void {
  ctx.set('Content-Security-Policy', DOCS_CSP);
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = html;
}

/** `GET /openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`, all served from our own origin. */
export function docsRoutes(document: OpenAPIObject): Router {
  const assets = loadAssets();
  const json = openApiJson(document);
  const router = new Router();

  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = json;
  });
  router.get('/docs', (ctx) => sendHtml(ctx, SWAGGER_PAGE));
  router.get('/redoc', (ctx) => sendHtml(ctx, REDOC_PAGE));
  router.get(`${ASSETS_PATH}/:file`, (ctx) => {
    const asset = assets.get(ctx.params.file ?? '')?.();
    if (!asset) return;
    if (asset.type.startsWith('text/html')) ctx.set('Content-Security-Policy', DOCS_CSP);
    // The files change only with the package version; an hour keeps reloads cheap without pinning old versions.
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = asset.type;
    ctx.body = asset.body;
  });

  return router;
}
