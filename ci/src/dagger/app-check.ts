/**
 * One sample app on one image: built by its flow (the s2i steps, or one of the minimal
 * image's documented Dockerfiles), checked to keep nothing of the extra CA, run three ways
 * and probed over HTTP, and, where the table says so, stopped with SIGTERM each way it can
 * be started.
 */
import { dag, ExecError, type Container, type Directory, type Service } from "@dagger.io/dagger";
import type { Target } from "../matrix/types.js";
import type { SampleApp } from "../verify/apps.js";
import { judgeExpectedFailure, judgeResponse, tail } from "../verify/http-check.js";
import { judgeArtifactMembers, judgeRebuildLog } from "../verify/incremental.js";
import { appEnvironment, RUN_VARIANTS } from "../verify/plan.js";
import type { Verdict } from "../verify/report.js";
import { s2iBuildSteps, SCRIPTS } from "../verify/s2i-build.js";
import { interpretDockerfile, parseDockerfile } from "./dockerfile.js";
import { extraCaLeft } from "./image-checks.js";
import { errorLine, errorText, probeApp, runLogTail, variantContainer } from "./probe.js";
import { PYPI_HOST, PYPI_INDEX_URL, pypiIndexService, usesPypiIndex } from "./pypi-index.js";
import { runS2iSteps, saveArtifacts } from "./s2i.js";
import { gracePeriod, judgeStop, stopOnce, stopVariants } from "./stop-check.js";
import { imageLabel, type ImageUnderTest } from "./verify.js";

/**
 * The application image of one app, built by the app's flow, with what the flow checks of the
 * build itself once it succeeded (why it fails, or undefined); or why it cannot be built here.
 */
type Built = { container: Container; cmd: string[]; checkBuild?: () => Promise<string | undefined> };
type AppBuild = Built | { skip: string };

export async function verifyApp(u: ImageUnderTest, app: SampleApp): Promise<Verdict> {
  if (app.expect === "build-fails") return verifyExpectedFailure(u, app);
  const build = await buildApp(u, app);
  if ("skip" in build) return { outcome: "skip", reason: build.skip };
  return verifyBuiltApp(u, app, build, app.flow !== "s2i" && app.flow !== "s2i-incremental");
}

/**
 * An app image built some way: it keeps nothing of the extra CA, answers as the table says
 * run three ways, and stops cleanly on SIGTERM when the table asks (`stop: true`).
 */
async function verifyBuiltApp(u: ImageUnderTest, app: SampleApp, build: Built, shellFormOnly: boolean): Promise<Verdict> {
  try {
    await build.container.sync();
  } catch (e) {
    return { outcome: "fail", expected: "the application builds", got: errorLine(e), logTail: tail(errorText(e)) };
  }
  const wrongBuild = await build.checkBuild?.();
  if (wrongBuild) return { outcome: "fail", expected: `the build works as the ${app.flow} flow says (specs/sample-apps.yml)`, got: wrongBuild };
  if (u.extraCa) {
    const left = await extraCaLeft(build.container, u.extraCa);
    if (left) return { outcome: "fail", expected: "nothing of the extra CA bundle in the application image", got: left };
  }

  const runCmd = build.cmd.length ? build.cmd : [`${SCRIPTS}/run`];
  const failures: string[] = [];
  let firstFailing: Container | undefined;
  await Promise.all(
    RUN_VARIANTS.map(async (variant) => {
      const ctr = variantContainer(build.container, variant);
      const outcome = await probeApp(app, ctr, runCmd, u.image, `${app.name} (${variant.name})`, u.runId);
      const why = outcome.error ?? judgeResponse(app, outcome.response);
      if (why) {
        failures.push(`${variant.name}: ${why}`);
        firstFailing ??= ctr;
      }
    }),
  );
  if (failures.length) {
    return {
      outcome: "fail",
      expected: `HTTP ${app.status} on :${app.port}${app.path} with a body containing ${JSON.stringify(app.body)}`,
      got: failures.sort().join("; "),
      logTail: await runLogTail(firstFailing!, runCmd),
    };
  }
  return app.stop ? verifyStops(u, app, build.container, runCmd, shellFormOnly) : { outcome: "pass" };
}

