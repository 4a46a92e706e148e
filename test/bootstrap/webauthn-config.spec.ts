import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../bootstrap/config.js';
import { startTestServer } from '../support/test-server.js';

describe('WebAuthn configuration', () => {
  it('binds passkeys to the host name and origin of PUBLIC_URL, itself http://localhost:PORT by default', () => {
    expect(loadConfig({ PORT: '8123' }).webauthn).to.deep.equal({ rpId: 'localhost', origins: ['http://localhost:8123'] });
    expect(loadConfig({ PUBLIC_URL: 'https://auth.example.com:8443/' }).webauthn).to.deep.equal({ rpId: 'auth.example.com', origins: ['https://auth.example.com:8443'] });
  });

  it('takes WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS over what PUBLIC_URL implies', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://auth.example.com', WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://auth.example.com, https://app.example.com/' });
    expect(config.webauthn).to.deep.equal({ rpId: 'example.com', origins: ['https://auth.example.com', 'https://app.example.com'] });
  });

  it('turns passkeys off when PUBLIC_URL names an IP address, as WebAuthn refuses them', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8000' }).webauthn.rpId).to.equal(undefined);
    expect(loadConfig({ PUBLIC_URL: 'http://[::1]:8000' }).webauthn.rpId).to.equal(undefined);
  });

  it('refuses a PUBLIC_URL with a path, an RP ID that is no host name, and origins that are not origins', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://example.com/auth' })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'https://example.com' })).to.throw(ConfigError, /WEBAUTHN_RP_ID/);
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'example.com' })).to.throw(ConfigError, /WEBAUTHN_ORIGINS/);
  });

  it('with an IP address in PUBLIC_URL, warns once at start-up, answers 404 to passkey routes and serves the rest', async () => {
    const server = await startTestServer({ PUBLIC_URL: 'http://127.0.0.1:8000' });
    try {
      const warnings = server.logLines.filter((line) => String(line['msg']).startsWith('passkeys are off'));
      expect(warnings).to.have.length(1);
      const options = await fetch(`${server.url}/api/v1/auth/passkey/options`, { method: 'POST' });
      expect(options.status).to.equal(404);
      expect(((await options.json()) as { detail: string }).detail).to.match(/IP address/);
      const registered = await fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'ip@example.com', username: 'ip_user', password: 'violet-Harbor-93-quartz' }),
      });
      expect(registered.status).to.equal(201);
    } finally {
      await server.close();
    }
  });
});
