// Who is who in each lesson's call (R11, R14, R22, R23): the class's pupils (read when the room
// opened, kept for the lesson), its staff, school accounts not on the roster, outsiders, and
// pupils SLT must follow up. Staff are recognised first and whatever the directory says about
// anyone else: the teacher and co-teachers by the ids kept on the lesson, the named second adult
// (picked or typed; a typed one only if the school's staff class, where it names one, lists
// them) and SLT/DSL/approvers by their account ids, which the directory gives once and the cache
// keeps. Other accounts are looked up in the school's directory, all lessons' at
// once; an account the directory could not answer for (403, 429, 5xx) is "unverified" and
// looked up again next time, never guessed. Guests and callers need no look-up at all.

import type { CallPeople } from '../core/call-watch';
import { CLASS_TEACHERS_KEEP_SECONDS } from '../core/cover';
import { isFailure, mustRethrow } from '../core/errors';
import type { FollowUp } from '../core/incident';
import type { Lesson } from '../core/lesson';
import type { RosterPupil } from '../core/lesson-report';
import type { CallParticipant } from '../core/participants';
import type { Person } from '../core/ports';
import { isOnDomain } from '../core/schedule-policy';
import { schoolLeads } from '../core/settings';
import type { Deps } from './deps';
import { type StaffClass, staffClass } from './staff-class';

export interface LessonPeople extends CallPeople {
  /** The class's pupils, in roster order; null when the roster could not be read this time. */
  rosterList: RosterPupil[] | null;
  roster: ReadonlyMap<string, RosterPupil> | null;
  /** Classroom refused the roster (403: the teacher no longer teaches the class): asking again will not help. */
  rosterRefused: boolean;
  staff: Map<string, string>;
  unverified: ReadonlySet<string>;
  marked: ReadonlyMap<string, FollowUp>;
}

/** How long a roster read outside the room's opening is kept (a lesson whose roster was lost). */
const ROSTER_KEEP_SECONDS = 3600;

