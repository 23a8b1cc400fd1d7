// A small client of the Tact gateway (docs/protocol.md): one WebSocket that reconnects with
// backoff, frames dispatched as DOM events, and authenticated GETs of the HTTP API.
import { segments, utf8ByteLength } from './utf8.js';

// server: "", "http://host:port", "https://…", "ws://…" or "wss://…"; "" is the page's origin.
export function httpBase(server) {
  const base = server && server.trim() ? server.trim() : location.origin;
  return base.replace(/^ws(s?):/i, 'http$1:').replace(/\/+$/, '');
}

export function wsBase(server) {
  return httpBase(server).replace(/^http(s?):/i, 'ws$1:');
}

// Decodes (does not verify) a JWT's claims: the page only needs role and name to lay itself out.
export function tokenClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(part + '='.repeat((4 - (part.length % 4)) % 4))]
        .map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'))
        .join(''),
    );
    return JSON.parse(json);
  } catch {
    return null;
  }
}

let clientSeq = 0;
export function clientId(prefix = 'w') {
  clientSeq += 1;
  return `${prefix}${Date.now().toString(36)}-${clientSeq}`;
}

// The server's frame limit when its hello does not say (docs/protocol.md: --max-message).
export const DEFAULT_MAX_MESSAGE = 16384;

// Events: 'frame' (detail: the parsed frame, every one), '<type>' (detail: the frame),
// 'status' (detail: 'connecting' | 'open' | 'offline' | 'refused' | 'expired' | 'closed'):
// offline = the server cannot be reached (retrying); refused = it answers but will not take the
// token; expired = the token's exp is past (retrying will not help: sign in again).
// A frame the server refused as too big (close 1009), or one the client refused before sending,
// comes back as an 'error' frame with code "too_large"; it is never sent again.
export class TactSocket extends EventTarget {
  constructor(server, token) {
    super();
    this.server = server;
    this.token = token;
    this.ws = null;
    this.status = 'closed';
    this.stopped = false;
    this.retryMs = 500;
    this.queue = [];
    this.maxMessage = DEFAULT_MAX_MESSAGE;
    // Messages sent but not yet acknowledged, by client_id: sent again after a reconnect (the
    // server acknowledges a repeated client_id again instead of storing it twice).
    this.unacked = new Map();
    this.strikes = new Map(); // frame text -> connections dropped right after sending it
  }

  connect() {
    this.stopped = false;
    this._open();
    return this;
  }

  _setStatus(s) {
    if (s === this.status && s !== 'open') return;
    this.status = s;
    this.dispatchEvent(new CustomEvent('status', { detail: s }));
  }

  // True when the token's exp (seconds) is past.
  expired() {
    const exp = tokenClaims(this.token)?.exp;
    return typeof exp === 'number' && exp * 1000 <= Date.now();
  }

