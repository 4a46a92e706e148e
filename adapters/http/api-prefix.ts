/** Every route of the API proper lives under this prefix; health, metrics, keys and documentation do not. */
export const API_PREFIX = '/api/v1';
