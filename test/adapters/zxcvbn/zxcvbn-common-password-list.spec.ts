import { expect } from 'chai';
import { loadZxcvbnCommonPasswords } from '../../../adapters/zxcvbn/zxcvbn-common-password-list.js';

describe('loadZxcvbnCommonPasswords', () => {
  it('knows the common passwords, lower-cased, and not a random one', () => {
    const list = loadZxcvbnCommonPasswords();
    for (const common of ['password', '123456', 'qwerty', 'iloveyou']) expect(list.has(common), common).to.equal(true);
    expect(list.has('vivid-otter-staple-9431')).to.equal(false);
  });
});
