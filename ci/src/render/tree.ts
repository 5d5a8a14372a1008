import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { TemplateError } from "../errors.js";
import { VERSION_KEY } from "../spec/load-spec.js";
import type { Target } from "../spec/types.js";
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
 * Writes files under outDir, each to a temporary file beside it that is renamed over it once
 * every file has been written: a failure leaves no half-written file (the temporaries go).
 *
 * - "replace" (generate without a filter, every target of those keys): afterwards each version
 *   folder holds exactly these files. What the templates no longer produce is removed, and a
 *   file or folder in the way of a new one is cleared.
 * - "update" (generate --version/--distro): only these files are written; nothing else under
 *   outDir is touched, so the other distros' Dockerfiles of a version key stay.
 *
 * Files are replaced in place rather than by swapping in a fresh copy of each version folder:
 * removing the old copy's ~170 files cost more than the rest of the write. The calls are
 * synchronous: a one-shot CLI has nothing to overlap them with.
 */
export async function writeTree(outDir: string, files: RenderedFile[], mode: "replace" | "update"): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const replace = mode === "replace";
  const pending: [tmp: string, final: string][] = [];
  const dirs = new Set<string>();
  try {
    for (const f of files) {
      const final = join(outDir, f.path);
      ensureDir(outDir, dirname(final), dirs, replace);
      const tmp = join(dirname(final), `.${basename(final)}.generate-${process.pid}`);
      pending.push([tmp, final]);
      writeFileSync(tmp, f.content);
      chmodSync(tmp, f.mode); // exact, whatever the umask
    }
  } catch (e) {
    for (const [tmp] of pending) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [i, [tmp, final]] of pending.entries()) {
    try {
      try {
        renameSync(tmp, final);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (!replace || (code !== "EISDIR" && code !== "ENOTEMPTY" && code !== "EEXIST")) throw e;
        removeTree(final); // a folder where the file goes
        renameSync(tmp, final);
      }
    } catch (e) {
      for (const [rest] of pending.slice(i)) rmSync(rest, { force: true });
      throw e;
    }
  }
  if (replace) removeStale(outDir, files);
}

/**
 * mkdir -p, once per folder. With clear, a file or a symbolic link where a folder goes is
 * removed first (mkdir -p would write through a link, out of the tree).
 */
function ensureDir(outDir: string, dir: string, made: Set<string>, clear: boolean): void {
  if (made.has(dir)) return;
  if (!clear) {
    mkdirSync(dir, { recursive: true });
  } else {
    let p = outDir;
    for (const part of relative(outDir, dir).split(sep)) {
      p = join(p, part);
      if (made.has(p)) continue;
      const st = lstatSync(p, { throwIfNoEntry: false });
      if (st && !st.isDirectory()) unlinkSync(p);
      if (!st?.isDirectory()) mkdirSync(p);
      made.add(p);
    }
  }
  made.add(dir);
}

/** In the version folders of files, removes every entry that is neither one of files nor a folder holding one. */
function removeStale(outDir: string, files: RenderedFile[]): void {
  const keep = new Set(files.map((f) => f.path));
  const keepDirs = new Set<string>();
  for (const path of keep) for (let d = path; d.includes("/");) keepDirs.add((d = d.slice(0, d.lastIndexOf("/"))));
  const emptied: string[] = [];
  for (const key of versionFolders(files)) {
    for (const e of readdirSync(join(outDir, key), { recursive: true, withFileTypes: true })) {
      const full = join(e.parentPath, e.name);
      const path = relative(outDir, full).split(sep).join("/");
      if (e.isDirectory()) {
        if (!keepDirs.has(path)) emptied.push(full);
      } else if (!keep.has(path)) {
        unlinkSync(full);
      }
    }
  }
  // Deepest first: a stale folder holds no kept file, so it is empty once its stale files are gone.
  for (const d of emptied.sort((a, b) => b.length - a.length)) rmdirSync(d);
}

/** rm -r for a folder in the way: one listing, then unlink and rmdir. */
export function removeTree(dir: string): void {
  const subdirs: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    if (e.isDirectory()) subdirs.push(p);
    else unlinkSync(p);
  }
  for (const d of subdirs.sort((a, b) => b.length - a.length)) rmdirSync(d);
  rmdirSync(dir);
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
export function compareTree(dir: string, expected: RenderedFile[], generated: ReadonlySet<string>): string[] {
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
export function filesUnder(dir: string, key: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, key), { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw e;
  }
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"));
}

/**
 * The folders of dir named as a version key (3.12, 3.12-minimal) that no key of the spec is:
 * what a version dropped from specs/versions.yml left behind. Other folders are not ours.
 */
export function strayVersionFolders(dir: string, keys: ReadonlySet<string>): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return entries
    .filter((e) => e.isDirectory() && VERSION_KEY.test(e.name) && !keys.has(e.name))
    .map((e) => e.name)
    .sort();
}
