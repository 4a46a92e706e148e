import { expect } from 'chai';
import type { Mailer, OutgoingMail } from '../../application/ports/mailer.js';

/** What a test reads back of a delivered message, however the adapter delivered it. */
export interface DeliveredMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string | undefined;
}

export interface MailerUnderTest {
  readonly mailer: Mailer;
  /** Every message delivered so far, in order. */
  delivered(): Promise<DeliveredMail[]>;
  close(): Promise<void>;
}

const MESSAGE: OutgoingMail = {
  to: 'zoë@example.com',
  subject: 'Réinitialisez votre mot de passe — 30 minutes',
  text: 'Bonjour Zoë,\nhttps://app.example.com/reset-password?token=abc_DEF-123\n',
  html: '<p>Bonjour Zoë, <a href="https://app.example.com/reset-password?token=abc_DEF-123">ici</a></p>',
  link: 'https://app.example.com/reset-password?token=abc_DEF-123',
  messageId: '<0193b6c2-7c1e-7d3a-9a57-0c4f2b1e8a90@example.com>',
};

/** The same specification for every `Mailer`: what is sent arrives whole, one message per send. */
export function mailerContract(name: string, factory: () => Promise<MailerUnderTest>): void {
  describe(`${name} (Mailer contract)`, function () {
    let world: MailerUnderTest;
    beforeEach(async () => {
      world = await factory();
    });
    afterEach(async () => {
      await world.mailer.close();
      await world.close();
    });

    it('delivers the recipient, subject, text, HTML and Message-ID intact, non-ASCII included', async () => {
      expect(await world.mailer.send(MESSAGE)).to.deep.equal({ kind: 'delivered' });
      const [delivered, ...more] = await world.delivered();
      expect(more).to.deep.equal([]);
      expect(delivered?.to).to.equal(MESSAGE.to);
      expect(delivered?.subject).to.equal(MESSAGE.subject);
      expect(delivered?.text.trim()).to.equal(MESSAGE.text.trim());
      expect(delivered?.html).to.include(MESSAGE.html);
      expect(delivered?.messageId).to.equal(MESSAGE.messageId);
    });

    it('delivers one message per send, in order', async () => {
      await world.mailer.send({ ...MESSAGE, to: 'first@example.com' });
      await world.mailer.send({ ...MESSAGE, to: 'second@example.com' });
      expect((await world.delivered()).map((mail) => mail.to)).to.deep.equal(['first@example.com', 'second@example.com']);
    });
  });
}
