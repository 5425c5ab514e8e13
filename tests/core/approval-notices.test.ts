// R2, R28: who hears of a lesson still awaiting its approver's agreement, and when: the teacher
// once its room's opening time comes, the approvers reminded then, an approver named later
// asked of what waits; each once.

import {
  approversNotAsked,
  approversReminder,
  LESSONS_PER_NOTICE,
  newApproverNotices,
  notApprovedNotice,
  notApprovedNoticeDue,
  noteApproversAsked,
  noteNotApprovedTold,
} from '../../src/core/approval-notices';
import { NOTICE_MAX_BYTES, utf8Bytes } from '../../src/core/mail-plan';
import { END, min, SETTINGS, START, scheduledLesson, TEACHER } from './lesson-factory';

const HEAD = 'head@school.example';
const DEPUTY = 'deputy@school.example';
const pending = (overrides = {}) =>
  scheduledLesson({ approval: { state: 'pending' }, ...overrides });
/** Opens 10 minutes before the start (the default setting). */
const OPENS = START - min(10);

describe('telling the teacher a lesson is not approved (R2, R28)', () => {
  it('is due from the opening time of a lesson still pending, not before, and not after its end', () => {
    expect(notApprovedNoticeDue(pending(), OPENS - 1, SETTINGS)).toBe(false);
    expect(notApprovedNoticeDue(pending(), OPENS, SETTINGS)).toBe(true);
    expect(notApprovedNoticeDue(pending(), END - 1, SETTINGS)).toBe(true);
    expect(notApprovedNoticeDue(pending(), END, SETTINGS)).toBe(false);
  });

  it('is never due for a lesson approved, auto-approved or declined', () => {
    for (const approval of [
      { state: 'approved', by: HEAD, at: 0 },
      { state: 'auto' },
      { state: 'declined', by: HEAD, at: 0, reason: 'No' },
    ] as const)
      expect(notApprovedNoticeDue(scheduledLesson({ approval }), OPENS, SETTINGS)).toBe(false);
  });

  it('is due once: told, it is not due again, unless the lesson was moved to a later opening', () => {
    const told = noteNotApprovedTold(pending(), OPENS + min(1));
    expect(notApprovedNoticeDue(told, OPENS + min(5), SETTINGS)).toBe(false);
    const moved = { ...told, start: START + min(240), end: END + min(240) };
    expect(notApprovedNoticeDue(moved, OPENS + min(5), SETTINGS)).toBe(false);
    expect(notApprovedNoticeDue(moved, OPENS + min(240), SETTINGS)).toBe(true);
  });

  it('says in plain words that the room did not open, until when an approval still opens it, and the lesson id', () => {
    const notice = notApprovedNotice(pending(), OPENS + min(1), SETTINGS);
    expect(notice.to).toEqual([TEACHER]);
    expect(notice.urgency).toBe('now');
    expect(notice.subject).toBe(
      'Not yet approved: Forces and motion (Mon 23 Nov, 10:00–10:30) will not open',
    );
    expect(notice.body).toContain('has not been approved yet, so its room did not open at 09:50');
    expect(notice.body).toContain('approves it before 10:24');
    expect(notice.body).toContain('Lesson id L-20261123-abc234.');
  });

  it('says it is too late once an approval could no longer get the link to the class', () => {
    const notice = notApprovedNotice(pending(), START + min(25), SETTINGS);
    expect(notice.body).toContain('It is now too late for it to open');
    expect(notice.body).not.toContain('approves it before');
  });

  it('tells a teacher who is the only approver to ask SLT for another', () => {
    const notice = notApprovedNotice(pending(), OPENS, { ...SETTINGS, approvers: [TEACHER] });
    expect(notice.body).toContain('ask SLT to add another approver');
  });
});

describe('reminding the approvers at the opening time (R2)', () => {
  it('lists every lesson reaching its opening time in one reminder, never to a lesson’s own teacher', () => {
    const a = pending({ id: 'L-a', title: 'A' });
    const b = pending({ id: 'L-b', title: 'B', teacher: DEPUTY });
    const notices = approversReminder([a, b], OPENS, { ...SETTINGS, approvers: [HEAD, DEPUTY] });
    const toBoth = notices.find((n) => n.to.length === 2);
    expect(toBoth?.lessonIds).toEqual(['L-a']);
    expect(notices.find((n) => n.to.length === 1)).toMatchObject({
      to: [HEAD],
      lessonIds: ['L-b'],
    });
    expect(notices.every((n) => n.urgency === 'now')).toBe(true);
  });

  it('sends nothing when nobody else may decide', () => {
    expect(approversReminder([pending()], OPENS, { ...SETTINGS, approvers: [TEACHER] })).toEqual(
      [],
    );
  });
});

describe('asking an approver named later (R2)', () => {
  it('asks only the approvers named now who were not asked, never the lesson’s teacher', () => {
    const asked = noteApproversAsked(pending(), ['Head@School.example']);
    expect(asked.approversAsked).toEqual([HEAD]);
    expect(approversNotAsked(asked, OPENS, [HEAD, DEPUTY, TEACHER])).toEqual([DEPUTY]);
    expect(approversNotAsked(asked, OPENS, [HEAD])).toEqual([]);
  });

  it('asks nothing of a lesson not yet put to the approvers, decided, or over', () => {
    expect(approversNotAsked(pending(), OPENS, [DEPUTY])).toEqual([]);
    const asked = noteApproversAsked(pending(), [HEAD]);
    expect(approversNotAsked({ ...asked, approval: { state: 'auto' } }, OPENS, [DEPUTY])).toEqual(
      [],
    );
    expect(approversNotAsked(asked, END, [DEPUTY])).toEqual([]);
  });

  it('names every waiting lesson by its id, in lists that each fit one queued notice', () => {
    const lessons = Array.from({ length: 2 * LESSONS_PER_NOTICE + 1 }, (_, i) =>
      pending({ id: `L-20261123-${String(i).padStart(6, '0')}`, title: 'x'.repeat(400) }),
    );
    const notices = newApproverNotices(
      lessons.map((lesson) => ({ lesson, approvers: [DEPUTY] })),
      START - min(120),
      SETTINGS,
    );
    expect(notices).toHaveLength(3);
    expect(notices[0]!.subject).toBe(
      `Approval needed: ${LESSONS_PER_NOTICE} live lessons (list 1 of 3)`,
    );
    const all = notices.map((n) => n.body).join('\n');
    for (const l of lessons) expect(all).toContain(`lesson id ${l.id}`);
    for (const n of notices) {
      expect(n.to).toEqual([DEPUTY]);
      // Several lists go at once: the queue would otherwise fold them into a digest naming none.
      expect(n.urgency).toBe('now');
      expect(utf8Bytes(JSON.stringify(n))).toBeLessThan(NOTICE_MAX_BYTES - 1_000);
    }
  });

  it('a single lesson is one ordinary notice that waits for the approver’s next grouped email', () => {
    const [notice] = newApproverNotices(
      [{ lesson: pending(), approvers: [DEPUTY] }],
      OPENS,
      SETTINGS,
    );
    expect(notice).toMatchObject({
      to: [DEPUTY],
      subject: 'Approval needed: Forces and motion (Mon 23 Nov, 10:00–10:30)',
      urgency: 'soon',
      kind: 'approval-needed',
    });
  });
});
