/**
 * THE registry: every check of the report is one entry here, with its name (as the report
 * gives it), when it applies, how it runs and how it is judged. A search for a check's name
 * finds its entry; the entry names the probe it runs and the pure judge it is judged by.
 *
 * - IMAGE_BUILD runs first; when it fails, every other check is reported as not run.
 * - IMAGE_CHECKS run once per image, in this order.
 * - sampleAppCheck(app) is the entry of each row of specs/sample-apps.yml, and
 *   ownDockerfileCheck(...) the same app built from the caller's Dockerfile (test-dockerfiles).
 */
import { ReturnType, type Container, type Directory, type File } from "@dagger.io/dagger";
import type { SampleApp } from "../../spec/sample-apps.js";
import type { Verdict } from "../results.js";
import { judgeApp, type AppObservation } from "../app-judges.js";
import { retryOnce } from "./retry.js";
import { failureOutput, errorLine, errorText } from "../error-text.js";
import {
  judgeImageBuild,
  judgeMachine,
  judgeNoExtraCa,
  judgePythonVersion,
  judgeUsage,
  MACHINE_PROBE,
  verdict,
  type BuildObservation,
  type CaObservation,
  type CommandOutput,
} from "../image-judges.js";
import { IMPORTS, judgeScriptExit, PASSWORDS, PIP_TLS, SQLITE, STACK, STRAY_BYTECODE } from "../library-probes.js";
import { appNotApplicable, notRendered, type PlanContext } from "../plan.js";
import {
  FIX_PERMISSIONS_AS_ROOT,
  FIX_PERMISSIONS_AS_UID,
  GENERATE_CONTAINER_USER,
  judgeFixPermissionsAsRoot,
  judgeFixPermissionsAsUid,
  judgeGenerateContainerUser,
  judgeRunAsArbitraryUid,
  RUN_AS_ARBITRARY_UID,
} from "../uid-probes.js";
import type { AnyCheck, CheckEntry, ImageUnderTest } from "./check-entry.js";
import { observeApp, observeAppFromContext } from "./app-run.js";
import { observeExtraCa } from "./extra-ca-probe.js";
import { withExtraCa } from "./s2i-run.js";

/** Applies to every image. */
const always = (): undefined => undefined;

/** A command's exit code and combined output, whatever the exit code. */
async function commandOutput(c: Container): Promise<CommandOutput> {
  const [code, out] = await Promise.all([c.exitCode(), c.combinedOutput()]);
  return { code, out };
}

/** A Python probe run as root in the image, which prints one JSON line. */
async function rootProbe<T>(image: Container, script: string): Promise<T> {
  const out = await image.withUser("0").withExec(["python3", "-c", script]).stdout();
  return JSON.parse(out.trim().split("\n").pop() ?? "") as T;
}

/** A Python script run as the image user (with the extra CA for its https clients when withCa): judged by its exit status. */
function scriptCheck(name: string, script: string, expected: string, withCa = false): CheckEntry<CommandOutput> {
  return {
    name,
    appliesTo: always,
    run: (u) => commandOutput(withExtraCa(u.image, withCa ? u.extraCa : undefined, (x) => x.withExec(["python3", "-c", script], { expect: ReturnType.Any }))),
    judge: (r) => judgeScriptExit(expected, r),
  };
}

/**
 * One of the image's own scripts, run by a root probe as root or another uid (verify/uid-probes.ts);
 * it applies where templates/layout.yml gives the image our copy of `rendered`.
 */
function scriptAsUidCheck<O>(name: string, rendered: string, probe: string, judge: (o: O) => Verdict): CheckEntry<O> {
  return { name, appliesTo: (ctx) => notRendered(ctx, rendered), run: (u) => rootProbe<O>(u.image, probe), judge };
}

export const IMAGE_BUILD: CheckEntry<BuildObservation> = {
  name: "image build",
  appliesTo: always,
  run: async (u) => {
    try {
      await u.image.sync();
      return { built: true };
    } catch (first) {
      const failed = await retryOnce(u, "the image build", first, () => u.image.sync());
      if (!failed) return { built: true };
      const e = failed.error;
      return { built: false, output: failureOutput(e), line: errorLine(e), text: errorText(e) };
    }
  },
  judge: judgeImageBuild,
};

