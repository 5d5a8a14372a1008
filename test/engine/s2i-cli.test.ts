// The real s2i CLI as a client: `s2i build --as-dockerfile` writes each sample app's Dockerfile
// and context, as users make them, and the module's test-dockerfiles builds them on every
// Debian image, runs each as arbitrary uids and probes it (or sees its build fail as expected).
import test from "ava";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { targetImageName } from "../../ci/src/spec/image.js";
import { targetName } from "../../ci/src/spec/select.js";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { inSlot } from "../helpers/call-slots.js";
import { project, projectRoot } from "../helpers/project.js";
import { removeWhenDone } from "../helpers/scratch.js";

/** A plain requirements app, Django, one set up only by .s2i/environment, a poetry src layout, a uv project, quoted values, and one that must fail. */
const APPS = ["standalone", "django", "app-module", "poetry-src-layout", "uv-src-layout", "quoted-environment", "pipenv-and-micropipenv-should-fail"];

const { spec } = await project();
const debian = spec.targets.filter((t) => t.distro.family === "deb");
let s2i = "";
let s2iProblem: string | undefined;

test.before("a Dagger engine answers, and the s2i CLI is built", async () => {
  await bringUpEngine();
  try {
    s2i = execFileSync("bash", [join(projectRoot, "local-engine/s2i-cli.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .pop()!;
  } catch (e) {
    s2iProblem = `local-engine/s2i-cli.sh could not build the s2i CLI: ${(e as Error).message}`;
  }
});

for (const t of debian) {
  // The targets run a few at once (inSlot), each with its own contexts and report folder.
  test(`${targetName(t)}: sample apps built with the real s2i CLI (--as-dockerfile), run and probed`, (tt) =>
    inSlot(async () => {
      const problem = engineProblem() ?? s2iProblem;
      if (problem) return tt.fail(problem);
      const builder = `localhost/${targetImageName(t)}:latest`;
      const contexts = removeWhenDone(tt, await mkdtemp(join(tmpdir(), "s2i-cli-")));
      for (const app of APPS) {
        execFileSync(s2i, ["build", "--as-dockerfile", join(contexts, app, "Dockerfile"), join(projectRoot, "test/apps", app), builder], { stdio: "pipe" });
      }
      const dockerfile = await readFile(join(contexts, "app-module", "Dockerfile"), "utf8");
      tt.regex(dockerfile, new RegExp(`^FROM ${builder.replace(/[.]/g, "\\.")}$`, "m"), "s2i names the builder in FROM");
      tt.regex(dockerfile, /^CMD \/usr\/libexec\/s2i\/run$/m, "s2i writes a shell-form CMD");
      tt.regex(dockerfile, /^ENV APP_MODULE="app:application"$/m, ".s2i/environment becomes ENV");

      const out = `results/engine/s2i-cli-${t.version.key}-${t.distro.id}`;
      const words = [
        "test-dockerfiles",
        "--version",
        t.version.key,
        "--distro",
        t.distro.id,
        "--contexts",
        contexts,
        "--builder",
        builder,
        "--extra-ca",
        HOST_CA,
        "--fail-on-error=false",
      ];
      const r = await daggerCall([...words, "export", "--path", out], `s2i CLI ${targetName(t)}`);
      if (r.code !== 0) return tt.fail(`npm run dagger -- call ${words.join(" ")}: ${explainCall(r)}`);
      const results = readReport(out).results;
      for (const res of results) tt.log(resultLine(res));
      tt.deepEqual(results.map((x) => x.name).sort(), APPS.map((a) => `${a} from its own Dockerfile`).sort());
      tt.deepEqual(results.filter((x) => x.outcome !== "pass").map(resultLine), [], `every app passes (report in ${out}/)`);
    }));
}
