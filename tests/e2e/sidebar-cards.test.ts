// Cards a teacher and an approver understand without training (issue 12.4), within the
// platform's limits and with no authority taken from the card (issue 9.2, 9.6): through the
// shipped bundle, asserting what the simulated Meet, Classroom, Calendar, mail and the store hold.

import {
  actionOf,
  cardOf,
  cardsOf,
  eventObject,
  type FormValue,
  findAll,
  findButton,
  findClickableText,
  notificationOf,
  texts,
} from '../sim/card-driver';
import type { CardNode, SwitchNode, TextButtonNode } from '../sim/services/card-tree';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, roomLink, scheduleFor, world } from './scenario-kit';
import { SidebarSession } from './sidebar-stack';

const DAY = 24 * 60 * MIN;

/** Runs a button of `card` as `user`, its lessonId parameter replaced (a replayed, edited event). */
function replay(
  school: DeployedSchool,
  user: string,
  card: unknown,
  buttonText: string,
  lessonId: string,
  formInputs: Record<string, FormValue> = {},
): string {
  const { functionName, parameters } = actionOf(findButton(card, buttonText));
  const event = eventObject({ parameters: { ...parameters, lessonId }, formInputs });
  return notificationOf(school.run(functionName, event, user)) ?? '';
}

/** Runs a list line's action (opening a lesson) as `user`, with another lesson's id. */
function replayLine(
  school: DeployedSchool,
  user: string,
  card: unknown,
  text: string,
  lessonId: string,
): string {
  const { functionName, parameters } = actionOf(findClickableText(card, text));
  const event = eventObject({ parameters: { ...parameters, lessonId } });
  return notificationOf(school.run(functionName, event, user)) ?? '';
}

function onCard(card: CardNode, text: string): boolean {
  return texts(card).some((t) => t === text);
}

