// The log-in page's passkey button and autofill (WebAuthn conditional mediation). The assertion goes to
// POST /login/passkey, which checks it and sets the browser session cookie. Loaded after simplewebauthn-browser.js.
const { startAuthentication, browserSupportsWebAuthn, browserSupportsWebAuthnAutofill } = globalThis.SimpleWebAuthnBrowser;
const button = document.getElementById('passkey-login');
const status = document.getElementById('passkey-status');
const csrfToken = document.querySelector('input[name="csrf_token"]')?.value ?? '';
const returnTo = document.querySelector('input[name="return_to"]')?.value;

function say(text) {
  if (status) status.textContent = text;
}

async function logIn(useBrowserAutofill) {
  const options = await fetch('/api/v1/auth/passkey/options', { method: 'POST' });
  if (!options.ok) throw new Error('Passkeys are not available here right now');
  const { challenge_id: challengeId, ...optionsJSON } = await options.json();
  const response = await startAuthentication({ optionsJSON, useBrowserAutofill });
  const answer = await fetch('/login/passkey', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify({ challenge_id: challengeId, response, return_to: returnTo }),
  });
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(body.message ?? 'That passkey did not log you in');
  window.location.assign(body.location);
}

if (button && browserSupportsWebAuthn()) {
  button.hidden = false;
  button.addEventListener('click', () => {
    say('');
    logIn(false).catch((error) => {
      // The person closed the browser's dialog: nothing to say.
      if (error?.name !== 'NotAllowedError' && error?.name !== 'AbortError') say(error.message);
    });
  });
  browserSupportsWebAuthnAutofill().then((supported) => {
    // A pending autofill request is aborted by the library when the button starts a ceremony of its own.
    if (supported) logIn(true).catch((error) => error?.name === 'AbortError' || say(error.message));
  });
}
