// Appendix A of policy 000: the teacher's own entries, kept whole and safe for the log.

import {
  checkTeacherLog,
  MAX_LOG_FIELD,
  type TeacherLogEntry,
  teacherLogCells,
} from '../../src/core/teacher-log';
import { START, TEACHER } from './lesson-factory';

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
