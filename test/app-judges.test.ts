// The sample-app judge (ci/src/verify/app-judges.ts, shell-probes.ts) on recorded observations: a
// 200 with the wrong body, a 500, a build-fails app that builds, a stop at the timeout or over
// the table's limit, shells that find another python, an incremental build whose archive holds
// more than the caches; the first phase that failed decides.
import test from "ava";
import {
  judgeApp,
  judgeExpectedFailure,
  judgeResponse,
  judgeStop,
  retimeStop,
  STOP_TRIES,
  stopLines,
  type AppObservation,
} from "../ci/src/verify/app-judges.js";
import { PIP_SHELL, shellProblems, type ShellsObservation } from "../ci/src/verify/shell-probes.js";
import type { SampleApp } from "../ci/src/spec/sample-apps.js";
import { CACHE_TAKEN, UV_FROM_CACHE } from "../ci/src/verify/incremental-judges.js";
import { project } from "./helpers/project.js";

const { spec } = await project();
const target = spec.targets.find((x) => x.version.key === "3.11-minimal" && x.distro.id === "debian12")!;
const app = { name: "a", port: 8080, path: "/", status: 200, body: "hello", stop: false, stopWithin: 5, expect: "serve" } as SampleApp;
const answer = { response: { status: 200, body: "hello world" } };
const probes = ["uid 100001", "uid 12345", "init wrapper"].map((variant) => ({ variant, outcome: answer }));

/** What bash -c, sh -ic and sh -c print in a good image: the venv's python 3.11 and pip, and the app's variable. */
const PIP_RUN = "pip 25.0 from /opt/app-root/lib/python3.11/site-packages/pip (python 3.11)";
const shellOut = (python = "/opt/app-root/bin/python", version = "Python 3.11.2", extra = "APP_HOME=project", pip = "/opt/app-root/bin/pip") =>
  `@python ${python}\n@version ${version}\n@pip ${pip}\nPATH=/opt/app-root/bin:/usr/bin\n${extra}\n`;
/** The three shells' output; the one that runs pip (PIP_SHELL) also prints what pip says. */
const shells = (out = shellOut(), pipRun = PIP_RUN): ShellsObservation => ({
  vars: { APP_HOME: "project" },
  runs: ["bash -c", "sh -ic", "sh -c"].map((shell) => ({ shell, code: 0, stdout: shell === PIP_SHELL ? `@pipversion ${pipRun}\n${out}` : out })),
});
const stops = { limit: 5, grace: 10, runs: [{ variant: "shell-form CMD", outcome: { status: 143, seconds: 0.4, pid1: "gunicorn" } }] };
const good: AppObservation = { probes, shells: shells(), stops };

test("the HTTP answer: the table's status and a body containing its text; a 200 with the wrong body and a 500 fail", (t) => {
  t.is(judgeResponse(app, answer.response), undefined);
  t.is(judgeResponse(app, { status: 200, body: "goodbye" }), 'expected the body to contain "hello", got "goodbye"');
  t.is(judgeResponse(app, { status: 500, body: "hello" }), "expected HTTP 200, got 500");
  t.is(judgeResponse(app, undefined), "no HTTP answer on port 8080/");
  const wrong = judgeApp(
    app,
    { ...good, probes: [...probes.slice(1), { variant: "uid 100001", outcome: { response: { status: 200, body: "bye" } } }] },
    target,
  );
  t.is(wrong.outcome, "fail");
  t.is(wrong.got, 'uid 100001: expected the body to contain "hello", got "bye"');
});

test("a build-fails app: its own exit code and message pass; a build that succeeds, another exit code or another message fail", (t) => {
  const failing = { ...app, expect: "build-fails", buildFailure: { exitCode: 3, message: "cannot be enabled" } } as SampleApp;
  t.is(judgeExpectedFailure(failing, 3, "ERROR: cannot be enabled at the same time"), undefined);
  t.is(judgeExpectedFailure(failing, 0, "installed"), "expected the build to fail with exit 3, but it succeeded");
  t.is(judgeExpectedFailure(failing, 1, "cannot be enabled"), "expected assemble to exit 3, the build ended with 1");
  t.is(judgeExpectedFailure(failing, 3, "pip failed"), 'expected the build output to contain "cannot be enabled"');
  t.is(judgeApp(failing, { expectedFailure: { exitCode: 3, output: "ERROR: cannot be enabled at the same time" } }, target).outcome, "pass");
  const built = judgeApp(failing, { expectedFailure: { exitCode: 0, output: "Successfully installed" } }, target);
  t.deepEqual([built.outcome, built.got, built.logTail], ["fail", "expected the build to fail with exit 3, but it succeeded", "Successfully installed"]);
});

