/** The SBOM formats the pipeline writes, by the names syft and cosign give them. */
import { UsageError } from "../errors.js";

export const SBOM_FORMATS = {
  "spdx-json": { cosignType: "spdxjson", file: "sbom.spdx.json" },
  "cyclonedx-json": { cosignType: "cyclonedx", file: "sbom.cdx.json" },
} as const;

export type SbomFormat = keyof typeof SBOM_FORMATS;

export function validateSbomFormat(f: string): SbomFormat {
  if (!(f in SBOM_FORMATS)) throw new UsageError(`--format "${f}": the SBOM formats are ${Object.keys(SBOM_FORMATS).join(", ")}`);
  return f as SbomFormat;
}
