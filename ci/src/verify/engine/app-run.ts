/**
 * One sample app on one image, observed phase by phase for judgeApp (verify/app-judges.ts):
 * built by its flow (the s2i steps as the s2i CLI reads them from the image, or one of the
 * image's rendered test Dockerfiles, or the caller's own Dockerfile), what it kept of the extra
 * CA, each run variant probed over HTTP, shells exec'd into its container, and each way of
 * starting it stopped with SIGTERM. A phase that fails ends the observation.
 */
import { dag, ExecError, ReturnType, type Container, type Directory, type Service } from "@dagger.io/dagger";
import { STOP_GRACE, type SampleApp } from "../../spec/sample-apps.js";
import { judgeIncremental, probeFailures, retimeStop, stopLines, type AppObservation } from "../app-judges.js";
import { parseDockerfile, testDockerfilePath, type TestDockerfile } from "../dockerfile-parse.js";
import { errorLine, errorText, failureOutput } from "../error-text.js";
import { extraCaLeft } from "../image-judges.js";
import { RUN_VARIANTS } from "../plan.js";
import { PYPI_HOST, PYPI_INDEX_URL, usesPypiIndex } from "../pypi-wheel.js";
import { appEnvironment, parseS2iEnvironment, s2iBuildSteps, s2iSettings } from "../s2i-steps.js";
import { PIP_SHELL, shellScript, SHELLS, type ShellsObservation } from "../shell-probes.js";
import { stopVariants, type StopOutcome } from "../stop-harness.js";
import { imageLabel, type ImageUnderTest } from "./check-entry.js";
import { retryOnce } from "./retry.js";
import { interpretDockerfile } from "./dockerfile-replay.js";
import { observeExtraCa } from "./extra-ca-probe.js";
import { readImageConfig } from "./image-config.js";
import { probeApp, runLogTail, variantContainer } from "./probe.js";
import { pypiIndexService } from "./pypi-index.js";
import { runS2iSteps, saveArtifacts } from "./s2i-run.js";
import { slowdown, stopOnce } from "./stop-run.js";

/** The application image of one app, the command it runs, and the variables its build gave it. */
interface AppBuild {
  container: Container;
  cmd: string[];
  /** The app's variables, which shells exec'd into its container must see. */
  vars: Record<string, string>;
  /** Whether the command is s2i's own run, also stopped in exec form. */
  s2iRun: boolean;
  /** The s2i-incremental flow: what save-artifacts handed over and what the rebuild said, observed once the build succeeded. */
  observeIncremental?: () => Promise<AppObservation["incremental"]>;
}

/** An app of the table on the image under test, built by its flow. */
export async function observeApp(u: ImageUnderTest, app: SampleApp): Promise<AppObservation> {
  if (app.expect === "build-fails") return observeExpectedFailure(u, app);
  return observeBuiltApp(u, app, await buildApp(u, app));
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
  // s2i writes the app's .s2i/environment as ENV lines.
  const vars = parseS2iEnvironment(await s2iEnvironmentText(u.project.source.directory(app.dir)));
  return observeBuiltApp(u, app, { ...build, vars, s2iRun: false });
}

/** The phases after the build: the image builds, keeps nothing of the CA, answers run three ways, shells see it, it stops cleanly. */
async function observeBuiltApp(u: ImageUnderTest, app: SampleApp, build: AppBuild): Promise<AppObservation> {
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
  const runCmd = build.cmd.length ? build.cmd : [`${s2iSettings(await readImageConfig(build.container)).scriptsDir}/run`];
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
  const [shells, stops] = await Promise.all([observeShells(u, build), observeStops(u, app, build, runCmd)]);
  return { ...observed, shells, stops };
}

