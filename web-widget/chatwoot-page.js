// chatwoot.html: the agent panel (<tact-coach>) as a Chatwoot dashboard app.
//
//   Dashboard app URL (Chatwoot: Settings, Integrations, Dashboard apps):
//     https://tact.example.com/chatwoot.html?integration=support
//
// The URL carries no token (every agent can read it). Each agent signs in once with their own
// token (`tact integrations token support --agent 7`, or the admin page), pasted into the form or
// opened once as a personal link chatwoot.html?integration=support#token=…; it is kept in this
// browser's storage for Tact's origin. The page asks Chatwoot for the context (which conversation
// is open, who the agent is) and shows that conversation's checklist, flags, suggestions and
// waiting timer. A suggestion is copied to the clipboard: the frame cannot type into Chatwoot's
// composer.
import './tact-coach.js';
import { tokenClaims } from './lib/client.js';
import { isExpired } from './lib/session.js';
import { FETCH_INFO, agentOfSub, conversationBase, latestRound, parseAppContext, roundOf } from './lib/chatwoot-context.js';

const q = new URLSearchParams(location.search);
const integration = q.get('integration') || '';
const server = q.get('server') || '';
const storageKey = `tact-chatwoot-token:${integration}`;
const $ = (id) => document.getElementById(id);
const notice = $('notice');
const form = $('sign-in');
const panel = $('panel');
let coach = null;
let context = null;

function say(text) {
  notice.hidden = !text;
  notice.textContent = text || '';
}

function storedToken() {
  try {
    return localStorage.getItem(storageKey) || '';
  } catch {
    return '';
  }
}

function keepToken(token) {
  try {
    if (token) localStorage.setItem(storageKey, token);
    else localStorage.removeItem(storageKey);
  } catch {
    /* storage blocked: the token lasts as long as the page */
  }
}

// "" when the token fits this integration, else why not.
function tokenProblem(token) {
  const claims = token && tokenClaims(token);
  if (!claims) return 'That is not a Tact token.';
  if (claims.role !== 'agent' || agentOfSub(claims.sub, integration) === null)
    return `That token is not a Chatwoot agent's token for the integration "${integration}".`;
  if (isExpired(claims)) return 'That token has expired: ask your Tact admin for a new one.';
  return '';
}

// A personal link's #token=… is kept, then taken out of the address.
function tokenFromFragment() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return '';
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(m[1]);
}

function showSignIn(why) {
  if (coach) coach.remove();
  coach = null;
  form.hidden = false;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  say(why);
}

function copyText(text) {
  const done = (how) => ($('copied').textContent = how);
  const fallback = () => {
    // Chatwoot's frame has no clipboard-write permission in some browsers: a selected textarea and
    // the copy command still work on the click that chose the suggestion.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    done(ok ? 'Copied: paste it into Chatwoot’s reply box (Ctrl+V).' : `Copy this into Chatwoot’s reply box: ${text}`);
  };
  if (navigator.clipboard?.writeText) {
    navigator.clipboard.writeText(text).then(() => done('Copied: paste it into Chatwoot’s reply box (Ctrl+V).'), fallback);
  } else fallback();
}

async function follow() {
  if (!coach || !context) return;
  const base = conversationBase(integration, context.conversation);
  let id = base;
  try {
    const { conversations } = await coach.socket.get('/api/conversations');
    id = latestRound(base, conversations);
  } catch {
    /* not reachable yet: the base id; its frames arrive when it opens */
  }
  coach.setAttribute('conversation', id);
  coach.dataset.chatwootConversation = String(context.conversation);
}

function start(token) {
  form.hidden = true;
  $('sign-out').hidden = false;
  const claims = tokenClaims(token);
  $('who').textContent = `signed in as ${claims.name || claims.sub}`;
  coach = document.createElement('tact-coach');
  coach.setAttribute('aria-label', 'Coach');
  if (server) coach.setAttribute('server', server);
  coach.setAttribute('token', token);
  // Suggestions go to the clipboard; the composer is Chatwoot's, out of the frame's reach.
  coach.addEventListener('tact-insert', (e) => {
    e.preventDefault();
    copyText(e.detail.text);
  });
  coach.addEventListener('tact-status', (e) => {
    if (e.detail.status === 'refused' || e.detail.status === 'expired') {
      keepToken('');
      showSignIn(e.detail.status === 'expired' ? 'Your Tact token expired: sign in with a new one.' : 'Tact refused this token: sign in with a new one.');
    } else if (e.detail.status === 'open') follow();
  });
  // A conversation resolved and reopened in Chatwoot continues in Tact's next round.
  coach.addEventListener('tact-frame', (e) => {
    const f = e.detail;
    if (!context || !f?.conversation || (f.type !== 'message' && f.type !== 'assigned')) return;
    const base = conversationBase(integration, context.conversation);
    const current = coach.getAttribute('conversation') || base;
    if (roundOf(base, f.conversation) > roundOf(base, current)) coach.setAttribute('conversation', f.conversation);
  });
  panel.append(coach);
  follow();
}

function checkAgent() {
  const token = storedToken();
  if (!context || context.agent === null || !token) return true;
  const mine = agentOfSub(tokenClaims(token)?.sub, integration);
  if (mine === context.agent) return true;
  keepToken('');
  showSignIn(`This browser was signed in as another Chatwoot agent (${mine}); Chatwoot says you are ${context.agentName || `agent ${context.agent}`}. Sign in with your own token.`);
  return false;
}

window.addEventListener('message', (e) => {
  if (e.source !== window.parent) return;
  const ctx = parseAppContext(e.data);
  if (!ctx) return;
  context = ctx;
  if (checkAgent()) follow();
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token-input').value.trim();
  const problem = tokenProblem(token);
  if (problem) return say(problem);
  keepToken(token);
  $('token-input').value = '';
  say('');
  if (checkAgent()) start(token);
});

$('sign-out').addEventListener('click', () => {
  keepToken('');
  showSignIn('');
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && window.parent !== window) window.parent.postMessage(FETCH_INFO, '*');
});

if (!/^[a-z0-9_-]{1,32}$/.test(integration)) {
  say('This page needs the integration’s name: chatwoot.html?integration=NAME (the name given to `tact integrations add chatwoot NAME`).');
} else {
  const fresh = tokenFromFragment();
  if (fresh && !tokenProblem(fresh)) keepToken(fresh);
  const token = storedToken();
  const problem = token ? tokenProblem(token) : 'Sign in once with your Tact token.';
  if (problem) {
    keepToken('');
    showSignIn(problem);
  } else start(token);
  if (window.parent !== window) window.parent.postMessage(FETCH_INFO, '*');
  else say('Open this page as a Chatwoot dashboard app: it shows the conversation open beside it.');
}
