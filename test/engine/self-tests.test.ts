// The checks can fail: the module's own `test`, pointed (--source) at a copy of the checkout
// with one deliberate defect, must fail and name the app; the intact checkout then passes.
import test from "ava";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { brokenCheckout, replaceInTemplates } from "../helpers/broken-checkout.js";
import { daggerCall, explainCall, HOST_CA } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";

const VERSION = "3.11-minimal";
const DISTRO = "debian12";

const defects: [string, string, (root: string) => Promise<number>][] = [
  ["a run script that exits 1", "app-home", async (root) => (await writeFile(join(root, "templates/s2i/bin/run.hbs"), "#!/bin/bash\nexit 1\n"), 1)],
  ["no en_US.UTF-8 locale in the image", "locale", (root) => replaceInTemplates(root, /localedef\b[^&\n]*/g, "true ")],
  // Debian's dash as /bin/sh, as before the images made it bash: `sh -c run` stays PID 1 and drops SIGTERM.
  ["dash as /bin/sh", "app-home", (root) => replaceInTemplates(root, /^ *if dpkg -S \/usr\/bin\/sh .*\n *ln -sf bash \/usr\/bin\/sh && \\\n/gm, "")],
  // assemble without its uv.lock branch: pip installs the project from pyproject.toml, unpinned.
  ["an assemble that ignores uv.lock", "uv-src-layout", (root) => replaceInTemplates(root, /^elif \[\[ -f uv\.lock && .*$/m, "elif false; then")],
  // uv syncing without --locked quietly locks the stale project again instead of failing.
  ["uv without --locked", "uv-stale-lock", (root) => replaceInTemplates(root, / --locked\b/g, "")],
  // An incremental build that gets nothing: the rebuild, offline for uv, cannot install Django.
  [
    "a save-artifacts that hands over nothing",
    "django-incremental",
    async (root) => (await writeFile(join(root, "templates/s2i/bin/save-artifacts.hbs"), "#!/bin/bash\ntar -cf - --files-from /dev/null\n"), 1),
  ],
];

test.before("a Dagger engine answers", bringUpEngine);

for (const [defect, app, edit] of defects) {
  test.serial(`self-test: ${defect} makes ${app} on ${VERSION} on ${DISTRO} fail (red), the intact image passes (green)`, async (t) => {
    if (engineProblem()) return t.fail(engineProblem());
    const words = ["test", "--version", VERSION, "--distro", DISTRO, "--apps", app, "--extra-ca", HOST_CA];
    const broken = await brokenCheckout(edit);
    const red = await daggerCall(["--source", broken, ...words], `red: ${defect}`);
    t.is(red.code, 1, `with ${defect}, test must fail: ${explainCall(red)}`);
    const verdict = red.stderr.split("\n").filter((l) => l.includes(`${app} on ${VERSION} on ${DISTRO}`));
    t.true(verdict.length > 0, `the failure names ${app}: ${explainCall(red)}`);
    t.log(`red:   ${verdict[0]?.trim()}`);
    const green = await daggerCall(words, `green: ${app}`);
    t.is(green.code, 0, `the intact checkout passes: ${explainCall(green)}`);
    t.log(`green: ${app} on ${VERSION} on ${DISTRO} passes on the intact checkout (${green.seconds.toFixed(0)} s)`);
  });
}
