// Fault injection: the Dagger engine goes away while `test` runs, in the two ways a client meets:
// its connection cut (the engine's end of the connection gone at once, as when its container is
// killed: here a TCP relay between the client and the engine is destroyed) and the engine stopped
// (podman stop, as a host shutdown stops it). Each run must stop with one line that names the
// fault and how far the run got (exit 4), never report broken apps; once the engine is back, the
// same call passes. (A SIGKILL of the engine container would also make the engine throw its
// whole cache away at the next start, minutes of work for every later test: the relay gives the
// client the same broken connection without that.)
// It runs alone (npm run test:faults runs it before the other fault files): every other
// engine-backed file would lose its engine too.
import test from "ava";
import { execFileSync, spawn } from "node:child_process";
import { daggerCall, explainCall, HOST_CA, type CallResult } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { ENGINE_CONTAINER as ENGINE } from "../helpers/engine-log.js";
import { projectRoot } from "../helpers/project.js";
import { startTcpRelay } from "../helpers/tcp-relay.js";

const WORDS = ["test", "--version", "3.11-minimal", "--distro", "debian12", "--extra-ca", HOST_CA];
/** How many checks finish before the engine goes: some, so that "how far" means something. */
const AFTER = 3;
const LOST = /^the Dagger engine went away after \d+ of \d+ checks: .+; nothing was published; rerun when it is back \(local-engine\/up\.sh\)$/;

test.before("a Dagger engine answers", bringUpEngine);

/** Runs `test` and calls `fault` once AFTER checks have finished. */
async function runUntil(label: string, fault: () => void, env?: Record<string, string>): Promise<{ r: CallResult; done: boolean }> {
  let finished = 0;
  let done = false;
  const r = await daggerCall(
    WORDS,
    label,
    (line) => {
      if (/^\[3\.11-minimal on debian12\] (pass|fail|not-applicable|not-run) /.test(line)) finished++;
      if (!done && finished >= AFTER) {
        done = true;
        fault();
      }
    },
    env,
  );
  return { r, done };
}

function assertLost(t: import("ava").ExecutionContext, r: CallResult, done: boolean): void {
  t.true(done, `the fault happened during the run: ${explainCall(r)}`);
  t.is(r.code, 4, explainCall(r));
  const last = r.stderr.trimEnd().split("\n").pop()!;
  t.regex(last, LOST, explainCall(r));
  t.false(/checks (failed|did not pass)/.test(r.stderr), "no check is reported as failed");
  t.log(`red: ${last}`);
}

test.serial("the connection to the engine cut during test: one line naming the fault and how far the run got, exit 4; the same call then passes", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const engine = /^tcp:\/\/([^:]+):(\d+)$/.exec(process.env._EXPERIMENTAL_DAGGER_RUNNER_HOST ?? "")!;
  const relay = await startTcpRelay({ host: engine[1], port: Number(engine[2]) });
  const { r, done } = await runUntil(
    "connection cut",
    () => {
      relay.cut();
      t.log(`the relay to the engine destroyed after ${AFTER} finished checks`);
    },
    { _EXPERIMENTAL_DAGGER_RUNNER_HOST: `tcp://${relay.address}` },
  );
  assertLost(t, r, done);
  const green = await daggerCall([...WORDS, "--apps", "app-home"], "connection back");
  t.is(green.code, 0, explainCall(green));
});

test.serial("the engine stopped during test: one line naming the fault and how far the run got, exit 4; after up.sh the call passes", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  let stopping: Promise<void> | undefined;
  const { r, done } = await runUntil("engine stopped", () => {
    // A clean stop keeps the engine's cache; it may take minutes on a loaded machine.
    stopping = new Promise((ok) => spawn("podman", ["stop", "-t", "600", ENGINE], { stdio: "ignore" }).on("close", () => ok()));
    t.log(`podman stop ${ENGINE} after ${AFTER} finished checks`);
  });
  await stopping;
  assertLost(t, r, done);
  // A stop during a call must keep the cache: the engine records a clean stop only once it has
  // written its cache database, and one result it cannot write (a list of EnvVariable, Label or
  // Port: verify/oci-config.ts) makes its next start throw the whole cache away.
  const stopLog = execFileSync("bash", ["-c", `podman logs --tail 400 ${ENGINE} 2>&1`], { encoding: "utf8" });
  const notPersisted = /failed to persist dagql cache during close.*/.exec(stopLog)?.[0];
  t.true(
    /marked clean shutdown/.test(stopLog) && !notPersisted,
    `the engine's stop was not clean: ${notPersisted ?? "no 'marked clean shutdown' in its last 400 lines"}`,
  );
  const t0 = performance.now();
  execFileSync("bash", ["local-engine/up.sh"], { cwd: projectRoot, stdio: ["ignore", "ignore", "inherit"] });
  const recovered = (performance.now() - t0) / 1000;
  const green = await daggerCall([...WORDS, "--apps", "app-home"], "engine back");
  t.is(green.code, 0, explainCall(green));
  t.log(`recovery: up.sh ${recovered.toFixed(0)} s, then the call passed in ${green.seconds.toFixed(0)} s`);
});
