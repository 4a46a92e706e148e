/** `auth-service/adapters/zxcvbn`: the common-password list the password policy refuses. */
export { loadZxcvbnCommonPasswords } from './zxcvbn-common-password-list.js';