/** shellScript in each shell exec'd into the app's container, as its own user, with its environment; pip runs in PIP_SHELL. */
async function observeShells(u: ImageUnderTest, build: AppBuild): Promise<ShellsObservation> {
  const runs = await Promise.all(
    SHELLS.map(async (shell) => {
      const c = build.container.withEnvVariable("S2I_RUN_ID", u.runId).withExec([...shell, shellScript(shell.join(" ") === PIP_SHELL)], {
        expect: ReturnType.Any,
      });
      const [code, stdout] = await Promise.all([c.exitCode(), c.stdout()]);
      return { shell: shell.join(" "), code, stdout };
    }),
  );
  return { vars: build.vars, runs };
}

/** Each way of starting the app, stopped with SIGTERM as its image's user; one progress line gives each way's time and status. */
async function observeStops(u: ImageUnderTest, app: SampleApp, build: AppBuild, runCmd: string[]): Promise<AppObservation["stops"]> {
  const [entrypoint, user, factor] = await Promise.all([build.container.entrypoint(), build.container.user(), slowdown(build.container)]);
  const url = `http://127.0.0.1:${app.port}${app.path}`;
  const variants = stopVariants(entrypoint, runCmd, { every: app.stop, execForm: build.s2iRun });
  const grace = STOP_GRACE * factor;
  // One after another: a stop is timed, and stops of the same app at once would slow each other down.
  const outcomes: StopOutcome[] = [];
  const limit = app.stopWithin * factor;
  for (const v of variants) {
    let o = await stopOnce(build.container, v, url, user, grace, u.runId);
    while (retimeStop(o, limit)) {
      const earlier = [...(o.earlier ?? []), o.seconds!];
      // A pause that grows with each try lets a burst of the machine's other work pass.
      await new Promise((resolve) => setTimeout(resolve, 5000 * earlier.length));
      o = { ...(await stopOnce(build.container, v, url, user, grace, `${u.runId}-try${earlier.length + 1}`)), earlier };
    }
    outcomes.push(o);
  }
  const runs = variants.map((v, i) => ({ variant: v.name, outcome: outcomes[i] }));
  console.error(
    `[${imageLabel(u)}] stop on SIGTERM, ${app.name}: ${stopLines(runs, limit)
      .map((l, i) => (l.why ? l.text : `${l.text} (PID 1: ${runs[i].outcome.pid1})`))
      .join("; ")}`,
  );
  return { limit, grace, runs };
}

async function observeExpectedFailure(u: ImageUnderTest, app: SampleApp): Promise<AppObservation> {
  const { container } = await s2iBuild(u, app, true);
  const [exitCode, out, err] = await Promise.all([container.exitCode(), container.stdout(), container.stderr()]);
  return { expectedFailure: { exitCode, output: `${out}\n${err}` } };
}

/** The app's .s2i/environment, or "" when it has none. */
async function s2iEnvironmentText(dir: Directory): Promise<string> {
  return (await dir.glob(".s2i/environment")).length ? dir.file(".s2i/environment").contents() : "";
}

/** The app's build environment: .s2i/environment, then the table's env with the index URL filled in. */
async function environmentOf(u: ImageUnderTest, app: SampleApp): Promise<Record<string, string>> {
  const env = appEnvironment(app, await s2iEnvironmentText(u.project.source.directory(app.dir)), { pypiIndexUrl: PYPI_INDEX_URL });
  // pip only trusts plain-HTTP indexes on localhost; the test's index is a bound service.
  if (usesPypiIndex(app.env)) env.PIP_TRUSTED_HOST = PYPI_HOST;
  return env;
}

/** The s2i build of an app, as the s2i CLI does it from the image's configuration. */
async function s2iBuild(u: ImageUnderTest, app: SampleApp, expectFailure = false): Promise<AppBuild> {
  const [env, config] = await Promise.all([environmentOf(u, app), readImageConfig(u.image)]);
  const services: Record<string, Service> = {};
  if (usesPypiIndex(app.env)) services[PYPI_HOST] = pypiIndexService(u.image, u.project.source.directory(`${app.dir}-pkg`));
  const built = runS2iSteps(s2iBuildSteps(env, s2iSettings(config)), {
    image: u.image,
    app: u.project.source.directory(app.dir),
    extraCa: u.extraCa,
    services,
    expectFailure,
  });
  return { ...built, vars: env, s2iRun: true };
}

