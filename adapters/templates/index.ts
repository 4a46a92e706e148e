/** `auth-service/adapters/templates`: mails rendered from text and HTML files a team can replace. */
export { FileMailRenderer, defaultMailTemplatesDirectory, escapeHtml } from './file-mail-renderer.js';
