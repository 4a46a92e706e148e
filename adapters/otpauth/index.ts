/** `auth-service/adapters/otpauth`: TOTP codes (RFC 6238) through the otpauth library. */
export { OtpauthTotp } from './otpauth-totp.js';
