// What a page says about its session: signed in, offline (retrying), refused or expired.
const SIGN_IN = 'Open the page again from your chat platform (or ask for a new link) to sign in.';

// status: a TactSocket status. Returns {who, notice}: the header's words and the notice to show
// (null: none).
export function sessionWords(status, claims) {
  const name = claims?.name || claims?.sub || '';
  switch (status) {
    case 'expired':
      return { who: 'session expired', notice: `Your session expired${name ? ` (${name})` : ''}. ${SIGN_IN}` };
    case 'refused':
      return { who: 'not signed in', notice: `The server refused this sign-in link (the token is not valid for it). ${SIGN_IN}` };
    case 'offline':
      return { who: `${name} · offline`, notice: 'Offline: the server cannot be reached. Reconnecting… what you type is kept and sent once it is back.' };
    default:
      return { who: name ? `signed in as ${name}` : '', notice: null };
  }
}

// True when the token's exp is past.
export function isExpired(claims) {
  return typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now();
}

// Shows sessionWords(status) in the page's #notice (role alert) and `whoEl`.
export function showSession(status, claims, whoEl, noticeEl = document.getElementById('notice')) {
  const { who, notice } = sessionWords(status, claims);
  if (whoEl) whoEl.textContent = who;
  if (!noticeEl) return;
  if (notice) {
    noticeEl.hidden = false;
    noticeEl.textContent = notice;
    noticeEl.dataset.session = status;
  } else if (noticeEl.dataset.session) {
    noticeEl.hidden = true;
    noticeEl.textContent = '';
    delete noticeEl.dataset.session;
  }
}
