/**
 * Decodes the HCL expressions cdktf writes for `Fn.jsonencode(...)`, e.g.
 * `${jsonencode([{"name" = "app", "port" = 8000, "group" = aws_x.y.name}])}`, back into values, so
 * tests can assert on container definitions exactly as Terraform will read them.
 *
 * Supported: objects with quoted keys and `=`, lists, quoted strings (escapes and `${...}`
 * interpolations kept as text), numbers, true/false/null, and bare references, which decode to
 * the interpolation string `${reference}` cdktf would have written inside a string.
 */
export function decodeJsonencode(attribute: string): unknown {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(attribute);
  if (!match) throw new Error(`not a jsonencode expression: ${attribute.slice(0, 80)}`);
  return parseHclExpression(match[1] as string);
}

export function parseHclExpression(text: string): unknown {
  const parser = new Parser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.done()) {
    throw new Error(
      `unexpected text at ${parser.position}: ${text.slice(parser.position, parser.position + 20)}`,
    );
  }
  return value;
}

class Parser {
  public position = 0;

  constructor(private readonly text: string) {}

  public done(): boolean {
    return this.position >= this.text.length;
  }

  public skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? "")) this.position++;
  }

  public value(): unknown {
    this.skipSpace();
    const c = this.text[this.position];
    if (c === "{") return this.object();
    if (c === "[") return this.list();
    if (c === '"') return this.string();
    if (c !== undefined && /[-0-9]/.test(c)) return this.number();
    const word = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"]*"\]|\.\*)*/.exec(
      this.text.slice(this.position),
    )?.[0];
    if (!word) throw new Error(`unexpected ${c} at ${this.position}`);
    this.position += word.length;
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    return `\${${word}}`;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.position] !== char) throw new Error(`expected ${char} at ${this.position}`);
    this.position++;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.position];
  }

  private object(): Record<string, unknown> {
    this.expect("{");
    const result: Record<string, unknown> = {};
    while (this.peek() !== "}") {
      const key = this.string();
      this.expect("=");
      result[key] = this.value();
      if (this.peek() === ",") this.position++;
    }
    this.expect("}");
    return result;
  }

  private list(): unknown[] {
    this.expect("[");
    const result: unknown[] = [];
    while (this.peek() !== "]") {
      result.push(this.value());
      if (this.peek() === ",") this.position++;
    }
    this.expect("]");
    return result;
  }

  private number(): number {
    const word = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.text.slice(this.position))?.[0];
    if (!word) throw new Error(`bad number at ${this.position}`);
    this.position += word.length;
    return Number(word);
  }

  private string(): string {
    this.expect('"');
    let out = "";
    for (;;) {
      const c = this.text[this.position++];
      if (c === undefined) throw new Error("unterminated string");
      if (c === '"') return out;
      if (c === "\\") {
        const e = this.text[this.position++];
        const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
        if (e === undefined || !(e in escapes)) throw new Error(`unknown escape \\${e} at ${this.position}`);
        out += escapes[e];
      } else if ((c === "$" || c === "%") && this.text.slice(this.position, this.position + 2) === `${c}{`) {
        out += `${c}{`; // $${ and %%{ are literal ${ and %{
        this.position += 2;
      } else if ((c === "$" || c === "%") && this.text[this.position] === "{") {
        out += c + this.interpolation();
      } else {
        out += c;
      }
    }
  }

  /** `{...}` of a template interpolation, kept as text (nested braces and strings allowed). */
  private interpolation(): string {
    const start = this.position;
    let depth = 0;
    let inString = false;
    for (;;) {
      const c = this.text[this.position++];
      if (c === undefined) throw new Error("unterminated interpolation");
      if (inString) {
        if (c === "\\") this.position++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) return this.text.slice(start, this.position);
    }
  }
}
