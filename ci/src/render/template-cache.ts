import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Compiled templates kept between runs of the generator CLI: the code Handlebars' precompile
 * produces for each template text, keyed by a hash of the Handlebars version, the compile
 * options and the text. Parsing and compiling the templates is the largest part of a cold
 * `generate` (about 200 ms of 0.6 s); turning the kept code back into templates takes a few ms.
 *
 * Only the CLI turns it on (useTemplateCache); the Dagger module and the tests compile afresh.
 * A changed template gets a new key, so it is compiled again and the old entry dropped on save.
 * A missing, unreadable or corrupt file is an empty cache, and saving is best effort (a
 * read-only checkout still generates, only slower).
 */
export class TemplateCache {
  private readonly used = new Map<string, string>();
  private missed = false;

  private constructor(
    readonly file: string,
    private readonly kept: Record<string, string>,
  ) {}

  static open(file: string): TemplateCache {
    let kept: Record<string, string> = {};
    try {
      const doc = JSON.parse(readFileSync(file, "utf8")) as unknown;
      if (doc && typeof doc === "object" && !Array.isArray(doc)) kept = doc as Record<string, string>;
    } catch {
      // no cache yet, or not one we can read: start empty
    }
    return new TemplateCache(file, kept);
  }

  static key(handlebarsVersion: string, options: object, text: string): string {
    return createHash("sha256")
      .update(`${handlebarsVersion}\0${JSON.stringify(options)}\0${text}`)
      .digest("base64url");
  }

  /** The precompiled code kept for key, if any. */
  get(key: string): string | undefined {
    const code = this.kept[key];
    if (typeof code !== "string") return undefined;
    this.used.set(key, code);
    return code;
  }

  put(key: string, code: string): void {
    this.used.set(key, code);
    this.missed = true;
  }

  /** Writes the entries used since open (so stale ones go) when anything changed. Never throws. */
  save(): void {
    if (!this.missed && this.used.size === Object.keys(this.kept).length) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.used)));
      renameSync(tmp, this.file);
    } catch {
      // best effort: the next run compiles again
    }
  }
}

let active: TemplateCache | undefined;

/** Makes compile() (render.ts) read and fill this cache; undefined turns it off. */
export function useTemplateCache(cache: TemplateCache | undefined): void {
  active = cache;
}

export function activeTemplateCache(): TemplateCache | undefined {
  return active;
}
