import { SpecError } from "../errors.js";
import type { SourceReader } from "./source.js";
import { Fields } from "./fields.js";
import { readYaml } from "./yaml.js";
import { imageName, interpreterNames, interpreterProblem } from "./image.js";
import { FAMILIES, OS_IDS } from "./types.js";
import type { Distro, Spec, Target, Version } from "./types.js";

export const SPEC_FILES = {
  distros: "specs/distros.yml",
  versions: "specs/versions.yml",
} as const;

/** A version key: 3.12 (the full image) or 3.12-minimal. */
export const VERSION_KEY = /^(\d+)\.(\d+)(-minimal)?$/;
const DIGITS = /^\d+$/;
/** An image reference that names its registry host: BuildKit resolves a short name on docker.io. */
export const QUALIFIED_IMAGE = /^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+)(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[0-9a-f]{64})?$/;
const QUALIFIED_EXPECTED = "an image reference with its registry host, such as registry.access.redhat.com/ubi9/ubi-minimal:latest";
const PLATFORM = /^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/;

/** Reads and validates the spec files into typed targets, and checks the invariants across them. */
export async function loadSpec(source: SourceReader): Promise<Spec> {
  const distros = parseDistros(await readYaml(source, SPEC_FILES.distros));
  const { versions, targets } = parseVersions(await readYaml(source, SPEC_FILES.versions), distros);
  return { distros, versions, targets };
}

export function parseDistros(doc: unknown): Map<string, Distro> {
  const file = SPEC_FILES.distros;
  const top = Fields.of(file, "", doc);
  const out = new Map<string, Distro>();
  for (const id of top.keys()) {
    const f = top.child(id);
    const family = f.oneOf("family", FAMILIES);
    const image = (key: string) => f.string(key, QUALIFIED_IMAGE, QUALIFIED_EXPECTED);
    const optionalImage = (key: string) => f.optionalString(key, QUALIFIED_IMAGE, QUALIFIED_EXPECTED);
    const pkgs = f.child("python_pkgs");
    const d: Distro = {
      id,
      family,
      os: f.oneOf("os", OS_IDS),
      dockerfile: f.string("dockerfile", /^[a-z0-9]+$/, "a lower-case Dockerfile suffix"),
      release: f.string("release", DIGITS, 'a release number such as "9" (quoted)'),
      codename: f.optionalString("codename", /^[a-z]+$/, "a Debian suite name such as bookworm"),
      python3: f.string("python3", /^\d+\.\d+$/, 'the Python version of the distro\'s python3, such as "3.9" (quoted)'),
      fullBase: image("full_base"),
      minimalBase: image("minimal_base"),
      microBase: optionalImage("micro_base"),
      microBuilder: optionalImage("micro_builder"),
      org: f.string("org"),
      prod: f.optionalString("prod"),
      logos: f.optionalString("logos"),
      moduleEnable: f.optionalString("module_enable"),
      pythonPkgs: { system: pkgs.stringList("system"), versioned: pkgs.optionalStringList("versioned") },
      minimalPythonPkgs: f.stringList("minimal_python_pkgs", ["{{pkg}}"]),
      basePkgs: f.stringList("base_pkgs"),
      minimalPkgs: f.stringList("minimal_pkgs"),
      enableEpelFor: f.stringList("enable_epel_for", []),
      platforms: f.stringList("platforms"),
    };
    pkgs.done();
    f.done();
    if (Boolean(d.microBase) !== Boolean(d.microBuilder)) {
      throw new SpecError(file, `${id}.micro_builder`, "micro_base and micro_builder to be set together");
    }
    if ((d.family === "deb") !== Boolean(d.codename)) throw new SpecError(file, `${id}.codename`, "a codename on Debian distros and on no other");
    d.platforms.forEach((p, i) => {
      if (!PLATFORM.test(p)) throw new SpecError(file, `${id}.platforms[${i}]`, "a platform such as linux/amd64 or linux/arm/v7", p);
    });
    out.set(id, d);
  }
  if (out.size === 0) throw new SpecError(file, "", "at least one distro");
  return out;
}

export function parseVersions(doc: unknown, distros: Map<string, Distro>): { versions: Map<string, Version>; targets: Target[] } {
  const file = SPEC_FILES.versions;
  const top = Fields.of(file, "", doc);
  const versions = new Map<string, Version>();
  const targets: Target[] = [];
  const names = new Map<string, string>();
  for (const key of top.keys()) {
    const m = VERSION_KEY.exec(key);
    if (!m) throw new SpecError(file, key, "a version key such as 3.12 or 3.12-minimal");
    const version = `${m[1]}.${m[2]}`;
    const minimal = m[3] !== undefined;
    const f = top.child(key);
    const ids = f.stringList("distros");
    const v: Version = {
      key,
      version,
      shortVer: `${m[1]}${m[2]}`,
      minimal,
      distros: ids,
      defaultDistro: ids[0],
      mainImage: f.optionalString("main_image", QUALIFIED_IMAGE, QUALIFIED_EXPECTED),
      pkg: f.optionalString("pkg", /^[a-z0-9.]+$/, "a package name such as python39") ?? `python${version}`,
      moduleStream: f.optionalString("module_stream", /^[a-z0-9]+:[0-9.]+$/, 'a module stream such as "python38:3.8"') ?? "",
      fullPythonPkgs: f.optionalStringList("full_python_pkgs"),
      venv: f.optionalString("venv") ?? `python${version} -m venv`,
      base: minimal ? f.oneOf("base", ["minimal", "micro"] as const, "minimal") : undefined,
    };
    f.done(minimal ? [] : ["base"]);
    if (!minimal && f.has("base")) throw new SpecError(file, `${key}.base`, "no base on a full image (it is for minimal images)");
    if (minimal && v.fullPythonPkgs) throw new SpecError(file, `${key}.full_python_pkgs`, "no full_python_pkgs on a minimal image");
    if (!interpreterNames(version).includes(v.pkg))
      throw new SpecError(file, `${key}.pkg`, `the package of Python ${version} (${interpreterNames(version).join(" or ")})`, v.pkg);
    if (ids.length === 0) throw new SpecError(file, `${key}.distros`, "at least one distro");

    const suffixes = new Set<string>();
    ids.forEach((id, i) => {
      const at = `${key}.distros[${i}]`;
      const distro = distros.get(id);
      if (!distro) throw new SpecError(file, at, `a distro from ${SPEC_FILES.distros} (${[...distros.keys()].join(", ")})`, id);
      if (suffixes.has(distro.dockerfile)) throw new SpecError(file, at, `one distro per Dockerfile name (Dockerfile.${distro.dockerfile} twice)`, id);
      if (v.base === "micro" && !distro.microBase) throw new SpecError(file, at, "a distro with micro_base for a micro-based version", id);
      suffixes.add(distro.dockerfile);
      const t: Target = { version: v, distro };
      const problem = interpreterProblem(t);
      if (problem) throw new SpecError(file, at, `a distro that can build Python ${version}: ${problem}`, id);
      const name = imageName(t);
      const other = names.get(name);
      if (other) throw new SpecError(file, at, `an image name of its own: ${key} on ${id} and ${other} would both be ${name}`, id);
      names.set(name, `${key} on ${id}`);
      targets.push(t);
    });
    versions.set(key, v);
  }
  if (versions.size === 0) throw new SpecError(file, "", "at least one version key");
  return { versions, targets };
}
