import type { Container, File, Secret } from "@dagger.io/dagger";
import { SBOM_FORMATS, type SbomFormat } from "../sbom-format.js";
import { toolsContainer } from "./tools-container.js";

/**
 * The SBOM of one image (one platform), made by syft from the image as an OCI archive: the
 * packages of its dpkg or rpm database and the Python packages installed in it (the venv's
 * site-packages included), with their files' layers. `name` and `version` name the document.
 */
export function sbomOf(image: Container, format: SbomFormat, name: string, version: string, extraCa?: Secret): File {
  const out = `/work/${SBOM_FORMATS[format].file}`;
  return toolsContainer(extraCa)
    .withEnvVariable("SYFT_CHECK_FOR_APP_UPDATE", "false")
    .withMountedFile("/work/image.tar", image.asTarball())
    .withExec(["syft", "scan", "oci-archive:/work/image.tar", "--quiet", "--source-name", name, "--source-version", version, "-o", `${format}=${out}`])
    .file(out);
}
