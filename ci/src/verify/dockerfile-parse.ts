import type { Target } from "../spec/types.js";

/**
 * The parser of a small Dockerfile interpreter for the rendered test Dockerfiles
 * (<key>/test/from-dockerfile/{uwsgi,mod_wsgi}.Dockerfile.<distro>); the replay is
 * verify/engine/dockerfile-replay.ts.
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

/** The test Dockerfiles the templates render: the minimal images' uwsgi and mod_wsgi, the full images' assemble and pip. */
export type TestDockerfile = "uwsgi" | "mod_wsgi" | "assemble" | "pip";

/** The rendered test Dockerfile of this target, e.g. "3.12-minimal/test/from-dockerfile/uwsgi.Dockerfile.c9s". */
export function testDockerfilePath(t: Target, kind: TestDockerfile): string {
  return `${t.version.key}/test/from-dockerfile/${kind}.Dockerfile.${t.distro.dockerfile}`;
}
