// The `q` search language of Drive's files.list, parsed once into a predicate so a
// list over ten thousand files stays a plain linear filter.
// doc: https://developers.google.com/workspace/drive/api/guides/ref-search-terms
// doc: https://developers.google.com/workspace/drive/api/guides/search-files

/** A `q` that Drive would reject; the service answers 400 "Invalid Value" (location `q`). */
export class DriveQueryError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'DriveQueryError';
  }
}

/** A valid query term the simulation does not model: fail loudly instead of pretending. */
export class DriveQueryUnsupported extends Error {
  constructor(term: string) {
    super(`SimDrive: the q term "${term}" is valid for Drive but not simulated`);
    this.name = 'DriveQueryUnsupported';
  }
}

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains';
type CollectionField = 'parents' | 'owners' | 'writers' | 'readers';
type StringField = 'name' | 'mimeType';
type TimeField = 'createdTime' | 'modifiedTime';
type BoolField = 'trashed' | 'starred';

export type QueryNode =
  | { kind: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { kind: 'not'; inner: QueryNode }
  | { kind: 'in'; value: string; field: CollectionField }
  | { kind: 'string'; field: StringField; op: Op; value: string }
  | { kind: 'time'; field: TimeField; op: Op; value: number }
  | { kind: 'bool'; field: BoolField; op: Op; value: boolean }
  | { kind: 'has'; field: 'properties' | 'appProperties'; key: string; value: string };

/** What a query reads of a file. */
export interface QueryFile {
  id: string;
  name: string;
  mimeType: string;
  parent: string | undefined;
  createdTime: number;
  modifiedTime: number;
  trashed: boolean;
  starred: boolean;
  properties: Readonly<Record<string, string>>;
  appProperties: Readonly<Record<string, string>>;
}

/** How `'x' in owners|writers|readers` and the `'root'` alias are answered by the service. */
export interface QueryContext {
  resolveId(id: string): string;
  hasRole(file: QueryFile, email: string, atLeast: 'owner' | 'writer' | 'reader'): boolean;
}

// doc: ref-search-terms lists these operators per term.
const STRING_OPS: readonly Op[] = ['contains', '=', '!='];
const TIME_OPS: readonly Op[] = ['<=', '<', '=', '!=', '>', '>='];
const BOOL_OPS: readonly Op[] = ['=', '!='];
/** Valid Drive terms that this simulation does not evaluate. */
const UNSIMULATED = new Set([
  'fullText',
  'viewedByMeTime',
  'sharedWithMe',
  'visibility',
  'shortcutDetails',
  'memberCount',
  'organizerCount',
]);

type Token =
  | { t: 'str'; v: string }
  | { t: 'word'; v: string }
  | { t: 'op'; v: Op }
  | { t: 'punct'; v: '(' | ')' | '{' | '}' };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'" || c === '"') {
      // doc: "Escape single quotes in queries with \', such as 'Valentine\'s Day'".
      let v = '';
      i += 1;
      for (;;) {
        if (i >= q.length) throw new DriveQueryError('unterminated string');
        const d = q[i]!;
        if (d === '\\' && i + 1 < q.length) {
          v += q[i + 1];
          i += 2;
        } else if (d === c) {
          i += 1;
          break;
        } else {
          v += d;
          i += 1;
        }
      }
      tokens.push({ t: 'str', v });
    } else if ('(){}'.includes(c)) {
      tokens.push({ t: 'punct', v: c as '(' | ')' | '{' | '}' });
      i += 1;
    } else if ('=!<>'.includes(c)) {
      const two = q.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if (c === '!') {
        throw new DriveQueryError('unexpected !');
      } else {
        tokens.push({ t: 'op', v: c as Op });
        i += 1;
      }
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      if (!m) throw new DriveQueryError(`unexpected character ${c}`);
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    const node = this.or();
    if (this.pos !== this.tokens.length) throw new DriveQueryError('trailing input');
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw new DriveQueryError('unexpected end of query');
    this.pos += 1;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.t === 'word' && token.v.toLowerCase() === word;
  }

  private expectPunct(v: '(' | ')' | '{' | '}'): void {
    const token = this.next();
    if (token.t !== 'punct' || token.v !== v) throw new DriveQueryError(`expected ${v}`);
  }

  private or(): QueryNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): QueryNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): QueryNode {
    if (this.isWord('not')) {
      this.pos += 1;
      return { kind: 'not', inner: this.unary() };
    }
    const token = this.peek();
    if (token?.t === 'punct' && token.v === '(') {
      this.pos += 1;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    return this.term();
  }

  private term(): QueryNode {
    const first = this.next();
    if (first.t === 'str') {
      // 'value' in parents | owners | writers | readers
      const op = this.next();
      if (op.t !== 'word' || op.v.toLowerCase() !== 'in') throw new DriveQueryError('expected in');
      const field = this.next();
      if (field.t !== 'word') throw new DriveQueryError('expected a collection');
      if (!['parents', 'owners', 'writers', 'readers'].includes(field.v)) {
        throw new DriveQueryError(`unknown collection ${field.v}`);
      }
      return { kind: 'in', value: first.v, field: field.v as CollectionField };
    }
    if (first.t !== 'word') throw new DriveQueryError('expected a query term');
    const field = first.v;
    if (UNSIMULATED.has(field.split('.')[0]!)) throw new DriveQueryUnsupported(field);
    if (field === 'properties' || field === 'appProperties') return this.has(field);
    const opToken = this.next();
    let op: Op;
    if (opToken.t === 'op') op = opToken.v;
    else if (opToken.t === 'word' && opToken.v.toLowerCase() === 'contains') op = 'contains';
    else throw new DriveQueryError('expected an operator');
    const value = this.next();

    if (field === 'name' || field === 'mimeType') {
      if (!STRING_OPS.includes(op) || value.t !== 'str') throw new DriveQueryError(field);
      return { kind: 'string', field, op, value: value.v };
    }
    if (field === 'createdTime' || field === 'modifiedTime') {
      if (!TIME_OPS.includes(op) || value.t !== 'str') throw new DriveQueryError(field);
      return { kind: 'time', field, op, value: parseRfc3339(value.v) };
    }
    if (field === 'trashed' || field === 'starred') {
      const v = value.t === 'word' ? value.v.toLowerCase() : '';
      if (!BOOL_OPS.includes(op) || (v !== 'true' && v !== 'false')) {
        throw new DriveQueryError(field);
      }
      return { kind: 'bool', field, op, value: v === 'true' };
    }
    throw new DriveQueryError(`unknown term ${field}`);
  }

  // doc: appProperties has { key='additionalID' and value='8e8aceg2af2ge72e78' }
  private has(field: 'properties' | 'appProperties'): QueryNode {
    if (!this.isWord('has')) throw new DriveQueryError('expected has');
    this.pos += 1;
    this.expectPunct('{');
    const key = this.pair('key');
    if (!this.isWord('and')) throw new DriveQueryError('expected and');
    this.pos += 1;
    const value = this.pair('value');
    this.expectPunct('}');
    return { kind: 'has', field, key, value };
  }

  private pair(name: 'key' | 'value'): string {
    const word = this.next();
    const op = this.next();
    const value = this.next();
    if (
      word.t !== 'word' ||
      word.v !== name ||
      op.t !== 'op' ||
      op.v !== '=' ||
      value.t !== 'str'
    ) {
      throw new DriveQueryError(`expected ${name}='...'`);
    }
    return value.v;
  }
}

