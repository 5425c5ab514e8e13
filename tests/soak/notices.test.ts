// Notices due against notices sent: each email is tied to its kind and lesson, and what policy
// owed but the outbox lacks (or holds twice) is named by lesson.

import { MAYBE_REPEAT } from '../../src/core/mail-plan';
import { balanceNotices, emailKind, noticesDue, noticesSent, noticesThatMay } from './notices';

const lessons = [
  { lessonId: 'L-1', title: 'Lesson #1.' },
  { lessonId: 'L-10', title: 'Lesson #10.' },
];

describe('notices due against notices sent', () => {
  it('owes SLT every lesson, the DSL every outsider and incident, SLT a link left live, and staff, DSL and SLT pupils left alone', () => {
    const facts = {
      lessonId: 'L-1',
      title: 'Lesson #1.',
      outsiderJoined: true,
      incidentsReported: 2,
      linkLiveAtEnd: true,
      pupilsLeftAlone: true,
    };
    expect(noticesDue(facts, { approvalRequired: true }).sort()).toEqual(
      [
        'approval-request',
        'incident-to-dsl',
        'incident-to-dsl',
        'link-live-alert-to-slt',
        'outsider-action-to-teacher',
        'outsider-alert-to-dsl',
        'scheduled-to-slt',
        'pupils-alone-alert',
        'alone-call-ended',
      ].sort(),
    );
    expect(
      noticesDue(
        {
          ...facts,
          outsiderJoined: false,
          incidentsReported: 0,
          linkLiveAtEnd: false,
          pupilsLeftAlone: false,
        },
        { approvalRequired: false },
      ),
    ).toEqual(['scheduled-to-slt']);
  });

  it('for pupils alone until their teacher came back, lets the alert be sent or not, and owes no "Call ended"', () => {
    const facts = {
      lessonId: 'L-1',
      title: 'Lesson #1.',
      outsiderJoined: false,
      incidentsReported: 0,
      linkLiveAtEnd: false,
      pupilsLeftAlone: false,
      pupilsAloneTillStaffBack: true,
    };
    expect(noticesDue(facts, { approvalRequired: false })).toEqual(['scheduled-to-slt']);
    const may = noticesThatMay(facts).map((kind) => ({ kind, lessonId: 'L-1' }));
    expect(may).toEqual([{ kind: 'pupils-alone-alert', lessonId: 'L-1' }]);
    const due = [{ kind: 'scheduled-to-slt' as const, lessonId: 'L-1' }];
    const alert = { kind: 'pupils-alone-alert' as const, lessonId: 'L-1' };
    const ended = { kind: 'alone-call-ended' as const, lessonId: 'L-1' };
    // Not sent: not missing. Sent once: not extra. Sent twice: one extra.
    expect(balanceNotices(due, due, may)['pupils-alone-alert']).toMatchObject({
      missing: [],
      extra: [],
    });
    expect(balanceNotices(due, [...due, alert], may)['pupils-alone-alert']).toMatchObject({
      sent: 1,
      missing: [],
      extra: [],
    });
    expect(balanceNotices(due, [...due, alert, alert], may)['pupils-alone-alert'].extra).toEqual([
      'L-1',
    ]);
    // The call was not ended: a "Call ended" is extra.
    expect(balanceNotices(due, [...due, ended], may)['alone-call-ended'].extra).toEqual(['L-1']);
  });

  it('ties each email to its lesson by title or id (lists by the ids they name), and names the lessons that differ', () => {
    const outbox = [
      // SLT's hourly list names each lesson by id; this one went twice (a lost answer).
      {
        subject: 'Live lesson scheduled: Lesson #10. (23/11/2026 09:00-09:30)',
        body: 'Scheduled since the last list (1):\n- 23/11/2026 09:00-09:30 Lesson #10. (7A), t@school; second member of staff: none named; lesson id L-10',
      },
      {
        subject: 'Live lesson scheduled: Lesson #10. (23/11/2026 09:00-09:30)',
        body: 'Scheduled since the last list (1):\n- 23/11/2026 09:00-09:30 Lesson #10. (7A), t@school; second member of staff: none named; lesson id L-10',
      },
      { subject: 'Link still live: Lesson #1. (Year 3 Class A)', body: '' },
      {
        subject: 'Safeguarding incident in a live lesson: Inappropriate language or behaviour',
        body: 'a@school reported an incident in the live lesson "Lesson #1." (L-1) at 23/11/2026 10:12.',
      },
      { subject: 'Safe Live Lessons daily digest: 0 flagged lesson(s), 0 follow-up(s)', body: '' },
      // R21: pupils left with no member of staff, then the call ended for them.
      { subject: 'Pupils alone in Lesson #1.: no member of staff in the call', body: '' },
      { subject: 'Call ended: Lesson #1. had no member of staff', body: '' },
      // The same notice again, sent after MailApp gave no clear answer, and saying so.
      {
        subject: 'Call ended: Lesson #1. had no member of staff',
        body: `Lesson L-1 (...)\n\n${MAYBE_REPEAT}`,
      },
      // The mail queue's grouped email: two notices in one.
      {
        subject: 'Safe Live Lessons: 2 notices',
        body: [
          '2 notices from Safe Live Lessons, oldest first.',
          '1. Lesson ended: an outsider joined Lesson #10.\n\nSomeone from OUTSIDE the school...',
          '2. Serious: an outside participant joined lesson L-10\n\nLesson L-10 (...)',
        ].join('\n\n----------\n\n'),
      },
    ];
    const sent = noticesSent(outbox, lessons);
    expect(sent).toEqual([
      { kind: 'scheduled-to-slt', lessonId: 'L-10' },
      { kind: 'scheduled-to-slt', lessonId: 'L-10' },
      { kind: 'link-live-alert-to-slt', lessonId: 'L-1' },
      { kind: 'incident-to-dsl', lessonId: 'L-1' },
      { kind: 'pupils-alone-alert', lessonId: 'L-1' },
      { kind: 'alone-call-ended', lessonId: 'L-1' },
      { kind: 'alone-call-ended', lessonId: 'L-1', markedResent: true },
      { kind: 'outsider-action-to-teacher', lessonId: 'L-10' },
      { kind: 'outsider-alert-to-dsl', lessonId: 'L-10' },
    ]);
    const due = [
      { kind: 'scheduled-to-slt' as const, lessonId: 'L-1' },
      { kind: 'scheduled-to-slt' as const, lessonId: 'L-10' },
      { kind: 'link-live-alert-to-slt' as const, lessonId: 'L-1' },
      { kind: 'incident-to-dsl' as const, lessonId: 'L-1' },
      { kind: 'pupils-alone-alert' as const, lessonId: 'L-1' },
      { kind: 'alone-call-ended' as const, lessonId: 'L-1' },
      { kind: 'outsider-action-to-teacher' as const, lessonId: 'L-10' },
      { kind: 'outsider-alert-to-dsl' as const, lessonId: 'L-10' },
    ];
    const balance = balanceNotices(due, sent);
    // The alone alert was owed and sent once; the end was owed once and sent twice, the second
    // copy saying it was sent again: one extra, accounted for by the mark.
    expect(balance['pupils-alone-alert']).toEqual({
      due: 1,
      sent: 1,
      missing: [],
      extra: [],
      extraMarked: [],
    });
    expect(balance['alone-call-ended']).toEqual({
      due: 1,
      sent: 2,
      missing: [],
      extra: ['L-1'],
      extraMarked: ['L-1'],
    });
    expect(balance['scheduled-to-slt']).toEqual({
      due: 2,
      sent: 2,
      missing: ['L-1'],
      extra: ['L-10'],
      extraMarked: [],
    });
    expect(balance['link-live-alert-to-slt']).toEqual({
      due: 1,
      sent: 1,
      missing: [],
      extra: [],
      extraMarked: [],
    });
    expect(emailKind(outbox[4]!)).toBe('daily-digest');
    expect(balance['outsider-alert-to-dsl']).toEqual({
      due: 1,
      sent: 1,
      missing: [],
      extra: [],
      extraMarked: [],
    });
  });
});