test("a stop: within the limit with status 0 or 143 passes; killed at the timeout, over the limit, another status or no stop fail", (t) => {
  t.is(judgeStop({ status: 0, seconds: 4.9, pid1: "gunicorn" }, 5), undefined);
  t.is(judgeStop({ status: 143, seconds: 0.2, pid1: "gunicorn" }, 5), undefined);
  t.is(judgeStop({ killed: true, grace: 10, seconds: 10, status: 137, pid1: "sh -c run" }, 5), "still running 10 s after SIGTERM, killed (PID 1: sh -c run)");
  t.is(judgeStop({ status: 0, seconds: 5.01, pid1: "gunicorn" }, 5), "stopped in 5.01 s, over the limit of 5 s (status 0, PID 1: gunicorn)");
  t.is(judgeStop({ status: 1, seconds: 0.3, pid1: "gunicorn" }, 5), "exited with status 1 after SIGTERM (PID 1: gunicorn)");
  t.is(judgeStop({ error: "the app did not answer on http://127.0.0.1:8080/ within 90 s" }, 5), "the app did not answer on http://127.0.0.1:8080/ within 90 s");
  const pass = judgeApp(app, good, target);
  t.deepEqual(
    pass,
    { outcome: "pass", observed: "stopped on SIGTERM: shell-form CMD: stopped in 0.4 s, status 143" },
    "the report gets the time and the status",
  );
  const slow = judgeApp(app, { ...good, stops: { ...stops, runs: [{ variant: "shell-form CMD", outcome: { status: 0, seconds: 7.5, pid1: "sh" } }] } }, target);
  t.is(slow.got, "shell-form CMD: stopped in 7.5 s, over the limit of 5 s (status 0, PID 1: sh)");
  t.regex(slow.expected!, /within 5 s .*started by the shell-form CMD s2i writes/);
  t.is(judgeApp(app, { probes, shells: shells() }, target).got, "no stop was observed");
  t.is(judgeApp(app, { ...good, stops: { ...stops, runs: [] } }, target).got, "no stop was observed");
});

test("a stop is timed again only when it was clean but over the limit, at most STOP_TRIES times; the line says so", (t) => {
  t.true(retimeStop({ status: 0, seconds: 5.1, pid1: "gunicorn" }, 5));
  t.true(retimeStop({ status: 143, seconds: 7, pid1: "gunicorn" }, 5));
  const tries = (n: number) => Array.from({ length: n }, () => 5.5);
  t.true(retimeStop({ status: 0, seconds: 6, pid1: "gunicorn", earlier: tries(STOP_TRIES - 2) }, 5), "a try before the last gets another");
  t.false(retimeStop({ status: 0, seconds: 6, pid1: "gunicorn", earlier: tries(STOP_TRIES - 1) }, 5), "the last try is the last");
  t.false(retimeStop({ status: 0, seconds: 4.9, pid1: "gunicorn" }, 5), "within the limit");
  t.false(retimeStop({ killed: true, grace: 10, seconds: 10, status: 137, pid1: "sh" }, 5), "a server that ignored SIGTERM");
  t.false(retimeStop({ status: 1, seconds: 6, pid1: "gunicorn" }, 5), "a bad exit status");
  t.false(retimeStop({ error: "no answer" }, 5));
  const [again] = stopLines([{ variant: "exec-form CMD", outcome: { status: 0, seconds: 1.2, pid1: "gunicorn", earlier: [5.1, 6.11] } }], 5);
  t.deepEqual(again, { why: undefined, text: "exec-form CMD: stopped in 1.2 s, status 0 (timed 3 times: before, it took 5.1 s, 6.11 s)" });
  // The last try is judged: over the limit again, it fails.
  const [slow] = stopLines([{ variant: "exec-form CMD", outcome: { status: 0, seconds: 6.9, pid1: "gunicorn", earlier: [5.1, 7] } }], 5);
  t.is(slow.why, "stopped in 6.9 s, over the limit of 5 s (status 0, PID 1: gunicorn)");
});

