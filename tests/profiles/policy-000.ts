// Kenilworth Primary School, Online Video Conferencing Policy (January 2021), as the
// Settings sheet SLT would fill in. The product's defaults come from this policy; what a
// school must still choose is written out, with the policy's words.

export const POLICY_000: Record<string, string> = {
  schoolName: 'Kenilworth Primary School',
  // "arranged in advance and with the agreement of the Head Teacher or their nominated staff member"
  approvalRequired: 'yes',
  // "should take place during normal lesson times"
  lessonHoursRule: 'refuse',
  lessonDaysRule: 'refuse',
  // "kept to a reasonable length of time (no longer than 30 minutes)"
  maxLessonMinutes: '30',
  maxLessonMinutesRule: 'refuse',
  // "supported by an additional member of staff ... They must also be recorded where only one
  // staff member is present for any reason": a lone teacher is allowed, flagged and recorded.
  secondStaffRule: 'flag',
  // "Live video sessions will be recorded and saved for up to 30 days"
  recording: 'always',
  recordWhenOneStaff: 'yes',
  retentionDays: '30',
  // "one to one sessions are not used"
  allowOneToOne: 'no',
  // "Towards the end of the meeting, the teacher should delete the meeting link in google classroom."
  withdrawBeforeEndMinutes: '5',
  // "If the uninvited attendee is from outside of the school community then the session will be
  // ended immediately"
  outsiderAction: 'end',
  // "the teacher must be the last person to leave the meeting"
  staffAbsentAlertSeconds: '60',
  staffAbsentEndMinutes: '3',
};
