// Recursive-descent parser for Arazzo 1.0.1 and 1.1 runtime expressions (`$self`, `$message` are 1.1:
// validation refuses them in 1.0 documents) (spec section "Runtime Expressions").
//
// One scanner serves three callers:
//  - whole mode: the entire text is one expression (a parameter value `$inputs.x`, the inside of
//    `{...}`); `name` then runs to the end of the text (or to `#` where a JSON Pointer may follow),
//    exactly as the ABNF `name = *( CHAR )` says;
//  - bare mode: an expression embedded without braces in a longer string (`Bearer $inputs.token`) or
//    used as a criterion operand (`$statusCode == 200`). The ABNF cannot say where such a token ends,
//    so names are restricted to identifier characters `[A-Za-z0-9_-]` with inner dots, and JSON
//    Pointers end at whitespace or at a caller-supplied stop character.
import { closest } from './hints.js';
import { parseJsonPointer } from './json-pointer.js';
import type { ExpressionError, ParseResult, RuntimeExpression } from './types.js';

export const EXPRESSION_ROOTS = [
  'url',
  'self',
  'method',
  'statusCode',
  'request',
  'response',
  'message',
  'inputs',
  'outputs',
  'steps',
  'workflows',
  'sourceDescriptions',
  'components',
] as const;

export const COMPONENT_KINDS = ['inputs', 'parameters', 'successActions', 'failureActions'] as const;

/** Longer inputs are refused outright: nothing legitimate comes close, and it bounds all work. */
export const MAX_EXPRESSION_LENGTH = 4096;

export interface ScanMode {
  bare: boolean;
  /** Bare mode only: characters that end an expression (besides whitespace). */
  stop?: (c: string) => boolean;
}

export type ScanResult =
  | { ok: true; expression: RuntimeExpression; end: number }
  | { ok: false; error: ExpressionError };

const WHOLE: ScanMode = { bare: false };

class ScanFailure {
  constructor(readonly error: ExpressionError) {}
}

const isIdentChar = (c: string | undefined): boolean =>
  c !== undefined &&
  ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-');
const isLetter = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isWhitespace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
// RFC 9110 tchar, used by the ABNF for header names.
const isTchar = (c: string | undefined): boolean => c !== undefined && (isIdentChar(c) || "!#$%&'*+.^`|~".includes(c));

class Scanner {
  pos: number;
  private readonly stop: (c: string) => boolean;

  constructor(
    readonly text: string,
    readonly start: number,
    readonly mode: ScanMode,
  ) {
    this.pos = start;
    this.stop = mode.stop ?? (() => false);
  }

  private get bare(): boolean {
    return this.mode.bare;
  }

  peek(ahead = 0): string | undefined {
    return this.text[this.pos + ahead];
  }

  /** Text of the expression consumed so far, for messages. */
  soFar(): string {
    return this.text.slice(this.start, this.pos);
  }

  fail(message: string, offset: number, hint?: string): never {
    throw new ScanFailure({ message, offset, hint, code: 'expression-syntax' });
  }

  word(): string {
    const from = this.pos;
    while (isLetter(this.peek())) this.pos++;
    return this.text.slice(from, this.pos);
  }

  expectDot(what: string, hint?: string): void {
    if (this.peek() === '.') {
      this.pos++;
      return;
    }
    const found = this.peek();
    this.fail(
      found === undefined
        ? `\`${this.soFar()}\` is incomplete: expected \`.\` and ${what}`
        : `expected \`.\` and ${what} after \`${this.soFar()}\`, found \`${found}\``,
      this.pos,
      hint,
    );
  }

  /** identifier-strict (1.1 ABNF): step ids, workflow ids, source description names. */
  identifier(what: string): string {
    const from = this.pos;
    while (isIdentChar(this.peek())) this.pos++;
    if (this.pos === from) {
      const found = this.peek();
      this.fail(
        found === undefined
          ? `expected ${what} after \`${this.soFar()}\``
          : `expected ${what} (letters, digits, \`-\`, \`_\`), found \`${found}\``,
        this.pos,
      );
    }
    return this.text.slice(from, this.pos);
  }

