import type { Directory } from "@dagger.io/dagger";
import { loadProject, type Project } from "../../project.js";
import { DirectorySource } from "./directory-source.js";

/** The project as the module sees it: what loadProject reads, and the checkout it came from. */
export interface ModuleProject extends Project {
  source: Directory;
}

const loaded = new WeakMap<Directory, Promise<ModuleProject>>();

/**
 * Loads the project from the source Directory, once per Directory object. This reads files
 * only; no container is created here, so bad input checked against the spec afterwards is
 * rejected before any build starts.
 */
export function moduleProject(source: Directory): Promise<ModuleProject> {
  let p = loaded.get(source);
  if (!p) {
    p = loadProject(new DirectorySource(source)).then((project) => ({ ...project, source }));
    p.catch(() => loaded.delete(source));
    loaded.set(source, p);
  }
  return p;
}
