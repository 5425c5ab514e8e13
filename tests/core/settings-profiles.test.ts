// R25: the five policies' settings profiles (tests/profiles/) are valid Settings sheets, and
// each holds the rule that makes its school different.

import { parseSettings, type SchoolSettings } from '../../src/core/settings';
import { PROFILES } from '../profiles/profiles';

/** A profile as a school would apply it: with someone to approve lessons. */
function applied(policy: keyof typeof PROFILES): SchoolSettings {
  const result = parseSettings({ ...PROFILES[policy], approvers: 'head@kenilworth.sch.uk' });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join(' '));
  return result.settings;
}

describe('the policy profiles', () => {
  it.each(Object.keys(PROFILES) as (keyof typeof PROFILES)[])(
    'policy %s is a valid Settings sheet',
    (policy) => {
      expect(applied(policy).schoolName).toBe(PROFILES[policy].schoolName);
    },
  );

  it('000: lesson hours, days and 30 minutes are rules; every lesson is recorded', () => {
    const s = applied('000');
    expect([s.lessonHoursRule, s.lessonDaysRule, s.maxLessonMinutesRule]).toEqual([
      'refuse',
      'refuse',
      'refuse',
    ]);
    expect([s.maxLessonMinutes, s.recording, s.recordWhenOneStaff]).toEqual([30, 'always', true]);
    expect([s.approvalRequired, s.allowOneToOne, s.outsiderAction]).toEqual([true, false, 'end']);
  });

  it('001: group lessons are not recorded, 1:1s are allowed with a parent in the room', () => {
    const s = applied('001');
    expect([s.recording, s.recordWhenOneStaff]).toEqual(['never-for-groups', false]);
    expect([s.allowOneToOne, s.oneToOneParentPresent, s.pupilsJoinAsViewers]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('002: school hours, once a week and two staff are rules', () => {
    const s = applied('002');
    expect([s.lessonStartMinute, s.lessonEndMinute]).toEqual([9 * 60, 15 * 60]);
    expect([s.maxLessonsPerClassPerWeek, s.maxLessonsPerClassPerWeekRule]).toEqual([1, 'refuse']);
    expect([s.lessonHoursRule, s.secondStaffRule, s.approvalRequired]).toEqual([
      'refuse',
      'refuse',
      false,
    ]);
  });

  it('003: no 1:1s, and another member of the school team in every lesson', () => {
    const s = applied('003');
    expect([s.allowOneToOne, s.secondStaffRule, s.pupilsJoinAsViewers]).toEqual([
      false,
      'refuse',
      true,
    ]);
  });

  it('004: 000’s video policy (its Appendix L), recordings deleted for good after 30 days', () => {
    const s = applied('004');
    expect({ ...s, retentionDays: 0, purgeMode: 'trash', adminEmails: [], schoolName: '' }).toEqual(
      {
        ...applied('000'),
        retentionDays: 0,
        purgeMode: 'trash',
        adminEmails: [],
        schoolName: '',
      },
    );
    expect([s.retentionDays, s.purgeMode, s.adminEmails]).toEqual([
      30,
      'delete',
      ['head@kenilworth.sch.uk'],
    ]);
  });

  it('the contradiction a profile could hold is refused: 001’s recording with lone staff recorded', () => {
    const result = parseSettings({ ...PROFILES['001'], recordWhenOneStaff: 'yes' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.key)).toEqual(['recordWhenOneStaff']);
  });
});
