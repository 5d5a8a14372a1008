import { dag, type Container, type Directory, type File } from "@dagger.io/dagger";
import { withExtraCa } from "./s2i.js";

/**
 * A small Dockerfile interpreter for the rendered test Dockerfiles
 * (<key>/test/from-dockerfile/{uwsgi,mod_wsgi}.Dockerfile.<distro>).
 *
 * dockerBuild cannot start FROM a Container built earlier in the same pipeline, so these
 * files are read instruction by instruction and replayed as Container calls, with the
 * built images bound to the Dockerfile's ARGs (MINIMAL_IMAGE, FULL_IMAGE). The very
 * rendered file is what runs; nothing is rewritten by hand.
 *
 * Supported: ARG, FROM <ref|${ARG}|stage> [AS name], USER, WORKDIR, ENV, RUN (shell and
 * JSON form), CMD (shell and JSON form), ADD/COPY <dir> <dest> from the build context and
 * COPY --from=<stage|image> <dir> <dest>. Sources are treated as directories, which is all
 * these files copy. Anything else is an error naming the line.
 */

export type Instruction =
  | { op: "ARG"; line: number; name: string; value?: string }
  | { op: "FROM"; line: number; image: string; as?: string }
  | { op: "USER"; line: number; user: string }
  | { op: "WORKDIR"; line: number; path: string }
  | { op: "ENV"; line: number; vars: EnvPair[] }
  | { op: "LABEL"; line: number; labels: [string, string][] }
  | { op: "RUN"; line: number; args: string[] }
  | { op: "CMD"; line: number; args: string[] }
  | { op: "COPY"; line: number; from?: string; src: string; dest: string };

/** An ENV value, and whether it names variables to expand (a `$` that is not written `\\$`). */
export interface EnvPair {
  name: string;
  value: string;
  expand: boolean;
}

export const SUPPORTED = ["ARG", "FROM", "USER", "WORKDIR", "ENV", "LABEL", "RUN", "CMD", "ADD", "COPY"] as const;

/** Parses the supported subset; comments and blank lines are skipped, continuation lines joined. */
export function parseDockerfile(text: string, file = "Dockerfile"): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i].trim();
    if (!line || line.startsWith("#")) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) {
      i++;
      const next = lines[i].trim();
      if (next.startsWith("#")) continue;
      line = `${line.slice(0, -1).trimEnd()} ${next}`;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = m[1].toUpperCase();
    const rest = m[2].trim();
    const bad = (why: string): never => {
      throw new Error(`${file}:${lineNo}: ${why}: ${line}`);
    };
    switch (keyword) {
      case "ARG": {
        const a = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(rest) ?? bad("ARG expects NAME[=default]");
        out.push({ op: "ARG", line: lineNo, name: a[1], value: a[2] === undefined ? undefined : unquote(a[2]) });
        break;
      }
      case "FROM": {
        const words = rest.split(/\s+/).filter((w) => !w.startsWith("--platform="));
        if (words.length === 3 && words[1].toUpperCase() === "AS") out.push({ op: "FROM", line: lineNo, image: words[0], as: words[2] });
        else if (words.length === 1) out.push({ op: "FROM", line: lineNo, image: words[0] });
        else bad("FROM expects an image and an optional AS name");
        break;
      }
      case "USER":
        out.push({ op: "USER", line: lineNo, user: rest || bad("USER needs a user") });
        break;
      case "WORKDIR":
        out.push({ op: "WORKDIR", line: lineNo, path: rest || bad("WORKDIR needs a path") });
        break;
      case "ENV":
        out.push({ op: "ENV", line: lineNo, vars: envPairs(rest) ?? bad("ENV expects KEY=VALUE pairs") });
        break;
      case "LABEL":
        out.push({ op: "LABEL", line: lineNo, labels: labelPairs(rest) ?? bad("LABEL expects KEY=VALUE pairs") });
        break;
      case "RUN":
      case "CMD":
        out.push({ op: keyword, line: lineNo, args: jsonArgs(rest) ?? ["/bin/sh", "-c", rest] });
        break;
      case "ADD":
      case "COPY": {
        const words = rest.split(/\s+/);
        let from: string | undefined;
        while (words[0]?.startsWith("--")) {
          const flag = words.shift()!;
          if (flag.startsWith("--from=")) from = flag.slice("--from=".length);
          else bad(`${keyword} flag ${flag} is not supported`);
        }
        if (words.length !== 2) bad(`${keyword} expects one source and one destination`);
        out.push({ op: "COPY", line: lineNo, from, src: words[0], dest: words[1] });
        break;
      }
      default:
        bad(`instruction ${keyword} is not supported (supported: ${SUPPORTED.join(", ")})`);
    }
  }
  return out;
}

/** What an interpreted Dockerfile gives: its last stage and the command `docker run` would start. */
export interface InterpretedImage {
  container: Container;
  cmd: string[];
}

export interface InterpretInputs {
  /** Containers bound to ARG names (MINIMAL_IMAGE, FULL_IMAGE): FROM ${NAME} starts from them. */
  images: Record<string, Container>;
  /** The build context: ADD/COPY without --from read from here (e.g. app-src/). */
  context: Directory;
  /** Plain ARG values that override the Dockerfile's defaults. */
  args?: Record<string, string>;
  /**
   * A CA bundle each RUN trusts (pip/requests/npm, as for assemble in the s2i flow),
   * mounted only while the command runs: the build-time TLS proxy case.
   */
  extraCa?: File;
}

