/**
 * The only files the documentation pages load, served under `/docs/assets/`. A name not listed is a 404, so no
 * request path ever reaches the disk. Shared by the routes and the document that describes them.
 */
export const DOCS_ASSET_NAMES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-initializer.js',
  'oauth2-redirect.html',
  'oauth2-redirect.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
  'redoc.standalone.js',
] as const;