  _open() {
    if (this.stopped) return;
    if (this.expired()) {
      this._setStatus('expired');
      return; // no retry: a new token is needed
    }
    if (this.status !== 'offline' && this.status !== 'refused') this._setStatus('connecting');
    const url = `${wsBase(this.server)}/ws?token=${encodeURIComponent(this.token)}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      this._retry();
      return;
    }
    this.ws = ws;
    let opened = false;
    let lastSent = null; // the last frame sent on this connection (what a 1009 refers to)
    let lastSentAt = 0;
    ws.tactSend = (text) => {
      lastSent = text;
      lastSentAt = Date.now();
      ws.send(text);
    };
    ws.addEventListener('open', () => {
      opened = true;
      this.retryMs = 500;
      this._setStatus('open');
      const pending = new Set([...this.unacked.values(), ...this.queue]);
      this.queue = [];
      for (const f of pending) ws.tactSend(f);
    });
    ws.addEventListener('message', (e) => {
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (frame?.type === 'hello' && Number.isInteger(frame.max_message) && frame.max_message > 0) this.maxMessage = frame.max_message;
      if (frame?.type === 'ack' || (frame?.type === 'error' && typeof frame.ref === 'string')) {
        const id = frame.type === 'ack' ? frame.client_id : frame.ref;
        this.strikes.delete(this.unacked.get(id));
        this.unacked.delete(id);
      }
      this._dispatch(frame);
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // 1009: too big. The server may also reset the connection before its close frame arrives
      // (1006): a frame that was sent just before two such drops is not sent a third time.
      if (lastSent !== null && e.code === 1009) this._tooBig(lastSent);
      else if (lastSent !== null && e.code === 1006 && Date.now() - lastSentAt < 2000) {
        const strikes = (this.strikes.get(lastSent) ?? 0) + 1;
        this.strikes.set(lastSent, strikes);
        if (strikes >= 2) this._tooBig(lastSent);
      }
      if (!opened && !this.stopped) {
        this.retryMs = Math.max(this.retryMs, 2000);
        this._whyRefused();
      } else if (!this.stopped) this._setStatus('offline');
      this._retry();
    });
  }

  _dispatch(frame) {
    this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    if (frame && typeof frame.type === 'string') this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
  }

  // The server closed with 1009 (frame too big): that frame is dropped for good, and reported.
  _tooBig(text) {
    this.strikes.delete(text);
    let ref = null;
    for (const [id, t] of this.unacked) if (t === text) ref = id;
    if (ref !== null) this.unacked.delete(ref);
    this.queue = this.queue.filter((t) => t !== text);
    let type = null;
    try {
      type = JSON.parse(text).type;
    } catch {
      /* ours: always JSON */
    }
    this._dispatch({ type: 'error', code: 'too_large', ref: ref ?? type,
      message: `the server refused a frame of ${utf8ByteLength(text)} bytes as too big (limit ${this.maxMessage})` });
  }

  // A connection that never opened: the token was refused, it expired, or the server is away.
  async _whyRefused() {
    if (this.expired()) return this._setStatus('expired');
    try {
      const res = await fetch(`${httpBase(this.server)}/healthz`, { cache: 'no-store' });
      if (this.stopped || this.ws) return;
      this._setStatus(res.ok ? 'refused' : 'offline');
    } catch {
      if (!this.stopped && !this.ws) this._setStatus('offline');
    }
  }

  _retry() {
    if (this.stopped) {
      this._setStatus('closed');
      return;
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 15000);
    setTimeout(() => this._open(), wait);
  }

  // Sends a frame now, or once connected. Returns false (and sends nothing) when the frame is
  // larger than the server's limit; an 'error' frame with code "too_large" says so.
  send(frame) {
    const text = JSON.stringify(frame);
    const size = utf8ByteLength(text);
    if (size > this.maxMessage) {
      this._dispatch({ type: 'error', code: 'too_large', ref: frame.client_id ?? frame.type ?? null,
        message: `too long: ${size} bytes, the server takes ${this.maxMessage}` });
      return false;
    }
    if (frame.type === 'message' && frame.client_id) this.unacked.set(frame.client_id, text);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.tactSend(text);
    else this.queue.push(text);
    return true;
  }

  // Bytes of a frame once JSON-encoded: what the limit counts.
  frameBytes(frame) {
    return utf8ByteLength(JSON.stringify(frame));
  }

  close() {
    this.stopped = true;
    if (this.ws) this.ws.close(1000);
    this.ws = null;
    this._setStatus('closed');
  }

  async get(path) {
    const res = await fetch(`${httpBase(this.server)}${path}`, {
      headers: { Authorization: `Bearer ${this.token}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  }
}

// "0:07", "12:05", "1:02:03"
export function formatDuration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const STEP_LABELS = {
  acknowledge: 'Acknowledge',
  apology: 'Apologize',
  ownership: 'Take ownership',
  empathy: 'Show empathy',
  solution: 'Offer a solution',
  follow_up: 'Follow up',
  feedback: 'Ask for feedback',
  feedback_request: 'Ask for feedback',
};
export function stepLabel(step) {
  return STEP_LABELS[step] ?? String(step ?? '').replace(/_/g, ' ');
}

const KIND_LABELS = {
  blame: 'Blame',
  excuse: 'Excuse',
  non_apology: 'Non-apology',
  dismissive: 'Dismissive',
  negative_tone: 'Negative tone',
  all_caps: 'ALL CAPS',
  curt: 'Curt',
  order: 'Out of order',
  deadline: 'Deadline',
};
export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? String(kind ?? '').replace(/_/g, ' ');
}

// The seq of "<conversation>-<seq>".
export function seqOf(messageId) {
  const s = String(messageId ?? '');
  const n = Number(s.slice(s.lastIndexOf('-') + 1));
  return Number.isFinite(n) ? n : 0;
}

// Appends text to `el`, with the spans (UTF-8 byte offsets) as <mark> elements; markFor(spans)
// returns {className, title} for a segment covered by spans.
export function renderHighlighted(el, text, spans, markFor) {
  el.textContent = '';
  for (const seg of segments(text, spans)) {
    if (!seg.spans.length) {
      el.append(document.createTextNode(seg.text));
      continue;
    }
    const { className, title } = markFor(seg.spans);
    const prev = el.lastChild;
    if (prev && prev.nodeName === 'MARK' && prev.className === className && prev.dataset.end === String(seg.start)) {
      // Adjacent pieces of overlapping spans read as one highlight.
      prev.append(seg.text);
      prev.dataset.end = String(seg.end);
      if (title && !prev.title.split(', ').includes(title)) prev.title = [...new Set([...prev.title.split(', '), ...title.split(', ')])].filter(Boolean).join(', ');
      continue;
    }
    const mark = document.createElement('mark');
    mark.className = className;
    if (title) mark.title = title;
    mark.dataset.end = String(seg.end);
    mark.textContent = seg.text;
    el.append(mark);
  }
}
