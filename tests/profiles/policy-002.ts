// Ash Lea School, Policy for Use of Live Video, as the Settings sheet SLT would fill in.

export const POLICY_002: Record<string, string> = {
  schoolName: 'Ash Lea School',
  // "A member of SLT should be informed of when video meetings have been scheduled": told, not
  // asked (SLT are emailed of every lesson scheduled).
  approvalRequired: 'no',
  // "Meetings should be done no more than once a week and during normal school hours"
  lessonStartMinute: '09:00',
  lessonEndMinute: '15:00',
  lessonHoursRule: 'refuse',
  lessonDaysRule: 'refuse',
  maxLessonsPerClassPerWeek: '1',
  maxLessonsPerClassPerWeekRule: 'refuse',
  // "Live classes should be kept to a reasonable length of time"; "The live session should not
  // too long"
  maxLessonMinutes: '30',
  maxLessonMinutesRule: 'refuse',
  // "During group sessions, at least 2 members of school staff should be present."
  secondStaffRule: 'refuse',
  // "Waiting Room should be enabled"; "'Screen sharing' should be disabled."
  accessType: 'RESTRICTED',
};
