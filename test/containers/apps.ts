/**
 * Runs the sample-app checks (ci/src/verify/plan.ts) against images built with podman:
 * builds the app the way its flow says (s2i steps, or the rendered uWSGI / mod_wsgi test
 * Dockerfiles), then runs it once per RUN_VARIANTS entry and probes it over HTTP. Every
 * check ends as one CheckResult, judged by the shared verification core.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Renderer } from "../../ci/src/render/render.js";
import type { SampleApp, Target } from "../../ci/src/spec/types.js";
import { judgeExpectedFailure, judgePythonVersion, judgeResponse, tail, type ProbeResponse } from "../../ci/src/verify/http-check.js";
import { appEnvironment, IMAGE_CHECKS, RUN_VARIANTS, type Check, type RunVariant } from "../../ci/src/verify/plan.js";
import type { CheckResult } from "../../ci/src/verify/report.js";
import { assembleRunLine, s2iBuildSteps, SCRIPTS, stepsToDockerfile } from "../../ci/src/verify/s2i-build.js";
import { EXTRA_CA_SECRET, failedStepStatus, podmanBuild } from "./images.js";
import { containerLogs, Limiter, podman, removeContainer } from "./podman.js";

/** An image under test, and for a minimal image the full image of the same distro (mod_wsgi builder). */
export interface ImageUnderTest {
  target: Target;
  tag: string;
  fullTag?: string;
}

export interface AppRunContext {
  root: string;
  renderer: Renderer;
  extraCa?: string;
  /** The test's own package index URL ({{pypiIndexUrl}}), made on first use. */
  pypiIndexUrl?: () => Promise<string>;
  /** Bounds concurrent `podman build`s (CPU: 2 cores). */
  builds: Limiter;
  /** Bounds concurrently running app containers. */
  runs: Limiter;
  /** Seconds to wait for the app's HTTP answer (default 30). */
  probeSeconds?: number;
  /** Keep the app images (default: removed after the check). */
  keepImages?: boolean;
  log?: (line: string) => void;
}

/** The image's name in reports: "3.11-minimal on debian12". */
export const imageLabel = (t: Target) => `${t.version.key} on ${t.distro.id}`;

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The rendered test Dockerfiles run assemble as a plain `RUN /usr/libexec/s2i/assemble`;
 * behind a TLS proxy that step needs the extra CA. This rewrites exactly those lines into
 * the secret-mount form the s2i steps use (assembleRunLine) and nothing else.
 */
export function withExtraCaForAssemble(dockerfile: string, secretId: string): string {
  let n = 0;
  const out = dockerfile.replace(/^RUN +(\/usr\/libexec\/s2i\/assemble|\$STI_SCRIPTS_PATH\/assemble)[ \t]*$/gm, () => {
    n++;
    return assembleRunLine([`${SCRIPTS}/assemble`], { extraCaSecret: secretId });
  });
  if (n === 0) throw new Error("no `RUN /usr/libexec/s2i/assemble` line found to pass the extra CA to");
  return out;
}

/** The rendered test Dockerfile of a minimal target: uwsgi.Dockerfile.<suffix> or mod_wsgi.Dockerfile.<suffix>. */
export function renderedTestDockerfile(renderer: Renderer, t: Target, name: "uwsgi" | "mod_wsgi"): string {
  const path = `${t.version.key}/test/from-dockerfile/${name}.Dockerfile.${t.distro.dockerfile}`;
  const f = renderer.renderTarget(t).find((x) => x.path === path);
  if (!f) throw new Error(`${imageLabel(t)}: the rendered tree has no ${path}`);
  return f.content;
}

async function readS2iEnvironment(appDir: string): Promise<string> {
  const p = join(appDir, ".s2i/environment");
  return existsSync(p) ? readFile(p, "utf8") : "";
}

export interface PreparedBuild {
  dir: string;
  buildArgs: Record<string, string>;
  network?: "host";
  describe: string;
}

