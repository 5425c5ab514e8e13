// R11, R12, R16, R25: which lessons Meet records, per lesson, as the school's policy says.

import { isOneToOne, recordsLesson, roomSettingsFor } from '../../src/core/recording-policy';
import type { RecordingMode, SchoolSettings } from '../../src/core/settings';
import { SECOND, SETTINGS } from './lesson-factory';

const settings = (recording: RecordingMode, recordWhenOneStaff: boolean): SchoolSettings => ({
  ...SETTINGS,
  recording,
  recordWhenOneStaff,
});
const group = { secondStaff: SECOND, pupilsOnRoster: 28 };
const groupAlone = { secondStaff: null, pupilsOnRoster: 28 };
const oneToOne = { secondStaff: SECOND, pupilsOnRoster: 1 };

describe('policy 000: recording always, and always when one adult is alone', () => {
  const s = settings('always', true);
  it('records a group lesson with two adults, one with a lone teacher, and a 1:1', () => {
    expect([group, groupAlone, oneToOne].map((l) => recordsLesson(s, l))).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('recording only when one member of staff is present', () => {
  const s = settings('when-one-staff', true);
  it('does not record a group lesson with a second adult named', () => {
    expect(recordsLesson(s, group)).toBe(false);
  });
  it('records a lesson scheduled without a second adult (R11)', () => {
    expect(recordsLesson(s, groupAlone)).toBe(true);
  });
  it('records a 1:1 even with a second adult (R12: an allowed 1:1 is recorded)', () => {
    expect(recordsLesson(s, oneToOne)).toBe(true);
  });
});

describe('policy 001: group lessons are never recorded, a 1:1 is', () => {
  const s = settings('never-for-groups', false);
  it('does not record a lesson for a class of more than one pupil, even with one adult', () => {
    expect(recordsLesson(s, group)).toBe(false);
    expect(recordsLesson(s, groupAlone)).toBe(false);
    expect(recordsLesson(s, { secondStaff: null, pupilsOnRoster: 2 })).toBe(false);
  });
  it('records a 1:1 (001: recorded when a parent cannot stay; recorded here always)', () => {
    expect(recordsLesson(s, oneToOne)).toBe(true);
  });
  it('gives the room Meet’s automatic recording off for a group and on for a 1:1', () => {
    expect(roomSettingsFor(s, group)).toEqual({ accessType: 'RESTRICTED', autoRecording: false });
    expect(roomSettingsFor(s, oneToOne)).toEqual({ accessType: 'RESTRICTED', autoRecording: true });
  });
});

describe('a lesson stored before the roster was counted', () => {
  it('is not known to be a 1:1, and is recorded, the safer side', () => {
    const old = { secondStaff: SECOND };
    expect(isOneToOne({})).toBeNull();
    expect(recordsLesson(settings('never-for-groups', false), old)).toBe(true);
    expect(recordsLesson(settings('when-one-staff', true), { ...old, pupilsOnRoster: null })).toBe(
      true,
    );
  });
  it('a class with nobody on its roster is not a 1:1', () => {
    expect(isOneToOne({ pupilsOnRoster: 0 })).toBe(false);
    expect(isOneToOne({ pupilsOnRoster: 1 })).toBe(true);
  });
});
