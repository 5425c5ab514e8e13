// R11, R12, R16, R25: which lessons Meet records, decided per lesson when its room is made
// (the space's artifactConfig.recordingConfig.autoRecordingGeneration), so one product fits
// policy 000 (everything recorded, and always when one adult is alone) and policy 001
// (group lessons are not recorded; a 1:1 is).

import type { LessonBase } from './lesson';
import type { RoomSettings } from './ports';
import type { SchoolSettings } from './settings';

type RecordingSettings = Pick<SchoolSettings, 'recording' | 'recordWhenOneStaff'>;
type LessonFacts = Pick<LessonBase, 'secondStaff' | 'pupilsOnRoster'>;

/**
 * A class of one pupil. A lesson stored before the roster was counted is not known to be
 * one (null): the rules below then take the safer side.
 */
export function isOneToOne(lesson: Pick<LessonBase, 'pupilsOnRoster'>): boolean | null {
  const pupils = lesson.pupilsOnRoster;
  return pupils === undefined || pupils === null ? null : pupils === 1;
}

/** Whether the lesson's room records automatically. */
export function recordsLesson(s: RecordingSettings, lesson: LessonFacts): boolean {
  const oneToOne = isOneToOne(lesson);
  // Not knowing whether it is a 1:1 is answered by recording: a 1:1 must be (R12, 001).
  if (oneToOne !== false) return true;
  // R11, policy 000: one member of staff alone must be recorded.
  if (s.recordWhenOneStaff && lesson.secondStaff === null) return true;
  switch (s.recording) {
    case 'always':
      return true;
    case 'when-one-staff':
      return lesson.secondStaff === null;
    case 'never-for-groups':
      // Policy 001: "The staff member will not record group or whole class meetings."
      return false;
  }
}

/** The room a lesson gets (R8, R9, R16, R25). */
export function roomSettingsFor(
  s: RecordingSettings &
    Pick<SchoolSettings, 'accessType'> &
    Partial<Pick<SchoolSettings, 'pupilsJoinAsViewers'>>,
  lesson: LessonFacts,
): RoomSettings {
  const room: RoomSettings = { accessType: s.accessType, autoRecording: recordsLesson(s, lesson) };
  // R9, policy 001 "mute cameras and microphones on entry": the school may make pupils viewers.
  if (s.pupilsJoinAsViewers) room.pupilsJoinAsViewers = true;
  return room;
}
