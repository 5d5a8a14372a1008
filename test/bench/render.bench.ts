// Benchmark: render every file of every target in one process, as `generate` does, and print
// the wall time and the file count. Goal: the whole matrix in under 1 s.
//   npm run bench:render
import { loadProject } from "../../ci/src/project.js";
import { renderTree } from "../../ci/src/render/tree.js";
import { FsSource } from "../../ci/src/source.js";
import { projectRoot } from "../helpers/project.js";

const t0 = performance.now();
const { spec, renderer } = await loadProject(new FsSource(projectRoot));
const t1 = performance.now();
const files = renderTree(renderer, spec.targets);
const t2 = performance.now();
let warm = Infinity;
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  renderTree(renderer, spec.targets);
  warm = Math.min(warm, performance.now() - s);
}
const bytes = files.reduce((n, f) => n + f.content.length, 0);
console.log(`targets: ${spec.targets.length}, files: ${files.length}, bytes: ${bytes}`);
console.log(`load specs + compile templates: ${(t1 - t0).toFixed(1)} ms`);
console.log(`render whole matrix (first): ${(t2 - t1).toFixed(1)} ms`);
console.log(`render whole matrix (best of 5 warm): ${warm.toFixed(1)} ms`);
console.log(`total (load + first render): ${(t2 - t0).toFixed(1)} ms — goal < 1000 ms: ${t2 - t0 < 1000 ? "met" : "NOT met"}`);