test("shells exec'd into the app: the venv's python and pip of this Python and the app's variables, in each of the three shells", (t) => {
  t.deepEqual(shellProblems(shells(), "3.11"), []);
  t.deepEqual(
    shellProblems(shells(shellOut("/usr/bin/python")), "3.11"),
    ["bash -c", "sh -ic", "sh -c"].map((s) => `${s}: python is "/usr/bin/python"`),
  );
  t.deepEqual(shellProblems(shells(shellOut(undefined, "Python 3.12.1")), "3.11").length, 3);
  t.regex(shellProblems(shells(shellOut(undefined, undefined, "")), "3.11")[0], /^bash -c: APP_HOME="unset", expected "project"$/);
  const onlyShC: ShellsObservation = {
    ...shells(),
    runs: shells().runs.map((r) => (r.shell === "sh -c" ? { ...r, stdout: shellOut("", "sh: 1: python: not found") } : r)),
  };
  t.deepEqual(shellProblems(onlyShC, "3.11"), ['sh -c: python is ""', 'sh -c: python --version says "sh: 1: python: not found"']);
  // Each shell must find the venv's pip; the shell that runs it, a pip of this Python from the venv.
  t.deepEqual(
    shellProblems(shells(shellOut(undefined, undefined, undefined, "/usr/bin/pip")), "3.11"),
    ["bash -c", "sh -ic", "sh -c"].map((s) => `${s}: pip is "/usr/bin/pip"`),
  );
  t.deepEqual(shellProblems(shells(undefined, "pip 25.0 from /usr/lib/python3/dist-packages/pip (python 3.11)"), "3.11"), [
    'bash -c: pip --version says "pip 25.0 from /usr/lib/python3/dist-packages/pip (python 3.11)"',
  ]);
  t.deepEqual(shellProblems(shells(undefined, PIP_RUN.replace("(python 3.11)", "(python 3.12)")), "3.11").length, 1);
  t.deepEqual(shellProblems(shells(undefined, ""), "3.11"), ['bash -c: pip --version says ""'], "the pip shell that printed nothing of pip");
  t.is(shellProblems({ ...shells(), runs: [{ shell: "sh -ic", code: 2, stdout: shellOut() }] }, "3.11")[0], "sh -ic: exit 2");
  const v = judgeApp(app, { ...good, shells: shells(shellOut("/usr/bin/python")) }, target);
  t.is(v.outcome, "fail");
  t.regex(v.expected!, /bash -c, sh -ic and sh -c .* \(Python 3\.11\)/);
  t.is(judgeApp(app, { ...good, shells: { vars: {}, runs: [] } }, target).got, "no shell was exec'd");
});

test("judgeApp: the first phase that failed decides", (t) => {
  t.is(judgeApp(app, good, target).outcome, "pass");
  t.is(judgeApp(app, { buildError: { line: "exit 1", text: "pip failed" } }, target).expected, "the application builds");
  t.is(judgeApp(app, { ...good, caLeft: "CA variables in the configuration: PIP_CERT=x" }, target).got, "CA variables in the configuration: PIP_CERT=x");
  t.is(judgeApp(app, { noFrom: true }, target).got, "no FROM in the context's Dockerfile");
  t.is(judgeApp(app, {}, target).got, "no run variant was probed");
  const failed = judgeApp(app, { ...good, probes: [{ variant: "uid 12345", outcome: { response: { status: 500, body: "" } } }], logTail: "Traceback" }, target);
  t.deepEqual([failed.got, failed.logTail], ["uid 12345: expected HTTP 200, got 500", "Traceback"]);
  t.regex(
    judgeApp(app, { ...good, probes: [{ variant: "init wrapper", outcome: { error: "no HTTP answer: refused" } }] }, target).got!,
    /^init wrapper: no HTTP answer/,
  );
  // An s2i-incremental app: what save-artifacts handed over is judged before the runs; unobserved, it fails.
  const incremental = { ...app, flow: "s2i-incremental" } as SampleApp;
  const handedOver = {
    members: ["uv/", "uv/archive-v0/x", "uv-wheel/uv-0.9.0-py3-none-any.whl"],
    rebuildLog: `${CACHE_TAKEN}uv uv-wheel)\n${UV_FROM_CACHE}\n`,
  };
  t.is(judgeApp(incremental, { ...good, incremental: handedOver }, target).outcome, "pass");
  t.regex(
    judgeApp(incremental, { ...good, incremental: { ...handedOver, members: ["bin/", ...handedOver.members] } }, target).got!,
    /^save-artifacts archived more than the download caches: bin\//,
  );
  t.is(judgeApp(incremental, good, target).got, "the incremental build was not observed");
  t.is(judgeApp(app, good, target).outcome, "pass", "an s2i app is not asked for an incremental build");
});
