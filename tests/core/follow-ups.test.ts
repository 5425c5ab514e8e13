// R23: a removed pupil's mark, on the cards of every class they are in, and cleared by SLT in
// the Follow-ups sheet (with who and when) or from the sidebar.

import {
  type ClearedFollowUp,
  FOLLOW_UP_COLUMNS,
  followUpsFor,
  mayClear,
  planFollowUpSheet,
} from '../../src/core/follow-ups';
import type { FollowUp } from '../../src/core/incident';
import { min, SETTINGS, START } from './lesson-factory';

const MARK: FollowUp = {
  incidentId: 'L-20261123-abc234-I1',
  lessonId: 'L-20261123-abc234',
  courseId: 'course-7b',
  personKey: 'ben@school.example',
  personName: 'Ben Jones',
  at: START + min(10),
  by: 'ms.teacher@school.example',
};
const col = (name: (typeof FOLLOW_UP_COLUMNS)[number]) => FOLLOW_UP_COLUMNS.indexOf(name);

describe('which cards list a mark (R23)', () => {
  it('lists it on the class it was made in, and on any class whose roster has the pupil', () => {
    expect(followUpsFor([MARK], 'course-7b', null)).toEqual([MARK]);
    expect(followUpsFor([MARK], 'course-8c', null)).toEqual([]);
    const roster = [{ userId: '42', email: 'BEN@school.example' }];
    expect(followUpsFor([MARK], 'course-8c', roster)).toEqual([MARK]);
    const byId = { ...MARK, personKey: 'id:42' };
    expect(followUpsFor([byId], 'course-8c', [{ userId: '42', email: null }])).toEqual([byId]);
  });
});

describe('who may clear a mark', () => {
  it('is SLT and the DSL, by the emails the settings name', () => {
    expect(mayClear(SETTINGS, 'SLT@school.example')).toBe(true);
    expect(mayClear(SETTINGS, 'dsl@school.example')).toBe(true);
    expect(mayClear(SETTINGS, 'ms.teacher@school.example')).toBe(false);
    expect(mayClear(SETTINGS, '')).toBe(false);
  });
});

describe('the Follow-ups sheet', () => {
  const now = START + 3 * 60 * min(1);

  it('lists a new mark as open', () => {
    const plan = planFollowUpSheet([], [MARK], [], SETTINGS, now);
    expect(plan.clear).toEqual([]);
    const row = plan.rows.get(MARK.incidentId)!;
    expect(row[col('Pupil')]).toBe('Ben Jones');
    expect(row[col('Status')]).toBe('open');
    expect(row[col('Removed On')]).toBe('2026-11-23');
  });

  it('clears a mark SLT set to cleared with their email, writing when', () => {
    const sheet = [
      { 'Incident ID': MARK.incidentId, Status: 'Cleared ', 'Cleared By': 'SLT@school.example' },
    ];
    const plan = planFollowUpSheet(sheet, [MARK], [], SETTINGS, now);
    expect(plan.clear).toEqual([{ incidentId: MARK.incidentId, by: 'slt@school.example' }]);
    const row = plan.rows.get(MARK.incidentId)!;
    expect(row[col('Status')]).toBe('cleared');
    expect(row[col('Cleared At')]).toBe('2026-11-23 13:00');
  });

  it('keeps the mark, and says why, when Cleared By is not SLT or the DSL', () => {
    const sheet = [{ 'Incident ID': MARK.incidentId, Status: 'cleared', 'Cleared By': 'someone' }];
    const plan = planFollowUpSheet(sheet, [MARK], [], SETTINGS, now);
    expect(plan.clear).toEqual([]);
    const row = plan.rows.get(MARK.incidentId)!;
    expect(row[col('Status')]).toBe('open');
    expect(String(row[col('Check')])).toMatch(/^Not cleared: put the school email/);
  });

  it('writes a mark cleared from the sidebar with who and when', () => {
    const cleared: ClearedFollowUp = {
      ...MARK,
      clearedBy: 'dsl@school.example',
      clearedAt: START + min(90),
      how: 'sidebar',
    };
    const row = planFollowUpSheet([], [], [cleared], SETTINGS, now).rows.get(MARK.incidentId)!;
    expect([row[col('Status')], row[col('Cleared By')], row[col('Cleared At')]]).toEqual([
      'cleared',
      'dsl@school.example',
      '2026-11-23 11:30',
    ]);
  });

  it('closes the row of a mark closed with its incident', () => {
    const sheet = [{ 'Incident ID': 'gone-I1', Pupil: 'Cara Lee', Status: 'open' }];
    const row = planFollowUpSheet(sheet, [], [], SETTINGS, now).rows.get('gone-I1')!;
    expect(row[col('Status')]).toBe('closed');
    expect(row[col('Pupil')]).toBe('Cara Lee');
  });

  it('leaves rows that need nothing alone, and keeps names as text', () => {
    const sheet = [{ 'Incident ID': MARK.incidentId, Status: 'open' }];
    expect(planFollowUpSheet(sheet, [MARK], [], SETTINGS, now).rows.size).toBe(0);
    const formula = { ...MARK, personName: '=IMPORTRANGE("x","y")' };
    const row = planFollowUpSheet([], [formula], [], SETTINGS, now).rows.get(MARK.incidentId)!;
    expect(row[col('Pupil')]).toBe(`'=IMPORTRANGE("x","y")`);
  });
});
