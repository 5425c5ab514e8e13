// The steps of a lesson's life that touch Google: open the room, share once the host
// is in, withdraw the link, end the call, close. The automation and the teacher's
// sidebar both call these, each inside the lesson's lease, so they never double-act.

import { isFailure } from '../core/errors';
import { type Flag, flag } from '../core/flags';
import { verifyHostInCall } from '../core/host-presence';
import {
  addFlags,
  beginPosting,
  cancelLesson,
  closeLesson,
  endLesson,
  isApproved,
  type Lesson,
  linkIsLive,
  noteConference,
  noteReported,
  type OpenLesson,
  openRoom,
  postingFailed,
  shareLink,
  withdrawAt,
  withdrawLink,
} from '../core/lesson';
import { buildLessonReport, roleOf } from '../core/lesson-report';
import { type CallParticipant, participantKey } from '../core/participants';
import type { CallNow, StreamPost } from '../core/ports';
import { localTime } from '../core/time';
import type { Deps } from './deps';
import { knowPeople } from './people';

export type Step = { lesson: Lesson; value: string };

const done = (lesson: Lesson, value: string): Step => ({ lesson, value });

/** The text that marks our post, so it can be found again after a lost answer. */
export function postMarker(lesson: Lesson): string {
  return `(lesson ${lesson.id})`;
}

/** R6/R7: a fresh room, owned by the teacher, with the school's safe settings. */
export function stepOpenRoom(deps: Deps, lesson: Lesson): Step {
  if (lesson.status !== 'scheduled') return done(lesson, 'already-open');
  if (!isApproved(lesson)) return done(lesson, 'not-approved');
  const room = deps.rooms.create(lesson.teacher, { accessType: deps.settings.accessType });
  const opened = openRoom(lesson, room, deps.clock.now());
  deps.notifier.send(
    [lesson.teacher],
    `Your room for ${lesson.title} is open`,
    `Join your lesson's Meet first: ${room.meetingUri}\n\nThe link goes to your class on Google Classroom only once you are in the call, and it is removed ${deps.settings.withdrawBeforeEndMinutes} minutes before the end (${localTime(withdrawAt(lesson, deps.settings.withdrawBeforeEndMinutes), deps.settings.timeZone)}). Do not share it any other way.`,
  );
  deps.log.info(`opened room for ${lesson.id}`);
  return done(opened, 'opened');
}

/**
 * R6/R14: looks at who is in the call. Shares the link once the teacher is there (and
 * before the withdrawal time); reports uninvited and external people once each.
 */
export function stepWatchCall(
  deps: Deps,
  lesson: Lesson,
  call: CallNow | null,
  save: (l: Lesson) => void,
): Step {
  if (lesson.status !== 'open') return done(lesson, 'not-open');
  if (!call) return done(noteConference(lesson, null), 'no-call');
  let current: OpenLesson = noteConference(lesson, call.conference);
  current = reportOutsiders(deps, current, call.participants);
  const now = deps.clock.now();
  if (current.post.state === 'live' || current.post.state === 'withdrawn')
    return done(current, 'shared-already');
  if (now >= withdrawAt(current, deps.settings.withdrawBeforeEndMinutes))
    return done(current, 'too-late-to-share');
  const proof = verifyHostInCall(call.participants, current.teacherUserId, now);
  if (!proof) return done(current, 'host-not-in-call');

  if (current.post.state === 'posting') {
    const found = deps.stream.find(current.teacher, current.courseId, postMarker(current));
    if (found) return done(shareLink(current, proof, found, now), 'shared');
    current = postingFailed(current);
  }
  current = beginPosting(current, now);
  save(current);
  const postId = deps.stream.post(current.teacher, current.courseId, streamPost(deps, current));
  deps.log.info(`shared link for ${current.id}`);
  return done(shareLink(current, proof, postId, deps.clock.now()), 'shared');
}

/** The announcement for a lesson: the link, when it will be removed, and our marker. */
export function streamPost(deps: Deps, lesson: OpenLesson): StreamPost {
  const marker = postMarker(lesson);
  const closes = localTime(
    withdrawAt(lesson, deps.settings.withdrawBeforeEndMinutes),
    deps.settings.timeZone,
  );
  return {
    text: `Live lesson now: ${lesson.title}. Your teacher is in the call: join with the link below. The link will be removed at ${closes}. ${marker}`,
    url: lesson.room.meetingUri,
    title: `Join: ${lesson.title}`,
    marker,
  };
}