  /** A `name`. `pointerMayFollow` makes `#` end it. */
  name(what: string, pointerMayFollow: boolean): string {
    const from = this.pos;
    if (this.bare) {
      while (isIdentChar(this.peek()) || (this.peek() === '.' && isIdentChar(this.peek(1)))) this.pos++;
    } else {
      for (;;) {
        const c = this.peek();
        if (c === undefined || (pointerMayFollow && c === '#')) break;
        if (isWhitespace(c) || c === '{' || c === '}') {
          this.fail(
            `${c === '{' || c === '}' ? `\`${c}\`` : 'whitespace'} is not allowed in ${what} \`${this.text.slice(from, this.pos)}\``,
            this.pos,
            isWhitespace(c)
              ? 'an expression cannot contain spaces; embed it as `{$...}` inside a longer string'
              : undefined,
          );
        }
        this.pos++;
      }
    }
    if (this.pos === from) {
      this.fail(`expected ${what} after \`${this.soFar()}\``, this.pos);
    }
    return this.text.slice(from, this.pos);
  }

  headerName(): string {
    const from = this.pos;
    if (this.bare) {
      while (isIdentChar(this.peek()) || (this.peek() === '.' && isIdentChar(this.peek(1)))) this.pos++;
    } else {
      while (this.peek() !== undefined) {
        const c = this.peek();
        if (!isTchar(c)) this.fail(`\`${c}\` is not allowed in a header name`, this.pos);
        this.pos++;
      }
    }
    if (this.pos === from) this.fail(`expected a header name after \`${this.soFar()}\``, this.pos);
    return this.text.slice(from, this.pos);
  }

  /** Optional `#` json-pointer; returns the pointer text without `#`. */
  pointer(): string | undefined {
    if (this.peek() !== '#') return undefined;
    const prefix = this.soFar();
    this.pos++;
    const from = this.pos;
    while (this.peek() !== undefined) {
      const c = this.peek() as string;
      if (this.bare && (isWhitespace(c) || this.stop(c))) break;
      if (!this.bare && (c === '{' || c === '}')) this.fail(`\`${c}\` is not allowed in a JSON Pointer`, this.pos);
      this.pos++;
    }
    const pointer = this.text.slice(from, this.pos);
    const parsed = parseJsonPointer(pointer);
    if (!parsed.ok) {
      const hint = pointer[0] !== '/' ? `did you mean \`${prefix}#/${pointer}\`?` : parsed.error.hint;
      this.fail(parsed.error.message, from + parsed.error.offset, hint);
    }
    return pointer;
  }
}

function parseBody(s: Scanner, kind: 'request' | 'response'): RuntimeExpression {
  const pointer = s.pointer();
  if (!s.mode.bare && pointer === undefined) {
    const c = s.peek();
    if (c === '.' || c === '/') {
      const rest = s.text.slice(s.pos + 1);
      const suggestion = `$${kind}.body#/${rest.split(c === '.' ? '.' : '/').join('/')}`;
      s.fail(
        `\`$${kind}.body\` is followed by a JSON Pointer introduced by \`#\`, found \`${c}\``,
        s.pos,
        `did you mean \`${suggestion}\`?`,
      );
    }
  }
  return pointer === undefined ? { kind, source: 'body' } : { kind, source: 'body', pointer };
}

