import { Renderer } from "./render/render.js";
import type { SourceReader } from "./source.js";
import { loadSpec } from "./matrix/load.js";
import type { Spec } from "./matrix/types.js";
import { loadSampleApps, type SampleApp } from "./verify/apps.js";

/** Everything read from a checkout: the spec, the compiled templates and the sample-app table. */
export interface Project {
  spec: Spec;
  renderer: Renderer;
  apps: SampleApp[];
}

/** Loads and validates the specs, compiles every template and reads the app table: the start of every command. */
export async function loadProject(source: SourceReader): Promise<Project> {
  const spec = await loadSpec(source);
  const [renderer, apps] = await Promise.all([Renderer.load(source, spec), loadSampleApps(source)]);
  return { spec, renderer, apps };
}
