import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/**
 * Where specs, templates and sample apps are read from. The CLI and the tests read the
 * checkout on disk; the Dagger module reads the same files from a Directory argument.
 * Paths are relative to the project root and use "/".
 */
export interface SourceReader {
  read(path: string): Promise<string>;
  /** Every file below dir (recursively), as project-relative paths, sorted. */
  list(dir: string): Promise<string[]>;
}

/** Reads the project from a folder on disk. */
export class FsSource implements SourceReader {
  constructor(readonly root: string) {}

  read(path: string): Promise<string> {
    return readFile(join(this.root, path), "utf8");
  }

  async list(dir: string): Promise<string[]> {
    const entries = await readdir(join(this.root, dir), { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join("/"))
      .sort();
  }
}
