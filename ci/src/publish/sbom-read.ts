/** What an SBOM says, read from SPDX JSON or CycloneDX JSON: its packages, and the interpreter's version among them. */

export interface SbomPackage {
  name: string;
  version: string;
  /** The package URL (pkg:deb/debian/python3.11@..., pkg:pypi/pip@...), when the SBOM gives one. */
  purl?: string;
}

interface SpdxDoc {
  spdxVersion?: string;
  packages?: { name: string; versionInfo?: string; externalRefs?: { referenceType: string; referenceLocator: string }[] }[];
}
interface CdxDoc {
  bomFormat?: string;
  components?: { type?: string; name: string; version?: string; purl?: string }[];
}

/** The packages of an SBOM in either format; throws on a document that is neither. */
export function sbomPackages(json: string): SbomPackage[] {
  const doc = JSON.parse(json) as SpdxDoc & CdxDoc;
  if (doc.spdxVersion) {
    return (doc.packages ?? []).map((p) => ({
      name: p.name,
      version: p.versionInfo ?? "",
      purl: p.externalRefs?.find((r) => r.referenceType === "purl")?.referenceLocator,
    }));
  }
  // syft lists every file it read as a component of type "file" too: packages only.
  if (doc.bomFormat === "CycloneDX")
    return (doc.components ?? []).filter((c) => c.type !== "file").map((c) => ({ name: c.name, version: c.version ?? "", purl: c.purl }));
  throw new Error("the document is neither SPDX JSON nor CycloneDX JSON");
}

/** The ecosystem of a package from its purl: deb, rpm, pypi, ... */
export const purlType = (p: SbomPackage) => /^pkg:([a-z]+)\//.exec(p.purl ?? "")?.[1];

/** A distro package's upstream version: 3.11.2 of 3.11.2-6+deb12u6, 3.12.9 of 3.12.9-1.el9 (an epoch "1:" dropped). */
export function upstreamVersion(v: string): string {
  return v.replace(/^\d+:/, "").replace(/-[^-]*$/, "");
}

/**
 * The interpreter's version as the SBOM records it: the distro package of Python X.Y
 * (python3.11 on Debian, python3.12 or python3 on RPM distros), upstream part.
 */
export function sbomPythonVersion(pkgs: SbomPackage[], xy: string): string | undefined {
  const os = pkgs.filter((p) => purlType(p) === "deb" || purlType(p) === "rpm");
  const named = os.find((p) => p.name === `python${xy}`) ?? os.find((p) => p.name === "python3" && upstreamVersion(p.version).startsWith(`${xy}.`));
  return named && upstreamVersion(named.version);
}
