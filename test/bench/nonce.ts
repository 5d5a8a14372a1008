/** A renderer whose Dockerfiles carry one more line right after their first FROM: a cold build of the same sources. */
import { dockerfilePath } from "../../ci/src/spec/select.js";
import type { Target } from "../../ci/src/spec/types.js";
import type { RenderedFile, Renderer } from "../../ci/src/render/render.js";

/** `line` (e.g. `ENV S2I_BENCH_NONCE=...` or `ARG ...`) goes right after the first FROM, so every step after the base pull runs again. */
export function withLineAfterFrom(renderer: Renderer, line: string): Renderer {
  const shim = Object.create(renderer) as Renderer;
  shim.buildContext = (t: Target): RenderedFile[] =>
    renderer.buildContext(t).map((f) => (f.path === dockerfilePath(t) ? { ...f, content: f.content.replace(/^(FROM .*)$/m, `$1\n${line}`) } : f));
  return shim;
}
