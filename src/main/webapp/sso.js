// Single sign-on in the web client: the OpenID Connect authorization code flow with PKCE, as a public
// client (no secret in the page). The provider's access token is exchanged for a chat session
// (POST api/sessions/sso) and renewed, before it expires, with the provider's next token (refresh
// grant, then POST api/sessions/current/renewal). Signing out ends the session at the provider too.
// The server says whether a provider is configured (GET api/auth); without one nothing here runs.

const STATE = 'chat.sso.pending'; // sessionStorage: { state, verifier, redirect } while at the provider
const TOKENS = 'chat.sso';        // localStorage: { refresh, id, expiresAt, lifetime } of the signed-in user

let settings = null;  // { issuer, clientId, scope } from api/auth
let discovery = null; // the provider's openid-configuration
let timer = null;

const b64url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = n => b64url(crypto.getRandomValues(new Uint8Array(n)));
const here = () => location.origin + location.pathname;

// How this server signs in: { local: true|false, oidc: {...} | undefined }.
export async function methods() {
  const r = await fetch('api/auth').catch(() => null);
  const m = r && r.ok ? await r.json() : { local: true };
  settings = m.oidc || null;
  return m;
}

async function provider() {
  if (!discovery) {
    const r = await fetch(settings.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
    if (!r.ok) throw new Error(`the identity provider answered ${r.status}`);
    discovery = await r.json();
  }
  return discovery;
}

// Off to the provider's sign-in page.
export async function signInAtProvider() {
  const p = await provider();
  const verifier = random(32);
  const state = random(16);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(STATE, JSON.stringify({ state, verifier, redirect: here() }));
  const q = new URLSearchParams({ response_type: 'code', client_id: settings.clientId, redirect_uri: here(),
    scope: settings.scope, state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(p.authorization_endpoint + '?' + q);
}

async function tokenEndpoint(form) {
  const p = await provider();
  const r = await fetch(p.token_endpoint, { method: 'POST', body: new URLSearchParams(form),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(json.error_description || json.error || `the identity provider answered ${r.status}`);
  return json;
}

function keep(t) {
  const lifetime = (t.expires_in || 300) * 1000;
  localStorage.setItem(TOKENS, JSON.stringify({ refresh: t.refresh_token, id: t.id_token || saved().id,
    expiresAt: Date.now() + lifetime, lifetime }));
}

function saved() {
  try { return JSON.parse(localStorage.getItem(TOKENS)) || {}; } catch { return {}; }
}

// Back from the provider with ?code=…&state=…: the chat session's token, or null when this page
// load is not such a return. Throws with a message for people when the return is refused.
export async function completeSignIn() {
  const q = new URLSearchParams(location.search);
  if (!settings || (!q.has('code') && !q.has('error'))) return null;
  const pending = JSON.parse(sessionStorage.getItem(STATE) || 'null');
  sessionStorage.removeItem(STATE);
  history.replaceState(null, '', location.pathname);
  if (q.has('error')) throw new Error(q.get('error_description') || q.get('error'));
  if (!pending || pending.state !== q.get('state')) throw new Error('that sign-in did not start here: try again');
  const t = await tokenEndpoint({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: pending.redirect,
    client_id: settings.clientId, code_verifier: pending.verifier });
  const r = await fetch('api/sessions/sso', { method: 'POST', headers: { Authorization: 'Bearer ' + t.access_token } });
  const s = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(s.message || `sign-in refused (${r.status})`);
  keep(t);
  return s.token;
}

// Renews the chat session before the provider's token expires, a third of its lifetime ahead;
// onEnded(message) when the provider will not renew (the user was signed out or disabled there).
export function keepRenewing(chatToken, onEnded) {
  clearTimeout(timer);
  const s = saved();
  if (!settings || !s.refresh) return;
  const wait = Math.max(1000, s.expiresAt - Date.now() - s.lifetime / 3);
  timer = setTimeout(async () => {
    try {
      const t = await tokenEndpoint({ grant_type: 'refresh_token', refresh_token: saved().refresh, client_id: settings.clientId });
      const r = await fetch('api/sessions/current/renewal', { method: 'POST',
        headers: { Authorization: 'Bearer ' + chatToken, 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: t.access_token }) });
      if (r.status === 401) return onEnded('Your session ended: please sign in again.');
      keep(t);
    } catch (e) {
      // a refusal of the provider ends it; a network failure is tried again shortly
      if (/invalid_grant|disabled|not active|expired/i.test(e.message)) return onEnded('Your sign-in at the identity provider ended.');
      localStorage.setItem(TOKENS, JSON.stringify({ ...saved(), expiresAt: Date.now() + saved().lifetime / 3 + 10000 }));
    }
    keepRenewing(chatToken, onEnded);
  }, wait);
}

// Forgets the provider's tokens; when signed in with the provider, goes to its sign-out page (which
// comes back here). True when the page is leaving.
export async function signOutAtProvider() {
  clearTimeout(timer);
  const s = saved();
  localStorage.removeItem(TOKENS);
  if (!settings || !s.refresh) return false;
  const p = await provider().catch(() => null);
  if (!p || !p.end_session_endpoint) return false;
  const q = new URLSearchParams({ client_id: settings.clientId, post_logout_redirect_uri: here() });
  if (s.id) q.set('id_token_hint', s.id);
  location.assign(p.end_session_endpoint + '?' + q);
  return true;
}

export function forget() {
  clearTimeout(timer);
  localStorage.removeItem(TOKENS);
}
