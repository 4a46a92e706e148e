import { expect } from 'chai';
import type { AccessTokenClaims, TokenIssuer } from '../../application/index.js';
import { InvalidToken } from '../../domain/index.js';
import { expectRejection } from '../support/expect-rejection.js';

const CLAIMS: AccessTokenClaims = {
  userId: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8e9f',
  tokenVersion: 3,
  sessionId: '0193b6c2-7d4e-7c2a-9f1e-3b5a6c7d8ea0',
  amr: ['pwd'],
  // Whole seconds: `auth_time` is a NumericDate.
  authTime: new Date('2026-01-01T00:00:00Z'),
};

/** What every `TokenIssuer` (jose, the tests' readable fake) must do. */
export function tokenIssuerContract(name: string, create: () => Promise<TokenIssuer>): void {
  describe(`${name} (TokenIssuer contract)`, () => {
    it('reads back the claims it issued, with a positive lifetime', async () => {
      const issuer = await create();
      const { token, expiresIn } = await issuer.issue(CLAIMS);
      expect(expiresIn).to.be.a('number').above(0);
      expect(await issuer.verify(token)).to.deep.equal(CLAIMS);
    });

    it('keeps amr (RFC 8176) in order across the round trip', async () => {
      const issuer = await create();
      const { token } = await issuer.issue({ ...CLAIMS, amr: ['pwd', 'otp'] });
      expect((await issuer.verify(token)).amr).to.deep.equal(['pwd', 'otp']);
    });

    it('refuses with InvalidToken what it never issued', async () => {
      const issuer = await create();
      for (const token of ['', 'garbage', 'a.b.c']) await expectRejection(issuer.verify(token), InvalidToken);
    });
  });
}
