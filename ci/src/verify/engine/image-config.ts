import type { Container } from "@dagger.io/dagger";
import { CONFIG_ENV, CONFIG_LABELS, type ImageConfig } from "../image-settings.js";

/** The image's configuration (verify/image-settings.ts): user, working directory, exposed ports, the labels and variables the checks read. */
export async function readImageConfig(c: Container): Promise<ImageConfig> {
  const named = async (names: readonly string[], read: (n: string) => Promise<string | null>) =>
    Object.fromEntries((await Promise.all(names.map(async (n) => [n, await read(n)] as const))).filter(([, v]) => v !== null && v !== "")) as Record<
      string,
      string
    >;
  const [user, workdir, ports, labels, env] = await Promise.all([
    c.user(),
    c.workdir(),
    c.exposedPorts(),
    named(CONFIG_LABELS, (n) => c.label(n)),
    named(CONFIG_ENV, (n) => c.envVariable(n)),
  ]);
  return {
    user,
    workdir,
    exposedPorts: await Promise.all(ports.map(async (p) => ({ port: await p.port(), protocol: String(await p.protocol()) }))),
    labels,
    env,
  };
}
