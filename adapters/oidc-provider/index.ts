/** oidc-provider as this service's OpenID Provider: its configuration, its adapter on ProviderStore, its keys. */
export { createOpenIdProvider, interactionPath, PROVIDER_PREFIX, PROVIDER_ROUTES, type OpenIdProviderOptions } from './create-openid-provider.js';
export { ProviderStoreAdapter } from './provider-store-adapter.js';
export { loadOrCreateProviderKeys, type ProviderKeys } from './provider-keys.js';
