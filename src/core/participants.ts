// People in a call as the Meet API reports them, in the product's own words.

export interface CallParticipant {
  /** signed-in: a Google account (`users/{id}`); anonymous: a guest with no account; phone: dialled in. */
  kind: 'signed-in' | 'anonymous' | 'phone';
  /** The Google account id for signed-in users, else null. */
  userId: string | null;
  displayName: string;
  firstJoined: number;
  /** When they last left; null while still in the call. */
  lastLeft: number | null;
  /** Time spent in the call across all their sessions, when known. */
  minutesInCall: number;
}

/** A stable key for a participant: their account id, or their kind and display name. */
export function participantKey(p: CallParticipant): string {
  return p.userId ? `users/${p.userId}` : `${p.kind}:${p.displayName}`;
}

/**
 * A short, stable tag for a participant (FNV-1a of their key, base 36): what a lesson keeps to
 * remember whom it has already reported. 25 pupils cost 200 bytes, not 750, in a store of 500 KB
 * shared by every lesson of the day; two people sharing a tag is a one-in-billions chance, and
 * then only a repeated notice is skipped, never a safety step.
 */
export function participantTag(p: CallParticipant): string {
  const key = participantKey(p);
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
