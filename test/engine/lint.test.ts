// The lint of the rendered scripts, in a Debian container through the module's own `lint`
// function: every target's scripts pass, and a deliberately broken script makes it fail,
// naming the rendered file and the finding.
import test from "ava";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lintItems } from "../../ci/src/render/script-lint.js";
import { renderTree } from "../../ci/src/render/tree.js";
import { brokenCheckout } from "../helpers/broken-checkout.js";
import { daggerCall, explainCall } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { project } from "../helpers/project.js";
import { removeWhenDone } from "../helpers/scratch.js";

test.before("a Dagger engine answers", bringUpEngine);

test.serial("lint: every target's rendered scripts pass sh -n/bash -n, shellcheck --severity style and py_compile", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const { spec, renderer } = await project();
  const items = lintItems(renderTree(renderer, spec.targets));
  const r = await daggerCall(["lint"], "lint");
  t.is(r.code, 0, explainCall(r));
  const paths = items.reduce((n, it) => n + it.paths.length, 0);
  t.is(
    r.stdout.trim().split("\n").pop(),
    `lint: ${paths} rendered scripts (${items.length} distinct) pass sh -n or bash -n and shellcheck --severity style, or python3 -m py_compile`,
  );
  t.true(
    items.some((i) => i.language === "python") && items.some((i) => i.language === "sh") && items.some((i) => i.language === "bash"),
    "all three languages are linted",
  );
});

test.serial("lint goes red on a broken script: an unquoted variable (shellcheck) and a Python syntax error (py_compile)", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const broken = await brokenCheckout(async (root) => {
    const fp = join(root, "templates/root/usr/bin/fix-permissions.hbs");
    await writeFile(fp, `${await readFile(fp, "utf8")}ls $target\n`);
    const cg = join(root, "templates/root/usr/bin/cgroup-limits.hbs");
    await writeFile(cg, `${await readFile(cg, "utf8")}def broken(:\n`);
    return 2;
  });
  removeWhenDone(t, broken);
  const r = await daggerCall(["--source", broken, "lint", "--version", "3.11-minimal"], "lint, broken");
  t.is(r.code, 1, explainCall(r));
  t.regex(r.stderr, /3\.11-minimal\/root\/usr\/bin\/fix-permissions \(sh\):[\s\S]*SC2086/, explainCall(r));
  t.regex(r.stderr, /3\.11-minimal\/root\/usr\/bin\/cgroup-limits \(python\):[\s\S]*SyntaxError/, explainCall(r));
  t.log(
    r.stderr
      .split("\n")
      .filter((l) => /SC2086|SyntaxError|distinct scripts/.test(l))
      .join("\n"),
  );
});
