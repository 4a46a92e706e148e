import { expect } from 'chai';
import { DatabaseDeadlineExceeded } from '../../../adapters/kysely/database-deadline.js';
import { translateDatabaseError } from '../../../adapters/kysely/database-errors.js';
import { ServiceUnavailable } from '../../../application/errors.js';
import { EmailTaken, UsernameTaken } from '../../../domain/index.js';

const withCode = (code: string, extra: object = {}) => Object.assign(new Error('driver error'), { code, ...extra });

describe('translateDatabaseError', () => {
  it('turns unique violations of the users constraints into the domain clash', () => {
    expect(translateDatabaseError(withCode('23505', { constraint: 'users_email_key' }))).to.be.instanceOf(EmailTaken);
    expect(translateDatabaseError(withCode('23505', { constraint: 'users_username_lower_key' }))).to.be.instanceOf(UsernameTaken);
  });

  it('leaves a unique violation of another constraint as it is', () => {
    const error = withCode('23505', { constraint: 'users_pkey' });
    expect(translateDatabaseError(error)).to.equal(error);
  });

  for (const code of ['08006', '08001', '57P01', '57P03', '53300', '57014', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT']) {
    it(`calls ${code} an unavailable database`, () => {
      const translated = translateDatabaseError(withCode(code));
      expect(translated).to.be.instanceOf(ServiceUnavailable).with.property('dependency', 'database');
    });
  }

  for (const message of ['Connection terminated unexpectedly', 'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable']) {
    it(`calls "${message}" an unavailable database`, () => {
      expect(translateDatabaseError(new Error(message))).to.be.instanceOf(ServiceUnavailable);
    });
  }

  it("calls a request's spent database deadline an unavailable database", () => {
    expect(translateDatabaseError(new DatabaseDeadlineExceeded())).to.be.instanceOf(ServiceUnavailable).with.property('dependency', 'database');
  });

  it('leaves every other error, and non-errors, untouched', () => {
    const syntax = withCode('42601');
    expect(translateDatabaseError(syntax)).to.equal(syntax);
    expect(translateDatabaseError('text')).to.equal('text');
    expect(translateDatabaseError(null)).to.equal(null);
  });
});
