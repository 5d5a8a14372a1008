import { Renderer } from "./render/render.js";
import type { SourceReader } from "./source.js";
import { loadSpec } from "./spec/load.js";
import type { Spec } from "./spec/types.js";

export interface Project {
  spec: Spec;
  renderer: Renderer;
}

/** Loads and validates the specs and compiles every template: the start of every command. */
export async function loadProject(source: SourceReader): Promise<Project> {
  const spec = await loadSpec(source);
  return { spec, renderer: await Renderer.load(source, spec) };
}
