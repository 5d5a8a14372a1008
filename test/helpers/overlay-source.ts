import type { SourceReader } from "../../ci/src/spec/source.js";
import { FsSource } from "../../ci/src/spec/source.js";
import { projectRoot } from "./project.js";

/** The real checkout with some files replaced (or added) in memory: for bad-spec and bad-template tests. */
export class OverlaySource implements SourceReader {
  private readonly base = new FsSource(projectRoot);
  constructor(private readonly files: Record<string, string>) {}

  read(path: string): Promise<string> {
    return path in this.files ? Promise.resolve(this.files[path]) : this.base.read(path);
  }

  async list(dir: string): Promise<string[]> {
    const extra = Object.keys(this.files).filter((p) => p.startsWith(`${dir}/`));
    return [...new Set([...(await this.base.list(dir)), ...extra])].sort();
  }
}
