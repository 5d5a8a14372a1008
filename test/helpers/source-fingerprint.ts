/**
 * A fingerprint of what a module call's outcome depends on: the pipeline's code (ci/src) and
 * what it reads (specs, templates, the sample apps). A report exported with the fingerprint of
 * the checkout it ran on can stand in for a run on the same checkout (the red/green tests reuse
 * the green runs of debian-images.test.ts so).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "./project.js";

const INPUTS = ["ci/src", "specs", "templates", "test/apps"];
const FILE = "source.sha256";

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const dir of INPUTS) {
    const files = readdirSync(join(projectRoot, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(projectRoot, join(e.parentPath, e.name)))
      .sort();
    for (const f of files) hash.update(`${f}\n`).update(readFileSync(join(projectRoot, f)));
  }
  return hash.digest("hex");
}

/** Records that the report in `dir` (relative to the checkout) ran on the checkout of `fingerprint`. */
export function markReport(dir: string, fingerprint: string): void {
  writeFileSync(join(projectRoot, dir, FILE), `${fingerprint}\n`);
}

/** Whether the report in `dir` ran on this very checkout. */
export function reportIsCurrent(dir: string, fingerprint = sourceFingerprint()): boolean {
  const file = join(projectRoot, dir, FILE);
  return existsSync(file) && readFileSync(file, "utf8").trim() === fingerprint;
}
