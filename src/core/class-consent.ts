// R13, before the lesson: which pupils of the class are not on the consent register the office
// keeps, in the words the teacher reads on the lesson's card. During the lesson a pupil without
// consent who joins is flagged (call-watch); this is the "before".

import type { Lesson } from './lesson';

/**
 * The class's consent as the teacher's card knows it: how many pupils the class has and the
 * names of those not on the register; 'unread' when Classroom did not give the class list.
 */
export type ClassConsent = { pupils: number; without: readonly string[] } | 'unread';

/** Names listed on a card before "and N more" (a class of 30 is listed whole). */
const NAMES_SHOWN = 30;
/** A display name may be 20,000 characters; a card line needs far fewer. */
const NAME_CHARS = 60;

/**
 * Whether the teacher's card lists consent: their lesson, from scheduling until its start (a room
 * not yet opened, until its end). From the start a pupil without consent who joins is flagged on
 * the card instead, and the card is not slowed by a Classroom read while the teacher acts.
 */
export function consentShownFor(lesson: Lesson, viewer: string, now: number): boolean {
  if (lesson.teacher !== viewer.toLowerCase()) return false;
  if (lesson.status === 'open') return now < lesson.start;
  return lesson.status === 'scheduled' && lesson.approval.state !== 'declined' && now < lesson.end;
}

/** The consent section of the teacher's lesson card (R13); empty when nothing is known. */
export function consentNotes(consent: ClassConsent | null): string[] {
  if (consent === null) return [];
  if (consent === 'unread')
    return [
      'Google Classroom did not give the class list just now, so consent could not be checked. Open this card again in a moment, or ask the office.',
    ];
  const { pupils, without } = consent;
  if (pupils === 0) return ['The class has no pupils on Google Classroom yet.'];
  if (without.length === 0)
    return [`Every pupil of the class (${pupils}) is on the consent register.`];
  const what =
    'Ask the office before the lesson. If they join, the lesson is flagged for SLT and this card names them.';
  if (without.length === pupils)
    return [`No pupil of the class (${pupils}) is on the consent register. ${what}`];
  const shown = without.slice(0, NAMES_SHOWN).map(clipName);
  const more = without.length > shown.length ? ` and ${without.length - shown.length} more` : '';
  return [
    `${without.length} of the ${pupils} pupils of the class ${without.length === 1 ? 'is' : 'are'} not on the consent register: ${shown.join(', ')}${more}. ${what}`,
  ];
}

function clipName(name: string): string {
  const one = name.replace(/\s+/g, ' ').trim() || 'a pupil with no name';
  return one.length > NAME_CHARS ? `${one.slice(0, NAME_CHARS - 1)}…` : one;
}
