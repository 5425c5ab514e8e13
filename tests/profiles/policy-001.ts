// Werrington Primary School, Live Video Conferencing with Pupils Protocol, as the Settings
// sheet SLT would fill in.

export const POLICY_001: Record<string, string> = {
  schoolName: 'Werrington Primary School',
  // Silent on approval: the staff member arranges the call.
  approvalRequired: 'no',
  // "Most meetings will be in groups or whole class. The staff member will not record group or
  // whole class meetings." A 1:1 is recorded (the protocol records one when the parent cannot
  // stay; the product records every 1:1, the safer reading).
  recording: 'never-for-groups',
  // Silent on a second adult, so a lone teacher's group lesson is not recorded either: the two
  // cannot both hold (the product refuses recordWhenOneStaff yes with never-for-groups).
  recordWhenOneStaff: 'no',
  secondStaffRule: 'flag',
  // "Some meetings will be 1-to-1 e.g. to hear individual readers, to provide pastoral support"
  allowOneToOne: 'yes',
  // "If the meeting is 1-to-1 the staff member will request that the parent stays in the same
  // room whilst the call takes place."
  oneToOneParentPresent: 'yes',
  // "The 'waiting room / lobby' function will be enabled"
  accessType: 'RESTRICTED',
  // "The school will mute cameras and microphones on entry."
  pupilsJoinAsViewers: 'yes',
  // "In the unlikely event of a security breach ... the member of staff will end the video call
  // for all children and immediately inform the DSL."
  outsiderAction: 'end',
  // "Parents and pupils will not take screen shots during the session."
  codeOfConduct:
    'Join from a common area such as the lounge or kitchen, not a bedroom, and think about what is behind you. Everyone in the household is appropriately dressed and uses appropriate language. A parent stays in the same room for the start of the call and throughout. No screenshots. Keep the link private. Any worry: tell the headteacher.',
};