describe('the teacher’s lesson card', () => {
  it('asks the teacher to confirm before ending the lesson for everyone', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advance(MIN);
    const pupils = s.course.pupils.slice(0, 3).map((p) => p.email);
    admit(school, s, link, [s.course.assistant.email, ...pupils]);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(1);

    // One tap shows the question; nothing has ended.
    const teacher = new SidebarSession(school, s.course.teacher.email);
    teacher.open('Phonics');
    teacher.click('End lesson for everyone');
    expect(teacher.top.header?.title).toBe('End the lesson for everyone?');
    expect(
      findAll(teacher.top, (n): n is TextButtonNode => n.kind === 'textButton').map((b) => b.text),
    ).toEqual(['End the lesson for everyone', 'Go back']);
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(ws.meet.participantsNow(link)).toHaveLength(5);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(1);

    // "Go back" ends nothing and shows the lesson's card, drawn again.
    teacher.click('Go back');
    expect(teacher.top.name).toBe(`lesson:${s.lessonId}`);
    expect(school.lesson(s.lessonId).status).toBe('open');
    expect(ws.meet.participantsNow(link)).toHaveLength(5);
    expect(teacher.staleCards()).toEqual([]);

    // The homepage's own End button asks too.
    teacher.back();
    teacher.click('End lesson for everyone');
    expect(teacher.top.header?.title).toBe('End the lesson for everyone?');
    expect(school.lesson(s.lessonId).status).toBe('open');

    // Confirmed: ended for everyone at once, link gone, room locked; back on a fresh homepage.
    teacher.click('End the lesson for everyone');
    expect(teacher.note).toMatch(/Lesson ended for everyone and the room is locked/);
    expect(school.lesson(s.lessonId).status).toBe('ended');
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(0);
    expect(ws.meet.join(pupils[0]!, link)).toBe('refused');
    expect(teacher.stack.canGoBack).toBe(false);
    expect(onCard(teacher.top, 'Write the lesson log')).toBe(true);
    expect(teacher.staleCards()).toEqual([]);
  });

  it('puts the room link first on the teacher’s card while the room is open, and only then', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);
    const before = cardOf(s.teacher.lessonCard(s.lessonId));
    expect(findAll(before, (n) => 'onClick' in n && !!n.onClick?.openLink)).toEqual([]);

    school.advanceTo(monday(9, 55));
    const open = cardOf(s.teacher.lessonCard(s.lessonId));
    const first = open.sections[0]!;
    expect(first.header).toBe('Your room is open');
    const join = findButton(open, 'Join your room in Meet');
    const uri = school.lesson(s.lessonId).room!.meetingUri;
    expect(join.onClick.openLink?.url).toBe(uri);
    expect(texts({ ...open, sections: [first] })).toContain(uri.replace('https://', ''));

    s.teacher.endLesson(s.lessonId);
    const ended = cardOf(s.teacher.lessonCard(s.lessonId));
    expect(findAll(ended, (n) => 'onClick' in n && !!n.onClick?.openLink)).toEqual([]);
  });

  it('shows pupils’ chat as one switch that says whether it is on, and changes Meet', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    const chat = () => {
      const config = ws.meet.spaceInfo(link).config as {
        moderationRestrictions: { chatRestriction: string };
      };
      return config.moderationRestrictions.chatRestriction;
    };
    const teacher = new SidebarSession(school, s.course.teacher.email);
    teacher.open('Phonics');
    const switchOf = (card: CardNode) => findAll(card, (n): n is SwitchNode => n.kind === 'switch');
    expect(texts(teacher.top)).not.toContain('Let pupils chat');
    expect(texts(teacher.top)).not.toContain('Chat for hosts only');
    expect(switchOf(teacher.top)).toHaveLength(1);
    expect(switchOf(teacher.top)[0]!.selected).toBe(false);
    expect(texts(teacher.top)).toContain('Off: only you and co-hosts can chat');
    expect(chat()).toBe('HOSTS_ONLY');

    teacher.toggle('pupilChat');
    expect(teacher.note).toBe('Pupils can now use chat.');
    expect(chat()).toBe('NO_RESTRICTION');
    expect(switchOf(teacher.top)[0]!.selected).toBe(true);
    expect(texts(teacher.top)).toContain('On: pupils can send messages');
    expect(teacher.staleCards()).toEqual([]);

    teacher.toggle('pupilChat');
    expect(teacher.note).toBe('Chat is now for hosts only.');
    expect(chat()).toBe('HOSTS_ONLY');
    expect(switchOf(teacher.top)[0]!.selected).toBe(false);
  });

  it('never leaves a stale card behind the Back arrow after Schedule, Open, Share, Send log or End', () => {
    const school = new DeployedSchool({ delegation: false });
    const { ws } = school;
    const course = school.school.courses[0]!;
    const teacher = new SidebarSession(school, course.teacher.email);

    // Schedule: the form and the homepage under it are replaced by a fresh homepage.
    teacher.click('Schedule a lesson');
    expect(teacher.stack.canGoBack).toBe(true);
    teacher.click('Schedule', {
      title: 'Fractions',
      start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
      secondStaff: course.assistant.email,
    });
    expect(teacher.note).toBe('Lesson scheduled.');
    expect(teacher.stack.canGoBack).toBe(false);
    expect(texts(teacher.top).join(' ')).toMatch(/Fractions/);
    expect(teacher.staleCards()).toEqual([]);
    const [lesson] = school.lessons();

    // Open from the lesson's card: the card and the homepage under it both show the open room.
    // (Time passes: the sidebar is opened again at 09:45.)
    school.advanceTo(monday(9, 45));
    const fresh = new SidebarSession(school, course.teacher.email);
    fresh.open('Fractions');
    fresh.click('Open room');
    expect(fresh.note).toMatch(/Your room is open/);
    expect(fresh.top.name).toBe(`lesson:${lesson!.id}`);
    expect(fresh.staleCards()).toEqual([]);
    const home = fresh.back();
    expect(onCard(home, 'Open room')).toBe(false);
    expect(onCard(home, 'Share with class')).toBe(true);

    // Share from the homepage: the homepage is drawn again where it is.
    const link = school.lesson(lesson!.id).room!.meetingUri;
    expect(ws.meet.join(course.teacher.email, link)).toBe('joined');
    fresh.click('Share with class');
    expect(fresh.note).toMatch(/on your class stream/);
    expect(fresh.stack.canGoBack).toBe(false);
    expect(onCard(fresh.top, 'End lesson for everyone')).toBe(true);
    expect(fresh.staleCards()).toEqual([]);

    // End, then Send log from the lesson's card: each time, back to a fresh homepage only.
    fresh.open('Fractions');
    fresh.click('End lesson for everyone');
    fresh.click('End the lesson for everyone');
    expect(fresh.stack.canGoBack).toBe(false);
    expect(fresh.staleCards()).toEqual([]);
    fresh.open('Fractions');
    fresh.click('Write the lesson log');
    expect(fresh.stack.cards).toHaveLength(3);
    fresh.click('Send log', { technologyIssues: 'None' });
    expect(fresh.note).toMatch(/sent to SLT/);
    expect(fresh.stack.canGoBack).toBe(false);
    expect(onCard(fresh.top, 'Write the lesson log')).toBe(false);
    expect(fresh.staleCards()).toEqual([]);
  });
});

