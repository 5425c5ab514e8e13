// Who is who in each lesson's call (R11, R14): the class's pupils (read when the room opened,
// kept for the lesson), its staff (co-teachers, the second adult, SLT/DSL/approvers), school
// accounts not on the roster, and outsiders. Accounts on neither list are looked up in the
// school's directory, all lessons' at once; an account the directory could not answer for
// is "unverified" and looked up again next time, never guessed.

import type { CallPeople } from '../core/call-watch';
import type { Lesson } from '../core/lesson';
import type { RosterPupil } from '../core/lesson-report';
import type { CallParticipant } from '../core/participants';
import type { Person } from '../core/ports';
import { isOnDomain } from '../core/schedule-policy';
import type { Deps } from './deps';

export interface LessonPeople extends CallPeople {
  /** Signed-in accounts the directory could not answer for this time. */
  unverified: ReadonlySet<string>;
  rosterList: RosterPupil[];
}

/** How long a roster read outside the room's opening is kept (a lesson whose roster was lost). */
const ROSTER_KEEP_SECONDS = 3600;

export function resolvePeople(
  deps: Deps,
  items: readonly { lesson: Lesson; participants: readonly CallParticipant[] }[],
): Map<string, LessonPeople | Error> {
  const out = new Map<string, LessonPeople | Error>();
  if (items.length === 0) return out;
  const rosters = deps.classes.rosters(
    items.map((i) => ({ actingAs: i.lesson.teacher, courseId: i.lesson.courseId })),
    { fresh: false, keepSeconds: ROSTER_KEEP_SECONDS },
  );
  const namedStaff = new Set(
    [...deps.settings.sltEmails, ...deps.settings.dslEmails, ...deps.settings.approvers].map((e) =>
      e.toLowerCase(),
    ),
  );
  const known = new Map<string, { roster: Map<string, RosterPupil>; staff: Map<string, string> }>();
  const unknownIds = new Set<string>();
  for (const { lesson, participants } of items) {
    const pupils = rosters.get(lesson.courseId);
    if (!pupils || pupils instanceof Error) {
      out.set(lesson.id, pupils ?? new Error('no roster'));
      continue;
    }
    const roster = new Map(pupils.map((p) => [p.userId, toRosterPupil(deps, p)]));
    const staff = new Map<string, string>((lesson.coTeachers ?? []).map((t) => [t.userId, t.name]));
    if (lesson.secondStaffUserId && lesson.secondStaff && !staff.has(lesson.secondStaffUserId))
      staff.set(lesson.secondStaffUserId, lesson.secondStaff);
    known.set(lesson.id, { roster, staff });
    for (const p of participants)
      if (
        p.userId &&
        p.userId !== lesson.teacherUserId &&
        !staff.has(p.userId) &&
        !roster.has(p.userId)
      )
        unknownIds.add(p.userId);
  }
  const directory = deps.directory.lookup([...unknownIds]);
  for (const { lesson, participants } of items) {
    const k = known.get(lesson.id);
    if (!k) continue;
    const staffEmails = new Set(namedStaff);
    if (lesson.secondStaff) staffEmails.add(lesson.secondStaff.toLowerCase());
    const external = new Set<string>();
    const unverified = new Set<string>();
    for (const p of participants) {
      if (!p.userId || !unknownIds.has(p.userId) || k.staff.has(p.userId)) continue;
      const answer = directory.get(p.userId);
      if (answer instanceof Error || answer === undefined) unverified.add(p.userId);
      else if (answer === null) external.add(p.userId);
      // Pupils have school accounts too: another school account is staff only when the
      // lesson or the school's settings name it; anyone else is uninvited (R14).
      else if (isOnDomain(answer, deps.settings.staffDomain) && staffEmails.has(answer))
        k.staff.set(p.userId, answer);
    }
    out.set(lesson.id, {
      roster: k.roster,
      rosterList: [...k.roster.values()],
      staff: k.staff,
      external,
      unverified,
    });
  }
  return out;
}

function toRosterPupil(deps: Deps, p: Person): RosterPupil {
  return { userId: p.userId, name: p.name, consent: deps.consent.hasConsent(p) };
}
