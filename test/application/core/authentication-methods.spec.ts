import { expect } from 'chai';
import { amrOf, PASSWORD_METHOD, secondFactorFor, totpSecondFactors } from '../../../application/index.js';
import { OtpauthTotp } from '../../../adapters/otpauth/otpauth-totp.js';
import { useCaseWorld } from '../../support/world.js';

describe('The list of authentication methods', () => {
  const methods = async () => {
    const world = await useCaseWorld();
    return totpSecondFactors(world.factors, new OtpauthTotp('auth-service'), world.secrets);
  };

  it('gives the amr of the methods a session was proved with, each value once, in order', async () => {
    const [totp, recovery] = await methods();
    expect(amrOf([PASSWORD_METHOD])).to.deep.equal(['pwd']);
    expect(amrOf([PASSWORD_METHOD, totp!])).to.deep.equal(['pwd', 'otp']);
    expect(amrOf([PASSWORD_METHOD, recovery!])).to.deep.equal(['pwd', 'otp']);
  });

  it('lets the second step try a six-digit code as TOTP and anything else as a recovery code', async () => {
    const list = await methods();
    expect(list.map((method) => method.name)).to.deep.equal(['totp', 'recovery_code']);
    expect(secondFactorFor(list, '123 456')?.name).to.equal('totp');
    expect(secondFactorFor(list, 'ABCD-EFGH-IJKL-MNOP')?.name).to.equal('recovery_code');
  });
});
