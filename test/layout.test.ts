// ci/src is laid out by stage (ci/src/README.md): pure code at the top of each stage's folder,
// code that talks to the engine in its engine/ subfolder. These tests hold the rule, read from
// the files' import lines: what may import the Dagger SDK, no import cycle, one meaning per name.
import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { projectRoot } from "./helpers/project.js";

const SRC = join(projectRoot, "ci/src");
const STAGES = ["spec", "render", "build", "verify", "publish"];

/** Every .ts file of ci/src, relative to ci/src. */
const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts"))
  .map((e) => relative(SRC, join(e.parentPath, e.name)))
  .sort();

/** The modules a file imports (static, dynamic and type-only imports and re-exports alike). */
export function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)].map((m) => m[1]);
}

/** The ci/src files a file imports, relative to ci/src (".js" specifiers name the ".ts" files). */
function localImports(file: string, text: string): string[] {
  return importsOf(text)
    .filter((s) => s.startsWith("."))
    .map((s) => relative(SRC, resolve(dirname(join(SRC, file)), s.replace(/\.js$/, ".ts"))));
}

/** An import cycle of a graph, as the files around it, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === "done") return undefined;
    if (state.get(f) === "open") return [...path.slice(path.indexOf(f)), f];
    state.set(f, "open");
    path.push(f);
    for (const next of graph.get(f) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(f, "done");
    return undefined;
  };
  for (const f of graph.keys()) {
    const cycle = visit(f);
    if (cycle) return cycle;
  }
  return undefined;
}

const text = new Map(files.map((f) => [f, readFileSync(join(SRC, f), "utf8")]));

test("ci/src holds the five stages, index.ts and at most two shared files", (t) => {
  const top = readdirSync(SRC, { withFileTypes: true });
  t.deepEqual(
    top
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(),
    [...STAGES].sort(),
  );
  const shared = top.filter((e) => e.isFile() && e.name.endsWith(".ts") && e.name !== "index.ts").map((e) => e.name);
  t.true(shared.includes("errors.ts"), "errors.ts stays at ci/src/errors.ts (local-engine imports it)");
  t.true(shared.length <= 2, `shared files: ${shared.join(", ")}`);
  for (const f of files.filter((x) => x.includes("/engine/"))) t.regex(f, new RegExp(`^(${STAGES.join("|")})/engine/[^/]+\\.ts$`), f);
});

test("only index.ts and the stages' engine/ folders import @dagger.io/dagger (types too)", (t) => {
  const outside = files.filter((f) => f !== "index.ts" && !f.includes("/engine/") && importsOf(text.get(f)!).some((s) => s.startsWith("@dagger.io/dagger")));
  t.deepEqual(outside, []);
  t.true(
    files.some((f) => f.includes("/engine/") && importsOf(text.get(f)!).includes("@dagger.io/dagger")),
    "the reader sees SDK imports at all",
  );
});

test("the generator CLI (ci/cli.ts) reaches only pure code", (t) => {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of localImports(file, readFileSync(join(SRC, file), "utf8"))) walk(next);
  };
  for (const f of localImports("../cli.ts", readFileSync(join(projectRoot, "ci/cli.ts"), "utf8"))) walk(f);
  t.true(seen.size > 5, `${seen.size} files`);
  t.deepEqual(
    [...seen].filter((f) => f === "index.ts" || f.includes("/engine/")),
    [],
  );
});

test("no import cycle among the files of ci/src", (t) => {
  const graph = new Map(files.map((f) => [f, localImports(f, text.get(f)!)]));
  for (const [f, deps] of graph) for (const d of deps) t.true(text.has(d), `${f} imports ${d}, which is not a file of ci/src`);
  const cycle = findCycle(graph);
  t.is(cycle, undefined, `import cycle: ${cycle?.join(" -> ")}`);
});

test("the cycle finder finds a cycle, and none where there is none", (t) => {
  t.deepEqual(
    findCycle(
      new Map([
        ["a", ["b"]],
        ["b", ["c"]],
        ["c", ["a"]],
      ]),
    ),
    ["a", "b", "c", "a"],
  );
  t.is(
    findCycle(
      new Map([
        ["a", ["b", "c"]],
        ["b", ["c"]],
        ["c", []],
      ]),
    ),
    undefined,
  );
  t.deepEqual(importsOf('import type { X } from "./x.js";\nexport { y } from "../y.js";\nconst z = await import("./z.js");\nimport "./side.js";'), [
    "./x.js",
    "../y.js",
    "./z.js",
    "./side.js",
  ]);
});

test("one meaning per name: no two files of ci/src share a base name", (t) => {
  const byName = new Map<string, string[]>();
  for (const f of files) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f]);
  t.deepEqual(
    [...byName.values()].filter((fs) => fs.length > 1),
    [],
  );
});