/** Participants not yet reported who are neither the host nor the named second adult. */
export function unreportedOthers(
  lesson: OpenLesson,
  participants: readonly CallParticipant[],
): CallParticipant[] {
  return participants.filter(
    (p) =>
      p.userId !== lesson.teacherUserId &&
      (p.userId === null || p.userId !== lesson.secondStaffUserId) &&
      !lesson.reported.includes(participantKey(p)),
  );
}

/**
 * R14: who in the call is uninvited (a school account not on the roster) or external.
 * Reads only (rosters are cached), so the monitor can ask it for every call every minute.
 */
export function findOutsiders(
  deps: Deps,
  lesson: OpenLesson,
  participants: readonly CallParticipant[],
): Concern[] {
  const unknown = unreportedOthers(lesson, participants);
  if (unknown.length === 0) return [];
  const people = knowPeople(deps, lesson, unknown);
  const roster = new Map(people.roster.map((p) => [p.userId, p]));
  const who = {
    teacherUserId: lesson.teacherUserId,
    staff: people.staff,
    externalUserIds: people.external,
  };
  return unknown.flatMap((p): Concern[] => {
    const role = roleOf(p, who, roster);
    if (role === 'uninvited' || role === 'external') return [{ p, role }];
    // R13: a pupil whose parents have not consented is flagged while the lesson runs.
    const pupil = role === 'pupil' && p.userId ? roster.get(p.userId) : undefined;
    return pupil && !pupil.consent ? [{ p, role: 'no-consent', name: pupil.name }] : [];
  });
}

/** Someone in the call the teacher must know about now (R13, R14). */
export type Concern =
  | { p: CallParticipant; role: 'uninvited' | 'external' }
  | { p: CallParticipant; role: 'no-consent'; name: string };

function reportOutsiders(
  deps: Deps,
  lesson: OpenLesson,
  participants: readonly CallParticipant[],
): OpenLesson {
  const concerns = findOutsiders(deps, lesson, participants);
  if (concerns.length === 0) return lesson;
  const external = concerns.filter((x) => x.role === 'external').length;
  const uninvited = concerns.filter((x) => x.role === 'uninvited').length;
  const noConsent = concerns.flatMap((x) => (x.role === 'no-consent' ? [x.name] : []));
  const flags: Flag[] = [];
  if (external > 0)
    flags.push(
      flag('external-participant', `${external} participant(s) from outside the school joined.`),
    );
  if (uninvited > 0)
    flags.push(
      flag('uninvited-participant', `${uninvited} participant(s) not on the class roster joined.`),
    );
  if (noConsent.length > 0) {
    flags.push(
      flag('no-consent', `${noConsent.length} pupil(s) without recorded parental consent joined.`),
    );
    // The teacher sees the names (their own class); the flag and the logs hold only a count.
    deps.notifier.send(
      [lesson.teacher],
      `Consent missing in ${lesson.title}`,
      `These pupils in your lesson have no recorded parental consent: ${noConsent.join(', ')}. Follow the school's procedure (policy: written consent is needed), and mention it in your log.`,
    );
  }
  if (external + uninvited > 0) {
    const teacherMessage =
      external > 0
        ? 'Someone from OUTSIDE the school is in your lesson. Policy: end the lesson now for everyone (use "End lesson" in the sidebar or in Meet), then report it.'
        : 'Someone who is not on your class roster is in your lesson. Remove them using Manage participants in Meet, then report it.';
    deps.notifier.send([lesson.teacher], `Action needed in ${lesson.title}`, teacherMessage);
  }
  if (external > 0) {
    deps.notifier.send(
      [...deps.settings.dslEmails, ...deps.settings.sltEmails],
      `Serious: an outside participant joined lesson ${lesson.id}`,
      `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}): ${external} participant(s) from outside the school joined. The teacher has been told to end the lesson. Details are in the log.`,
    );
  }
  deps.log.warn(
    `lesson ${lesson.id}: ${external} external, ${uninvited} uninvited, ${noConsent.length} without consent`,
  );
  return addFlags(
    noteReported(
      lesson,
      concerns.map((x) => participantKey(x.p)),
    ),
    flags,
  );
}