interface Stage {
  container: Container;
  cmd?: string[];
}

/** Replays the instructions as Container calls. Lazy: nothing runs until the caller awaits a leaf. */
export function interpretDockerfile(instructions: Instruction[], inputs: InterpretInputs, file = "Dockerfile"): InterpretedImage {
  const args = new Map<string, string>();
  const stages = new Map<string, Stage>();
  let current: Stage | undefined;
  const need = (i: Instruction): Stage => {
    if (!current) throw new Error(`${file}:${i.line}: ${i.op} before the first FROM`);
    return current;
  };
  const subst = (text: string) =>
    text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a?: string, b?: string) => {
      const name = (a ?? b)!;
      return args.has(name) ? args.get(name)! : whole;
    });
  const imageFor = (ref: string, line: number): Container => {
    if (inputs.images[ref]) return inputs.images[ref];
    const bound = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(ref);
    if (bound && inputs.images[bound[1]]) return inputs.images[bound[1]];
    const resolved = subst(ref);
    if (stages.has(resolved)) return stages.get(resolved)!.container;
    if (resolved.includes("$")) throw new Error(`${file}:${line}: ${ref} names an ARG with no value`);
    return dag.container().from(resolved);
  };

  for (const i of instructions) {
    switch (i.op) {
      case "ARG":
        if (inputs.args?.[i.name] !== undefined) args.set(i.name, inputs.args[i.name]);
        else if (i.value !== undefined && !args.has(i.name)) args.set(i.name, i.value);
        break;
      case "FROM": {
        const base = imageFor(i.image, i.line);
        const parent = [...stages.values()].find((s) => s.container === base);
        current = { container: base, cmd: parent?.cmd };
        if (i.as) stages.set(i.as, current);
        break;
      }
      case "USER":
        need(i).container = need(i).container.withUser(subst(i.user));
        break;
      case "WORKDIR":
        need(i).container = need(i).container.withWorkdir(i.path, { expand: true });
        break;
      case "ENV":
        for (const v of i.vars) need(i).container = need(i).container.withEnvVariable(v.name, v.value, { expand: v.expand });
        break;
      case "LABEL":
        for (const [k, v] of i.labels) need(i).container = need(i).container.withLabel(k, v);
        break;
      case "RUN":
        need(i).container = withExtraCa(need(i).container, inputs.extraCa, (c) => c.withExec(i.args));
        break;
      case "CMD":
        need(i).cmd = i.args;
        need(i).container = need(i).container.withDefaultArgs(i.args);
        break;
      case "COPY": {
        const source = i.from === undefined ? inputs.context.directory(stripDot(i.src)) : imageFor(i.from, i.line).directory(i.src, { expand: true });
        need(i).container = need(i).container.withDirectory(i.dest, source, { expand: true });
        break;
      }
    }
  }
  if (!current) throw new Error(`${file}: no FROM`);
  return { container: current.container, cmd: current.cmd ?? [] };
}

function stripDot(p: string): string {
  const s = p.replace(/^\.\//, "").replace(/\/+$/, "");
  return s === "" || s === "." ? "." : s;
}

function unquote(v: string): string {
  return /^".*"$/.test(v) ? (JSON.parse(v) as string) : v;
}

function jsonArgs(rest: string): string[] | undefined {
  if (!rest.startsWith("[")) return undefined;
  try {
    const v = JSON.parse(rest) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A quoted Dockerfile value without its backslash escapes. */
const unescape = (v: string) => v.replace(/\\(.)/g, "$1");

/** A value as written: unquoted, and whether a `$` in it is a variable (not written `\\$`). */
function envValue(quoted: string | undefined, bare: string): { value: string; expand: boolean } {
  const raw = quoted ?? bare;
  return { value: unescape(raw), expand: /(^|[^\\])\$/.test(raw) };
}

function envPairs(rest: string): EnvPair[] | undefined {
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=].*)$/.exec(rest);
  if (legacy && !rest.includes("=")) return [{ name: legacy[1], value: legacy[2], expand: legacy[2].includes("$") }];
  const out: EnvPair[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("((?:[^"\\]|\\.)*)"|\S*)\s*/y;
  let pos = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    out.push({ name: m[1], ...envValue(m[3], m[2]) });
    pos = re.lastIndex;
  }
  return out.length && pos === rest.length ? out : undefined;
}

/** LABEL pairs; keys may be quoted ("io.openshift.s2i.build.image"="..."), as s2i writes them. */
function labelPairs(rest: string): [string, string][] | undefined {
  const out: [string, string][] = [];
  const re = /(?:"((?:[^"\\]|\\.)*)"|([^\s="]+))=(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*/y;
  let pos = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    out.push([m[1] !== undefined ? unescape(m[1]) : m[2], m[3] !== undefined ? unescape(m[3]) : m[4]]);
    pos = re.lastIndex;
  }
  return out.length && pos === rest.length ? out : undefined;
}