/** The app stops by itself on SIGTERM, each way it is started; the report gives each way's time and status. */
async function verifyStops(u: ImageUnderTest, app: SampleApp, container: Container, runCmd: string[], shellFormOnly: boolean): Promise<Verdict> {
  const entrypoint = await container.entrypoint();
  const url = `http://127.0.0.1:${app.port}${app.path}`;
  const variants = stopVariants(entrypoint, runCmd, shellFormOnly);
  const grace = await gracePeriod(container);
  const outcomes = await Promise.all(variants.map((v) => stopOnce(container, v, url, 1001, grace, u.runId)));
  const lines = variants.map((v, i) => {
    const o = outcomes[i];
    const why = judgeStop(o);
    return { why, text: `${v.name}: ${why ?? `stopped in ${o.seconds} s, status ${o.status}, PID 1 ${o.pid1}`}` };
  });
  console.error(`[${imageLabel(u)}] stop on SIGTERM, ${app.name}: ${lines.map((l) => l.text).join("; ")}`);
  const bad = lines.filter((l) => l.why);
  if (!bad.length) return { outcome: "pass" };
  return { outcome: "fail", expected: `the app stops on SIGTERM within ${grace} s with status 0 (or 143), however it is started`, got: bad.map((l) => l.text).join("; ") };
}

async function verifyExpectedFailure(u: ImageUnderTest, app: SampleApp): Promise<Verdict> {
  const { container } = runS2iSteps(s2iBuildSteps(await environmentOf(u, app)), {
    image: u.image,
    app: u.project.source.directory(app.dir),
    extraCa: u.extraCa,
    expectFailure: true,
  });
  const [code, out, err] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()]);
  const why = judgeExpectedFailure(app, code, `${out}\n${err}`);
  const want = app.buildFailure!;
  return why
    ? { outcome: "fail", expected: `assemble exits ${want.exitCode} with ${JSON.stringify(want.message)}`, got: why, logTail: tail(`${out}\n${err}`) }
    : { outcome: "pass" };
}

/** The app's build environment: .s2i/environment, then the table's env with the index URL filled in. */
async function environmentOf(u: ImageUnderTest, app: SampleApp): Promise<Record<string, string>> {
  const dir = u.project.source.directory(app.dir);
  const hasEnv = (await dir.glob(".s2i/environment")).length > 0;
  const text = hasEnv ? await dir.file(".s2i/environment").contents() : "";
  const env = appEnvironment(app, text, { pypiIndexUrl: PYPI_INDEX_URL });
  // pip only trusts plain-HTTP indexes on localhost; the test's index is a bound service.
  if (usesPypiIndex(app.env)) env.PIP_TRUSTED_HOST = PYPI_HOST;
  return env;
}

async function buildApp(u: ImageUnderTest, app: SampleApp): Promise<AppBuild> {
  switch (app.flow) {
    case "s2i": {
      const services: Record<string, Service> = {};
      if (usesPypiIndex(app.env)) services[PYPI_HOST] = pypiIndexService(u.image, u.project.source.directory(`${app.dir}-pkg`));
      return runS2iSteps(s2iBuildSteps(await environmentOf(u, app)), {
        image: u.image,
        app: u.project.source.directory(app.dir),
        extraCa: u.extraCa,
        services,
      });
    }
    case "s2i-incremental":
      return incrementalBuild(u, app);
    case "uwsgi-minimal":
      return fromTestDockerfile(u, app, "uwsgi");
    case "mod-wsgi-multistage":
      return fromTestDockerfile(u, app, "mod_wsgi");
  }
}

/**
 * The app built twice, the second time as `s2i build --incremental` does: save-artifacts runs in
 * the first image and its archive is extracted at /tmp/artifacts for the second build, which runs
 * with UV_OFFLINE=1, so that uv may take packages from the handed-over cache only. The second
 * image is the one run and probed; the archive must hold the download caches and nothing else,
 * and the second assemble must say it took them.
 */
