/**
 * Just enough HCL to hold Terraform's RDS resources to a policy with line numbers: blocks (type, labels,
 * line) and their attributes (name, line, raw expression, and the value when it is a literal or a plain
 * reference). Expressions are skipped over faithfully (strings with ${} templates, heredocs, comments,
 * brackets spanning lines) but never evaluated. The npm HCL parsers turn HCL into JSON and drop positions,
 * and the annotation on the offending line is the point, so this scanner keeps them.
 */

export type HclValue =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'reference'; path: string }
  | { kind: 'expression' };

export interface HclAttribute {
  name: string;
  line: number;
  raw: string;
  value: HclValue;
}

export interface HclBlock {
  type: string;
  labels: string[];
  line: number;
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
}

export class HclSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'HclSyntaxError';
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

/** Parses a Terraform file into its top-level body (a block with type '' holding everything). */
export function parseHcl(text: string, file: string): HclBlock {
  const p = new Scanner(text, file);
  const root: HclBlock = { type: '', labels: [], line: 1, attributes: new Map(), blocks: [] };
  p.body(root, false);
  return root;
}

class Scanner {
  private i = 0;
  private line = 1;

  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  private fail(message: string, line = this.line): never {
    throw new HclSyntaxError(this.file, line, message);
  }

  private peek(offset = 0): string {
    return this.s[this.i + offset] ?? '';
  }

  private advance(): string {
    const ch = this.s[this.i++] ?? '';
    if (ch === '\n') this.line++;
    return ch;
  }

  private get done(): boolean {
    return this.i >= this.s.length;
  }

  /** Skips spaces and comments; newlines too when `newlines`. Returns true if it crossed a newline. */
  private trivia(newlines: boolean): boolean {
    let crossed = false;
    while (!this.done) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\r') this.advance();
      else if (ch === '\n') {
        if (!newlines) return crossed;
        crossed = true;
        this.advance();
      } else if (ch === '#' || (ch === '/' && this.peek(1) === '/')) {
        while (!this.done && this.peek() !== '\n') this.advance();
      } else if (ch === '/' && this.peek(1) === '*') {
        const start = this.line;
        this.advance();
        this.advance();
        while (!this.done && !(this.peek() === '*' && this.peek(1) === '/')) this.advance();
        if (this.done) this.fail('unterminated /* comment', start);
        this.advance();
        this.advance();
      } else return crossed;
    }
    return crossed;
  }

  private ident(): string {
    let out = '';
    while (!this.done && IDENT.test(this.peek())) out += this.advance();
    return out;
  }

  body(block: HclBlock, nested: boolean): void {
    for (;;) {
      this.trivia(true);
      if (this.done) {
        if (nested)
          this.fail(`block '${block.type}' opened on line ${block.line} is never closed`, block.line);
        return;
      }
      if (this.peek() === '}') {
        if (!nested) this.fail("unexpected '}'");
        this.advance();
        return;
      }
      const line = this.line;
      if (!IDENT_START.test(this.peek())) this.fail(`unexpected '${this.peek()}'`);
      const name = this.ident();
      this.trivia(false);
      if (this.peek() === '=' && this.peek(1) !== '=') {
        this.advance();
        const raw = this.expression()
          .replace(/\/\*[\s\S]*?\*\//g, ' ')
          .trim();
        if (raw === '') this.fail(`attribute '${name}' has no value`, line);
        block.attributes.set(name, { name, line, raw, value: classify(raw) });
        continue;
      }
      const labels: string[] = [];
      while (this.peek() !== '{') {
        if (this.peek() === '"') labels.push(unquote(this.quoted()));
        else if (IDENT_START.test(this.peek())) labels.push(this.ident());
        else this.fail(`expected '=' or a block after '${name}'`, line);
        this.trivia(false);
      }
      this.advance();
      const child: HclBlock = { type: name, labels, line, attributes: new Map(), blocks: [] };
      block.blocks.push(child);
      this.body(child, true);
    }
  }

  /** Reads an expression up to the newline (or '}' closing the enclosing block) at bracket depth 0. */
  private expression(): string {
    const start = this.i;
    const startLine = this.line;
    const stack: string[] = [];
    while (!this.done) {
      const ch = this.peek();
      if (stack.length === 0 && (ch === '\n' || ch === '}')) break;
      if (ch === '#' || (ch === '/' && this.peek(1) === '/')) {
        if (stack.length === 0) break; // a line comment ends the attribute
        this.trivia(false);
        continue;
      }
      if (ch === '/' && this.peek(1) === '*') {
        this.trivia(false);
        continue;
      }
      if (ch === '"') {
        this.quoted();
        continue;
      }
      if (ch === '<' && this.peek(1) === '<' && /[-A-Za-z_]/.test(this.peek(2))) {
        this.heredoc();
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') stack.push(ch === '(' ? ')' : ch === '[' ? ']' : '}');
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (stack.pop() !== ch) this.fail(`unbalanced '${ch}'`);
      }
      this.advance();
    }
    if (stack.length > 0) this.fail(`expression opened on line ${startLine} is never closed`, startLine);
    return this.s.slice(start, this.i);
  }

  /** A quoted template string, "…" with escapes and ${…} / %{…} interpolations; returns its source text. */
  private quoted(): string {
    const start = this.i;
    const startLine = this.line;
    this.advance();
    while (!this.done) {
      const ch = this.advance();
      if (ch === '\\') this.advance();
      else if (ch === '"') return this.s.slice(start, this.i);
      else if (ch === '\n') this.fail('newline inside a quoted string', startLine);
      else if ((ch === '$' || ch === '%') && this.peek() === '{') {
        this.advance();
        this.template();
      }
    }
    return this.fail('unterminated string', startLine);
  }

  /** The inside of ${ … } up to its closing brace, strings inside included. */
  private template(): void {
    let depth = 1;
    const startLine = this.line;
    while (!this.done) {
      const ch = this.peek();
      if (ch === '"') {
        this.quoted();
        continue;
      }
      this.advance();
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return;
    }
    this.fail('unterminated ${ interpolation', startLine);
  }

  private heredoc(): void {
    const startLine = this.line;
    this.advance();
    this.advance();
    if (this.peek() === '-') this.advance();
    const marker = this.ident();
    while (!this.done && this.peek() !== '\n') this.advance();
    while (!this.done) {
      this.advance();
      let lineText = '';
      const at = this.i;
      while (at + lineText.length < this.s.length && this.s[at + lineText.length] !== '\n') {
        lineText += this.s[at + lineText.length];
      }
      if (lineText.trim() === marker) {
        for (let k = 0; k < lineText.length; k++) this.advance();
        return;
      }
      for (let k = 0; k < lineText.length; k++) this.advance();
    }
    this.fail(`heredoc <<${marker} is never closed`, startLine);
  }
}

const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]*\])+$/;

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** A literal (true, 35, "03:00-04:00", null), a plain reference (var.x, aws_kms_key.k.arn), or neither. */
export function classify(raw: string): HclValue {
  if (raw === 'true' || raw === 'false') return { kind: 'literal', value: raw === 'true' };
  if (raw === 'null') return { kind: 'literal', value: null };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return { kind: 'literal', value: Number(raw) };
  if (/^"([^"\\$%]|\\.|\$(?!\{)|%(?!\{))*"$/.test(raw)) return { kind: 'literal', value: unquote(raw) };
  if (REFERENCE.test(raw)) return { kind: 'reference', path: raw };
  return { kind: 'expression' };
}
