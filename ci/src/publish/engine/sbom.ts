import type { Container, Directory, File } from "@dagger.io/dagger";
import { SBOM_FORMATS, type SbomFormat } from "../sbom-format.js";
import { toolsContainer } from "./tools-container.js";

/**
 * The SBOMs of one image (one platform), every format from one syft scan (a scan of a full image
 * takes minutes): the packages of its dpkg or rpm database and the Python packages installed in
 * it (the venv's site-packages included), with their files' layers. `name` and `version` name the
 * documents. The folder holds each format under its SBOM_FORMATS file name.
 */
export function sbomsOf(image: Container, name: string, version: string, extraCa?: File): Directory {
  const outputs = (Object.keys(SBOM_FORMATS) as SbomFormat[]).flatMap((f) => ["-o", `${f}=/work/out/${SBOM_FORMATS[f].file}`]);
  return toolsContainer(extraCa)
    .withEnvVariable("SYFT_CHECK_FOR_APP_UPDATE", "false")
    .withMountedFile("/work/image.tar", image.asTarball())
    .withExec(["mkdir", "-p", "/work/out"])
    .withExec(["syft", "scan", "oci-archive:/work/image.tar", "--quiet", "--source-name", name, "--source-version", version, ...outputs])
    .directory("/work/out");
}

/** One format of sbomsOf (the same scan, so a publish after it finds its SBOMs cached). */
export function sbomOf(image: Container, format: SbomFormat, name: string, version: string, extraCa?: File): File {
  return sbomsOf(image, name, version, extraCa).file(SBOM_FORMATS[format].file);
}
