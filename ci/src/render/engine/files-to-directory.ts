import { dag, type Directory } from "@dagger.io/dagger";
import type { RenderedFile } from "../render.js";

/** Rendered files as a Directory: same paths (starting with the version key), contents and modes. */
export function filesToDirectory(files: RenderedFile[]): Directory {
  let dir = dag.directory();
  for (const f of files) dir = dir.withNewFile(f.path, f.content, { permissions: f.mode });
  return dir;
}
