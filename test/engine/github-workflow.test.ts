// The GitHub workflow as GitHub runs it: its jobs, read from .github/workflows/ci.yml, as an
// unprivileged user in fresh copies of the checkout: the `run:` lines of the unit and matrix
// jobs (at once, as GitHub runs them), then every step of the test job for one Debian target of
// the matrix job's output, each `dagger call` step (dagger/dagger-for-github: `verb` and
// `args`) through `npm run dagger` in module mode. An expression this runner cannot evaluate
// fails the test.
// One word is added, and said: this machine reaches PyPI through a TLS-inspecting proxy, so a
// function that takes --extra-ca gets the host's CA bundle (GitHub's runners need none).
import test from "ava";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { project, projectRoot } from "../helpers/project.js";
import { assertReportCoversPlan, WORKFLOW_TARGET } from "../helpers/report-plan.js";
import { selectOne } from "../../ci/src/spec/select.js";
import { HOST_CA, notPassed, resultLine } from "../helpers/dagger-call.js";
import { introspectedTypedefs } from "../helpers/introspected-typedefs.js";
import { parseReportJson } from "../../ci/src/verify/results.js";
import { markReport, sourceFingerprint } from "../helpers/source-fingerprint.js";
import { removeWhenDone } from "../helpers/scratch.js";

const USER = "s2i-ci";
/** The target whose test job runs: the quickest Debian image the matrix lists. */
const TARGET = WORKFLOW_TARGET;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  needs?: string[];
  steps: Step[];
  outputs?: Record<string, string>;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(join(projectRoot, ".github/workflows/ci.yml"), "utf8")) as Workflow;

/** `${{ ... }}` with what a step sees: env, matrix, steps' outputs. Anything else is this runner's limit: it fails. */
function expand(text: string, ctx: { env: Record<string, string>; matrix: Record<string, string>; steps: Record<string, Record<string, string>> }): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (whole, expr: string) => {
    let m = /^env\.(\w+)$/.exec(expr);
    if (m && m[1] in ctx.env) return ctx.env[m[1]];
    m = /^matrix\.(\w+)$/.exec(expr);
    if (m && m[1] in ctx.matrix) return ctx.matrix[m[1]];
    m = /^steps\.(\w+)\.outputs\.(\w+)$/.exec(expr);
    if (m && ctx.steps[m[1]]?.[m[2]] !== undefined) return ctx.steps[m[1]][m[2]];
    throw new Error(`the workflow runner of this test cannot evaluate ${whole}`);
  });
}