export function resolvePeople(
  deps: Deps,
  items: readonly { lesson: Lesson; participants: readonly CallParticipant[] }[],
): Map<string, LessonPeople> {
  const out = new Map<string, LessonPeople>();
  if (items.length === 0) return out;
  const rosters = deps.classes.rosters(
    items.map((i) => ({ actingAs: i.lesson.teacher, courseId: i.lesson.courseId })),
    { fresh: false, keepSeconds: ROSTER_KEEP_SECONDS },
  );
  const followUps = openFollowUps(deps);
  const leads = schoolLeads(deps.settings);
  const staffLists = new Map<string, StaffClass | null>();
  /**
   * R11, R21: whether the school's staff class, read as the lesson's teacher, leaves out the
   * lesson's typed second adult (account `userId`). Asked only when they are in the call; no
   * staff class, or a second adult who is a co-teacher or a lead, leaves them staff. A class
   * that cannot be read now (the teacher is not in it, it was deleted, Classroom fails) keeps the
   * last verdict: staff only if an earlier look counted them (`secondStaffUserId` is theirs), so
   * an unreadable class neither makes a pupil staff nor takes a listed assistant away mid-call.
   */
  const unlisted = (lesson: Lesson, userId: string): boolean => {
    const second = lesson.secondStaff?.toLowerCase();
    if (!deps.settings.staffClass || !second || leads.includes(second)) return false;
    if (lesson.secondStaffUserId && isCoTeacher(lesson, lesson.secondStaffUserId)) return false;
    const teacher = lesson.teacher.toLowerCase();
    if (!staffLists.has(teacher)) staffLists.set(teacher, readStaffClass(deps, lesson));
    const list = staffLists.get(teacher);
    if (list?.kind === 'read') return !list.emails.has(second) && !list.ids.has(userId);
    return lesson.secondStaffUserId !== userId;
  };

  interface Known {
    lesson: Lesson;
    participants: readonly CallParticipant[];
    pupils: Person[] | null;
    roster: Map<string, RosterPupil> | null;
    rosterRefused: boolean;
    staff: Map<string, string>;
    /** Named staff of this lesson, by email: its second adult and the school's leads. */
    named: Map<string, string>;
  }
  const known: Known[] = [];
  const unknownIds = new Set<string>();
  for (const { lesson, participants } of items) {
    const read = rosters.get(lesson.courseId);
    const pupils = read && !(read instanceof Error) ? read : null;
    const roster = pupils ? new Map(pupils.map((p) => [p.userId, toRosterPupil(deps, p)])) : null;
    const staff = new Map<string, string>((lesson.coTeachers ?? []).map((t) => [t.userId, t.name]));
    // A pupil on the roster is a pupil, whoever named them as the second adult (R11, R21); where
    // the school names a staff class, so is a typed one it does not list, once they are in the call.
    if (
      lesson.secondStaffUserId &&
      lesson.secondStaff &&
      !staff.has(lesson.secondStaffUserId) &&
      !roster?.has(lesson.secondStaffUserId) &&
      !(
        participants.some((p) => p.userId === lesson.secondStaffUserId) &&
        unlisted(lesson, lesson.secondStaffUserId)
      )
    )
      staff.set(lesson.secondStaffUserId, lesson.secondStaff);
    const named = new Map(leads.map((e) => [e, e]));
    if (lesson.secondStaff) named.set(lesson.secondStaff.toLowerCase(), lesson.secondStaff);
    const rosterRefused = isFailure(read, 'forbidden');
    known.push({ lesson, participants, pupils, roster, rosterRefused, staff, named });
  }
  const stranger = (k: Known, p: CallParticipant) =>
    p.userId !== null &&
    p.userId !== k.lesson.teacherUserId &&
    !k.staff.has(p.userId) &&
    !k.roster?.has(p.userId);
  // A teacher added to the course after the lesson was scheduled (a cover teacher) is staff,
  // not an intruder: the course's teachers are read again (kept 10 minutes), for every lesson at
  // once, only where someone in the call is neither the teacher, known staff nor a pupil on the
  // roster. A read that fails leaves them judged as before.
  const withStrangers = known.filter((k) => k.participants.some((p) => stranger(k, p)));
  const teachers = deps.classes.rosters(
    withStrangers.map((k) => ({ actingAs: k.lesson.teacher, courseId: k.lesson.courseId })),
    { fresh: false, keepSeconds: CLASS_TEACHERS_KEEP_SECONDS, of: 'teachers' },
  );
  for (const k of withStrangers) {
    const read = teachers.get(k.lesson.courseId);
    if (!read || read instanceof Error) {
      deps.log.warn(`course teachers could not be read for ${k.lesson.id}`);
      continue;
    }
    for (const t of read)
      if (t.userId !== k.lesson.teacherUserId && !k.staff.has(t.userId))
        k.staff.set(t.userId, t.name.slice(0, 120));
  }
  for (const k of known)
    for (const p of k.participants) if (stranger(k, p)) unknownIds.add(p.userId!);

  // Named staff by account id (cached), so they count as staff even when the directory cannot
  // answer for the account that joined; then everyone else not yet known. A second adult typed
  // on the form (not a co-teacher) is looked up at the first look, before they join, so a
  // directory failing later does not make them a stranger (R11).
  const namedEmails = new Set(known.flatMap((k) => [...k.named.keys()]));
  const secondUnknown = known.some((k) => k.lesson.secondStaff && !k.lesson.secondStaffUserId);
  const staffIds =
    unknownIds.size > 0 || secondUnknown
      ? deps.directory.accountIds([...namedEmails])
      : new Map<string, never>();
  const emailOfStaffId = new Map<string, string>();
  for (const [email, id] of staffIds) if (typeof id === 'string') emailOfStaffId.set(id, email);
  const toLookUp = [...unknownIds].filter((id) => !emailOfStaffId.has(id));
  const directory = deps.directory.lookup(toLookUp);

  for (const k of known) {
    const { lesson } = k;
    const external = new Set<string>();
    const unverified = new Set<string>();
    const marked = new Map<string, FollowUp>();
    const second = lesson.secondStaff?.toLowerCase() ?? null;
    const secondId = second ? staffIds.get(second) : undefined;
    // Remembered before they join only where no staff class is there to ask about them.
    let secondStaffUserId: string | null =
      lesson.secondStaffUserId ??
      (typeof secondId === 'string' && !k.roster?.has(secondId) && !deps.settings.staffClass
        ? secondId
        : null);
    for (const p of k.participants) {
      if (!p.userId || !unknownIds.has(p.userId) || k.staff.has(p.userId)) continue;
      const staffEmail = emailOfStaffId.get(p.userId);
      const answer = staffEmail ?? directory.get(p.userId);
      if (answer instanceof Error || answer === undefined) unverified.add(p.userId);
      else if (answer === null) external.add(p.userId);
      // Pupils have school accounts too: another school account is staff only when the
      // lesson or the school's settings name it; anyone else is uninvited (R14).
      else if (
        isOnDomain(answer, deps.settings.staffDomain) &&
        k.named.has(answer) &&
        !(answer === second && unlisted(lesson, p.userId))
      ) {
        // Their account's name as Meet shows it (a Workspace account's own), else their email.
        k.staff.set(p.userId, p.kind === 'signed-in' && p.displayName ? p.displayName : answer);
        if (answer === second && secondStaffUserId === null) secondStaffUserId = p.userId;
      } else {
        const followUp = followUps.find((f) => f.personKey.toLowerCase() === answer);
        if (followUp) marked.set(p.userId, followUp);
      }
    }
    for (const pupil of k.pupils ?? []) {
      const followUp = followUps.find((f) => isThisPupil(f, pupil));
      if (followUp) marked.set(pupil.userId, followUp);
    }
    out.set(lesson.id, {
      roster: k.roster,
      rosterList: k.roster ? [...k.roster.values()] : null,
      rosterRefused: k.rosterRefused,
      staff: k.staff,
      external,
      unverified,
      marked,
      secondStaffUserId,
    });
  }
  return out;
}

