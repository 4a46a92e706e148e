export { StandardWebhooksSigner } from './standard-webhooks-signer.js';