function parseMessage(s: Scanner, kind: 'request' | 'response'): RuntimeExpression {
  const sources = kind === 'request' ? ['header', 'query', 'path', 'body'] : ['header', 'body'];
  s.expectDot(`one of ${sources.map((x) => `\`${x}\``).join(', ')}`);
  const at = s.pos;
  const source = s.word();
  if (!sources.includes(source)) {
    if (kind === 'response' && (source === 'query' || source === 'path')) {
      s.fail(
        `a response has no \`${source}\`; only \`header\` and \`body\``,
        at,
        `did you mean \`$request.${source}\`?`,
      );
    }
    const guess = closest(source, sources);
    s.fail(
      source === ''
        ? `expected one of ${sources.join(', ')} after \`$${kind}.\``
        : `unknown \`$${kind}\` source \`${source}\``,
      at,
      guess && source !== ''
        ? `did you mean \`$${kind}.${guess}\`?`
        : `use one of ${sources.map((x) => `\`$${kind}.${x}\``).join(', ')}`,
    );
  }
  if (source === 'body') return parseBody(s, kind);
  s.expectDot(source === 'header' ? 'a header name' : `a ${source} parameter name`);
  if (source === 'header') return { kind, source: 'header', name: s.headerName() };
  return { kind, source: source as 'query' | 'path', name: s.name(`a ${source} parameter name`, false) };
}

/** 1.1 `$message.header.<name>` / `$message.payload[#/pointer]` (the ABNF: `payload ["#" json-pointer]`). */
function parseChannelMessage(s: Scanner): RuntimeExpression {
  const sources = ['header', 'payload'];
  s.expectDot('`header` or `payload`');
  const at = s.pos;
  const source = s.word();
  if (!sources.includes(source)) {
    const guess = source === 'body' ? 'payload' : source === 'headers' ? 'header' : closest(source, sources);
    s.fail(
      source === '' ? 'expected `header` or `payload` after `$message.`' : `unknown \`$message\` source \`${source}\``,
      at,
      guess && source !== ''
        ? `did you mean \`$message.${guess}\`?`
        : 'use `$message.header.<name>` or `$message.payload#/<pointer>`',
    );
  }
  if (source === 'header') {
    s.expectDot('a header name');
    return { kind: 'message', source: 'header', name: s.headerName() };
  }
  const pointer = s.pointer();
  if (!s.mode.bare && pointer === undefined) {
    const c = s.peek();
    if (c === '.' || c === '/') {
      const rest = s.text.slice(s.pos + 1);
      s.fail(
        `\`$message.payload\` is followed by a JSON Pointer introduced by \`#\`, found \`${c}\``,
        s.pos,
        `did you mean \`$message.payload#/${rest.split(c === '.' ? '.' : '/').join('/')}\`?`,
      );
    }
  }
  return pointer === undefined
    ? { kind: 'message', source: 'payload' }
    : { kind: 'message', source: 'payload', pointer };
}

function parseRoot(s: Scanner): RuntimeExpression {
  const rootAt = s.pos;
  if (s.peek() !== '$') s.fail('a runtime expression starts with `$`', s.pos);
  s.pos++;
  const root = s.word();
  if (!(EXPRESSION_ROOTS as readonly string[]).includes(root)) {
    const guess = closest(root, EXPRESSION_ROOTS);
    s.fail(
      root === '' ? 'expected an expression name after `$`' : `unknown runtime expression \`$${root}\``,
      rootAt,
      guess
        ? `did you mean \`$${guess}\`?`
        : `expressions start with one of ${EXPRESSION_ROOTS.map((r) => `$${r}`).join(', ')}`,
    );
  }
  switch (root) {
    case 'url':
    case 'self':
    case 'method':
    case 'statusCode':
      return { kind: root };
    case 'request':
    case 'response':
      return parseMessage(s, root);
    case 'message':
      return parseChannelMessage(s);
    case 'inputs':
    case 'outputs': {
      s.expectDot(`an ${root === 'inputs' ? 'input' : 'output'} name`);
      const name = s.name(`an ${root === 'inputs' ? 'input' : 'output'} name`, true);
      const pointer = s.pointer();
      return pointer === undefined ? { kind: root, name } : { kind: root, name, pointer };
    }
    case 'steps': {
      s.expectDot('a step id');
      const stepId = s.identifier('a step id');
      s.expectDot('`outputs`', `write \`$steps.${stepId}.outputs.<name>\``);
      const at = s.pos;
      const field = s.word();
      if (field !== 'outputs') {
        s.fail(`a step exposes only \`outputs\`, found \`${field}\``, at, `did you mean \`$steps.${stepId}.outputs\`?`);
      }
      s.expectDot('an output name', `write \`$steps.${stepId}.outputs.<name>\``);
      const name = s.name('an output name', true);
      const pointer = s.pointer();
      return pointer === undefined
        ? { kind: 'steps', stepId, field: 'outputs', name }
        : { kind: 'steps', stepId, field: 'outputs', name, pointer };
    }
    case 'workflows': {
      s.expectDot('a workflow id');
      const workflowId = s.identifier('a workflow id');
      s.expectDot('`inputs` or `outputs`');
      const at = s.pos;
      const field = s.word();
      if (field !== 'inputs' && field !== 'outputs') {
        const guess = closest(field, ['inputs', 'outputs']);
        s.fail(
          `a workflow exposes \`inputs\` and \`outputs\`, found \`${field}\``,
          at,
          guess ? `did you mean \`$workflows.${workflowId}.${guess}\`?` : undefined,
        );
      }
      s.expectDot(`a workflow ${field === 'inputs' ? 'input' : 'output'} name`);
      const name = s.name(`a workflow ${field === 'inputs' ? 'input' : 'output'} name`, true);
      const pointer = s.pointer();
      return pointer === undefined
        ? { kind: 'workflows', workflowId, field, name }
        : { kind: 'workflows', workflowId, field, name, pointer };
    }
    case 'sourceDescriptions': {
      s.expectDot('a source description name');
      const name = s.identifier('a source description name');
      s.expectDot('an operationId, workflowId or field name');
      const reference = s.name('an operationId, workflowId or field name', false);
      return { kind: 'sourceDescriptions', name, reference };
    }
    default: {
      // components
      s.expectDot(`a component kind (${COMPONENT_KINDS.join(', ')})`);
      const at = s.pos;
      const componentKind = s.word();
      if (!(COMPONENT_KINDS as readonly string[]).includes(componentKind)) {
        const guess = closest(componentKind, COMPONENT_KINDS);
        s.fail(
          `unknown component kind \`${componentKind}\``,
          at,
          guess ? `did you mean \`$components.${guess}\`?` : `use one of ${COMPONENT_KINDS.join(', ')}`,
        );
      }
      s.expectDot('a component name');
      const name = s.name('a component name', true);
      const pointer = s.pointer();
      return pointer === undefined
        ? { kind: 'components', componentKind, name }
        : { kind: 'components', componentKind, name, pointer };
    }
  }
}

/**
 * Scans one expression starting at `start` (which must be `$`). In whole mode it must extend to the
 * end of `text`; in bare mode `end` is where it stopped. Offsets in errors are offsets into `text`.
 */
export function scanRuntimeExpression(text: string, start: number, mode: ScanMode): ScanResult {
  const s = new Scanner(text, start, mode);
  try {
    const expression = parseRoot(s);
    if (!mode.bare && s.pos < text.length) {
      const rest = text.slice(s.pos);
      const looksLikeCondition = /^\s*(==|!=|<=|>=|<|>|&&|\|\|)/.test(rest);
      s.fail(
        `unexpected \`${rest.length > 20 ? rest.slice(0, 20) + '…' : rest}\` after \`${s.soFar()}\``,
        s.pos,
        looksLikeCondition
          ? 'this looks like a condition; conditions belong in a Criterion Object'
          : isWhitespace(rest[0])
            ? 'an expression cannot contain spaces; embed it as `{$...}` inside a longer string'
            : undefined,
      );
    }
    return { ok: true, expression, end: s.pos };
  } catch (e) {
    if (e instanceof ScanFailure) return { ok: false, error: e.error };
    throw e;
  }
}

/** Parses a whole runtime expression, e.g. `$response.body#/id`. */
export function parseRuntimeExpression(text: string): ParseResult<RuntimeExpression> {
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: { message: 'a runtime expression must be a string', offset: 0, code: 'expression-syntax' },
    };
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      error: {
        message: `expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
        offset: MAX_EXPRESSION_LENGTH,
        code: 'expression-syntax',
      },
    };
  }
  if (text[0] !== '$') {
    const trimmed = text.trim();
    let hint: string | undefined;
    let offset = 0;
    if (trimmed.startsWith('$')) {
      offset = text.indexOf('$');
      hint = `remove the surrounding whitespace: \`${trimmed}\``;
    } else if (text.startsWith('{$') && text.endsWith('}')) {
      hint = `braces embed an expression in a longer string; on its own write \`${text.slice(1, -1)}\``;
    } else if ((EXPRESSION_ROOTS as readonly string[]).includes(text.split(/[.#]/)[0])) {
      hint = `did you mean \`$${text}\`?`;
    }
    return {
      ok: false,
      error: {
        message: offset > 0 ? 'unexpected whitespace before the expression' : 'a runtime expression starts with `$`',
        offset,
        hint,
        code: 'expression-syntax',
      },
    };
  }
  const result = scanRuntimeExpression(text, 0, WHOLE);
  return result.ok ? { ok: true, value: result.expression, warnings: [] } : result;
}

/** Canonical text of an expression (round-trips through `parseRuntimeExpression`). */
export function formatRuntimeExpression(e: RuntimeExpression): string {
  const ptr = (p: string | undefined) => (p === undefined ? '' : `#${p}`);
  switch (e.kind) {
    case 'url':
    case 'self':
    case 'method':
    case 'statusCode':
      return `$${e.kind}`;
    case 'request':
    case 'response':
      return e.source === 'body' ? `$${e.kind}.body${ptr(e.pointer)}` : `$${e.kind}.${e.source}.${e.name}`;
    case 'message':
      return e.source === 'payload' ? `$message.payload${ptr(e.pointer)}` : `$message.header.${e.name}`;
    case 'inputs':
    case 'outputs':
      return `$${e.kind}.${e.name}${ptr(e.pointer)}`;
    case 'steps':
      return `$steps.${e.stepId}.outputs.${e.name}${ptr(e.pointer)}`;
    case 'workflows':
      return `$workflows.${e.workflowId}.${e.field}.${e.name}${ptr(e.pointer)}`;
    case 'sourceDescriptions':
      return `$sourceDescriptions.${e.name}.${e.reference}`;
    case 'components':
      return `$components.${e.componentKind}.${e.name}${ptr(e.pointer)}`;
  }
}

/** True when `text` at `index` starts a `$root` of a runtime expression followed by a boundary. */
export function startsExpressionRoot(text: string, index: number): boolean {
  if (text[index] !== '$') return false;
  let end = index + 1;
  while (isLetter(text[end])) end++;
  const word = text.slice(index + 1, end);
  if (!(EXPRESSION_ROOTS as readonly string[]).includes(word)) return false;
  return !isIdentChar(text[end]);
}

export { isWhitespace };