/** A follow-up names a pupil by email, or by account id (`id:...`) when Classroom gave no email. */
export function isThisPupil(f: FollowUp, pupil: Person): boolean {
  const key = f.personKey.toLowerCase();
  return (
    (pupil.email !== null && key === pupil.email.toLowerCase()) || key === `id:${pupil.userId}`
  );
}

/** A co-teacher recorded at scheduling (the second adult picked from the class's teachers). */
function isCoTeacher(lesson: Lesson, userId: string): boolean {
  return (lesson.coTeachers ?? []).some((t) => t.userId === userId);
}

/** The staff class as the lesson's teacher sees it; null when Classroom could not say now. */
function readStaffClass(deps: Deps, lesson: Lesson): StaffClass | null {
  try {
    const list = staffClass(deps, lesson.teacher);
    if (list.kind === 'missing' || list.kind === 'not-member')
      deps.log.warn(`staff class ${list.kind} for ${lesson.id}: second adult judged as last seen`);
    return list;
  } catch (error) {
    if (mustRethrow(error)) throw error;
    deps.log.warn(`staff class could not be read for ${lesson.id}`);
    return null;
  }
}

function openFollowUps(deps: Deps): FollowUp[] {
  try {
    return deps.followUps.open();
  } catch (error) {
    if (mustRethrow(error)) throw error;
    // The store could not be read: the door check waits for the next look; nothing else does.
    deps.log.warn('follow-ups could not be read this pass');
    return [];
  }
}

function toRosterPupil(deps: Deps, p: Person): RosterPupil {
  return { userId: p.userId, name: p.name, consent: deps.consent.hasConsent(p) };
}
