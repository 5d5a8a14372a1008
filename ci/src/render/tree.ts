import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { TemplateError } from "../errors.js";
import type { Target } from "../matrix/types.js";
import type { RenderedFile, Renderer } from "./render.js";

/**
 * The rendered trees of several targets, merged the way upstream lays them out: one folder
 * per version key holding every distro's Dockerfile. Targets of one key share the other
 * files, so those must come out byte-identical; a difference is a template bug.
 */
export function renderTree(renderer: Renderer, targets: Target[]): RenderedFile[] {
  const byPath = new Map<string, { file: RenderedFile; from: Target }>();
  for (const t of targets) {
    for (const file of renderer.renderTarget(t)) {
      const seen = byPath.get(file.path);
      if (!seen) {
        byPath.set(file.path, { file, from: t });
      } else if (seen.file.content !== file.content || seen.file.mode !== file.mode) {
        throw new TemplateError(
          `${file.path} differs between ${seen.from.distro.id} and ${t.distro.id}; files shared by a version key must not depend on the distro`,
        );
      }
    }
  }
  return [...byPath.values()].map((e) => e.file).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The version-key folders (first path part) that files live in. */
export function versionFolders(files: RenderedFile[]): string[] {
  return [...new Set(files.map((f) => f.path.split("/")[0]))].sort();
}

/**
 * Writes files under outDir.
 *
 * - replace: each version-key folder the files live in is written beside its final place and
 *   then swapped in whole, so files the templates no longer produce go away. Used when every
 *   target of those keys is rendered (`generate` without a filter).
 * - update: only these files are written, each to a temporary file beside it that is then
 *   renamed over it; nothing else under outDir is touched. Used with --version/--distro, where
 *   the other distros' Dockerfiles of the same key must stay.
 *
 * Either way a failure leaves no half-written file: the temporaries are removed and nothing is
 * renamed until every file has been written. (The file system calls are synchronous: a
 * one-shot CLI has nothing to overlap them with, and ~170 small files go faster without a
 * thread-pool round trip per call.)
 */
export async function writeTree(outDir: string, files: RenderedFile[], mode: "replace" | "update"): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  if (mode === "replace") replaceFolders(outDir, files);
  else updateFiles(outDir, files);
}

function writeOne(path: string, f: RenderedFile, dirs: Set<string>): void {
  const dir = dirname(path);
  if (!dirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    dirs.add(dir);
  }
  writeFileSync(path, f.content);
  chmodSync(path, f.mode); // exact, whatever the umask
}

function replaceFolders(outDir: string, files: RenderedFile[]): void {
  const staging = mkdtempSync(join(outDir, ".generate-"));
  try {
    const dirs = new Set<string>();
    for (const f of files) writeOne(join(staging, f.path), f, dirs);
    for (const key of versionFolders(files)) {
      const place = join(outDir, key);
      const old = join(staging, `.old-${key}`);
      // Move the old folder aside first, so the version folder is never missing on failure.
      let hadOld = true;
      try {
        renameSync(place, old);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        hadOld = false;
      }
      try {
        renameSync(join(staging, key), place);
      } catch (e) {
        if (hadOld) renameSync(old, place);
        throw e;
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function updateFiles(outDir: string, files: RenderedFile[]): void {
  const written: [tmp: string, final: string][] = [];
  const dirs = new Set<string>();
  try {
    for (const f of files) {
      const final = join(outDir, f.path);
      const tmp = join(dirname(final), `.${basename(final)}.generate-${process.pid}`);
      written.push([tmp, final]);
      writeOne(tmp, f, dirs);
    }
  } catch (e) {
    for (const [tmp] of written) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [i, [tmp, final]] of written.entries()) {
    try {
      renameSync(tmp, final);
    } catch (e) {
      for (const [rest] of written.slice(i)) rmSync(rest, { force: true });
      throw e;
    }
  }
}

/**
 * How the tree under dir differs from freshly rendered files, one line per file, sorted by
 * path (paths relative to dir):
 *   differs: P         the content differs (or P is not a regular file)
 *   missing: P         generate would write P; dir has no such file
 *   not generated: P   P is inside a checked version folder, but generate writes no such file
 *   mode: P 0644, expected 0755
 * `expected` are the files compared; `generated` every path generate writes into the version
 * folders of `expected` (with --version/--distro, the other distros' files of those keys are
 * not compared but are not strays either). Modes are compared as git keeps them: executable
 * or not (a checkout under umask 002 gives 0664, which matches 0644). Reads only.
 */
export function checkTree(dir: string, expected: RenderedFile[], generated: ReadonlySet<string>): string[] {
  const problems: { path: string; line: string }[] = [];
  const add = (path: string, line: string) => problems.push({ path, line });
  for (const f of expected) {
    const p = join(dir, f.path);
    let st;
    try {
      st = lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "ENOTDIR") throw e;
      add(f.path, `missing: ${f.path}`);
      continue;
    }
    if (!st.isFile()) {
      add(f.path, `differs: ${f.path} (${st.isSymbolicLink() ? "a symbolic link" : st.isDirectory() ? "a folder" : "not a regular file"}, expected a file)`);
      continue;
    }
    if (readFileSync(p, "utf8") !== f.content) add(f.path, `differs: ${f.path}`);
    const exec = (m: number) => (m & 0o100) !== 0;
    if (exec(st.mode) !== exec(f.mode)) add(f.path, `mode: ${f.path} ${octal(st.mode)}, expected ${octal(f.mode)}`);
  }
  for (const key of versionFolders(expected)) {
    for (const path of filesUnder(dir, key)) {
      if (!generated.has(path)) add(path, `not generated: ${path}`);
    }
  }
  return problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((p) => p.line);
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, "0");
}

/** Every non-folder entry below dir/key, as "/"-separated paths relative to dir; none when dir/key is absent. */
function filesUnder(dir: string, key: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, key), { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw e;
  }
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"));
}
