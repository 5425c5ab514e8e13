// R21 "never alone", R10: a running call the automation can no longer watch. When Google refuses
// to let the automation act as a teacher's own account (deleted or suspended mid-lesson), it can
// neither see who is in their call (it lists them as the room's owner) nor end it (only
// the owner may), so it cannot tell whether pupils are alone. The safe thing it can still do is
// take the link off Classroom at once, as the class's other teachers, so no more pupils join a
// call nobody watches. The lesson is flagged with why (the log's Flags column, SLT at once: the
// flag is serious); the mark also keeps the link down for good (lesson.ts `withdrawLink`), even
// once the account works again. Pure: `now` and the zone are passed in.
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces/endActiveConference
//   ("Ends an active conference (if there's one)"); which role may call it is in the guide:
// doc: https://developers.google.com/workspace/meet/api/guides/meeting-spaces ("the meeting roles
//   required to use the meeting space methods": endActiveConference() and patch(), Owners only)

import { type Flag, flag, hasFlag } from './flags';
import { clockTime } from './in-call';
import { addFlags, linkIsLive, type OpenLesson } from './lesson';

/** The lesson was marked: its call could not be watched while its link was up. */
export function cannotWatch(lesson: { flags: readonly Flag[] }): boolean {
  return hasFlag(lesson.flags, 'cannot-watch');
}

/** The words for the log's Flags column: when, why, and what the automation does about it. */
export function cannotWatchFlag(since: number, timeZone: string): Flag {
  return flag(
    'cannot-watch',
    `From ${clockTime(since, timeZone)} the automation could not watch the call: Google refused to let it act as the teacher (their account was deleted, suspended or renamed), and only the room’s owner can see who is in a Meet call or end it. So the automation takes the link off Classroom at once, as the class’s other teachers, and keeps it off (the Withdrawn column says when it came off; if it could not, the lesson is flagged link-withdraw-late too). Pupils already in the call may have been there with nobody watching.`,
  );
}

/**
 * A look at the running call was refused because Google will not let the automation act as its
 * teacher: a lesson whose link is (or may be) on Classroom is marked, once, so the next pass
 * withdraws it (lifecycle-plan.ts). A lesson whose link is not up is left as it is: there is
 * nothing to take down, and marking it would take down a link the teacher shares later.
 */
export function noteCannotWatch(lesson: OpenLesson, now: number, timeZone: string): OpenLesson {
  if (cannotWatch(lesson) || !linkIsLive(lesson)) return lesson;
  return addFlags(lesson, [cannotWatchFlag(now, timeZone)]);
}
