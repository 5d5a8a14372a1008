/**
 * The lint of the rendered scripts (the `lint` function): which files are scripts, in which
 * language, the shell script that lints them in a container (render/engine/script-lint-run.ts),
 * and what its output says. Shell scripts get `sh -n` or `bash -n` and shellcheck at its
 * strictest severity (style); Python scripts get `python3 -m py_compile`.
 */
import { ChecksFailedError } from "../errors.js";
import type { RenderedFile } from "./render.js";

export type ScriptLanguage = "sh" | "bash" | "python";

/** One distinct script text and every rendered path that has it. */
export interface LintItem {
  language: ScriptLanguage;
  content: string;
  paths: string[];
}

/** Where the scripts of a tree live: the s2i scripts and the helpers copied into the image. */
const SCRIPT_DIRS = /^[^/]+\/(s2i\/bin|root\/usr\/bin|root\/opt\/app-root\/etc)\//;

/** A script's language, from its first line (generate_container_user is sourced by bash and says so). */
export function scriptLanguage(content: string): ScriptLanguage | undefined {
  const first = content.split("\n", 1)[0];
  if (/^#!.*\bpython/.test(first)) return "python";
  if (first === "#!/bin/sh") return "sh";
  if (/^#!.*\bbash\b/.test(first) || first === "# shellcheck shell=bash") return "bash";
  return undefined;
}

/** The scripts of rendered files, one item per distinct text, in path order. */
export function lintItems(files: RenderedFile[]): LintItem[] {
  const byContent = new Map<string, LintItem>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    if (!SCRIPT_DIRS.test(f.path)) continue;
    const language = scriptLanguage(f.content);
    if (!language) throw new ChecksFailedError(`${f.path}: not a script this lint knows (its first line names no sh, bash or python)`);
    const seen = byContent.get(f.content);
    if (seen) seen.paths.push(f.path);
    else byContent.set(f.content, { language, content: f.content, paths: [f.path] });
  }
  return [...byContent.values()];
}

/** The container's files: each script as files/<n>, and the manifest "<language> <n>" per line. */
export function lintFiles(items: LintItem[]): Record<string, string> {
  const out: Record<string, string> = { manifest: items.map((it, i) => `${it.language} ${i}`).join("\n") + "\n", "lint.sh": LINT_SCRIPT };
  items.forEach((it, i) => (out[`files/${i}`] = it.content));
  return out;
}

/** Lints every file of the manifest; prints "@@fail <n>" and the findings per failing file, then "@@done <count>". */
export const LINT_SCRIPT = `set -u
cd "$(dirname "$0")"
lint() {
  if [ "$1" = python ]; then python3 -m py_compile "$2"; else "$1" -n "$2" && shellcheck --shell "$1" --severity style "$2"; fi
}
n=0
while read -r language name; do
  n=$((n + 1))
  if ! out=$(lint "$language" "files/$name" 2>&1); then printf '@@fail %s\\n%s\\n' "$name" "$out"; fi
done < manifest
printf '@@done %s\\n' "$n"
`;

/** The apt packages the lint container installs. */
export const LINT_PACKAGES = ["shellcheck", "python3"];

/** The lint's verdict: a summary line, or a ChecksFailedError naming each finding by the rendered paths that have it. */
export function judgeLint(items: LintItem[], output: string): string {
  const done = /^@@done (\d+)$/m.exec(output);
  if (!done || Number(done[1]) !== items.length)
    throw new ChecksFailedError(`the lint did not go through its ${items.length} scripts:\n${output.slice(-2000)}`);
  const findings: string[] = [];
  for (const part of output.split(/^(?=@@)/m)) {
    const m = /^@@fail (\d+)\n([\s\S]*)$/.exec(part);
    if (!m) continue;
    const item = items[Number(m[1])];
    findings.push(`${item.paths.join(", ")} (${item.language}):\n${m[2].trimEnd().replaceAll(`files/${m[1]}`, item.paths[0])}`);
  }
  if (findings.length) throw new ChecksFailedError(`${findings.length} of ${items.length} distinct scripts have lint findings:\n${findings.join("\n")}`);
  const paths = items.reduce((n, it) => n + it.paths.length, 0);
  return `lint: ${paths} rendered scripts (${items.length} distinct) pass sh -n or bash -n and shellcheck --severity style, or python3 -m py_compile`;
}
