import { ReturnType, type Container, type Directory, type File, type Service } from "@dagger.io/dagger";
import { CA_VARIABLES, EXTRA_CA_PATH, SCRIPTS, type S2iStep } from "../s2i-steps.js";

/** Where the previous image's save-artifacts archive is mounted while assemble's run extracts it. */
const ARTIFACTS_ARCHIVE = "/run/s2i-artifacts.tar";

export interface S2iInputs {
  image: Container;
  /** The application's files (copied to /tmp/src owned by 1001:0). */
  app: Directory;
  /** A CA bundle that pip, requests and npm trust during assemble only. */
  extraCa?: File;
  /** Services assemble may reach (the test's package index), by host name. */
  services?: Record<string, Service>;
  /** The build is expected to fail: assemble may exit non-zero, the caller reads its exit code. */
  expectFailure?: boolean;
  /** An incremental build's input: the previous image's save-artifacts archive (saveArtifacts). */
  artifacts?: File;
}

export interface S2iResult {
  /** The application image, after assemble. */
  container: Container;
  /** Its run command (the steps' CMD). */
  cmd: string[];
}

const isAssemble = (s: S2iStep) => s.op === "run" && s.args[0] === `${SCRIPTS}/assemble`;

/** Executes the s2i build steps (s2iBuildSteps) as container calls. Lazy: nothing runs until a leaf is awaited. */
export function runS2iSteps(steps: S2iStep[], inputs: S2iInputs): S2iResult {
  let c = inputs.image;
  let cmd: string[] = [];
  let artifactsDir: string | undefined;
  for (const s of steps) {
    switch (s.op) {
      case "user":
        c = c.withUser(s.user);
        break;
      case "copySources":
        c = c.withDirectory(s.dest, inputs.app, { owner: "1001:0" });
        break;
      case "artifacts":
        if (!inputs.artifacts) throw new Error("an incremental build needs the previous image's save-artifacts archive");
        artifactsDir = s.dest;
        break;
      case "env":
        c = c.withEnvVariable(s.name, s.value);
        break;
      case "cmd":
        cmd = s.args;
        c = c.withDefaultArgs(s.args);
        break;
      case "run":
        if (!isAssemble(s)) {
          c = c.withExec(s.args);
          break;
        }
        for (const [host, svc] of Object.entries(inputs.services ?? {})) c = c.withServiceBinding(host, svc);
        c = withExtraCa(c, inputs.extraCa, (x) => withArtifacts(x, artifactsDir && inputs.artifacts, artifactsDir, s.args, inputs.expectFailure));
        break;
    }
  }
  return { container: c, cmd };
}

/**
 * Runs assemble (`args`); in an incremental build, in the same process tree as extracting the
 * archive at `dir` (a directory rename from there into the home folder then stays one rename,
 * where a layer in between would turn it into a copy).
 */
function withArtifacts(c: Container, archive: File | "" | undefined, dir: string | undefined, args: string[], expectFailure?: boolean): Container {
  const opts = expectFailure ? { expect: ReturnType.Any } : undefined;
  if (!archive || !dir) return c.withExec(args, opts);
  const extractThenRun = ["sh", "-c", 'mkdir -p "$1" && tar -xf "$2" -C "$1" && shift 2 && exec "$@"', "sh", dir, ARTIFACTS_ARCHIVE, ...args];
  return c.withMountedFile(ARTIFACTS_ARCHIVE, archive).withExec(extractThenRun, opts).withoutMount(ARTIFACTS_ARCHIVE);
}

/**
 * What `s2i build --incremental` takes from the previous application image: the tar archive
 * its save-artifacts script writes to stdout, run as the image user.
 */
export function saveArtifacts(previous: Container): File {
  const out = "/tmp/s2i-save-artifacts.tar";
  return previous
    .withUser("1001")
    .withExec([`${SCRIPTS}/save-artifacts`], { redirectStdout: out })
    .file(out);
}

/**
 * Runs `step` with the extra CA bundle (if any) mounted and named by PIP_CERT,
 * REQUESTS_CA_BUNDLE and NODE_EXTRA_CA_CERTS; afterwards neither the file nor the
 * variables are left in the container.
 */
export function withExtraCa(c: Container, extraCa: File | undefined, step: (c: Container) => Container): Container {
  if (!extraCa) return step(c);
  c = c.withMountedFile(EXTRA_CA_PATH, extraCa, { owner: "1001:0" });
  for (const v of CA_VARIABLES) c = c.withEnvVariable(v, EXTRA_CA_PATH);
  c = step(c);
  for (const v of CA_VARIABLES) c = c.withoutEnvVariable(v);
  return c.withoutMount(EXTRA_CA_PATH);
}
