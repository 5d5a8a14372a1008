import { SpecError } from "../errors.js";

type Obj = Record<string, unknown>;

/**
 * Reads one YAML mapping with typed getters; every mistake becomes a SpecError naming the
 * file, the key path and what was expected. Unknown keys are rejected too, so a typo in a
 * spec is an error rather than a silently ignored setting.
 */
export class Fields {
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    readonly path: string,
    private readonly obj: Obj,
  ) {}

  static of(file: string, path: string, value: unknown): Fields {
    if (!isMapping(value)) throw new SpecError(file, path, "a mapping", value);
    return new Fields(file, path, value);
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  private take(key: string): unknown {
    this.seen.add(key);
    return this.obj[key];
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  string(key: string, pattern?: RegExp, expected = "a string"): string {
    const v = this.take(key);
    if (typeof v !== "string" || (pattern && !pattern.test(v))) throw new SpecError(this.file, this.at(key), expected, v);
    return v;
  }

  optionalString(key: string, pattern?: RegExp, expected?: string): string | undefined {
    if (!this.has(key)) {
      this.take(key);
      return undefined;
    }
    return this.string(key, pattern, expected);
  }

  boolean(key: string): boolean {
    const v = this.take(key);
    if (typeof v !== "boolean") throw new SpecError(this.file, this.at(key), "true or false", v);
    return v;
  }

  optionalBoolean(key: string, fallback: boolean): boolean {
    return this.has(key) ? this.boolean(key) : (this.take(key), fallback);
  }

  integer(key: string, min: number, max: number): number {
    const v = this.take(key);
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new SpecError(this.file, this.at(key), `a whole number from ${min} to ${max}`, v);
    }
    return v;
  }

  /** A number above `above` and at most `max` (fractions allowed), or `fallback` when the key is absent. */
  optionalNumber(key: string, above: number, max: number, fallback: number): number {
    if (!this.has(key)) return (this.take(key), fallback);
    const v = this.take(key);
    if (typeof v !== "number" || !Number.isFinite(v) || v <= above || v > max) {
      throw new SpecError(this.file, this.at(key), `a number above ${above} and at most ${max}`, v);
    }
    return v;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback?: T): T {
    if (fallback !== undefined && !this.has(key)) {
      this.take(key);
      return fallback;
    }
    const v = this.take(key);
    if (typeof v !== "string" || !choices.includes(v as T)) {
      throw new SpecError(this.file, this.at(key), `one of ${choices.join(", ")}`, v);
    }
    return v as T;
  }

  stringList(key: string, fallback?: string[]): string[] {
    if (fallback !== undefined && !this.has(key)) {
      this.take(key);
      return fallback;
    }
    const v = this.take(key);
    if (!Array.isArray(v)) throw new SpecError(this.file, this.at(key), "a list of strings", v);
    v.forEach((item, i) => {
      if (typeof item !== "string" || item === "") throw new SpecError(this.file, `${this.at(key)}[${i}]`, "a non-empty string", item);
    });
    return v as string[];
  }

  /** A list of strings, or undefined when the key is absent. */
  optionalStringList(key: string): string[] | undefined {
    if (this.has(key)) return this.stringList(key);
    this.take(key);
    return undefined;
  }

  /** A mapping of string to string (e.g. env). */
  stringMap(key: string): Record<string, string> {
    const f = Fields.of(this.file, this.at(key), this.has(key) ? this.take(key) : (this.take(key), {}));
    const out: Record<string, string> = {};
    for (const k of f.keys()) out[k] = f.string(k);
    return out;
  }

  child(key: string): Fields {
    return Fields.of(this.file, this.at(key), this.take(key));
  }

  keys(): string[] {
    return Object.keys(this.obj);
  }

  /** Call after reading: any key that no getter asked for is a mistake in the spec. */
  done(allowed: string[] = []): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.seen.has(k) && !allowed.includes(k)) {
        throw new SpecError(this.file, this.at(k), `no such key (known: ${[...this.seen].sort().join(", ")})`);
      }
    }
  }
}

export function isMapping(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
