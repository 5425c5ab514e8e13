// R15: what an incident report must hold before anything is written, and how it is logged.

import { termOf } from '../../src/core/dashboard';
import {
  checkIncident,
  INCIDENT_COLUMNS,
  type IncidentReport,
  incidentRow,
} from '../../src/core/incident';

const input = {
  lessonId: 'L-1',
  reportedBy: 'T@School.org',
  personName: 'Ada',
  personKey: 'ada@school.org',
  role: 'O',
  nature: 'Inappropriate language or behaviour',
  details: 'Swore.',
  action: 'removed',
  at: Date.UTC(2026, 10, 23, 10, 5),
};

describe('an incident report', () => {
  it('lists every problem at once', () => {
    const result = checkIncident({
      ...input,
      personName: ' ',
      nature: 'x',
      details: '',
      action: 'shouted',
      role: '?',
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toHaveLength(5);
  });

  it('is logged in the columns of Appendix K, formula-safe', () => {
    const checked = checkIncident({ ...input, personName: '=HYPERLINK("http://x","y")' });
    if (!checked.ok) throw new Error('refused');
    const report: IncidentReport = {
      ...checked.value,
      id: 'L-1-I1',
      courseId: 'c',
      lessonTitle: 'Phonics',
      recordingHeld: true,
    };
    const row = incidentRow(report, 'Europe/London');
    expect(row).toHaveLength(INCIDENT_COLUMNS.length);
    expect(row[0]).toBe('2026-11-23 10:05');
    expect(row[1]).toBe(`'=HYPERLINK("http://x","y") (O)`);
    expect(row[4]).toMatch(
      /^Removed from the lesson; reported to the DSL at once; lesson recording held/,
    );
  });

  it('counts school terms the English way', () => {
    expect(termOf('2026-11-23').label).toBe('Autumn 2026');
    expect(termOf('2027-02-01')).toEqual({
      label: 'Spring 2027',
      order: termOf('2026-11-23').order + 1,
    });
    expect(termOf('2027-06-01').label).toBe('Summer 2027');
  });
});
