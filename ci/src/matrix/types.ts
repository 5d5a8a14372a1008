/** Typed view of specs/*.yml. Nothing downstream of the loader reads raw YAML. */

export type Family = "rpm" | "deb";
export const FAMILIES: readonly Family[] = ["rpm", "deb"];

export type OsId = "rhel" | "centos-stream" | "fedora" | "debian";
export const OS_IDS: readonly OsId[] = ["rhel", "centos-stream", "fedora", "debian"];

export type ImageKind = "full" | "minimal";
export const IMAGE_KINDS: readonly ImageKind[] = ["full", "minimal"];

/** How a minimal image gets its packages: a -minimal base has microdnf, a micro base has none. */
export type MinimalBase = "minimal" | "micro";

export interface Distro {
  id: string;
  family: Family;
  os: OsId;
  /** Suffix of the rendered Dockerfile name (Dockerfile.<dockerfile>). */
  dockerfile: string;
  elVersion?: string;
  fedoraVersion?: string;
  debianCodename?: string;
  fullBase: string;
  /** Tag of the full image's FROM; "version" means the version's baseImgVersion. */
  fullTag: string;
  minimalBase: string;
  microBase?: string;
  microBuilder?: string;
  org: string;
  prod?: string;
  logos?: string;
  preinstall: string[];
  pythonPkgs: string[];
  extraPkgs: Record<string, string[]>;
  basePkgs: string[];
  minimalPythonPkgs: string[];
  minimalPkgs: string[];
  ubiVersions: string[];
  enableEpelFor: string[];
}

export interface Version {
  /** The version key: "3.12" or "3.12-minimal". */
  key: string;
  /** The bare Python version, the same for both keys: "3.12". */
  version: string;
  shortVer: string;
  minimal: boolean;
  /** Minimal images only. */
  base?: MinimalBase;
  baseImgVersion: string;
  pythonImgVersion?: string;
  moduleStream: string;
  pkgPrefix: string;
  mainImage: string;
  defaultDistro: string;
}

/** One image to build: a version key on a distro. */
export interface Target {
  version: Version;
  distro: Distro;
}

export interface Spec {
  distros: Map<string, Distro>;
  versions: Map<string, Version>;
  /** Every target of the matrix, in the order matrix.yml lists them. */
  targets: Target[];
}
