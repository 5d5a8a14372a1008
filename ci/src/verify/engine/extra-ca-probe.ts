import { dag, type Container, type File } from "@dagger.io/dagger";
import { CA_ENV_NAMES, CA_PROBE, type CaObservation } from "../image-judges.js";

/**
 * What a container shows of an extra CA bundle (judged by extraCaLeft): its CA variables,
 * and CA_PROBE run on its layers alone: layers and configuration are what a publish pushes,
 * and no mount of the Container (a build secret's tmpfs, a CA mounted for assemble) can hide
 * or stand in for a file of a layer.
 */
export async function observeExtraCa(c: Container, extraCa: File): Promise<CaObservation> {
  const [values, probe, bundle] = await Promise.all([
    Promise.all(CA_ENV_NAMES.map((n) => c.envVariable(n))),
    dag.container().withRootfs(c.rootfs()).withExec(["sh", "-c", CA_PROBE]).stdout(),
    extraCa.contents(),
  ]);
  const env: CaObservation["env"] = {};
  CA_ENV_NAMES.forEach((n, i) => {
    if (values[i]) env[n] = values[i];
  });
  return { env, probe, bundle };
}
