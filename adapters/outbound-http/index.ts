export { IpaddrWebhookTargetGuard, isSpecialPurpose, systemResolver, type HostResolver, type ResolvedAddress, type TargetGuardOptions } from './ipaddr-webhook-target-guard.js';
export { NodeHttpWebhookSender } from './node-http-webhook-sender.js';
