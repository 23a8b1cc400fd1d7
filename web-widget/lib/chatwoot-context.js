// Chatwoot's side of a dashboard app (app/javascript/dashboard/components/widgets/DashboardApp/
// Frame.vue in chatwoot/chatwoot): the frame posts the string "chatwoot-dashboard-app:fetch-info"
// to its parent, which answers (and also posts, once the frame has loaded) the JSON string
// {"event":"appContext","data":{"conversation","contact","currentAgent"}}. Pure functions.

export const FETCH_INFO = 'chatwoot-dashboard-app:fetch-info';

// The parts of an appContext message Tact uses, or null when it is not one.
export function parseAppContext(data) {
  if (typeof data !== 'string' || data.length > 2_000_000) return null;
  let parsed;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (!parsed || parsed.event !== 'appContext' || typeof parsed.data !== 'object' || !parsed.data) return null;
  const { conversation, contact, currentAgent } = parsed.data;
  const id = conversation?.id;
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return {
    conversation: id,
    contactName: typeof contact?.name === 'string' ? contact.name : conversation?.meta?.sender?.name ?? '',
    agent: Number.isSafeInteger(currentAgent?.id) ? currentAgent.id : null,
    agentName: typeof currentAgent?.name === 'string' ? currentAgent.name : '',
  };
}

// The Chatwoot agent a Tact token is for ("chatwoot:<integration>:agent:<id>"), or null.
export function agentOfSub(sub, integration) {
  const prefix = `chatwoot:${integration}:agent:`;
  if (typeof sub !== 'string' || !sub.startsWith(prefix)) return null;
  const id = Number(sub.slice(prefix.length));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

// Tact's id of a Chatwoot conversation: "chatwoot:<integration>:<id>", then ".2", ".3", … for
// each time it was resolved and reopened (gateway/integrations/chatwoot/receiver.hpp).
export function conversationBase(integration, id) {
  return `chatwoot:${integration}:${id}`;
}

export function roundOf(base, id) {
  if (id === base) return 1;
  if (!id.startsWith(`${base}.`)) return 0;
  const n = Number(id.slice(base.length + 1));
  return Number.isSafeInteger(n) && n > 1 ? n : 0;
}

// The round to show among the listed conversations ({id, open}): the latest; the base id when none.
export function latestRound(base, conversations) {
  let best = base;
  let bestRound = 0;
  for (const c of conversations ?? []) {
    const r = roundOf(base, c.id);
    if (r > bestRound) {
      best = c.id;
      bestRound = r;
    }
  }
  return best;
}
