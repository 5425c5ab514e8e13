// Values written to the log spreadsheet from users or from Google (a pupil named
// `=IMPORTRANGE(...)`, a teacher's note starting with "+") must stay text. Sheets turns a
// string that starts with "=" into a formula; spreadsheet exports treat "+", "-", "@"
// the same way. A leading apostrophe makes Sheets store the rest as literal text.

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell value that Sheets will store as the literal text given. */
export function asText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Plain-text cell content: strips control characters and caps the length (a cell holds 50,000). */
export function cleanText(value: string, max = 2000): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const cleaned = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** Both: what every user- or Google-supplied string goes through before a sheet. */
export function safeCell(value: string, max?: number): string {
  return asText(cleanText(value, max));
}
