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
