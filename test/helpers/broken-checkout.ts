/**
 * A copy of what the module reads (specs, templates, sample apps) with a deliberate defect, for
 * the engine-backed self-tests: `npm run dagger -- call --source DIR ...` must then go red.
 */
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
