import { dag, ImageLayerCompression, type Container } from "@dagger.io/dagger";
import { CONFIG_ENV, CONFIG_LABELS, type ImageConfig } from "../image-settings.js";
import { configFromOciArchive, type OciConfig } from "../oci-config.js";

/**
 * The image's whole configuration, from its OCI archive (verify/oci-config.ts says why not from
 * the engine's lists). The archive is of the same settings on an empty root filesystem: a few
 * kilobytes, whatever the image's size.
 */
export async function readOciConfig(c: Container): Promise<OciConfig> {
  const archive = await c.withRootfs(dag.directory()).asTarball({ forcedCompression: ImageLayerCompression.Uncompressed }).contents();
  return configFromOciArchive(Buffer.from(archive, "utf8"));
}

/** The image's configuration (verify/image-settings.ts): user, working directory, exposed ports, the labels and variables the checks read. */
export async function readImageConfig(c: Container): Promise<ImageConfig> {
  const oci = await readOciConfig(c);
  const named = (names: readonly string[], pairs: [string, string][]) =>
    Object.fromEntries(pairs.filter(([k, v]) => names.includes(k) && v !== "")) as Record<string, string>;
  return {
    user: oci.user,
    workdir: oci.workdir,
    exposedPorts: oci.exposedPorts.map((p) => {
      const [port, protocol = "tcp"] = p.split("/");
      return { port: Number(port), protocol };
    }),
    labels: named(CONFIG_LABELS, oci.labels),
    env: named(CONFIG_ENV, oci.env),
  };
}
