import type { Directory } from "@dagger.io/dagger";
import type { SourceReader } from "../source.js";

/**
 * Reads the project (specs, templates, sample apps) from the module's `source` Directory:
 * the same SourceReader the CLI and the tests get from the checkout on disk.
 */
export class DirectorySource implements SourceReader {
  constructor(readonly root: Directory) {}

  read(path: string): Promise<string> {
    return this.root.file(path).contents();
  }

  /** Every file below dir, project-relative, sorted. glob marks directories with a trailing "/". */
  async list(dir: string): Promise<string[]> {
    const found = await this.root.directory(dir).glob("**/*");
    return found
      .filter((p) => !p.endsWith("/"))
      .map((p) => `${dir.replace(/\/+$/, "")}/${p.replace(/^\.?\//, "")}`)
      .sort();
  }
}
