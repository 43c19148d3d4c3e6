/*
 * Browser side: the members of a Realtime channel, kept from the server's `presence_state` (the
 * whole state, after each join) and `presence_diff` (joins, then leaves) as Phoenix's presence
 * does (reference §C.5): per key, the metas of each connection, told apart by `phx_ref`. A member
 * is a key; a person with two tabs under one key is one member. Used with joinLiveChannel's
 * `presence` option; `track` sends a member's meta (a second one replaces the first).
 */

export type PresenceMeta = Record<string, unknown> & { phx_ref?: string };
type Entries = Record<string, { metas?: PresenceMeta[] }>;

export class PresenceState {
  private members = new Map<string, PresenceMeta[]>();

  /** Applies a server event; true when it was a presence event (the state may have changed). */
  apply(event: string, payload: unknown): boolean {
    if (event === 'presence_state') {
      this.members.clear();
      this.add(payload as Entries);
      return true;
    }
    if (event === 'presence_diff') {
      const diff = (payload ?? {}) as { joins?: Entries; leaves?: Entries };
      this.add(diff.joins ?? {});
      for (const [key, { metas = [] }] of Object.entries(diff.leaves ?? {})) {
        const gone = new Set(metas.map((m) => m.phx_ref));
        const left = (this.members.get(key) ?? []).filter((m) => !gone.has(m.phx_ref));
        if (left.length) this.members.set(key, left);
        else this.members.delete(key);
      }
      return true;
    }
    return false;
  }

  private add(entries: Entries) {
    for (const [key, { metas = [] }] of Object.entries(entries)) {
      const refs = new Set(metas.map((m) => m.phx_ref));
      this.members.set(key, [...(this.members.get(key) ?? []).filter((m) => !refs.has(m.phx_ref)), ...metas]);
    }
  }

  /** How many members (keys) are present. */
  get size(): number {
    return this.members.size;
  }

  /** Each member's key with its connections' metas. */
  list(): [string, PresenceMeta[]][] {
    return [...this.members];
  }
}

/** The message that tracks (or re-tracks) this connection with `meta`. */
export function trackMessage(meta: Record<string, unknown>): { type: 'presence'; event: 'track'; payload: Record<string, unknown> } {
  return { type: 'presence', event: 'track', payload: meta };
}
