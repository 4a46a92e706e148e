import { expect } from 'chai';
import type { PasswordHasher } from '../../application/index.js';

/** What every `PasswordHasher` (bcrypt, the bounded queue, the tests' fake) must do. */
export function passwordHasherContract(name: string, create: () => PasswordHasher): void {
  describe(`${name} (PasswordHasher contract)`, () => {
    it('verifies a password against its own hash, and never stores the password as the hash', async () => {
      const hasher = create();
      const hash = await hasher.hash('correct horse battery');
      expect(hash).to.be.a('string').and.not.equal('correct horse battery');
      expect(await hasher.verify('correct horse battery', hash)).to.equal(true);
    });

    it('refuses another password, even one differing only in case', async () => {
      const hasher = create();
      const hash = await hasher.hash('correct horse battery');
      expect(await hasher.verify('Correct horse battery', hash)).to.equal(false);
      expect(await hasher.verify('', hash)).to.equal(false);
    });

    it('answers false for a hash it cannot read, without throwing', async () => {
      expect(await create().verify('anything at all', 'not-a-hash')).to.equal(false);
    });
  });
}