/** Runs a command as the unprivileged user in the copy; resolves to its exit code and output. */
function asUser(cmd: string, cwd: string, env: Record<string, string>, label: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("setpriv", ["--reuid", USER, "--regid", USER, "--init-groups", "--", "bash", "-eo", "pipefail", "-c", cmd], {
      cwd,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: `/home/${USER}`, USER, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const take = (d: Buffer) => {
      out += d.toString();
      for (const l of d.toString().split("\n")) if (l) process.stderr.write(`  [${label}] ${l}\n`);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** A fresh copy of the checkout (tracked and new files, as a clone would hold them), owned by the user. */
function freshCopy(): string {
  const dir = mkdtempSync("/tmp/s2i-workflow-");
  chmodSync(dir, 0o755);
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: projectRoot, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(projectRoot, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(projectRoot, f), join(dir, f));
  }
  execFileSync("chown", ["-R", `${USER}:${USER}`, dir]);
  return dir;
}

function ensureUser(): void {
  try {
    execFileSync("id", [USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--create-home", "--shell", "/bin/bash", USER]);
  }
}

test.before("a Dagger engine answers", bringUpEngine);

test.serial(`the workflow's unit, matrix and test jobs (${TARGET.version} on ${TARGET.distro}) pass as an unprivileged user`, async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  if (process.getuid?.() !== 0) return t.fail("this test creates the unprivileged user and switches to it: run it as root (as .ci/run does)");
  ensureUser();
  const fingerprint = sourceFingerprint();
  // The engine is the one up.sh started as root; the user reaches it through the client environment.
  const defs = await introspectedTypedefs(projectRoot);
  const engineEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("_EXPERIMENTAL_DAGGER_") || k === "DO_NOT_TRACK")) as Record<
    string,
    string
  >;
  t.truthy(engineEnv._EXPERIMENTAL_DAGGER_RUNNER_HOST, "the client environment of the local engine");

  // A job runs in the copy of the checkout it is given, as on a runner of its own.
  const runJob = async (name: string, copy: string, matrix: Record<string, string> = {}) => {
    const job = workflow.jobs[name];
    t.truthy(job, `a job named ${name}`);
    const steps: Record<string, Record<string, string>> = {};
    for (const [i, step] of job.steps.entries()) {
      const label = `${name}: ${step.name ?? step.uses ?? step.run?.split("\n")[0]}`;
      if (step.if && step.if !== "always()") throw new Error(`${label}: the condition ${step.if} is not evaluated by this runner`);
      const env = {
        ...workflow.env,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, { env: workflow.env, matrix, steps })])),
      };
      const ctx = { env, matrix, steps };
      if (step.uses?.startsWith("actions/checkout")) continue; // the fresh copy is the checkout
      if (step.uses?.startsWith("actions/setup-node")) {
        const want = String(step.with?.["node-version"] ?? "");
        t.is(process.versions.node.split(".")[0], want, `${label}: the node of this machine is the one the workflow sets up`);
        continue;
      }
      if (step.uses?.startsWith("actions/upload-artifact")) {
        const path = expand(step.with!.path, ctx);
        t.true(existsSync(join(copy, path)), `${label}: ${path} exists to upload`);
        continue;
      }
      let cmd: string;
      if (step.uses?.startsWith("dagger/dagger-for-github")) {
        t.is(
          expand(step.with!.version, ctx),
          (JSON.parse(readFileSync(join(projectRoot, "dagger.json"), "utf8")) as { engineVersion: string }).engineVersion.replace(/^v/, ""),
        );
        const [fn, ...rest] = expand(step.with!.args, ctx).replace(/\s+/g, " ").trim().split(" ");
        const proxyCa = defs.main.methods[fn.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())]?.arguments.extraCa ? ["--extra-ca", HOST_CA] : [];
        if (proxyCa.length) t.log(`${label}: + --extra-ca ${HOST_CA} (this machine's TLS proxy)`);
        cmd = ["npm run --silent dagger --", expand(step.with!.verb, ctx), fn, ...proxyCa, ...rest].join(" ");
      } else if (step.run) {
        cmd = expand(step.run, ctx);
      } else {
        throw new Error(`${label}: a step this runner does not know (${step.uses})`);
      }
      const outputs = join(copy, `.gh-output-${name}-${i}`);
      const summary = join(copy, `.gh-summary-${name}`);
      writeFileSync(outputs, "");
      chownSync(outputs, Number(execFileSync("id", ["-u", USER], { encoding: "utf8" })), Number(execFileSync("id", ["-g", USER], { encoding: "utf8" })));
      if (!existsSync(summary)) writeFileSync(summary, "");
      execFileSync("chown", [`${USER}:${USER}`, summary]);
      const r = await asUser(cmd, copy, { ...engineEnv, ...env, CI: "true", GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary }, label);
      t.log(`${label}: exit ${r.code}`);
      if (r.code !== 0) return t.fail(`${label} failed as ${USER} (exit ${r.code}): ${cmd}\n${r.out.split("\n").slice(-40).join("\n")}`);
      if (step.id) steps[step.id] = Object.fromEntries([...readFileSync(outputs, "utf8").matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    }
    return Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, expand(v, { env: workflow.env, matrix, steps })]));
  };

  t.deepEqual(workflow.jobs.test.needs, ["unit", "matrix"], "the test job waits for the unit and matrix jobs");
  // The unit and matrix jobs need nothing, so GitHub runs them at once; so does this runner.
  const copy = removeWhenDone(t, freshCopy());
  const [, outputs] = await Promise.all([runJob("unit", removeWhenDone(t, freshCopy())), runJob("matrix", copy)]);
  const include = (JSON.parse(outputs!.targets) as { include: Record<string, string>[] }).include;
  t.true(
    include.some((m) => m.version === TARGET.version && m.distro === TARGET.distro),
    `the matrix lists ${TARGET.version} on ${TARGET.distro}`,
  );
  // In the matrix job's copy: the stand-in for the Dagger CLI runs from its node_modules (a
  // runner with the CLI needs none).
  await runJob("test", copy, TARGET);

  const report = parseReportJson(readFileSync(join(copy, "results/results.json"), "utf8"));
  // Kept where the red/green tests look for the green half of their red tests on this checkout.
  const kept = `results/engine/${TARGET.version}-${TARGET.distro}`;
  cpSync(join(copy, "results"), join(projectRoot, kept), { recursive: true });
  markReport(kept, fingerprint);
  t.deepEqual(notPassed(report.results).map(resultLine), [], "no check failed or went unrun");
  const { spec } = await project();
  await assertReportCoversPlan(t, report, selectOne(spec, TARGET.version, TARGET.distro), false, `${kept}/ (the copy is removed)`);
});
