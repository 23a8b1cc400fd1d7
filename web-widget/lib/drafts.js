// Replies being typed, per conversation, kept in sessionStorage so a reload loses none.
export class Drafts {
  constructor(key) {
    this.key = key;
    this.map = new Map();
    try {
      for (const [id, text] of Object.entries(JSON.parse(sessionStorage.getItem(key) ?? '{}'))) this.map.set(id, String(text));
    } catch {
      /* none saved */
    }
  }

  get(id) {
    return this.map.get(id) ?? '';
  }

  set(id, text) {
    if (!id) return;
    if (text) this.map.set(id, text);
    else this.map.delete(id);
    try {
      sessionStorage.setItem(this.key, JSON.stringify(Object.fromEntries(this.map)));
    } catch {
      /* storage full or off: kept in memory */
    }
  }
}
