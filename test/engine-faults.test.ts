// Engine faults are told apart from results: the classifier on errors the engine gives, a run
// cut short by one, and a report it left incomplete (ci/src/verify/faults.ts).
import test from "ava";
import { engineFaultOf, faultLine, FAULT_PREFIX, runReport } from "../ci/src/verify/faults.js";
import { judgeReportJson, type CheckResult } from "../ci/src/verify/results.js";

const IMAGE = "3.11-minimal on debian12";
const result = (name: string, outcome: CheckResult["outcome"], reason?: string): CheckResult => ({ name, image: IMAGE, outcome, seconds: 1, reason });

test("an engine fault is an error the engine gives about itself; a failed command never is", (t) => {
  t.regex(engineFaultOf(new Error("failed to copy: write /var/lib/dagger/worker/x: no space left on device"))!, /no space left on device/);
  t.regex(engineFaultOf(new Error("rpc error: code = Unavailable desc = error reading from server: EOF"))!, /code = Unavailable/);
  t.is(engineFaultOf(new Error('process "pip install" did not complete successfully: exit code: 1')), undefined);
  const failedCommand = Object.assign(new Error("exit code: 1"), {
    exitCode: 1,
    stdout: "",
    stderr: "ERROR: rpc error: code = Unavailable (printed by the app)",
  });
  t.is(engineFaultOf(failedCommand), undefined, "what a failed command printed is the image's");
  const diskFull = Object.assign(new Error("exit code: 1"), {
    exitCode: 1,
    stdout: "",
    stderr: "OSError: [Errno 28] No space left on device: '/opt/app-root/lib'",
  });
  t.regex(engineFaultOf(diskFull)!, /No space left on device/, "a full disk is the engine's, whichever step hit it");
});

test("a run cut short by a fault: one line saying how far it got, or an incomplete report", (t) => {
  const results = [
    result("image build", "pass"),
    result("usage exits 0", "fail"),
    result("app-home", "not-run", `${FAULT_PREFIX}rpc error: code = Unavailable`),
    result("mod-wsgi", "not-applicable", "full images"),
  ];
  const line = faultLine(results, "rpc error: code = Unavailable");
  t.is(
    line,
    "the Dagger engine failed after 2 of 3 checks: rpc error: code = Unavailable; the others did not run; nothing was published; rerun when the engine is sound",
  );
  const err = t.throws(() => runReport("now", results, true));
  t.is(err!.name, "EngineLostError");
  t.is(err!.message, line);
  const report = runReport("now", results, false);
  t.is(report.incomplete, line);
  const refused = t.throws(() => judgeReportJson(JSON.stringify(report)));
  t.regex(refused!.message, /^the report is incomplete: the Dagger engine failed after 2 of 3 checks/);
  t.deepEqual(
    runReport("now", [result("image build", "pass")], true),
    { started: "now", results: [result("image build", "pass")] },
    "no fault: the report as it is",
  );
});

test("the stand-in: a broken session is a lost engine, and the progress lines tell how far the run got", async (t) => {
  const { lostEngineCause, engineLost } = await import("../local-engine/call/faults.js");
  const { ProgressTracker } = await import("../local-engine/call/progress.js");
  // As the stand-in saw it when the connection to the engine was cut during test.
  t.is(
    lostEngineCause({ response: { status: 502, body: 'http do: Post "http://dagger/query": unexpected EOF' } }),
    'Post "http://dagger/query": unexpected EOF',
  );
  t.is(lostEngineCause({ response: { status: 200, errors: [{ message: 'unknown version "9.9"' }] } }), undefined, "a function's own error is not a fault");
  // As the stand-in saw it when the engine was stopped (podman stop) during test.
  t.is(lostEngineCause({ response: { status: 200, errors: [{ message: "engine is shutting down" }] } }), "engine is shutting down");
  const sink: string[] = [];
  const progress = new ProgressTracker({ write: (c: Buffer | string) => (sink.push(String(c)), true) } as unknown as NodeJS.WritableStream);
  progress.write(
    `[${IMAGE}] plan: 4 checks\n[${IMAGE}] pass image build (0.1 s)\n[${IMAGE}] not-applicable mod-wsgi (0.0 s): not applicable: full images\n[${IMAGE}] fa`,
  );
  progress.write("il app-home (3.0 s): expected HTTP 200\nsome other log line\n");
  await new Promise((r) => setImmediate(r));
  t.is(progress.howFar(), "3 of 4 checks");
  t.is(
    sink.join(""),
    `[${IMAGE}] plan: 4 checks\n[${IMAGE}] pass image build (0.1 s)\n[${IMAGE}] not-applicable mod-wsgi (0.0 s): not applicable: full images\n[${IMAGE}] fail app-home (3.0 s): expected HTTP 200\nsome other log line\n`,
    "every byte passes through",
  );
  t.is(
    engineLost("EOF", progress.howFar(), []).message,
    "the Dagger engine went away after 3 of 4 checks: EOF; nothing was published; rerun when it is back (local-engine/up.sh)",
  );
});
