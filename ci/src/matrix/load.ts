import { parse } from "yaml";
import { SpecError } from "../errors.js";
import type { SourceReader } from "../source.js";
import { Fields } from "./fields.js";
import { FAMILIES, OS_IDS } from "./types.js";
import type { Distro, Spec, Target, Version } from "./types.js";

export const SPEC_FILES = {
  distros: "specs/distros.yml",
  versions: "specs/versions.yml",
  matrix: "specs/matrix.yml",
} as const;

const VERSION_KEY = /^\d+\.\d+(-minimal)?$/;
const DOTTED = /^\d+\.\d+$/;
const DIGITS = /^\d+$/;

/** Reads and validates the three spec files into typed targets. */
export async function loadSpec(source: SourceReader): Promise<Spec> {
  const distros = parseDistros(await readYaml(source, SPEC_FILES.distros));
  const versions = parseVersions(await readYaml(source, SPEC_FILES.versions), distros);
  const targets = parseMatrix(await readYaml(source, SPEC_FILES.matrix), distros, versions);
  return { distros, versions, targets };
}

export async function readYaml(source: SourceReader, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await source.read(file);
  } catch (e) {
    throw new SpecError(file, "", "a readable file", (e as Error).message);
  }
  try {
    return parse(text, { merge: true });
  } catch (e) {
    throw new SpecError(file, "", "valid YAML", (e as Error).message.split("\n")[0]);
  }
}

export function parseDistros(doc: unknown): Map<string, Distro> {
  const file = SPEC_FILES.distros;
  const top = Fields.of(file, "", doc);
  const out = new Map<string, Distro>();
  for (const id of top.keys()) {
    const f = top.child(id);
    const family = f.oneOf("family", FAMILIES);
    const d: Distro = {
      id,
      family,
      os: f.oneOf("os", OS_IDS),
      dockerfile: f.string("dockerfile", /^[a-z0-9]+$/, "a lower-case Dockerfile suffix"),
      elVersion: f.optionalString("el_version", DIGITS, "a release number such as \"9\""),
      fedoraVersion: f.optionalString("fedora_version", DIGITS, "a release number such as \"42\""),
      debianCodename: f.optionalString("debian_codename", /^[a-z]+$/, "a Debian codename"),
      fullBase: f.string("full_base"),
      fullTag: f.string("full_tag"),
      minimalBase: f.string("minimal_base"),
      microBase: f.optionalString("micro_base"),
      microBuilder: f.optionalString("micro_builder"),
      org: f.string("org"),
      prod: f.optionalString("prod"),
      logos: f.optionalString("logos"),
      preinstall: f.stringList("preinstall", []),
      pythonPkgs: f.stringList("python_pkgs", []),
      extraPkgs: f.listMap("extra_pkgs"),
      basePkgs: f.stringList("base_pkgs"),
      minimalPythonPkgs: f.stringList("minimal_python_pkgs", ["{{pkg_prefix}}"]),
      minimalPkgs: f.stringList("minimal_pkgs"),
      ubiVersions: f.stringList("ubi_versions", []),
      enableEpelFor: f.stringList("enable_epel_for", []),
    };
    f.done();
    if (Boolean(d.microBase) !== Boolean(d.microBuilder)) {
      throw new SpecError(file, `${id}.micro_builder`, "micro_base and micro_builder to be set together");
    }
    out.set(id, d);
  }
  if (out.size === 0) throw new SpecError(file, "", "at least one distro");
  return out;
}

export function parseVersions(doc: unknown, distros: Map<string, Distro>): Map<string, Version> {
  const file = SPEC_FILES.versions;
  const top = Fields.of(file, "", doc);
  const out = new Map<string, Version>();
  for (const key of top.keys()) {
    if (!VERSION_KEY.test(key)) throw new SpecError(file, key, "a version key such as 3.12 or 3.12-minimal");
    const f = top.child(key);
    const minimal = f.boolean("minimal");
    const v: Version = {
      key,
      version: f.string("version", DOTTED, "a version such as \"3.12\" (quoted)"),
      shortVer: f.string("short_ver", DIGITS, "the version without its dot, such as \"312\""),
      minimal,
      base: minimal ? f.oneOf("base", ["minimal", "micro"] as const, "minimal") : undefined,
      baseImgVersion: f.string("base_img_version"),
      pythonImgVersion: f.optionalString("python_img_version"),
      moduleStream: f.string("module_stream"),
      pkgPrefix: f.string("pkg_prefix", /^[a-z0-9.]+$/, "an rpm name prefix such as python3.12"),
      mainImage: f.string("main_image"),
      defaultDistro: f.oneOf("default_distro", [...distros.keys()]),
    };
    f.done(minimal ? [] : ["base"]);
    if (!minimal && f.has("base")) throw new SpecError(file, `${key}.base`, "no base on a full image (it is for minimal images)");
    if (key !== (minimal ? `${v.version}-minimal` : v.version)) {
      throw new SpecError(file, `${key}.version`, `a version matching the key ${key}`, v.version);
    }
    if (v.shortVer !== v.version.replace(".", "")) {
      throw new SpecError(file, `${key}.short_ver`, `"${v.version.replace(".", "")}"`, v.shortVer);
    }
    out.set(key, v);
  }
  return out;
}

export function parseMatrix(doc: unknown, distros: Map<string, Distro>, versions: Map<string, Version>): Target[] {
  const file = SPEC_FILES.matrix;
  const top = Fields.of(file, "", doc);
  const targets: Target[] = [];
  for (const key of top.keys()) {
    const version = versions.get(key);
    if (!version) throw new SpecError(file, key, `a version key from ${SPEC_FILES.versions} (${[...versions.keys()].join(", ")})`);
    const ids = top.stringList(key);
    const suffixes = new Set<string>();
    ids.forEach((id, i) => {
      const distro = distros.get(id);
      if (!distro) throw new SpecError(file, `${key}[${i}]`, `a distro from ${SPEC_FILES.distros} (${[...distros.keys()].join(", ")})`, id);
      if (suffixes.has(distro.dockerfile)) throw new SpecError(file, `${key}[${i}]`, `one distro per Dockerfile name (Dockerfile.${distro.dockerfile} twice)`, id);
      if (version.base === "micro" && !distro.microBase) throw new SpecError(file, `${key}[${i}]`, "a distro with micro_base for a micro-based version", id);
      suffixes.add(distro.dockerfile);
      targets.push({ version, distro });
    });
    if (!ids.includes(version.defaultDistro)) {
      throw new SpecError(SPEC_FILES.versions, `${key}.default_distro`, `one of the matrix distros of ${key} (${ids.join(", ")})`, version.defaultDistro);
    }
  }
  for (const key of versions.keys()) {
    if (!top.has(key)) throw new SpecError(file, key, "an entry for every version (this one has none)");
  }
  return targets;
}