describe('the lesson’s Calendar event', () => {
  it('keeps the event’s own card as the root and draws it again after each action', () => {
    const school = new DeployedSchool({ delegation: false });
    const s = scheduleFor(school);
    const [event] = school.ws.calendar.events(s.course.teacher.email);
    school.advanceTo(monday(9, 45));
    const teacher = new SidebarSession(school, s.course.teacher.email, {
      id: String(event!.id),
      calendarId: 'primary',
    });
    expect(teacher.top.name).toBe(`lesson:${s.lessonId}`);
    teacher.click('Open room');
    expect(teacher.note).toMatch(/Your room is open/);
    expect(teacher.stack.cards.map((c) => c.name)).toEqual([`lesson:${s.lessonId}`]);
    expect(teacher.top.sections[0]!.header).toBe('Your room is open');
    expect(teacher.staleCards()).toEqual([]);
  });
});

describe('the approver’s cards', () => {
  it('shows the approver who, what, when, with whom, the flags and why, before Approve; the reason only under Decline', () => {
    const school = new DeployedSchool({ approvalRequired: true });
    const course = school.school.courses[0]!;
    const s = scheduleFor(school, { start: monday(17), secondStaff: null });
    const head = new SidebarSession(school, school.school.head.email);
    head.click('Review');
    const lines = texts(head.top);
    const at = (text: string) => {
      const i = lines.findIndex((l) => l.includes(text));
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(lines).toEqual(expect.arrayContaining([course.teacher.email, course.name]));
    expect(lines).toContain('Mon 23 Nov, 17:00–17:30');
    expect(lines).toContain('None named: the policy needs another adult present');
    const order = [
      at('Teacher'),
      at('Second adult'),
      at('Why it needs your approval'),
      at('head teacher’s or a nominee’s agreement'),
      at('outside normal lesson hours'),
      at('No second member of staff named'),
      lines.indexOf('Approve'),
      at('Reason for declining'),
      lines.indexOf('Decline'),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // Approve needs no reason; it goes back to a fresh homepage with nothing left to review.
    head.click('Approve');
    expect(head.note).toBe('Lesson approved.');
    expect(school.lesson(s.lessonId)).toMatchObject({ approval: { state: 'approved' } });
    expect(head.stack.canGoBack).toBe(false);
    expect(texts(head.top)).not.toContain('Awaiting your approval');
    expect(head.staleCards()).toEqual([]);
  });

  it('does not let an approver approve their own lesson', () => {
    const course = { own: 0, other: 1 };
    const probe = new DeployedSchool({ approvalRequired: true });
    const teacherApprover = probe.school.courses[course.own]!.teacher.email;
    const school = new DeployedSchool({
      approvalRequired: true,
      settings: { approvers: `${probe.school.head.email}, ${teacherApprover}` },
    });
    const mine = scheduleFor(school, { course: course.own, title: 'My own lesson' });
    const theirs = scheduleFor(school, { course: course.other, title: 'A colleague’s lesson' });

    // Their homepage lists the colleague's lesson to review, never their own.
    const me = new SidebarSession(school, teacherApprover);
    const home = texts(me.top).join('\n');
    const approvals = home.slice(home.indexOf('Awaiting your approval'), home.indexOf('Today'));
    expect(approvals).toContain('A colleague’s lesson');
    expect(approvals).not.toContain('My own lesson');

    // Their own lesson's card offers no decision.
    me.open('My own lesson');
    expect(texts(me.top)).not.toContain('Approve');
    expect(texts(me.top)).not.toContain('Decline');
    expect(texts(me.top).join(' ')).toMatch(/Awaiting approval by another approver/);

    // A decision sent anyway (an edited event) is refused and changes nothing.
    const colleagueReview = cardsOf(
      school.run(
        'showLesson',
        { commonEventObject: { parameters: { lessonId: theirs.lessonId } } },
        teacherApprover,
      ),
    ).at(-1)!;
    const before = world(school, mine);
    const refused = replay(school, teacherApprover, colleagueReview, 'Approve', mine.lessonId);
    expect(refused).toBe(
      'You cannot approve or decline your own lesson: another approver named in the school settings must decide.',
    );
    expect(world(school, mine)).toBe(before);
    expect(school.lesson(mine.lessonId)).toMatchObject({ approval: { state: 'pending' } });

    // Another approver may; and they may approve their colleague's.
    expect(
      notificationOf(school.run('decideAction', colleagueEvent(theirs.lessonId), teacherApprover)),
    ).toBe('Lesson approved.');
    const head = new SidebarSession(school, school.school.head.email);
    head.click('Review');
    expect(texts(head.top)).toContain('My own lesson');
    head.click('Approve');
    expect(school.lesson(mine.lessonId)).toMatchObject({
      approval: { state: 'approved', by: school.school.head.email },
    });
  });

  it('pages a list of 150 lessons awaiting approval', () => {
    const school = new DeployedSchool({ approvalRequired: true, teachers: 5 });
    let n = 0;
    for (const course of school.school.courses)
      for (let day = 0; day < 5; day++)
        for (let slot = 0; slot < 6; slot++) {
          n += 1;
          const event = eventObject({
            formInputs: {
              courseId: course.id,
              title: `Lesson ${String(n).padStart(3, '0')}`,
              start: { msSinceEpoch: monday(9 + slot) + day * DAY, hasDate: true, hasTime: true },
              minutes: '30',
              secondStaff: course.assistant.email,
            },
          });
          const made = school.run('scheduleLessonAction', event, course.teacher.email);
          expect(notificationOf(made)).toMatch(/^Lesson scheduled/);
        }
    expect(school.lessons()).toHaveLength(150);

    // A teacher's own week is paged the same way (6 lessons today, 24 in the next 7 days).
    const busy = new SidebarSession(school, school.school.courses[0]!.teacher.email);
    expect(texts(busy.top)).toContain('Showing 1–20 of 24');
    busy.click('Next 4');
    expect(texts(busy.top)).toContain('Showing 21–24 of 24');

    const head = new SidebarSession(school, school.school.head.email);
    const seen: string[] = [];
    const widgetsPerSection = () => head.top.sections.map((section) => section.widgets.length);
    const reviewIds = () =>
      findAll(head.top, (b) => b.kind === 'textButton' && b.text === 'Review').map(
        (b) => actionOf(b as never).parameters.lessonId!,
      );
    for (let page = 0; page < 8; page++) {
      expect(Math.max(...widgetsPerSection())).toBeLessThanOrEqual(100);
      const from = page * 20 + 1;
      const to = Math.min(from + 19, 150);
      expect(texts(head.top)).toContain(`Showing ${from}–${to} of 150`);
      seen.push(...reviewIds());
      if (page < 7) head.click(`Next ${Math.min(20, 150 - to)}`);
    }
    expect(texts(head.top).filter((t) => /^Next \d+$/.test(t))).toEqual([]);
    expect(seen).toHaveLength(150);
    expect(new Set(seen)).toEqual(new Set(school.lessons().map((l) => l.id)));

    head.click('Previous');
    expect(texts(head.top)).toContain('Showing 121–140 of 150');

    // A decision from a later page: back to a fresh homepage, one fewer to review.
    head.click('Review');
    head.click('Approve');
    expect(head.note).toBe('Lesson approved.');
    expect(texts(head.top)).toContain('Showing 1–20 of 149');
    expect(head.staleCards()).toEqual([]);
  });
});

/** A decideAction event approving `lessonId`, as the review card's Approve button sends it. */
function colleagueEvent(lessonId: string) {
  return eventObject({ parameters: { lessonId, decision: 'approve' } });
}

describe('card actions carry no authority of their own', () => {
  it('refuses a card action replayed with another teacher’s lesson id', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const a = scheduleFor(school, { course: 0, title: 'Phonics' });
    const b = scheduleFor(school, { course: 1, title: 'Spelling' });
    const teacherA = a.course.teacher.email;
    const NOT_YOURS = 'Only the teacher who scheduled this lesson can do that.';

    // Before the rooms open: A's "Open room" with B's lesson id opens nothing.
    school.advanceTo(monday(9, 35));
    const homeA = cardOf(a.teacher.home());
    let before = world(school, b);
    expect(replay(school, teacherA, homeA, 'Open room', b.lessonId)).toBe(NOT_YOURS);
    expect(world(school, b)).toBe(before);
    expect(ws.meet.spaces.size).toBe(0);

    // Both lessons running; B's link is on Classroom, A has not shared yet.
    school.advanceTo(monday(9, 55));
    const linkB = roomLink(school, b);
    expect(ws.meet.join(b.course.teacher.email, linkB)).toBe('joined');
    school.advance(MIN);
    admit(school, b, linkB, [b.course.assistant.email, b.course.pupils[0]!.email]);
    expect(school.lesson(b.lessonId).post?.state).toBe('live');

    const cardA = cardOf(a.teacher.lessonCard(a.lessonId));
    const confirmA = a.teacher.next(a.teacher.click(cardA, 'End lesson for everyone'));
    const chatA = findAll(cardA, (n): n is SwitchNode => n.kind === 'switch')[0]!;
    before = world(school, b);
    const refusals = [
      replay(school, teacherA, cardA, 'Share with class', b.lessonId),
      replay(school, teacherA, cardA, 'End lesson for everyone', b.lessonId),
      replay(school, teacherA, confirmA, 'End the lesson for everyone', b.lessonId),
      replay(school, teacherA, confirmA, 'Go back', b.lessonId),
      replay(school, teacherA, cardA, 'Confirm expectations and consent', b.lessonId),
      replay(school, teacherA, cardA, 'Report an incident', b.lessonId),
      replayLine(school, teacherA, homeA, 'Phonics', b.lessonId),
      notificationOf(
        school.run(
          chatA.onChangeAction!.functionName,
          eventObject({
            parameters: { ...chatA.onChangeAction!.parameters, lessonId: b.lessonId },
            formInputs: { pupilChat: ['on'] },
          }),
          teacherA,
        ),
      ),
    ];
    expect(refusals.slice(0, 6)).toEqual(Array(6).fill(NOT_YOURS));
    expect(refusals[6]).toBe('You can only open your own lessons.');
    expect(refusals[7]).toBe(NOT_YOURS);
    expect(world(school, b)).toBe(before);
    expect(ws.meet.participantsNow(linkB)).toHaveLength(3);
    expect(
      ws.classroom.announcementsVisibleTo(b.course.pupils[0]!.email, b.course.id),
    ).toHaveLength(1);

    // After A's own lesson: A's "Send log" with B's lesson id writes nothing into B's log.
    expect(a.teacher.endLesson(a.lessonId)).toMatch(/ended for everyone/);
    const logA = a.teacher.next(
      a.teacher.click(a.teacher.lessonCard(a.lessonId), 'Write the lesson log'),
    );
    before = world(school, b);
    expect(
      replay(school, teacherA, logA, 'Send log', b.lessonId, {
        technologyIssues: 'Written by someone else',
      }),
    ).toBe('Only the teacher or the second adult of this lesson can write its log.');
    expect(world(school, b)).toBe(before);
    school.advance(3 * MIN);
    expect(String(school.sessionRow(b.lessonId)?.['Any Technology Issues'] ?? '')).toBe('');
  });
});

describe('dates and the week ahead', () => {
  it('shows Monday’s lesson on a Sunday', () => {
    const sunday = Date.UTC(2026, 10, 22, 18, 0);
    const school = new DeployedSchool({ start: sunday });
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    for (const [title, start] of [
      ['Monday phonics', monday(10)],
      ['Next Sunday club', monday(10) + 6 * DAY],
      ['Monday week', monday(10) + 7 * DAY],
    ] as const)
      expect(
        teacher.schedule({ title, start, secondStaff: course.assistant.email }).lessonId,
      ).not.toBeNull();

    const home = texts(teacher.home());
    const week = home.slice(home.indexOf('Next 7 days'));
    expect(home.slice(0, home.indexOf('Next 7 days'))).toContain('No live lessons today.');
    expect(week).toContain('Mon 23 Nov, 10:00–10:30');
    expect(week.join('\n')).toContain('Monday phonics');
    expect(week).toContain('Sun 29 Nov, 10:00–10:30');
    expect(week.join('\n')).not.toContain('Monday week');
    expect(home.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(home).not.toContain('This week');
  });

  it('writes times as a UK teacher does, in the school’s zone, in summer time too', () => {
    const june = Date.UTC(2026, 5, 12, 8, 0); // Friday 12 June, 09:00 in London (BST)
    const school = new DeployedSchool({ start: june, approvalRequired: true });
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const lessonStart = Date.UTC(2026, 5, 15, 9, 0); // Monday 15 June, 10:00 BST
    const { lessonId } = teacher.schedule({
      title: 'Summer reading',
      start: lessonStart,
      secondStaff: course.assistant.email,
    });
    expect(lessonId).not.toBeNull();
    expect(texts(teacher.home())).toContain('Mon 15 Jun, 10:00–10:30');
    expect(texts(teacher.lessonCard(lessonId!))).toContain(
      'Year 3 Class A · Mon 15 Jun, 10:00–10:30',
    );
    const head = new SidebarSession(school, school.school.head.email);
    head.click('Review');
    expect(texts(head.top)).toContain('Mon 15 Jun, 10:00–10:30');
  });
});

describe('no internal ids on cards', () => {
  it('shows no internal id (lesson, course, user, room) where a name will do', () => {
    const school = new DeployedSchool({ approvalRequired: true });
    const s = scheduleFor(school);
    const head = new SidebarSession(school, school.school.head.email);
    head.click('Review');
    const cards: unknown[] = [...head.stack.cards];
    head.click('Approve');
    school.advanceTo(monday(9, 55));
    const teacher = new SidebarSession(school, s.course.teacher.email);
    cards.push(teacher.top);
    teacher.open('Phonics');
    cards.push(teacher.top);
    teacher.click('End lesson for everyone');
    cards.push(teacher.top);
    teacher.click('Go back');
    cards.push(...teacher.stack.cards);
    const lesson = school.lessons()[0] as unknown as {
      id: string;
      courseId: string;
      teacherUserId: string;
      secondStaffUserId: string | null;
      room: { space: string };
    };
    const ids = [
      lesson.id,
      lesson.courseId,
      lesson.teacherUserId,
      lesson.secondStaffUserId!,
      lesson.room.space,
      'users/',
    ];
    const shown = cards.flatMap((c) => texts(c)).join('\n');
    for (const id of ids) expect(shown).not.toContain(id);
  });
});
