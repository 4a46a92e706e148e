import { expect } from 'chai';
import { mapError } from '../../../adapters/http/error-mapping.js';
import { ServiceUnavailable } from '../../../application/errors.js';
import { InvalidMfaLogIn, InvalidToken, MfaRequired, WeakPassword } from '../../../domain/index.js';

describe('mapError', () => {
  it('maps a domain validation error to 422 naming its field', () => {
    const mapped = mapError(new WeakPassword('Password is too common'));
    expect(mapped.body).to.deep.include({ status: 422, detail: 'Password is too common', errors: [{ path: 'password', message: 'Password is too common' }] });
    expect(mapped.unexpected).to.equal(false);
  });

  it('adds the bearer challenge to an invalid token', () => {
    expect(mapError(new InvalidToken()).headers).to.deep.equal({ 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  });

  it('maps a required second factor to 403 mfa_required, and a failed second step to 400 invalid_grant', () => {
    expect(mapError(new MfaRequired('opaque-mfa-token', 300)).body).to.deep.include({ status: 403, error: 'mfa_required' });
    expect(mapError(new InvalidMfaLogIn()).body).to.deep.include({ status: 400, error: 'invalid_grant' });
  });

  it('maps an unavailable dependency to 503 with Retry-After', () => {
    const mapped = mapError(new ServiceUnavailable('database', 3));
    expect(mapped.body.status).to.equal(503);
    expect(mapped.headers).to.deep.equal({ 'Retry-After': '3' });
  });

  it("keeps a client error raised with Koa's ctx.throw a client error, with its message", () => {
    const thrown = Object.assign(new Error('Invalid URL encoding'), { status: 400, expose: true });
    expect(mapError(thrown)).to.deep.include({ unexpected: false });
    expect(mapError(thrown).body).to.deep.include({ status: 400, detail: 'Invalid URL encoding' });
  });

  it('turns anything else into a 500 that says nothing about it', () => {
    for (const error of [new Error('select * from users'), Object.assign(new Error('x'), { status: 500, expose: true }), 'string', null]) {
      const mapped = mapError(error);
      expect(mapped.unexpected).to.equal(true);
      expect(mapped.body).to.deep.equal({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred' });
    }
  });
});
