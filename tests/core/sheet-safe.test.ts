// R18, R20: text from pupils, teachers or Google stays text in the log spreadsheet.

import { asText, cleanText, safeCell } from '../../src/core/sheet-safe';

describe('safeCell: nothing written to the log becomes a formula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+44 7700 900123', "'+44 7700 900123"],
    ['-1', "'-1"],
    ['@everyone', "'@everyone"],
  ])('stores %j as the literal text %j', (value, stored) => {
    expect(safeCell(value)).toBe(stored);
  });

  it('keeps a pupil named =IMPORTRANGE(...) as text', () => {
    expect(safeCell('=IMPORTRANGE("https://x","A1:Z")')).toBe(`'=IMPORTRANGE("https://x","A1:Z")`);
  });

  it('keeps a note holding =HYPERLINK as text, not a link', () => {
    expect(safeCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
  });

  it('catches a formula hidden behind control characters', () => {
    expect(safeCell('\u0000=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
  });

  it('leaves ordinary text as it is', () => {
    expect(safeCell('Wifi dropped twice; 3 pupils rejoined')).toBe(
      'Wifi dropped twice; 3 pupils rejoined',
    );
    expect(safeCell("O'Neill")).toBe("O'Neill");
    expect(safeCell('a=b')).toBe('a=b');
  });
});

describe('asText', () => {
  it('prefixes an apostrophe to text starting with a tab or a carriage return', () => {
    expect(asText('\t=1')).toBe("'\t=1");
    expect(asText('\rx')).toBe("'\rx");
  });

  it('leaves text that starts with anything else alone', () => {
    expect(asText('x=1')).toBe('x=1');
    expect(asText('')).toBe('');
  });
});

describe('cleanText', () => {
  it('strips control characters but keeps tabs and line breaks inside the text', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe')).toBe('abcde');
    expect(cleanText('line one\nline\ttwo')).toBe('line one\nline\ttwo');
  });

  it('trims surrounding space, so a leading tab cannot smuggle a formula past asText', () => {
    expect(cleanText('  \t hello \n')).toBe('hello');
    expect(safeCell('\t=1+1')).toBe("'=1+1");
  });

  it('caps long text at 2000 characters, ending with an ellipsis', () => {
    const long = 'x'.repeat(5000);
    const capped = cleanText(long);
    expect(capped).toHaveLength(2000);
    expect(capped.endsWith('…')).toBe(true);
    expect(cleanText('x'.repeat(2000))).toBe('x'.repeat(2000));
  });

  it('takes a tighter cap when asked', () => {
    expect(safeCell('abcdefghij', 5)).toBe('abcd…');
  });
});
