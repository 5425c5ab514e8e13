// Display names come from whoever joins a call: one line, cut, before anything stores them.

import {
  cleanDisplayName,
  MAX_DISPLAY_NAME,
  participantKey,
  participantTag,
} from '../../src/core/participants';
import { person } from './lesson-factory';

describe('display names from Meet', () => {
  it('keeps an ordinary name as it is', () => {
    expect(cleanDisplayName('Amira Khan', 'Guest')).toBe('Amira Khan');
  });

  it('puts a name with newlines and tabs on one line', () => {
    expect(cleanDisplayName('Line one\nLine two\r\n\tthree', 'Guest')).toBe(
      'Line one Line two three',
    );
  });

  it('cuts a 20,000-character name and says so in the name', () => {
    const cut = cleanDisplayName('A'.repeat(20_000), 'Guest');
    expect(cut).toBe(`${'A'.repeat(MAX_DISPLAY_NAME)}… (name cut from 20000 characters)`);
  });

  it('names someone who gave no name', () => {
    expect(cleanDisplayName('  \n ', 'Guest')).toBe('Guest');
    expect(cleanDisplayName(undefined, 'Phone')).toBe('Phone');
  });
});

describe('telling people apart', () => {
  it('knows an account by its id, a guest by their participant record', () => {
    expect(participantKey(person({ userId: '7' }))).toBe('users/7');
    const a = person({ kind: 'anonymous', userId: null, displayName: 'Guest', id: 'c/p/1' });
    const b = { ...a, id: 'c/p/2' };
    expect(participantKey(a)).not.toBe(participantKey(b));
    expect(participantTag(a)).not.toBe(participantTag(b));
  });
});
