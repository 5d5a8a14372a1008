// The outcome model of a report (ci/src/verify/results.ts): pass, fail, not-applicable and not-run;
// check-report and publish accept only pass and not-applicable, and the three writers show each
// outcome apart.
import test from "ava";
import { ACCEPTED, assertPassed, failureMessage, judgeReportJson, OUTCOMES, passed, type CheckResult } from "../ci/src/verify/results.js";
import { toJUnit, toJson, toMarkdown } from "../ci/src/verify/report-formats.js";

const image = "3.11-minimal on debian12";
const pass: CheckResult = { name: "python --version", image, outcome: "pass", seconds: 1.2 };
const na: CheckResult = { name: "no extra CA in the image", image, outcome: "not-applicable", seconds: 0, reason: "no --extra-ca was given" };
const notRun: CheckResult = { name: "app-home", image, outcome: "not-run", seconds: 0, reason: "the image did not build (image build failed)" };
const fail: CheckResult = { name: "locale", image, outcome: "fail", seconds: 3, expected: "HTTP 200", got: "HTTP 500", logTail: "Traceback" };
const json = (results: CheckResult[]) => JSON.stringify({ started: "now", results });

test("a run passes with a pass and checks that do not apply; a not-run check fails it like a failure", (t) => {
  t.deepEqual([...ACCEPTED], ["pass", "not-applicable"]);
  t.true(passed([pass, na]));
  t.false(passed([pass, na, notRun]));
  t.false(passed([pass, fail]));
  t.false(passed([na]), "nothing ran");
  t.false(passed([]));
  t.regex(failureMessage([na])!, /^no check ran: 0 passed, 0 failed, 0 not run, 1 not applicable$/);
  const msg = failureMessage([pass, na, notRun, fail])!;
  t.regex(msg, /^2 of 4 checks did not pass \(1 passed, 1 failed, 1 not run, 1 not applicable\):/);
  t.regex(msg, /- app-home on 3\.11-minimal on debian12: not run: the image did not build/);
  t.regex(msg, /- locale on .*: expected HTTP 200; got HTTP 500\n {4}log tail:\n {6}Traceback/);
  t.notRegex(msg, /no extra CA/, "a check that does not apply is no reason to fail");
  t.throws(() => assertPassed([pass, notRun]), { name: "ChecksFailedError" });
});

test("check-report: accepts not-applicable, refuses not-run and fail, and refuses a report of unknown outcomes", (t) => {
  t.is(judgeReportJson(json([pass, na])), "all checks passed: 1 passed, 0 failed, 0 not run, 1 not applicable");
  t.throws(() => judgeReportJson(json([pass, notRun])), { name: "ChecksFailedError", message: /not run: the image did not build/ });
  t.throws(() => judgeReportJson(json([pass, fail])), { name: "ChecksFailedError", message: /expected HTTP 200/ });
  const old = { ...pass, outcome: "skip" } as unknown as CheckResult;
  t.throws(() => judgeReportJson(json([pass, old])), {
    name: "UsageError",
    message: `results.json: result 1 (python --version) has the outcome "skip", not one of ${OUTCOMES.join(", ")}`,
  });
  t.throws(() => judgeReportJson("{"), { name: "UsageError", message: /^results\.json is not JSON/ });
  t.throws(() => judgeReportJson("{}"), { name: "UsageError", message: "results.json has no results list" });
});

test("the writers show the four outcomes apart, with the reasons, and what a passing check observed", (t) => {
  const observed = { ...pass, name: "django", observed: "shell-form CMD: stopped in 0.4 s, status 0" };
  const report = { started: "2026-01-01T00:00:00Z", results: [pass, observed, na, notRun, fail] };
  const xml = toJUnit(report);
  t.regex(xml, /<testsuites name="s2i-python" tests="5" failures="1" errors="1" skipped="1">/);
  t.regex(xml, /name="python --version" time="1\.2"\/>/);
  t.regex(xml, /name="django" time="1\.2">\n {6}<system-out>shell-form CMD: stopped in 0\.4 s, status 0<\/system-out>/);
  t.regex(xml, /<skipped message="not applicable: no --extra-ca was given"\/>/);
  t.regex(xml, /<error type="not-run" message="not run: the image did not build \(image build failed\)"\/>/);
  t.regex(xml, /<failure message="HTTP 500">expected: HTTP 200\ngot: HTTP 500\nlog tail:\nTraceback<\/failure>/);
  const md = toMarkdown(report);
  t.regex(md, /^2 passed, 1 failed, 1 not run, 1 not applicable \(started /m);
  t.regex(md, /^\| no extra CA in the image \| not applicable \|$/m);
  t.regex(md, /^\| app-home \| \*\*NOT RUN\*\* \|$/m);
  t.regex(md, /^\| locale \| \*\*FAIL\*\* \(3\.0 s\) \|$/m);
  t.regex(md, /## Not run\n\n- app-home on .*: the image did not build/);
  t.regex(md, /## Not applicable\n\n- no extra CA in the image on .*: no --extra-ca was given/);
  t.regex(md, /## Observed\n\n- django on .*: shell-form CMD: stopped in 0\.4 s, status 0/);
  const back = JSON.parse(toJson(report)) as { summary: Record<string, number>; results: CheckResult[] };
  t.deepEqual(back.summary, { passed: 2, failed: 1, notApplicable: 1, notRun: 1, total: 5 });
  t.deepEqual(
    back.results.map((r) => r.outcome),
    ["pass", "pass", "not-applicable", "not-run", "fail"],
  );
});
