import { expect } from 'chai';
import { InvalidUsername, Username } from '../../domain/index.js';

describe('Username', () => {
  it('is displayed as registered and compared case-insensitively', () => {
    const name = Username.parse('John_Doe.1-x');
    expect(name.value).to.equal('John_Doe.1-x');
    expect(name.normalized).to.equal('john_doe.1-x');
    expect(name.equals(Username.parse('JOHN_DOE.1-X'))).to.equal(true);
    expect(String(name)).to.equal('John_Doe.1-x');
  });

  it('accepts 3 and 50 characters', () => {
    expect(Username.parse('abc').value).to.equal('abc');
    expect(Username.parse('a'.repeat(50)).value).to.have.length(50);
  });

  for (const bad of ['ab', 'a'.repeat(51), 'john doe', 'john@doe', 'jöhn', 'john\n', '']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => Username.parse(bad)).to.throw(InvalidUsername).with.property('field', 'username');
    });
  }
});
