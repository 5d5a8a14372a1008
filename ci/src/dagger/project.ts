import type { Directory } from "@dagger.io/dagger";
import { loadProject, type Project } from "../project.js";
import { loadSampleApps } from "../spec/load.js";
import type { SampleApp } from "../spec/types.js";
import { DirectorySource } from "./source.js";

/** The project as the module sees it: spec, renderer, the sample-app table and the source tree. */
export interface ModuleProject extends Project {
  apps: SampleApp[];
  source: Directory;
}

const loaded = new WeakMap<Directory, Promise<ModuleProject>>();

/**
 * Loads specs, templates and the sample-app table from the source Directory, once per
 * Directory object. This reads files only; no container is created here, so bad input
 * checked against the spec afterwards is rejected before any build starts.
 */
export function moduleProject(source: Directory): Promise<ModuleProject> {
  let p = loaded.get(source);
  if (!p) {
    const reader = new DirectorySource(source);
    p = Promise.all([loadProject(reader), loadSampleApps(reader)]).then(([project, apps]) => ({ ...project, apps, source }));
    p.catch(() => loaded.delete(source));
    loaded.set(source, p);
  }
  return p;
}