/** The test Dockerfile each Dockerfile flow builds from. */
const FLOW_DOCKERFILES: Record<Exclude<SampleApp["flow"], "s2i" | "s2i-incremental">, TestDockerfile> = {
  "uwsgi-minimal": "uwsgi",
  "mod-wsgi-multistage": "mod_wsgi",
  "assemble-dockerfile": "assemble",
  "pip-dockerfile": "pip",
};

async function buildApp(u: ImageUnderTest, app: SampleApp): Promise<AppBuild> {
  if (app.flow === "s2i") return s2iBuild(u, app);
  if (app.flow === "s2i-incremental") return incrementalBuild(u, app);
  return { ...fromTestDockerfile(u, app, FLOW_DOCKERFILES[app.flow]), vars: {}, s2iRun: false };
}

/**
 * The app built twice, the second time as `s2i build --incremental` does: save-artifacts runs in
 * the first image and its archive is extracted at <destination>/artifacts for the second build,
 * which runs with UV_OFFLINE=1, so that uv may take packages from the handed-over cache only.
 * The second image is the one run and probed; observed besides: the archive's members and the
 * second assemble's output.
 */
async function incrementalBuild(u: ImageUnderTest, app: SampleApp): Promise<AppBuild> {
  const [env, config] = await Promise.all([environmentOf(u, app), readImageConfig(u.image)]);
  const settings = s2iSettings(config);
  const inputs = { image: u.image, app: u.project.source.directory(app.dir), extraCa: u.extraCa };
  const first = runS2iSteps(s2iBuildSteps(env, settings), inputs);
  const archive = saveArtifacts(first.container, settings);
  const again = runS2iSteps(s2iBuildSteps({ ...env, UV_OFFLINE: "1" }, settings, { incremental: true }), { ...inputs, artifacts: archive });
  const observeIncremental = async () => {
    const listing = first.container.withMountedFile("/tmp/s2i-artifacts.tar", archive).withExec(["tar", "-tf", "/tmp/s2i-artifacts.tar"]);
    const [members, rebuildLog] = await Promise.all([listing.stdout(), again.container.stdout()]);
    return { members: members.split("\n"), rebuildLog };
  };
  return { ...again, vars: env, s2iRun: true, observeIncremental };
}

/**
 * One of the image's rendered test Dockerfiles: the file, interpreted with the image under test
 * bound to its build argument (MINIMAL_IMAGE or FULL_IMAGE), and for the minimal image's mod_wsgi
 * flow FULL_IMAGE bound to its full sibling (the plan reports that flow as not applicable where
 * the matrix has none).
 */
function fromTestDockerfile(u: ImageUnderTest, app: SampleApp, kind: TestDockerfile) {
  const path = testDockerfilePath(u.target, kind);
  const file = u.project.renderer.renderTarget(u.target).find((f) => f.path === path);
  if (!file) throw new Error(`${path} is not rendered for ${imageLabel(u)} (templates/layout.yml)`);
  const images: Record<string, Container> = u.target.version.minimal ? { MINIMAL_IMAGE: u.image } : { FULL_IMAGE: u.image };
  if (kind === "mod_wsgi") {
    if (!u.fullSibling) throw new Error(`${app.name} needs the full image of ${imageLabel(u)}, which was not built`);
    images.FULL_IMAGE = u.fullSibling.image;
  }
  const context = dag.directory().withDirectory("app-src", u.project.source.directory(app.dir));
  return interpretDockerfile(parseDockerfile(file.content, path), { images, context, extraCa: u.extraCa }, path);
}
