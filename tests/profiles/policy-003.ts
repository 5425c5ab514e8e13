// All Saints Schools Trust, Online Meeting Software Policy 2020-2024, as the Settings sheet
// SLT would fill in.

export const POLICY_003: Record<string, string> = {
  schoolName: 'All Saints Schools Trust',
  approvalRequired: 'no',
  // "No 1:1 lessons should take place, groups only. If catch-up teaching is recommended in the
  // future, then the staff member should be accompanied by another member of the school team."
  allowOneToOne: 'no',
  secondStaffRule: 'refuse',
  // NSPCC: "Use virtual waiting rooms"; "Allow only recognised users to join."
  accessType: 'RESTRICTED',
  // NSPCC: "Hosts can block unwanted ... noise/gestures ... by muting them or switching video
  // off. Some apps allow you to have these off on default as people join."
  pupilsJoinAsViewers: 'yes',
  // NSPCC: "teachers should remain on the line with students throughout the call"
  staffAbsentAlertSeconds: '60',
  staffAbsentEndMinutes: '3',
  // "The teacher may feel that is necessary to end the session at this point."
  outsiderAction: 'end',
};
