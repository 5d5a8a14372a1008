/**
 * A copy of what the module reads (specs, templates, sample apps) with a deliberate defect, for
 * the engine-backed self-tests: `npm run dagger -- call --source DIR ...` must then go red.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "./project.js";

/** The copy, changed by `edit`, which returns how many files it changed (none is an error: the test would prove nothing). */
export async function brokenCheckout(edit: (root: string) => Promise<number>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "s2i-self-test-"));
  for (const p of ["specs", "templates", "test/apps"]) await cp(join(projectRoot, p), join(dir, p), { recursive: true });
  const changed = await edit(dir);
  if (changed === 0) throw new Error("the edit changed nothing: the self-test would prove nothing");
  return dir;
}

/** Replaces a regular expression in every template that has it; returns how many files changed. */
export async function replaceInTemplates(root: string, re: RegExp, by: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(join(root, "templates"), { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    const text = await readFile(p, "utf8");
    if (re.test(text)) {
      await writeFile(p, text.replace(re, by));
      n++;
    }
  }
  return n;
}

/** Rewrites one file of the copy (a path under it); returns 1, or throws when the rewrite changed nothing. */
export async function editFile(root: string, path: string, rewrite: (text: string) => string): Promise<number> {
  const p = join(root, path);
  const text = await readFile(p, "utf8");
  const changed = rewrite(text);
  if (changed === text) throw new Error(`the edit of ${path} changed nothing: the self-test would prove nothing`);
  await writeFile(p, changed);
  return 1;
}

/** Writes a new file into the copy (an app's file, say); returns 1. */
export async function addFile(root: string, path: string, content: string): Promise<number> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
  return 1;
}

/**
 * Puts Dockerfile instructions at the end of an image template, before its final `USER 1001`
 * (so they run as root, after every other step: the layers before them stay cached).
 */
export function atImageEnd(root: string, template: string, instructions: string): Promise<number> {
  return editFile(root, `templates/dockerfile/${template}`, (text) => {
    const at = text.lastIndexOf("\nUSER 1001\n");
    if (at < 0) throw new Error(`templates/dockerfile/${template} has no final USER 1001`);
    return `${text.slice(0, at)}\n${instructions.trim()}\n${text.slice(at)}`;
  });
}