export const IMAGE_CHECKS: readonly AnyCheck[] = [
  {
    // The image's default command, started as `docker run IMAGE` would (entrypoint + CMD): s2i usage, exit 0.
    name: "usage exits 0",
    appliesTo: always,
    run: async (u) => commandOutput(u.image.withExec(await u.image.defaultArgs(), { useEntrypoint: true, expect: ReturnType.Any })),
    judge: judgeUsage,
  } satisfies CheckEntry<CommandOutput>,
  {
    name: "python --version",
    appliesTo: always,
    run: (u) => u.image.withExec(["python", "--version"]).combinedOutput(),
    judge: (out, t) => judgePythonVersion(t.version.version, out),
  } satisfies CheckEntry<string>,
  {
    // `uname -m` and the interpreter's ELF machine agree with the platform the image was built for.
    name: "runs on its platform",
    appliesTo: always,
    run: async (u) => ({ platform: await u.image.platform(), out: await u.image.withExec(["python3", "-c", MACHINE_PROBE]).stdout() }),
    judge: (o) => judgeMachine(o.platform, o.out),
  } satisfies CheckEntry<{ platform: string; out: string }>,
  {
    // With --extra-ca, no layer and no variable of the image holds anything of the CA.
    name: "no extra CA in the image",
    appliesTo: (ctx: PlanContext) => (ctx.extraCa ? undefined : "no --extra-ca was given"),
    run: (u) => observeExtraCa(u.image, u.extraCa as File),
    judge: judgeNoExtraCa,
  } satisfies CheckEntry<CaObservation>,
  // docker-library's python checks (verify/library-probes.ts).
  scriptCheck("docker-library: python imports", IMPORTS, "curses, readline, dbm.gnu, dbm.ndbm import; bz2, zlib, lzma (zstd on 3.14+) round-trip"),
  {
    name: "docker-library: no stray bytecode",
    appliesTo: always,
    run: (u) => u.image.withUser("0").withExec(["sh", "-c", STRAY_BYTECODE]).stdout(),
    judge: (out) => verdict(out.trim() === "", "no *.pyc or *.pyo under /usr/local or /opt", `found ${out.trim().split("\n").slice(0, 3).join(", ")}`, out),
  } satisfies CheckEntry<string>,
  scriptCheck("docker-library: pip and requests over TLS", PIP_TLS, "pip installs requests, which fetches https://pypi.org/simple/requests/", true),
  scriptCheck("docker-library: sqlite3", SQLITE, "an in-memory table round trip"),
  scriptCheck("docker-library: thread stack size", STACK, "RecursionError in a thread, exit 0 (no crash)"),
  {
    name: "docker-library: UTC",
    appliesTo: always,
    run: async (u) => (await u.image.withExec(["date", "+%Z"]).stdout()).trim(),
    judge: (out) => verdict(out === "UTC", "date +%Z prints UTC", out),
  } satisfies CheckEntry<string>,
  {
    name: "docker-library: override CMD",
    appliesTo: always,
    run: async (u) => {
      const word = `hello-${Math.random().toString(36).slice(2, 10)}`;
      return { word, out: await u.image.withExec(["echo", word], { useEntrypoint: true }).stdout() };
    },
    judge: (o) => verdict(o.out === `${o.word}\n`, `\`docker run IMAGE echo ${o.word}\` prints exactly that`, JSON.stringify(o.out)),
  } satisfies CheckEntry<{ word: string; out: string }>,
  {
    name: "docker-library: no hard-coded passwords",
    appliesTo: always,
    run: async (u) => (await u.image.withUser("0").withExec(["sh", "-c", PASSWORDS]).stdout()).trim(),
    judge: (out) => verdict(out === "", "no password hash in /etc/shadow and no empty root password", out),
  } satisfies CheckEntry<string>,
  // The image's own helper scripts as root and as an arbitrary uid (verify/uid-probes.ts).
  scriptAsUidCheck(
    "fix-permissions as root: group 0, g+rw, links untouched",
    "root/usr/bin/fix-permissions",
    FIX_PERMISSIONS_AS_ROOT,
    judgeFixPermissionsAsRoot,
  ),
  scriptAsUidCheck("fix-permissions as uid 12345: only its own files", "root/usr/bin/fix-permissions", FIX_PERMISSIONS_AS_UID, judgeFixPermissionsAsUid),
  scriptAsUidCheck(
    "generate_container_user: a passwd entry for uid 12345 only",
    "root/opt/app-root/etc/generate_container_user",
    GENERATE_CONTAINER_USER,
    judgeGenerateContainerUser,
  ),
  scriptAsUidCheck(
    "run as uid 12345: a user name before the app starts",
    "root/opt/app-root/etc/generate_container_user",
    RUN_AS_ARBITRARY_UID,
    judgeRunAsArbitraryUid,
  ),
];

/**
 * A row of specs/sample-apps.yml on the image under test: built by its flow, run three ways
 * and probed over HTTP (or its build failing as the table says), stopped with SIGTERM when
 * the table asks. It applies to the image kinds the row names.
 */
export function sampleAppCheck(app: SampleApp): CheckEntry<AppObservation> {
  return {
    name: app.name,
    appliesTo: (ctx) => appNotApplicable(app, ctx),
    run: (u) => observeApp(u, app),
    judge: (o) => judgeApp(app, o),
  };
}

/** A row of the table built from the caller's own Dockerfile in `context` (test-dockerfiles), judged by the same row. */
export function ownDockerfileCheck(app: SampleApp, context: Directory, builder: string | undefined): CheckEntry<AppObservation> {
  return {
    name: `${app.name} from its own Dockerfile`,
    appliesTo: always,
    run: (u: ImageUnderTest) => observeAppFromContext(u, app, context, builder),
    judge: (o) => judgeApp(app, o),
  };
}
