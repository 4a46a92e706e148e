import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../bootstrap/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ logLevel: 'info' }, sink), lines };
}

describe('log redaction', () => {
  const SECRETS = {
    password: 'hunter2-password',
    passwordHash: '$2b$12$abcdefghijklmnopqrstuv',
    access_token: 'eyJ.access.token',
    refresh_token: 'opaque-refresh-token',
    refreshToken: 'opaqueRefreshToken',
    refreshTokenHash: 'refresh-token-hash',
    token_hash: 'stored-token-hash',
    authorization: 'Bearer eyJ.header.value',
    secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
    otpauth_uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
    recovery_codes: 'abcd-efgh-ijkl-mnop',
    mfa_token: 'opaque-mfa-token',
    mfaToken: 'opaqueMfaToken',
  };

  it('blanks passwords, hashes, access, refresh and mfa tokens, TOTP secrets and recovery codes, and Authorization, at the top and one level down', () => {
    const { logger, lines } = capture();
    logger.info(SECRETS, 'top level');
    logger.info({ session: SECRETS, req: { headers: { authorization: SECRETS.authorization, cookie: 'sid=1' } } }, 'nested');
    logger.flush();
    const text = lines.join('\n');
    expect(lines).to.have.length(2);
    for (const value of Object.values(SECRETS)) expect(text).not.to.include(value);
    expect(text).not.to.include('sid=1');
    expect(JSON.parse(lines[0]!)).to.include({ refresh_token: '[redacted]', refreshToken: '[redacted]' });
  });
});
