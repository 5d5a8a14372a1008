// Fault injection: the Dagger engine is killed while `test` runs. The run must stop with one
// line that names the fault and how far the run got (exit 4), not report broken apps; once the
// engine is back, the same call passes. These tests kill the engine, which then starts with an
// empty cache: they run after every other engine-backed test.
import test from "ava";
import { execFileSync } from "node:child_process";
import { daggerCall, explainCall, HOST_CA } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { projectRoot } from "../helpers/project.js";

const ENGINE = process.env.S2I_ENGINE_CONTAINER ?? "s2i-dagger-engine";
const WORDS = ["test", "--version", "3.11-minimal", "--distro", "debian12", "--extra-ca", HOST_CA];
/** How many checks finish before the engine is killed: some, so that "how far" means something. */
const KILL_AFTER = 3;

test.before("a Dagger engine answers", bringUpEngine);

test.serial("the engine killed during test: one line naming the fault and how far the run got, exit 4; after up.sh the call passes", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  let finished = 0;
  let killed = false;
  const red = await daggerCall(WORDS, "engine killed", (line) => {
    if (/^\[3\.11-minimal on debian12\] (pass|fail|not-applicable|not-run) /.test(line)) finished++;
    if (!killed && finished >= KILL_AFTER) {
      killed = true;
      execFileSync("podman", ["kill", ENGINE], { stdio: "ignore" });
      t.log(`podman kill ${ENGINE} after ${finished} finished checks`);
    }
  });
  t.true(killed, `the engine was killed during the run: ${explainCall(red)}`);
  t.is(red.code, 4, explainCall(red));
  const last = red.stderr.trimEnd().split("\n").pop()!;
  t.regex(
    last,
    /^the Dagger engine went away after \d+ of \d+ checks: .+; nothing was published; rerun when it is back \(local-engine\/up\.sh\)$/,
    explainCall(red),
  );
  t.false(/checks failed/.test(red.stderr), "no check is reported as failed");
  t.log(`red: ${last}`);

  const t0 = performance.now();
  execFileSync("bash", ["local-engine/up.sh"], { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] });
  const recovered = (performance.now() - t0) / 1000;
  const green = await daggerCall([...WORDS, "--apps", "app-home"], "engine back");
  t.is(green.code, 0, explainCall(green));
  t.log(`recovery: up.sh ${recovered.toFixed(0)} s, then the call passed in ${green.seconds.toFixed(0)} s (the engine starts with an empty cache)`);
});
