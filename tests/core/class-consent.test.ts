// R13, before the lesson: what the teacher's card says of the class's consent.

import { consentNotes } from '../../src/core/class-consent';

describe('the consent section of the teacher’s lesson card (R13)', () => {
  it('names the pupils not on the register, the first 30 and how many more, each name cut to a line', () => {
    const names = Array.from({ length: 32 }, (_, i) => `Pupil ${i + 1}`);
    names[0] = `=IMPORTRANGE("x") ${'A'.repeat(20_000)}`;
    const [note] = consentNotes({ pupils: 40, without: names });
    expect(note).toMatch(/^32 of the 40 pupils of the class are not on the consent register: /);
    expect(note).toContain('Pupil 30 and 2 more.');
    expect(note).not.toContain('Pupil 31');
    expect(note!.length).toBeLessThan(700);
    // 60 characters with the ellipsis; a card shows text, so the formula stays words.
    expect(note).toContain(`: ${names[0]!.slice(0, 59)}…, Pupil 2,`);
  });

  it('says so when every pupil is on it, when none is, and when the class list could not be read', () => {
    expect(consentNotes({ pupils: 25, without: [] })).toEqual([
      'Every pupil of the class (25) is on the consent register.',
    ]);
    expect(consentNotes({ pupils: 2, without: ['Ann', 'Ben'] })[0]).toMatch(
      /^No pupil of the class \(2\) is on the consent register\. Ask the office/,
    );
    expect(consentNotes({ pupils: 2, without: ['Ann'] })[0]).toMatch(
      /^1 of the 2 pupils of the class is not on the consent register: Ann\./,
    );
    expect(consentNotes('unread')[0]).toMatch(/consent could not be checked/);
    expect(consentNotes(null)).toEqual([]);
  });
});
