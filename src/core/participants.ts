// People in a call as the Meet API reports them, in the product's own words.

export interface CallParticipant {
  /** signed-in: a Google account (`users/{id}`); anonymous: a guest with no account; phone: dialled in. */
  kind: 'signed-in' | 'anonymous' | 'phone';
  /** The Google account id for signed-in users, else null. */
  userId: string | null;
  /** As cleaned by `cleanDisplayName`: one line, at most MAX_DISPLAY_NAME characters. */
  displayName: string;
  firstJoined: number;
  /** When they last left; null while still in the call. */
  lastLeft: number | null;
  /** Time spent in the call across all their sessions, when known. */
  minutesInCall: number;
  /**
   * Meet's participant resource (`conferenceRecords/{c}/participants/{p}`), when known: two
   * guests who typed the same name are two people.
   */
  id?: string;
}

/**
 * Display names come from whoever joins: a guest may type 20,000 characters, newlines or a
 * formula. A lesson record is one script property (9 KB at most) and the log is read by people,
 * so a name is kept on one line and cut, and the cut is noted in the name itself.
 */
export const MAX_DISPLAY_NAME = 80;

/** One line, no control characters, at most MAX_DISPLAY_NAME characters (the cut noted). */
export function cleanDisplayName(raw: string | undefined | null, fallback: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  const oneLine = String(raw ?? '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const text = oneLine.replace(/\s+/g, ' ').trim();
  if (text === '') return fallback;
  if (text.length <= MAX_DISPLAY_NAME) return text;
  return `${text.slice(0, MAX_DISPLAY_NAME)}… (name cut from ${text.length} characters)`;
}

/**
 * A stable key for a participant: their account id; for a guest or a caller, their participant
 * resource when known (else their kind and display name).
 */
export function participantKey(p: CallParticipant): string {
  if (p.userId) return `users/${p.userId}`;
  return p.id ? `${p.kind}:${p.id}` : `${p.kind}:${p.displayName}`;
}

/**
 * A short, stable tag for a participant (FNV-1a of their key, base 36): what a lesson keeps to
 * remember whom it has already reported. 25 pupils cost 200 bytes, not 750, in a store of 500 KB
 * shared by every lesson of the day; two people sharing a tag is a one-in-billions chance, and
 * then only a repeated notice is skipped, never a safety step.
 */
export function participantTag(p: CallParticipant): string {
  return tagOfKey(participantKey(p));
}

/** The tag of a participant known by their key (an attendance entry's `key`). */
export function tagOfKey(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * R11, R21: whether an address typed as a member of staff belongs to a pupil on the class's
 * roster (a pupil is a pupil, whoever named them as the second adult).
 */
export function pupilOnRoster(roster: readonly { email: string | null }[], email: string): boolean {
  const wanted = email.toLowerCase();
  return roster.some((p) => p.email?.toLowerCase() === wanted);
}
