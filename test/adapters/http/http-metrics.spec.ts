import { expect } from 'chai';
import { ServiceUnavailable } from '../../../application/errors.js';
import { EmailTaken, InactiveUser, InvalidCredentials, InvalidMfaLogIn, MfaRequired } from '../../../domain/index.js';
import { logInOutcome } from '../../../adapters/http/http-metrics.js';

describe('logInOutcome', () => {
  it('names the outcome of each error a log-in can end with', () => {
    expect(logInOutcome(new InvalidCredentials())).to.equal('invalid_credentials');
    expect(logInOutcome(new InactiveUser())).to.equal('inactive');
    // A right password with a code owed is no failure; the code step then counts on its own.
    expect(logInOutcome(new MfaRequired('token', 300))).to.equal('mfa_required');
    expect(logInOutcome(new InvalidMfaLogIn())).to.equal('invalid_mfa');
    expect(logInOutcome(new ServiceUnavailable('password_hasher'))).to.equal('unavailable');
  });

  it('calls anything else an error, domain error or not', () => {
    expect(logInOutcome(new EmailTaken())).to.equal('error');
    expect(logInOutcome(new Error('boom'))).to.equal('error');
  });
});
