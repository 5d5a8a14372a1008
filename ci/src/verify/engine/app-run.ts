/**
 * One sample app on one image, observed phase by phase for judgeApp (verify/app-judges.ts):
 * built by its flow (the s2i steps, or one of the minimal image's documented Dockerfiles, or
 * the caller's own Dockerfile), what it kept of the extra CA, each run variant probed over
 * HTTP and, where the table says so, each way of starting it stopped with SIGTERM. A phase
 * that fails ends the observation.
 */
import { dag, ExecError, type Container, type Directory, type Service } from "@dagger.io/dagger";
import type { SampleApp } from "../../spec/sample-apps.js";
import { judgeIncremental, probeFailures, stopLines, type AppObservation } from "../app-judges.js";
import { parseDockerfile, testDockerfilePath } from "../dockerfile-parse.js";
import { errorLine, errorText, failureOutput } from "../error-text.js";
import { extraCaLeft } from "../image-judges.js";
import { RUN_VARIANTS } from "../plan.js";
import { PYPI_HOST, PYPI_INDEX_URL, usesPypiIndex } from "../pypi-wheel.js";
import { appEnvironment, s2iBuildSteps, SCRIPTS } from "../s2i-steps.js";
import { stopVariants } from "../stop-harness.js";
import { imageLabel, type ImageUnderTest } from "./check-entry.js";
import { retryOnce } from "./retry.js";
import { interpretDockerfile } from "./dockerfile-replay.js";
import { observeExtraCa } from "./extra-ca-probe.js";
import { probeApp, runLogTail, variantContainer } from "./probe.js";
import { pypiIndexService } from "./pypi-index.js";
import { runS2iSteps, saveArtifacts } from "./s2i-run.js";
import { gracePeriod, stopOnce } from "./stop-run.js";

/** The application image of one app and the command it runs; the s2i-incremental flow also observes the build itself once it succeeded. */
interface AppBuild {
  container: Container;
  cmd: string[];
  observeIncremental?: () => Promise<AppObservation["incremental"]>;
}

/** An app of the table on the image under test, built by its flow. */
export async function observeApp(u: ImageUnderTest, app: SampleApp): Promise<AppObservation> {
  if (app.expect === "build-fails") return observeExpectedFailure(u, app);
  return observeBuiltApp(u, app, await buildApp(u, app), app.flow !== "s2i" && app.flow !== "s2i-incremental");
}

/** An app built by a Dockerfile of the caller's (such as `s2i build --as-dockerfile` writes) whose FROM names `builder`: that FROM is the image under test. */
export async function observeAppFromContext(u: ImageUnderTest, app: SampleApp, context: Directory, builder: string | undefined): Promise<AppObservation> {
  const instructions = parseDockerfile(await context.file("Dockerfile").contents(), "Dockerfile");
  const from = builder ?? instructions.find((i) => i.op === "FROM")?.image;
  if (!from) return { noFrom: true };
  const build = interpretDockerfile(instructions, { images: { [from]: u.image }, context, extraCa: u.extraCa }, "Dockerfile");
  if (app.expect === "build-fails") {
    try {
      await build.container.sync();
      return { expectedFailure: { exitCode: 0, output: "" } };
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      return { expectedFailure: { exitCode: e.exitCode, output: failureOutput(e) } };
    }
  }
  return observeBuiltApp(u, app, build, true);
}

/** The phases after the build: the image builds, keeps nothing of the CA, answers run three ways, stops cleanly when asked. */
async function observeBuiltApp(u: ImageUnderTest, app: SampleApp, build: AppBuild, shellFormOnly: boolean): Promise<AppObservation> {
  try {
    await build.container.sync();
  } catch (e) {
    const retried = await retryOnce(u, `the build of ${app.name}`, e, () => build.container.sync());
    if (retried) return { buildError: { line: errorLine(retried.error), text: errorText(retried.error), retried: retried.tried } };
  }
  const incremental = await build.observeIncremental?.();
  if (build.observeIncremental && judgeIncremental(incremental)) return { incremental };
  if (u.extraCa) {
    const caLeft = extraCaLeft(await observeExtraCa(build.container, u.extraCa));
    if (caLeft) return { caLeft };
  }
  const runCmd = build.cmd.length ? build.cmd : [`${SCRIPTS}/run`];
  const probes = await Promise.all(
    RUN_VARIANTS.map(async (variant) => {
      const container = variantContainer(build.container, variant);
      return { variant: variant.name, container, outcome: await probeApp(app, container, runCmd, u.image, `${app.name} (${variant.name})`, u.runId) };
    }),
  );
  const observed: AppObservation = { incremental, probes: probes.map(({ variant, outcome }) => ({ variant, outcome })) };
  if (probeFailures(app, observed.probes!).length) {
    const first = probes.find((p) => probeFailures(app, [p]).length)!;
    return { ...observed, logTail: await runLogTail(first.container, runCmd) };
  }
  if (!app.stop) return observed;
  return { ...observed, stops: await observeStops(u, app, build.container, runCmd, shellFormOnly) };
}