async function incrementalBuild(u: ImageUnderTest, app: SampleApp): Promise<Built> {
  const env = await environmentOf(u, app);
  const inputs = { image: u.image, app: u.project.source.directory(app.dir), extraCa: u.extraCa };
  const first = runS2iSteps(s2iBuildSteps(env), inputs);
  const archive = saveArtifacts(first.container);
  const again = runS2iSteps(s2iBuildSteps({ ...env, UV_OFFLINE: "1" }, { incremental: true }), { ...inputs, artifacts: archive });
  const checkBuild = async () => {
    const members = await first.container.withMountedFile("/tmp/s2i-artifacts.tar", archive).withExec(["tar", "-tf", "/tmp/s2i-artifacts.tar"]).stdout();
    return judgeArtifactMembers(members.split("\n")) ?? judgeRebuildLog(await again.container.stdout());
  };
  return { ...again, checkBuild };
}

/** The rendered test Dockerfile of this target, e.g. "3.12-minimal/test/from-dockerfile/uwsgi.Dockerfile.c9s". */
export function testDockerfilePath(t: Target, kind: "uwsgi" | "mod_wsgi"): string {
  return `${t.version.key}/test/from-dockerfile/${kind}.Dockerfile.${t.distro.dockerfile}`;
}

/**
 * One of the minimal image's documented Dockerfile flows: the rendered file, interpreted
 * with MINIMAL_IMAGE = the image under test and FULL_IMAGE = its full sibling.
 */
function fromTestDockerfile(u: ImageUnderTest, app: SampleApp, kind: "uwsgi" | "mod_wsgi"): AppBuild {
  const path = testDockerfilePath(u.target, kind);
  const file = u.project.renderer.renderTarget(u.target).find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not rendered for ${imageLabel(u)} (templates/layout.yml)`);
  const images: Record<string, Container> = { MINIMAL_IMAGE: u.image };
  if (kind === "mod_wsgi") {
    if (!u.fullSibling) {
      const full = u.target.version.key.replace(/-minimal$/, "");
      return { skip: `needs the full image ${full} on ${u.target.distro.id}, which the matrix does not build` };
    }
    images.FULL_IMAGE = u.fullSibling.image;
  }
  const context = dag.directory().withDirectory("app-src", u.project.source.directory(app.dir));
  return interpretDockerfile(parseDockerfile(file.content, path), { images, context, extraCa: u.extraCa }, path);
}

/**
 * One sample app built by a Dockerfile of the caller's (such as `s2i build --as-dockerfile`
 * writes) whose FROM names the builder image `builder`: that FROM is the image under test.
 * Judged as the table says: served and probed, or failing its build as expected.
 */
export async function verifyAppFromContext(u: ImageUnderTest, app: SampleApp, context: Directory, builder: string | undefined): Promise<Verdict> {
  const text = await context.file("Dockerfile").contents();
  const instructions = parseDockerfile(text, "Dockerfile");
  const from = builder ?? instructions.find((i) => i.op === "FROM")?.image;
  if (!from) return { outcome: "fail", expected: "a Dockerfile with a FROM", got: "no FROM in the context's Dockerfile" };
  const build = interpretDockerfile(instructions, { images: { [from]: u.image }, context, extraCa: u.extraCa }, "Dockerfile");
  if (app.expect === "build-fails") {
    try {
      await build.container.sync();
      return { outcome: "fail", expected: `the build fails with exit ${app.buildFailure!.exitCode}`, got: "it succeeded" };
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      const why = judgeExpectedFailure(app, e.exitCode, `${e.stdout}\n${e.stderr}`);
      return why ? { outcome: "fail", expected: `assemble exits ${app.buildFailure!.exitCode}`, got: why, logTail: tail(`${e.stdout}\n${e.stderr}`) } : { outcome: "pass" };
    }
  }
  return verifyBuiltApp(u, app, build, true);
}
