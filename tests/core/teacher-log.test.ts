// Appendix A of policy 000: the teacher's own entries, kept whole and safe for the log.

import {
  appendEntry,
  checkTeacherLog,
  entryTarget,
  MAX_LOG_CELL,
  MAX_LOG_FIELD,
  mayWriteLog,
  type TeacherLogEntry,
  teacherLogCells,
} from '../../src/core/teacher-log';
import { SECOND, START, TEACHER } from './lesson-factory';

const entry = (overrides: Partial<TeacherLogEntry> = {}): TeacherLogEntry => ({
  lessonId: 'L-20261123-abc234',
  teacher: TEACHER,
  technologyIssues: 'Audio dropped once',
  inappropriateBehaviour: '',
  shareWithSlt: '  ',
  at: START,
  ...overrides,
});

describe('checkTeacherLog', () => {
  it('writes "None" for an empty field, so SLT see it was answered', () => {
    expect(checkTeacherLog(entry())).toEqual({
      ok: true,
      entry: {
        ...entry(),
        technologyIssues: 'Audio dropped once',
        inappropriateBehaviour: 'None',
        shareWithSlt: 'None',
      },
    });
  });

  it('keeps an entry of exactly the longest length allowed', () => {
    const result = checkTeacherLog(entry({ shareWithSlt: 'x'.repeat(MAX_LOG_FIELD) }));
    expect(result.ok && result.entry.shareWithSlt).toBe('x'.repeat(2000));
  });

  it('refuses an oversized field rather than cutting it silently', () => {
    expect(
      checkTeacherLog(
        entry({ inappropriateBehaviour: 'x'.repeat(2001), shareWithSlt: 'y'.repeat(3000) }),
      ),
    ).toEqual({
      ok: false,
      problems: [
        'Inappropriate behaviour is too long (2001 characters; at most 2000).',
        'Anything to share with SLT is too long (3000 characters; at most 2000).',
      ],
    });
  });
});

describe('teacherLogCells', () => {
  it('keeps a teacher’s note that starts like a formula as text', () => {
    expect(
      teacherLogCells(
        entry({ technologyIssues: '=HYPERLINK("http://x","y")', shareWithSlt: '- see me' }),
      ),
    ).toEqual({
      technologyIssues: `'=HYPERLINK("http://x","y")`,
      inappropriateBehaviour: '',
      shareWithSlt: "'- see me",
    });
  });
});

describe('entries belong to their authors (issue 9)', () => {
  const empty = { technologyIssues: '', inappropriateBehaviour: '', shareWithSlt: '' };
  const TZ = 'Europe/London';

  it('lets only the teacher and the second adult the row names write its log', () => {
    const row = { teacher: TEACHER, secondStaff: SECOND };
    expect(mayWriteLog(row, TEACHER.toUpperCase())).toBe(true);
    expect(mayWriteLog(row, SECOND)).toBe(true);
    expect(mayWriteLog(row, 'someone.else@school.example')).toBe(false);
    expect(mayWriteLog({ teacher: TEACHER, secondStaff: '' }, '')).toBe(false);
  });

  it('adds a later entry below the earlier one, with who and when, never over it', () => {
    const first = appendEntry(
      empty,
      entry({
        shareWithSlt: 'Pupil X disclosed something; passed to DSL',
        technologyIssues: 'None',
        inappropriateBehaviour: 'None',
      }),
      TZ,
    );
    if (first.kind !== 'appended') throw new Error(first.kind);
    expect(first.cells.shareWithSlt).toBe(
      `[2026-11-23 10:00 ${TEACHER}] Pupil X disclosed something; passed to DSL`,
    );
    const second = appendEntry(
      first.cells,
      entry({
        teacher: SECOND,
        at: START + 3_600_000,
        shareWithSlt: 'Nothing to report',
        technologyIssues: 'None',
        inappropriateBehaviour: 'None',
      }),
      TZ,
    );
    if (second.kind !== 'appended') throw new Error(second.kind);
    expect(second.cells.shareWithSlt.split('\n')).toEqual([
      `[2026-11-23 10:00 ${TEACHER}] Pupil X disclosed something; passed to DSL`,
      `[2026-11-23 11:00 ${SECOND}] Nothing to report`,
    ]);
  });

  it('adds nothing when the entry is already there (a run cut off after writing it)', () => {
    const e = entry({
      technologyIssues: 'Wifi',
      inappropriateBehaviour: 'None',
      shareWithSlt: 'None',
    });
    const once = appendEntry(empty, e, TZ);
    if (once.kind !== 'appended') throw new Error(once.kind);
    expect(appendEntry(once.cells, e, TZ)).toEqual({ kind: 'already-there' });
  });

  it('keeps text that looks like a formula as text, and refuses an entry that would overfill a cell', () => {
    const formula = appendEntry(
      { ...empty, shareWithSlt: '=IMPORTRANGE("a","b")' },
      entry({ technologyIssues: 'None', inappropriateBehaviour: 'None', shareWithSlt: 'ok' }),
      TZ,
    );
    if (formula.kind !== 'appended') throw new Error(formula.kind);
    expect(formula.cells.shareWithSlt.startsWith(`'=IMPORTRANGE`)).toBe(true);
    expect(
      appendEntry(
        { ...empty, shareWithSlt: 'x'.repeat(MAX_LOG_CELL - 10) },
        entry({ shareWithSlt: 'more' }),
        TZ,
      ),
    ).toEqual({ kind: 'full' });
  });

  it('refuses an entry for a lesson that does not exist, and lets one that may have left the store be checked', () => {
    const lesson = { teacher: TEACHER, secondStaff: SECOND };
    const weekAgo = Date.UTC(2026, 10, 23, 12); // lessons on or before 2026-11-23 may have left
    expect(entryTarget('L-20261123-abc234', lesson, SECOND, weekAgo, 'Europe/London')).toEqual({
      ok: true,
      inStore: true,
    });
    expect(
      entryTarget('L-20261123-abc234', lesson, 'x@school.example', weekAgo, 'Europe/London'),
    ).toMatchObject({ ok: false });
    expect(entryTarget('L-20261123-abc234', undefined, TEACHER, weekAgo, 'Europe/London')).toEqual({
      ok: true,
      inStore: false,
    });
    for (const id of ['L-20261124-abc234', 'garbage', '', 'L-2026112-abc234'])
      expect(entryTarget(id, undefined, TEACHER, weekAgo, 'Europe/London')).toEqual({
        ok: false,
        message: 'That lesson could not be found, so there is no log to write to.',
      });
  });
});
