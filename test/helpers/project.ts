import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProject, type Project } from "../../ci/src/project.js";
import { FsSource } from "../../ci/src/spec/source.js";

/** The checkout's root folder. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

let cached: Promise<Project> | undefined;

/** The real specs and templates, loaded once per test file. */
export function project(): Promise<Project> {
  cached ??= loadProject(new FsSource(projectRoot));
  return cached;
}
