// The rendered s2i scripts as text: no Handlebars left, only usage differs between full and
// minimal, every script parses (sh -n, bash -n, Python's ast), assemble, run and save-artifacts share unquote_env.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { scriptLanguage } from "../ci/src/render/script-lint.js";
import { full, minimal, bin, scripts, run, hostPython, removeScratch } from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);
test("the rendered scripts leave no Handlebars syntax and only usage differs between full and minimal", (t) => {
  const differing = scripts.filter((rel) => fs.readFileSync(path.join(full, rel), "utf8") !== fs.readFileSync(path.join(minimal, rel), "utf8"));
  t.deepEqual(differing, ["s2i/bin/usage"]);
  for (const rel of scripts) {
    const text = fs.readFileSync(path.join(full, rel), "utf8");
    t.false(text.includes("{{"), rel);
    t.true(text.startsWith("#!") || text.startsWith("# shellcheck shell=bash"), rel);
  }
  t.true(fs.readFileSync(bin("s2i/bin/assemble"), "utf8").includes("python3.11 -m venv"));
});

for (const [variant, dir] of [
  ["full", full],
  ["minimal", minimal],
] as const) {
  for (const rel of scripts) {
    // The shellcheck lint of every target's scripts runs in a container: the module's lint function.
    test(`${variant} ${rel}: syntax`, async (t) => {
      const file = path.join(dir, rel);
      const shell = scriptLanguage(fs.readFileSync(file, "utf8"));
      t.truthy(shell, `${rel}: a first line naming sh, bash or python`);
      if (shell === "python") {
        const compiled = await run(hostPython, ["-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())", file]);
        t.is(compiled.code, 0, compiled.stderr);
        return;
      }
      const syntax = await run(shell === "sh" ? "sh" : "bash", ["-n", file]);
      t.is(syntax.code, 0, syntax.stderr);
    });
  }
}

test("assemble, run and save-artifacts define the same unquote_env", (t) => {
  const definition = (rel: string) => {
    const text = fs.readFileSync(bin(rel), "utf8");
    const match = /^unquote_env\(\) \{\n[\s\S]*?\n\}\n/m.exec(text);
    t.truthy(match, rel);
    return match?.[0];
  };
  t.is(definition("s2i/bin/assemble"), definition("s2i/bin/run"));
  t.is(definition("s2i/bin/save-artifacts"), definition("s2i/bin/run"));
});
