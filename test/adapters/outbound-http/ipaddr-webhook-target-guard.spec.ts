import { expect } from 'chai';
import { IpaddrWebhookTargetGuard, isSpecialPurpose, type HostResolver } from '../../../adapters/outbound-http/ipaddr-webhook-target-guard.js';
import { ForbiddenWebhookTarget } from '../../../application/webhooks/webhook-errors.js';

/** A resolver with fixed answers: no test sends a DNS query. */
function resolver(answers: Record<string, string[]>): HostResolver {
  return async (host) => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(guard: IpaddrWebhookTargetGuard, url: string): Promise<unknown> {
  return guard.check(url).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('IpaddrWebhookTargetGuard', () => {
  const guard = new IpaddrWebhookTargetGuard({
    allowPrivate: false,
    resolve: resolver({
      'hooks.example.com': ['93.184.215.14'],
      'rebind.example.com': ['93.184.215.14', '10.1.2.3'],
      'metadata.example.com': ['169.254.169.254'],
      'six.example.com': ['::ffff:127.0.0.1'],
    }),
  });

  it('lets a public name through, with the address it checked to connect to', async () => {
    const target = await guard.check('https://hooks.example.com/in?x=1');
    expect(target).to.deep.include({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).to.equal('hooks.example.com');
  });

  for (const url of ['https://rebind.example.com/', 'https://metadata.example.com/', 'https://six.example.com/']) {
    it(`refuses ${url}: one of its addresses is special-purpose`, async () => {
      expect(await refusal(guard, url)).to.be.instanceOf(ForbiddenWebhookTarget);
    });
  }

  it('refuses a name that does not resolve, a scheme other than http(s), and credentials in the URL', async () => {
    for (const url of ['https://nowhere.example.com/', 'ftp://hooks.example.com/', 'https://user:pass@hooks.example.com/']) {
      expect(await refusal(guard, url), url).to.be.instanceOf(ForbiddenWebhookTarget);
    }
  });

  it('lets anything through with WEBHOOK_ALLOW_PRIVATE_TARGETS', async () => {
    const open = new IpaddrWebhookTargetGuard({ allowPrivate: true, resolve: resolver({}) });
    expect((await open.check('http://127.0.0.1:8080/')).address).to.equal('127.0.0.1');
  });
});

describe('isSpecialPurpose', () => {
  const special = [
    '127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '0.1.2.3', '224.0.0.1',
    '255.255.255.255', '192.0.2.1', '198.18.0.1', '240.0.0.1', '::1', '::', 'fc00::1', 'fd12::1', 'fe80::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:db8::1', 'not an address',
  ];
  for (const address of special) it(`refuses ${address}`, () => expect(isSpecialPurpose(address)).to.equal(true));
  for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111']) it(`allows ${address}`, () => expect(isSpecialPurpose(address)).to.equal(false));
});