/** doc: "RFC 3339 format, default time zone is UTC, such as 2012-06-04T12:00:00-08:00". */
export function parseRfc3339(text: string): number {
  const m =
    /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:\d{2})?$/i.exec(text);
  if (!m) throw new DriveQueryError(`not an RFC 3339 time: ${text}`);
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`);
  if (Number.isNaN(ms)) throw new DriveQueryError(`not an RFC 3339 time: ${text}`);
  return ms;
}

export function parseDriveQuery(q: string): QueryNode {
  const tokens = tokenize(q);
  if (tokens.length === 0) throw new DriveQueryError('empty query');
  return new Parser(tokens).parse();
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/**
 * doc: "The contains operator only performs prefix matching for a name term ... HelloWorld ...
 * name contains 'Hello' returns a result, but name contains 'World' doesn't." Observed (GAM
 * wiki): the name is split into alphanumeric words, case-insensitively, and every query word
 * must prefix some name word.
 */
export function nameContains(name: string, query: string): boolean {
  const have = words(name);
  return words(query).every((w) => have.some((h) => h.startsWith(w)));
}

function compare(op: Op, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case 'contains':
      return false;
  }
}

/** Compiles a parsed query into a predicate over files. */
export function compileQuery(node: QueryNode, ctx: QueryContext): (file: QueryFile) => boolean {
  switch (node.kind) {
    case 'and': {
      const l = compileQuery(node.left, ctx);
      const r = compileQuery(node.right, ctx);
      return (f) => l(f) && r(f);
    }
    case 'or': {
      const l = compileQuery(node.left, ctx);
      const r = compileQuery(node.right, ctx);
      return (f) => l(f) || r(f);
    }
    case 'not': {
      const inner = compileQuery(node.inner, ctx);
      return (f) => !inner(f);
    }
    case 'in': {
      if (node.field === 'parents') {
        const id = ctx.resolveId(node.value);
        return (f) => f.parent === id;
      }
      const email = node.value.toLowerCase();
      const role =
        node.field === 'owners' ? 'owner' : node.field === 'writers' ? 'writer' : 'reader';
      return (f) => ctx.hasRole(f, email, role);
    }
    case 'string': {
      const { field, op, value } = node;
      if (op === 'contains') {
        return field === 'name'
          ? (f) => nameContains(f.name, value)
          : (f) => f.mimeType.includes(value);
      }
      return op === '=' ? (f) => f[field] === value : (f) => f[field] !== value;
    }
    case 'time': {
      const { field, op, value } = node;
      return (f) => compare(op, f[field], value);
    }
    case 'bool': {
      const { field, op, value } = node;
      return op === '=' ? (f) => f[field] === value : (f) => f[field] !== value;
    }
    case 'has': {
      const { field, key, value } = node;
      return (f) => f[field][key] === value;
    }
  }
}

/**
 * The parent ids a match must be in, when the query pins them (`'x' in parents and ...`), so
 * the service can start from a folder's children instead of every file. Undefined: no pin.
 */
export function pinnedParents(node: QueryNode): string[] | undefined {
  switch (node.kind) {
    case 'in':
      return node.field === 'parents' ? [node.value] : undefined;
    case 'and': {
      const l = pinnedParents(node.left);
      const r = pinnedParents(node.right);
      if (!l) return r;
      if (!r) return l;
      return l.length <= r.length ? l : r;
    }
    case 'or': {
      const l = pinnedParents(node.left);
      const r = pinnedParents(node.right);
      return l && r ? [...l, ...r] : undefined;
    }
    default:
      return undefined;
  }
}
