/** Typed view of specs/distros.yml and specs/versions.yml. Nothing downstream of the loader reads raw YAML. */

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
  /** The OS release: "9", "42", "12". */
  release: string;
  /** Debian's suite name (bookworm); undefined elsewhere. */
  codename?: string;
  /** The Python version of the distro's own python3 packages. */
  python3: string;
  fullBase: string;
  minimalBase: string;
  microBase?: string;
  microBuilder?: string;
  org: string;
  prod?: string;
  logos?: string;
  /** dnf module streams the full image enables before its install (RHEL 8), e.g. "{{module_stream}} httpd:2.4". */
  moduleEnable?: string;
  /** The full image's Python packages: for the distro's python3, and (if it has them) for other versions. */
  pythonPkgs: { system: string[]; versioned?: string[] };
  minimalPythonPkgs: string[];
  basePkgs: string[];
  minimalPkgs: string[];
  enableEpelFor: string[];
  /** The platforms (os/arch[/variant]) the distro's base images are published for. */
  platforms: string[];
}

export interface Version {
  /** The version key: "3.12" or "3.12-minimal". */
  key: string;
  /** The bare Python version, the same for both keys: "3.12". */
  version: string;
  /** The version without its dot: "312". */
  shortVer: string;
  minimal: boolean;
  /** The distro ids this key is built on, the default first. */
  distros: string[];
  defaultDistro: string;
  /** The published image the README tells users to pull; absent when upstream publishes none (the Debian images). */
  mainImage?: string;
  /** The interpreter's package name: python3.12, python39, ... */
  pkg: string;
  /** The dnf module stream enabled on RHEL 8 ("" when none). */
  moduleStream: string;
  /** The full image's Python packages where the distro's rule does not fit. */
  fullPythonPkgs?: string[];
  /** The command that makes the virtual environment (followed by its folder). */
  venv: string;
  /** Minimal images only. */
  base?: MinimalBase;
}

/** One image to build: a version key on a distro. */
export interface Target {
  version: Version;
  distro: Distro;
}

export interface Spec {
  distros: Map<string, Distro>;
  versions: Map<string, Version>;
  /** Every target, in the order specs/versions.yml lists keys and their distros. */
  targets: Target[];
}
