import { dag, type Container, type File, type Service } from "@dagger.io/dagger";
import { mapPool } from "../pool.js";
import { targetName } from "../matrix/select.js";
import type { Target } from "../matrix/types.js";
import type { SampleApp } from "../verify/apps.js";
import { judgeExpectedFailure, judgeResponse, tail } from "../verify/http-check.js";
import { appEnvironment, IMAGE_CHECKS, RUN_VARIANTS, type Check } from "../verify/plan.js";
import type { CheckResult, Verdict } from "../verify/report.js";
import { s2iBuildSteps, SCRIPTS } from "../verify/s2i-build.js";
import { buildFailureHint } from "./build.js";
import { interpretDockerfile, parseDockerfile } from "./dockerfile.js";
import { checkNoExtraCa, checkPythonVersion, checkUsage, extraCaLeft } from "./image-checks.js";
import { errorLine, errorText, probeApp, runLogTail, variantContainer } from "./probe.js";
import type { ModuleProject } from "./project.js";
import { PYPI_HOST, PYPI_INDEX_URL, pypiIndexService, usesPypiIndex } from "./pypi-index.js";
import { runS2iSteps } from "./s2i.js";

/** Everything the checks of one image need: the one definition of "the image under test". */
export interface ImageUnderTest {
  project: ModuleProject;
  target: Target;
  image: Container;
  /** The full image of the same Python on the same distro (minimal images' mod_wsgi flow). */
  fullSibling?: { target: Target; image: Container };
  extraCa?: File;
  /** Unique per run: keeps probe steps from being answered from the cache. */
  runId: string;
}

/** How many sample apps of one image are checked at once. */
const APP_CONCURRENCY = 3;

/** The name of the check that builds the image itself. */
export const IMAGE_BUILD = "image build";

/**
 * Builds the image, then runs the image checks and every planned app check; never throws
 * for a failed check. When the image does not build, that is the one failure reported and
 * the other checks are listed as not run, with the reason.
 */
export async function verifyImage(u: ImageUnderTest, checks: Check[]): Promise<CheckResult[]> {
  console.error(`[${targetName(u.target)}] building the image, then ${checks.length} app checks`);
  const build = await timed(u, IMAGE_BUILD, async () => {
    try {
      await u.image.sync();
      return { outcome: "pass" };
    } catch (e) {
      const hint = buildFailureHint(u.target, e);
      if (!hint) throw e;
      return { outcome: "fail", expected: "the image builds", got: hint, logTail: tail(errorText(e)) };
    }
  });
  const imageChecks: [string, () => Promise<Verdict>][] = [
    [IMAGE_CHECKS.usage, () => checkUsage(u.image)],
    [IMAGE_CHECKS.pythonVersion, () => checkPythonVersion(u.image, u.target.version.version)],
  ];
  if (u.extraCa) imageChecks.push([IMAGE_CHECKS.noExtraCa, () => checkNoExtraCa(u.image, u.extraCa!)]);
  if (build.outcome === "fail") {
    const notRun = (name: string): CheckResult => ({ name, image: targetName(u.target), outcome: "skip", seconds: 0, reason: "the image did not build" });
    return [build, ...imageChecks.map(([name]) => notRun(name)), ...checks.map((c) => notRun(c.app.name))];
  }
  const imageResults = await Promise.all(imageChecks.map(([name, fn]) => timed(u, name, fn)));
  const appResults = await mapPool(checks, APP_CONCURRENCY, (c) => timed(u, c.app.name, () => verifyApp(u, c.app)));
  return [build, ...imageResults, ...appResults];
}

async function timed(u: ImageUnderTest, name: string, fn: () => Promise<Verdict>): Promise<CheckResult> {
  const started = performance.now();
  let v: Verdict;
  try {
    v = await fn();
  } catch (e) {
    v = { outcome: "fail", expected: "the check runs", got: errorLine(e), logTail: tail(errorText(e)) };
  }
  const r: CheckResult = { name, image: targetName(u.target), seconds: (performance.now() - started) / 1000, ...v };
  // One line per finished check: the progress of a long run, on stderr.
  console.error(`[${r.image}] ${r.outcome.padEnd(4)} ${name} (${r.seconds.toFixed(1)} s)${r.got ? `: ${r.got.slice(0, 160)}` : r.reason ? `: ${r.reason}` : ""}`);
  return r;
}

/** The application image of one app, built by the app's flow; or why it cannot be built here. */
type AppBuild = { container: Container; cmd: string[] } | { skip: string };

async function verifyApp(u: ImageUnderTest, app: SampleApp): Promise<Verdict> {
  if (app.expect === "build-fails") return verifyExpectedFailure(u, app);
  const build = await buildApp(u, app);
  if ("skip" in build) return { outcome: "skip", reason: build.skip };

  try {
    await build.container.sync();
  } catch (e) {
    return { outcome: "fail", expected: "the application builds", got: errorLine(e), logTail: tail(errorText(e)) };
  }
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
  if (!failures.length) return { outcome: "pass" };
  return {
    outcome: "fail",
    expected: `HTTP ${app.status} on :${app.port}${app.path} with a body containing ${JSON.stringify(app.body)}`,
    got: failures.sort().join("; "),
    logTail: await runLogTail(firstFailing!, runCmd),
  };
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
    case "uwsgi-minimal":
      return fromTestDockerfile(u, app, "uwsgi");
    case "mod-wsgi-multistage":
      return fromTestDockerfile(u, app, "mod_wsgi");
  }
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
  if (!file) throw new Error(`${path} is not rendered for ${targetName(u.target)} (templates/layout.yml)`);
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
