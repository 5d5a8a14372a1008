import { ReturnType, type Container, type Directory, type File, type Service } from "@dagger.io/dagger";
import { CA_VARIABLES, EXTRA_CA_PATH, type S2iStep } from "../s2i-steps.js";

export interface S2iInputs {
  image: Container;
  /** The application's files (copied where the steps say, owned by the assemble user). */
  app: Directory;
  /** A CA bundle that pip, requests and npm trust during assemble only. */
  extraCa?: File;
  /** Services assemble may reach (the test's package index), by host name. */
  services?: Record<string, Service>;
  /** The build is expected to fail: assemble may exit non-zero, the caller reads its exit code. */
  expectFailure?: boolean;
}

export interface S2iResult {
  /** The application image, after assemble. */
  container: Container;
  /** Its run command (the steps' CMD). */
  cmd: string[];
}

/** Executes the s2i build steps (s2iBuildSteps) as container calls. Lazy: nothing runs until a leaf is awaited. */
export function runS2iSteps(steps: S2iStep[], inputs: S2iInputs): S2iResult {
  let c = inputs.image;
  let cmd: string[] = [];
  for (const s of steps) {
    switch (s.op) {
      case "user":
        c = c.withUser(s.user);
        break;
      case "copySources":
        c = c.withDirectory(s.dest, inputs.app, { owner: s.owner });
        break;
      case "env":
        c = c.withEnvVariable(s.name, s.value);
        break;
      case "cmd":
        cmd = s.args;
        c = c.withDefaultArgs(s.args);
        break;
      case "run":
        if (!s.assemble) {
          c = c.withExec(s.args);
          break;
        }
        for (const [host, svc] of Object.entries(inputs.services ?? {})) c = c.withServiceBinding(host, svc);
        c = withExtraCa(c, inputs.extraCa, (x) => x.withExec(s.args, inputs.expectFailure ? { expect: ReturnType.Any } : undefined));
        break;
    }
  }
  return { container: c, cmd };
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