/** R10: the link leaves Classroom. A post already gone counts as withdrawn. */
export function stepWithdraw(deps: Deps, lesson: Lesson): Step {
  if (!linkIsLive(lesson) || !('post' in lesson)) return done(lesson, 'not-live');
  const post = lesson.post;
  if (post.state === 'live') deps.stream.remove(lesson.teacher, lesson.courseId, post.id);
  else if (post.state === 'posting') {
    const found = deps.stream.find(lesson.teacher, lesson.courseId, postMarker(lesson));
    if (found) deps.stream.remove(lesson.teacher, lesson.courseId, found);
  }
  deps.log.info(`withdrew link for ${lesson.id}`);
  const withdrawn = withdrawLink(lesson, deps.clock.now());
  return done(withdrawn, 'withdrawn');
}

/**
 * R10: the call is ended for everyone and the room locked. This happens on time even if
 * Classroom has not yet let us delete the post: a locked room makes the link useless,
 * and the deletion keeps being retried.
 */
export function stepEndCall(deps: Deps, lesson: Lesson): Step {
  if (lesson.status === 'open') {
    deps.rooms.endAndLock(lesson.teacher, lesson.room);
    deps.log.info(`ended call for ${lesson.id}`);
    return done(endLesson(lesson, deps.clock.now()), 'ended');
  }
  if (lesson.status === 'cancelled' && lesson.room) {
    deps.rooms.endAndLock(lesson.teacher, lesson.room);
    return done({ ...lesson, room: null, version: lesson.version + 1 }, 'ended');
  }
  return done(lesson, 'not-open');
}

/** R11-R14: attendance against the roster, the second adult, 1:1s, consent, flags. */
export function stepClose(deps: Deps, lesson: Lesson): Step {
  const now = deps.clock.now();
  if (lesson.status === 'scheduled') {
    const why = isApproved(lesson)
      ? flag('room-not-opened', 'The room was never opened: the lesson did not take place.')
      : flag('not-approved', 'The lesson was never approved, so its room did not open.');
    const report = buildLessonReport({
      teacherUserId: lesson.teacherUserId,
      teacherName: lesson.teacher,
      participants: [],
      roster: [],
      staff: new Map(),
      externalUserIds: new Set(),
      allowOneToOne: deps.settings.allowOneToOne,
      now,
    });
    return done(closeLesson(lesson, { ...report, flags: [why] }, now), 'closed');
  }
  if (lesson.status !== 'ended') return done(lesson, 'not-ended');
  const participants = deps.rooms.history(lesson.teacher, lesson.room);
  const people = knowPeople(deps, lesson, participants);
  const report = buildLessonReport({
    teacherUserId: lesson.teacherUserId,
    teacherName: lesson.teacher,
    participants,
    roster: people.roster,
    staff: people.staff,
    externalUserIds: people.external,
    allowOneToOne: deps.settings.allowOneToOne,
    now,
  });
  const closed = closeLesson(lesson, report, now);
  const serious = report.flags.filter((f) => f.severity === 'serious');
  if (serious.length > 0) {
    const to = report.flags.some(
      (f) => f.code === 'one-to-one' || f.code === 'external-participant',
    )
      ? [...deps.settings.dslEmails, ...deps.settings.sltEmails]
      : deps.settings.sltEmails;
    deps.notifier.send(
      to,
      `Lesson ${lesson.id} needs attention`,
      `Lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) closed with:\n${serious.map((f) => `- ${f.detail}`).join('\n')}\nThe log has the details.`,
    );
  }
  deps.log.info(
    `closed ${lesson.id}: ${report.counts.pupilsPresent} present, ${report.flags.length} flags`,
  );
  return done(closed, 'closed');
}

/** Cancels a lesson whose Calendar event was deleted; the link and room are cleaned up by the monitor. */
export function stepCancel(deps: Deps, lesson: Lesson): Step {
  if (lesson.status !== 'scheduled' && lesson.status !== 'open')
    return done(lesson, 'not-cancellable');
  return done(cancelLesson(lesson, deps.clock.now()), 'cancelled');
}

/** True when an error means "try again on the next tick". */
export function isRetryable(error: unknown): boolean {
  return isFailure(error, 'transient');
}
