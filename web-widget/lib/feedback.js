// The agent's feedback to the coach (issue 22, docs/protocol.md "feedback"): a flag disputed,
// a suggestion used as is or edited. Pure: the frames and the bookkeeping, tested without a
// browser (tests/browser/lessons-lib.test.mjs); tact-coach.js sends what these return.
import { utf8ByteLength } from './utf8.js';

export const MAX_REASON_BYTES = 500;

// "used" when the text sent is the suggestion's (both trimmed), else "edited".
export function usageKind(suggestion, sent) {
  return String(sent ?? '').trim() === String(suggestion ?? '').trim() ? 'used' : 'edited';
}

// The longest start of `text` that fits in `max` UTF-8 bytes (never half a character).
export function clipBytes(text, max) {
  let out = '';
  let bytes = 0;
  for (const ch of String(text ?? '')) {
    const n = utf8ByteLength(ch);
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

// The dispute frame; an empty reason is left out, a long one clipped to the server's limit.
export function disputeFrame({ conversation, messageId, rule, reason = '' }) {
  const f = { type: 'feedback', conversation, message_id: messageId, kind: 'dispute', rule };
  const why = clipBytes(reason.trim(), MAX_REASON_BYTES);
  if (why) f.reason = why;
  return f;
}

// The key of one flag: the message it is on and the rule that raised it.
export function flagKey(messageId, rule) {
  return `${messageId}\n${rule}`;
}

const ERROR_WORDS = {
  unknown_message: 'that message is not known',
  not_flagged: 'that flag is no longer on the message',
  not_suggested: 'that suggestion was not offered',
  bad_field: 'the server refused it',
  not_your_conversation: 'this is not your conversation',
  feedback_by_agent: 'only the conversation\'s agent can say so',
};
export function feedbackErrorText(f) {
  return f?.message || ERROR_WORDS[f?.code] || f?.code || 'refused';
}

// Suggestions inserted into the composer, until the message that carried them is acknowledged.
//   inserted(pick)      pick: {conversation, message_id, template, text}; replaces the last one
//   sent(conversation, clientId, text)  the agent sent `text`: the pick (same conversation) waits
//                                       for its ack
//   acked(clientId)     -> the feedback frame to send, or null
//   forget()            the composer was cleared or the conversation changed
export class SuggestionTracker {
  constructor() {
    this.pick = null;
    this.waiting = new Map(); // client_id -> {pick, text}
  }

  inserted(pick) {
    this.pick = pick?.template && pick.message_id && pick.conversation ? { ...pick } : null;
  }

  sent(conversation, clientId, text) {
    const pick = this.pick;
    this.pick = null;
    if (!pick || !clientId || pick.conversation !== conversation) return;
    this.waiting.set(clientId, { pick, text });
  }

  acked(clientId) {
    const w = this.waiting.get(clientId);
    if (!w) return null;
    this.waiting.delete(clientId);
    const { pick, text } = w;
    return { type: 'feedback', conversation: pick.conversation, message_id: pick.message_id, kind: usageKind(pick.text, text), template: pick.template };
  }

  // A message refused (error frame with its client_id as ref): nothing to report.
  refused(clientId) {
    this.waiting.delete(clientId);
  }

  forget() {
    this.pick = null;
  }
}
