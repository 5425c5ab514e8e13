// The small HTML subset card text widgets accept, in one place, so the driver's
// unescaped-markup detector and the HTML renderer agree on what is markup and what is data.
// doc: https://developers.google.com/workspace/add-ons/concepts/widgets#text_formatting
// (bold <b>, italics <i>, underline <u>, strikethrough <s>, font colour <font color="">,
// hyperlink <a href="">, newline <br>).

export type MarkupToken =
  | { type: 'text'; raw: string }
  | {
      type: 'tag';
      raw: string;
      name: string;
      closing: boolean;
      attr?: { name: string; value: string };
    }
  | { type: 'bad'; raw: string; reason: string };

const SIMPLE = new Set(['b', 'i', 'u', 's', 'br']);
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]+)$/i;
const SAFE_URL = /^(https?:\/\/|mailto:)[^\s"'<>]*$/i;

/** Recognises one allowed tag at the start of `rest`; otherwise explains why it is not one. */
function readTag(rest: string): MarkupToken {
  const end = rest.indexOf('>');
  if (end < 0) {
    const start = /^<\/?[a-z!?][a-z0-9-]*/i.exec(rest)?.[0] ?? '<';
    return { type: 'bad', raw: start, reason: 'unclosed tag' };
  }
  const raw = rest.slice(0, end + 1);
  const closing = /^<\/\s*([a-z]+)\s*>$/i.exec(raw);
  if (closing) {
    const name = closing[1]!.toLowerCase();
    if (SIMPLE.has(name) || name === 'font' || name === 'a') {
      return { type: 'tag', raw, name, closing: true };
    }
    return { type: 'bad', raw, reason: `<${name}> is not in the card HTML subset` };
  }
  const simple = /^<\s*([a-z]+)\s*\/?\s*>$/i.exec(raw);
  if (simple && SIMPLE.has(simple[1]!.toLowerCase())) {
    return { type: 'tag', raw, name: simple[1]!.toLowerCase(), closing: false };
  }
  const withAttr = /^<\s*(font|a)\s+([a-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*>$/i.exec(raw);
  if (withAttr) {
    const name = withAttr[1]!.toLowerCase();
    const attrName = withAttr[2]!.toLowerCase();
    const value = withAttr[3] ?? withAttr[4] ?? '';
    if (name === 'font' && attrName === 'color' && COLOR.test(value)) {
      return { type: 'tag', raw, name, closing: false, attr: { name: attrName, value } };
    }
    if (name === 'a' && attrName === 'href' && SAFE_URL.test(value)) {
      return { type: 'tag', raw, name, closing: false, attr: { name: attrName, value } };
    }
    return { type: 'bad', raw, reason: `unsafe or unsupported attribute on <${name}>` };
  }
  const tagName = /^<\/?\s*([a-z!?][a-z0-9-]*)/i.exec(raw)?.[1]?.toLowerCase() ?? '?';
  return { type: 'bad', raw, reason: `<${tagName}> is not in the card HTML subset` };
}

/**
 * Splits card text into text, allowed tags, and markup outside the subset. A `<` only starts
 * markup when a letter, `/`, `!` or `?` follows (so "a < b" or "<3" stay text, as browsers do).
 */
export function tokenizeMarkup(text: string): MarkupToken[] {
  const tokens: MarkupToken[] = [];
  let textStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '<' && /[a-z/!?]/i.test(text[i + 1] ?? '')) {
      if (i > textStart) tokens.push({ type: 'text', raw: text.slice(textStart, i) });
      const token = readTag(text.slice(i));
      tokens.push(token);
      i += token.raw.length;
      textStart = i;
    } else {
      i += 1;
    }
  }
  if (textStart < text.length) tokens.push({ type: 'text', raw: text.slice(textStart) });
  return tokens;
}

const ENTITY = /^&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Escapes text for HTML, keeping entities the product already wrote (e.g. `&lt;`) intact. */
export function escapeKeepingEntities(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '&' && ENTITY.test(text.slice(i))) out += '&';
    else out += escapeHtml(c);
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** What a reader sees of card text: tags gone, `<br>` a newline, entities decoded. */
export function visibleText(text: string): string {
  return tokenizeMarkup(text)
    .map((t) => {
      if (t.type === 'tag') return t.name === 'br' ? '\n' : '';
      if (t.type === 'bad') return t.reason === 'unclosed tag' ? t.raw : '';
      return t.raw;
    })
    .join('')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, (whole, body: string) => {
      if (body[0] === '#') {
        const code =
          body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return NAMED[body.toLowerCase()] ?? whole;
    });
}
