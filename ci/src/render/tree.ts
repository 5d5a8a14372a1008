import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
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

/**
 * Writes files under outDir. Each version-key folder is written beside its final place and
 * then swapped in, so a failure leaves no half-written folder behind.
 */
export async function writeTree(outDir: string, files: RenderedFile[]): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const keys = [...new Set(files.map((f) => f.path.split("/")[0]))];
  const staging = await mkdtemp(join(outDir, ".generate-"));
  try {
    for (const f of files) {
      const p = join(staging, f.path);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.content);
      await chmod(p, f.mode);
    }
    for (const key of keys) {
      await rm(join(outDir, key), { recursive: true, force: true });
      await rename(join(staging, key), join(outDir, key));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
