// R15, R26: what an incident report must hold before anything is written, and how it is
// logged in the shape of policy 004's Appendices I, J and K.

import { termOf } from '../../src/core/dashboard';
import {
  checkIncident,
  INCIDENT_COLUMNS,
  INCIDENT_STAFF_COLUMNS,
  INCIDENT_TYPES,
  type IncidentReport,
  incidentEmail,
  incidentRow,
  TO_DECIDE,
} from '../../src/core/incident';

const input = {
  lessonId: 'L-1',
  reportedBy: 'T@School.org',
  personName: 'Ada',
  personKey: 'ada@school.org',
  role: 'O',
  types: ['Inappropriate language or behaviour in the lesson', 'Grooming'],
  where: 'outside',
  details: 'Swore.',
  action: 'removed',
  at: Date.UTC(2026, 10, 23, 10, 5),
};

function reportOf(overrides: Partial<IncidentReport> = {}): IncidentReport {
  const checked = checkIncident(input);
  if (!checked.ok) throw new Error('refused');
  return {
    ...checked.value,
    id: 'L-1-I1',
    courseId: 'c',
    lessonTitle: 'Phonics',
    reporterRole: 'second-adult',
    recordingHeld: true,
    dslEmailed: true,
    ...overrides,
  };
}

const cell = (row: (string | number)[], column: (typeof INCIDENT_COLUMNS)[number]) =>
  row[INCIDENT_COLUMNS.indexOf(column)];

describe('an incident report', () => {
  it('lists every problem at once, choosing nothing for the reporter', () => {
    const result = checkIncident({
      ...input,
      personName: ' ',
      types: [],
      details: '',
      action: '',
      role: '',
      where: '',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'Say who was involved: choose a pupil or type a name.',
      'Say whether the person was the target or the offender.',
      'Choose what kind of incident it was: tick every type that applies.',
      'Describe what happened (what, when, how, and any evidence).',
      'Say where it took place: inside or outside school.',
      'Choose the action you took.',
    ]);
  });

  it('takes only the types on Appendix I’s checklist, as many as apply, in the checklist’s order', () => {
    expect(checkIncident({ ...input, types: ['Shouting'] }).ok).toBe(false);
    const checked = checkIncident({ ...input, types: ['Grooming', 'Online gambling', 'Grooming'] });
    expect(checked.ok && checked.value.types).toEqual(['Online gambling', 'Grooming']);
    expect(INCIDENT_TYPES).toContain('Sexting/Child abuse images');
    expect(INCIDENT_TYPES).toContain('Accessing and/or sharing terrorist material');
  });

  it('is logged with Appendix K first, then Appendix I/J, formula-safe, the DSL’s fields still to decide', () => {
    const row = incidentRow(
      reportOf({ personName: '=HYPERLINK("http://x","y")' }),
      'Europe/London',
    );
    expect(row).toHaveLength(INCIDENT_COLUMNS.length);
    expect(INCIDENT_COLUMNS.slice(0, 5)).toEqual([
      'Date & time',
      'Name of pupil or staff member (T = target, O = offender)',
      'Nature of incident(s)',
      'Details of incident (including evidence)',
      'Outcome including action taken',
    ]);
    expect(row[0]).toBe('2026-11-23 10:05');
    expect(row[1]).toBe(`'=HYPERLINK("http://x","y") (O)`);
    expect(row[2]).toBe('Grooming\nInappropriate language or behaviour in the lesson');
    expect(row[4]).toMatch(
      /^Removed from the lesson; reported to the DSL at once; lesson recording held/,
    );
    expect(cell(row, 'Reported By')).toBe('t@school.org');
    expect(cell(row, 'Reporter Role')).toBe('Second adult in the lesson');
    expect(cell(row, 'Where')).toBe('Outside school (the live lesson, pupils at home)');
    expect(cell(row, 'Immediate Action Taken')).toBe('Removed from the lesson');
    expect(cell(row, 'Reported To DSL')).toBe('emailed at 2026-11-23 10:05');
    for (const later of [
      'Referral Made To Safeguarding',
      'Reported To Police/CEOP',
      'Parents/Carers Informed',
    ] as const)
      expect(cell(row, later)).toBe(TO_DECIDE);
    expect(cell(row, 'Outcome (DSL)')).toBe('');
    expect(cell(row, 'Status')).toBe('open');
  });

  it('says plainly in its row when the email to the DSL did not leave', () => {
    const row = incidentRow(reportOf({ dslEmailed: false }), 'Europe/London');
    expect(String(cell(row, 'Reported To DSL'))).toMatch(/^NOT emailed/);
    expect(row[4]).toMatch(/the email to the DSL failed/);
  });

  it('leaves Status, notes and Appendix J’s later fields to SLT and the DSL, from dropdowns', () => {
    expect(INCIDENT_STAFF_COLUMNS).toEqual({
      Status: ['open', 'in progress', 'closed'],
      'SLT Notes': null,
      'Referral Made To Safeguarding': [TO_DECIDE, 'yes', 'no'],
      'Reported To Police/CEOP': [TO_DECIDE, 'yes', 'no'],
      'Parents/Carers Informed': [TO_DECIDE, 'yes', 'no'],
      'Outcome (DSL)': null,
    });
  });

  it('emails the DSL what is about to happen, since nothing is written before the email', () => {
    const email = incidentEmail(reportOf({ recordingHeld: false }), 'Europe/London');
    expect(email.subject).toBe('Safeguarding incident in a live lesson: Grooming (+1)');
    expect(email.body).toMatch(/Second adult in the lesson/);
    expect(email.body).toMatch(/Where: Outside school/);
    expect(email.body).toMatch(/being put on hold/);
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