/** Each way of starting the app, stopped with SIGTERM; one progress line gives each way's time and status. */
async function observeStops(
  u: ImageUnderTest,
  app: SampleApp,
  container: Container,
  runCmd: string[],
  shellFormOnly: boolean,
): Promise<AppObservation["stops"]> {
  const entrypoint = await container.entrypoint();
  const url = `http://127.0.0.1:${app.port}${app.path}`;
  const variants = stopVariants(entrypoint, runCmd, shellFormOnly);
  const grace = await gracePeriod(container);
  const outcomes = await Promise.all(variants.map((v) => stopOnce(container, v, url, 1001, grace, u.runId)));
  const runs = variants.map((v, i) => ({ variant: v.name, outcome: outcomes[i] }));
  console.error(
    `[${imageLabel(u)}] stop on SIGTERM, ${app.name}: ${stopLines(runs)
      .map((l) => l.text)
      .join("; ")}`,
  );
  return { grace, runs };
}

async function observeExpectedFailure(u: ImageUnderTest, app: SampleApp): Promise<AppObservation> {
  const { container } = runS2iSteps(s2iBuildSteps(await environmentOf(u, app)), {
    image: u.image,
    app: u.project.source.directory(app.dir),
    extraCa: u.extraCa,
    expectFailure: true,
  });
  const [exitCode, out, err] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()]);
  return { expectedFailure: { exitCode, output: `${out}\n${err}` } };
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
 * image is the one run and probed; observed besides: the archive's members and the second
 * assemble's output.
 */
async function incrementalBuild(u: ImageUnderTest, app: SampleApp): Promise<AppBuild> {
  const env = await environmentOf(u, app);
  const inputs = { image: u.image, app: u.project.source.directory(app.dir), extraCa: u.extraCa };
  const first = runS2iSteps(s2iBuildSteps(env), inputs);
  const archive = saveArtifacts(first.container);
  const again = runS2iSteps(s2iBuildSteps({ ...env, UV_OFFLINE: "1" }, { incremental: true }), { ...inputs, artifacts: archive });
  const observeIncremental = async () => {
    const listing = first.container.withMountedFile("/tmp/s2i-artifacts.tar", archive).withExec(["tar", "-tf", "/tmp/s2i-artifacts.tar"]);
    const [members, rebuildLog] = await Promise.all([listing.stdout(), again.container.stdout()]);
    return { members: members.split("\n"), rebuildLog };
  };
  return { ...again, observeIncremental };
}

/**
 * One of the minimal image's documented Dockerfile flows: the rendered file, interpreted
 * with MINIMAL_IMAGE = the image under test and FULL_IMAGE = its full sibling (the plan
 * reports the mod_wsgi flow as not applicable where the matrix has none).
 */
function fromTestDockerfile(u: ImageUnderTest, app: SampleApp, kind: "uwsgi" | "mod_wsgi"): AppBuild {
  const path = testDockerfilePath(u.target, kind);
  const file = u.project.renderer.renderTarget(u.target).find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not rendered for ${imageLabel(u)} (templates/layout.yml)`);
  const images: Record<string, Container> = { MINIMAL_IMAGE: u.image };
  if (kind === "mod_wsgi") {
    if (!u.fullSibling) throw new Error(`${app.name} needs the full image of ${imageLabel(u)}, which was not built`);
    images.FULL_IMAGE = u.fullSibling.image;
  }
  const context = dag.directory().withDirectory("app-src", u.project.source.directory(app.dir));
  return interpretDockerfile(parseDockerfile(file.content, path), { images, context, extraCa: u.extraCa }, path);
}