/** Writes the app's build context (a new temporary folder): sources + the Dockerfile its flow uses. */
export async function prepareBuild(check: Check, img: ImageUnderTest, ctx: AppRunContext): Promise<PreparedBuild> {
  const dir = await mkdtemp(join(tmpdir(), `s2i-app-${check.app.name}-`));
  try {
    return await writeBuild(dir, check, img, ctx);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function writeBuild(dir: string, check: Check, img: ImageUnderTest, ctx: AppRunContext): Promise<PreparedBuild> {
  const { app, target } = check;
  const appDir = join(ctx.root, app.dir);
  const secret = ctx.extraCa ? EXTRA_CA_SECRET : undefined;
  if (app.flow === "s2i") {
    await cp(appDir, join(dir, "src"), { recursive: true, dereference: true });
    const usesIndex = Object.values(app.env).some((v) => v.includes("{{pypiIndexUrl}}"));
    const vars: Record<string, string> = usesIndex && ctx.pypiIndexUrl ? { pypiIndexUrl: await ctx.pypiIndexUrl() } : {};
    const env = appEnvironment(app, await readS2iEnvironment(appDir), vars);
    await writeFile(join(dir, "Dockerfile"), stepsToDockerfile(img.tag, s2iBuildSteps(env), { extraCaSecret: secret }));
    // The index listens on the host's 127.0.0.1 (pip trusts plain http only there).
    return { dir, buildArgs: {}, network: usesIndex ? "host" : undefined, describe: "s2i build" };
  }
  await cp(appDir, join(dir, "app-src"), { recursive: true, dereference: true });
  const name = app.flow === "uwsgi-minimal" ? "uwsgi" : "mod_wsgi";
  let text = renderedTestDockerfile(ctx.renderer, target, name);
  if (secret) text = withExtraCaForAssemble(text, secret);
  await writeFile(join(dir, "Dockerfile"), text);
  const buildArgs: Record<string, string> = { MINIMAL_IMAGE: img.tag };
  if (app.flow === "mod-wsgi-multistage") {
    if (!img.fullTag) throw new Error(`${app.name}: no full image of ${target.distro.id} to build mod_wsgi on`);
    buildArgs.FULL_IMAGE = img.fullTag;
  }
  return { dir, buildArgs, describe: `build of the rendered ${name}.Dockerfile.${target.distro.dockerfile}` };
}

/** A free TCP port on 127.0.0.1 (not handed out twice by this process). */
const handedOut = new Set<number>();
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface VariantOutcome {
  variant: string;
  problem?: string;
  logTail?: string;
}

async function containerState(id: string): Promise<{ running: boolean; exitCode: number }> {
  const r = await podman(["inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", id], { allowFailure: true });
  const [running, code] = r.stdout.trim().split(" ");
  return { running: running === "true", exitCode: Number(code) };
}

/** Runs the app image one way (a RUN_VARIANTS entry) and probes it over HTTP until it answers as expected or time runs out. */
export async function runAndProbe(app: SampleApp, imageTag: string, variant: RunVariant, probeSeconds = 30): Promise<VariantOutcome> {
  const name = `s2i-test-${app.name}-${randomBytes(4).toString("hex")}`;
  let id: string | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !id; attempt++) {
    port = await freePort();
    const args = ["run", "-d", "--name", name, "-p", `127.0.0.1:${port}:${app.port}`];
    if (variant.user) args.push("--user", variant.user);
    for (const [k, v] of Object.entries(variant.env)) args.push("-e", `${k}=${v}`);
    args.push(imageTag);
    const r = await podman(args, { allowFailure: true, timeoutMs: 120_000 });
    if (r.code === 0) id = r.stdout.trim();
    else {
      await removeContainer(name);
      if (!/address already in use|bind/i.test(r.stderr) || attempt === 2) return { variant: variant.name, problem: `podman run failed: ${tail(r.stderr.trim(), 5)}` };
    }
  }
  try {
    const url = `http://127.0.0.1:${port}${app.path}`;
    const deadline = performance.now() + probeSeconds * 1000;
    let last: ProbeResponse | undefined;
    let lastError = "";
    let exited: number | undefined;
    while (performance.now() < deadline) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        last = { status: res.status, body: await res.text() };
        if (!judgeResponse(app, last)) return { variant: variant.name };
      } catch (e) {
        lastError = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      }
      const st = await containerState(id!);
      if (!st.running) {
        exited = st.exitCode;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    let problem = judgeResponse(app, last) ?? "no problem?";
    if (!last && lastError) problem += ` (last error: ${lastError})`;
    if (exited !== undefined) problem += `; the container exited with code ${exited}`;
    else if (!last) problem += ` within ${probeSeconds} s`;
    return { variant: variant.name, problem, logTail: await containerLogs(id!) };
  } finally {
    await removeContainer(id!);
  }
}

export const appImageTag = (app: SampleApp, img: ImageUnderTest) => `localhost/s2i-python-app/${app.name}-${img.tag.split("/").pop()!.split(":")[0]}:test`;

/** One app on one image, every step: build, then (for serving apps) the three run variants. */
export async function checkApp(check: Check, img: ImageUnderTest, ctx: AppRunContext, opts: { tag?: string } = {}): Promise<CheckResult> {
  const { app } = check;
  // Seconds count the check's own work, from when its build may start (not the queue before it).
  let started = performance.now();
  const base = { name: app.name, image: check.image };
  let prepared: PreparedBuild | undefined;
  const tag = opts.tag ?? appImageTag(app, img);
  try {
    prepared = await prepareBuild(check, img, ctx);
    const p = prepared;
    ctx.log?.(`${app.name} on ${check.image}: ${p.describe}`);
    // --layers=false: a fresh assemble every time (no cached result), one committed layer.
    const r = await ctx.builds.use(() => {
      started = performance.now();
      // A build that should succeed gets a second attempt (network hiccups); one expected to fail does not.
      const attempts = app.expect === "build-fails" ? 1 : 2;
      return podmanBuild({ dir: p.dir, dockerfile: "Dockerfile", tags: [tag], buildArgs: p.buildArgs, extraCa: ctx.extraCa, network: p.network, noCache: true, timeoutMs: 20 * 60_000, layersOff: true, attempts });
    });
    const exit = r.code === 0 ? 0 : failedStepStatus(r.output);
    if (app.expect === "build-fails") {
      const why = judgeExpectedFailure(app, exit, r.output);
      return why
        ? { ...base, outcome: "fail", seconds: seconds(started), expected: `build fails: assemble exits ${app.buildFailure!.exitCode} saying ${JSON.stringify(app.buildFailure!.message)}`, got: why, logTail: tail(r.output.trimEnd(), 30) }
        : { ...base, outcome: "pass", seconds: seconds(started) };
    }
    if (r.code !== 0) {
      return { ...base, outcome: "fail", seconds: seconds(started), expected: `the ${p.describe} succeeds`, got: `podman build failed (exit status ${exit ?? r.code})`, logTail: tail(r.output.trimEnd(), 40) };
    }
    const outcomes: VariantOutcome[] = [];
    for (const v of RUN_VARIANTS) outcomes.push(await ctx.runs.use(() => runAndProbe(app, tag, v, ctx.probeSeconds)));
    const bad = outcomes.filter((o) => o.problem);
    if (!bad.length) return { ...base, outcome: "pass", seconds: seconds(started) };
    return {
      ...base,
      outcome: "fail",
      seconds: seconds(started),
      expected: `HTTP ${app.status} on port ${app.port}${app.path} with a body containing ${JSON.stringify(app.body)}, run as ${RUN_VARIANTS.map((v) => v.name).join(", ")}`,
      got: bad.map((o) => `${o.variant}: ${o.problem}`).join("; "),
      logTail: bad.map((o) => `--- ${o.variant}: podman logs ---\n${o.logTail ?? ""}`).join("\n"),
    };
  } catch (e) {
    return { ...base, outcome: "fail", seconds: seconds(started), expected: "the check runs", got: (e as Error).message };
  } finally {
    if (prepared) await rm(prepared.dir, { recursive: true, force: true });
    if (!ctx.keepImages) await podman(["rmi", "-f", tag], { allowFailure: true });
  }
}

/** `python --version` in the image says the image's Python version. */
export async function checkPythonVersion(img: ImageUnderTest): Promise<CheckResult> {
  const started = performance.now();
  const r = await podman(["run", "--rm", img.tag, "python", "--version"], { allowFailure: true, timeoutMs: 120_000 });
  const out = r.stdout + r.stderr;
  const why = r.code !== 0 ? `exit ${r.code}: ${tail(out.trim(), 5)}` : judgePythonVersion(img.target.version.version, out);
  const base = { name: IMAGE_CHECKS.pythonVersion, image: imageLabel(img.target), seconds: seconds(started) };
  return why ? { ...base, outcome: "fail", expected: `Python ${img.target.version.version}.x`, got: why } : { ...base, outcome: "pass" };
}

/** The image's default command (the s2i usage script) exits 0, as does the script run directly. */
export async function checkUsage(img: ImageUnderTest): Promise<CheckResult> {
  const started = performance.now();
  const problems: string[] = [];
  let log = "";
  for (const args of [[], ["bash", "-c", `${SCRIPTS}/usage`]]) {
    const r = await podman(["run", "--rm", img.tag, ...args], { allowFailure: true, timeoutMs: 120_000 });
    if (r.code !== 0) {
      problems.push(`\`podman run --rm IMAGE${args.length ? " " + args.join(" ") : ""}\` exited ${r.code}`);
      log += r.stdout + r.stderr;
    }
  }
  const base = { name: IMAGE_CHECKS.usage, image: imageLabel(img.target), seconds: seconds(started) };
  return problems.length ? { ...base, outcome: "fail", expected: "exit 0", got: problems.join("; "), logTail: tail(log.trim(), 20) } : { ...base, outcome: "pass" };
}
