import { Renderer } from "./render/render.js";
import type { SourceReader } from "./spec/source.js";
import { loadSpec } from "./spec/load-spec.js";
import type { Spec } from "./spec/types.js";
import { loadSampleApps, type SampleApp } from "./spec/sample-apps.js";

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
