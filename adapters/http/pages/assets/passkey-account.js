// The account page's "Add a passkey": creation options and the new passkey go through the JSON API with the
// session cookie and its CSRF token (the routes take the cookie as the pages do). Loaded after simplewebauthn-browser.js.
const { startRegistration, browserSupportsWebAuthn } = globalThis.SimpleWebAuthnBrowser;
const form = document.getElementById('passkey-add');
const status = document.getElementById('passkey-add-status');
const csrfToken = form?.querySelector('input[name="csrf_token"]')?.value ?? '';

function say(text) {
  if (status) status.textContent = text;
}

async function api(path, body) {
  const response = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body ?? {}),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 && answer.error === 'insufficient_user_authentication') {
    // Fresh authentication (RFC 9470): the form posts with the current password instead, which the page checks.
    throw new Error('Confirm it is you: enter your current password (and a code, with two-factor log-in on), then add the passkey again');
  }
  if (!response.ok) throw new Error(answer.detail ?? answer.title ?? 'The passkey was not added');
  return answer;
}

if (form && browserSupportsWebAuthn()) {
  form.querySelector('[data-needs-script]')?.setAttribute('hidden', '');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    try {
      const confirm = new FormData(form);
      const proof = confirm.get('current_password');
      if (proof) await api('/auth/reauthenticate', { password: proof, ...(confirm.get('code') ? { code: confirm.get('code') } : {}) });
      const optionsJSON = await api('/users/me/passkeys/options');
      const response = await startRegistration({ optionsJSON });
      const name = String(confirm.get('name') ?? '').trim();
      await api('/users/me/passkeys', { response, ...(name ? { name } : {}) });
      window.location.assign('/account?done=passkey-added#passkeys');
    } catch (error) {
      if (error?.name === 'NotAllowedError' || error?.name === 'AbortError') return say('No passkey was added.');
      if (error?.name === 'InvalidStateError') return say('This device holds a passkey for this account already.');
      say(error.message);
    }
  });
}
