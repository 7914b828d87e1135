/**
 * Best-effort parsing of JSON text that may be cut off anywhere, as tool-call arguments are
 * while they stream: `{"city":"Par` gives `{city: "Par"}`, `[1, 2` gives `[1, 2]`.
 *
 * Unfinished strings keep what arrived; an object key without its value (yet) is left out; a
 * cut-off number keeps its valid prefix; a cut-off `true`/`false`/`null` is completed.
 * Returns `undefined` when there is no value yet or the text is not JSON at all.
 */
export function parsePartialJson(text: string): unknown {
  const p = new PartialParser(text);
  try {
    p.ws();
    if (p.atEnd()) return undefined;
    const v = p.value();
    if (v === NO_VALUE) return undefined;
    p.ws();
    if (!p.atEnd()) return undefined;
    return v;
  } catch {
    return undefined;
  }
}

const NO_VALUE = Symbol("no value");
const LITERALS: [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];
const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class PartialParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  ws(): void {
    while (this.pos < this.s.length && " \t\n\r".includes(this.s[this.pos]!)) this.pos++;
  }

  private fail(): never {
    throw new SyntaxError(`not JSON at ${this.pos}`);
  }

  /** A value, possibly cut off; NO_VALUE when the text ends before any of it. */
  value(): unknown {
    this.ws();
    if (this.atEnd()) return NO_VALUE;
    const c = this.s[this.pos]!;
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    return this.literal();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.ws();
      if (this.atEnd()) return out;
      if (this.s[this.pos] === "}") {
        this.pos++;
        return out;
      }
      if (this.s[this.pos] !== '"') this.fail();
      const key = this.string();
      if (!this.lastStringClosed) return out; // the key itself is cut off
      this.ws();
      if (this.atEnd()) return out;
      if (this.s[this.pos] !== ":") this.fail();
      this.pos++;
      const v = this.value();
      if (v === NO_VALUE) return out;
      out[key] = v;
      this.ws();
      if (this.atEnd()) return out;
      const c = this.s[this.pos];
      this.pos++;
      if (c === "}") return out;
      if (c !== ",") this.fail();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.ws();
      if (this.atEnd()) return out;
      if (this.s[this.pos] === "]") {
        this.pos++;
        return out;
      }
      const v = this.value();
      if (v === NO_VALUE) return out;
      out.push(v);
      this.ws();
      if (this.atEnd()) return out;
      const c = this.s[this.pos];
      this.pos++;
      if (c === "]") return out;
      if (c !== ",") this.fail();
    }
  }

  /** Whether the last string read had its closing quote. */
  private lastStringClosed = false;

  private string(): string {
    this.pos++; // opening quote
    this.lastStringClosed = false;
    let out = "";
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === '"') {
        this.pos++;
        this.lastStringClosed = true;
        return out;
      }
      if (c === "\\") {
        const e = this.s[this.pos + 1];
        if (e === undefined) {
          this.pos = this.s.length;
          return out; // cut inside an escape
        }
        if (e === "u") {
          const hex = this.s.slice(this.pos + 2, this.pos + 6);
          if (hex.length < 4) {
            this.pos = this.s.length;
            return out;
          }
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
          continue;
        }
        const decoded = ESCAPES[e];
        if (decoded === undefined) this.fail();
        out += decoded;
        this.pos += 2;
        continue;
      }
      if (c < " ") this.fail();
      out += c;
      this.pos++;
    }
    return out; // cut off inside the string
  }

  private number(): number | typeof NO_VALUE {
    const m = /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?/.exec(this.s.slice(this.pos));
    const text = m ? m[0] : "";
    if (text.length === 0) this.fail();
    this.pos += text.length;
    const valid = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text);
    if (!valid) {
      if (this.atEnd()) return NO_VALUE; // just "-"
      this.fail();
    }
    if (valid[0].length !== text.length && !this.atEnd()) this.fail(); // "1." followed by more text
    return Number(valid[0]);
  }

  private literal(): unknown {
    const rest = this.s.slice(this.pos);
    for (const [word, value] of LITERALS) {
      if (rest.startsWith(word)) {
        this.pos += word.length;
        return value;
      }
      if (word.startsWith(rest)) {
        this.pos = this.s.length; // cut-off literal at the end of the text
        return value;
      }
    }
    return this.fail();
  }
}
