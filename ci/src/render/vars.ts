import type { Spec, Target } from "../matrix/types.js";

/** Spec values may name {{pkg_prefix}} and {{module_stream}}; they expand per version. */
export function expandSpecVars(text: string, t: Target): string {
  return text.replaceAll("{{pkg_prefix}}", t.version.pkgPrefix).replaceAll("{{module_stream}}", t.version.moduleStream);
}

/** The image's `name` label as the Dockerfile writes it (Fedora's full image keeps $NAME for the build to expand). */
export function imageNameLabel(t: Target): string {
  const { version: v, distro: d } = t;
  if (v.minimal) return `${d.org}/python-${v.shortVer}-minimal${d.org === "sclorg" && d.prod ? `-${d.prod}` : ""}`;
  if (d.os === "fedora") return `fedora/$NAME-${v.shortVer}`;
  if (d.os === "rhel") return `${d.org}/python-${v.shortVer}`;
  return `${d.org}/python-${v.shortVer}-${d.prod}`;
}

/** The image name the label resolves to once built ($NAME is python3 in the Fedora images). */
export function imageName(t: Target): string {
  return imageNameLabel(t).replace("$NAME", "python3");
}

/** The FROM of the target's image. */
export function baseImage(t: Target): string {
  const { version: v, distro: d } = t;
  if (v.minimal) return v.base === "micro" ? d.microBase! : d.minimalBase;
  return `${d.fullBase}:${d.fullTag === "version" ? v.baseImgVersion : d.fullTag}`;
}

/** Python packages of the full image: the version's extra_pkgs, else "default", else python_pkgs. */
function fullPythonPkgs(t: Target): string[] {
  const extra = t.distro.extraPkgs[t.version.key] ?? t.distro.extraPkgs["default"] ?? [];
  return [...extra, ...t.distro.pythonPkgs];
}

/** Which partial set a target uses: its family, or "rpm-micro" for a minimal image on UBI Micro. */
export function flavorOf(t: Target): string {
  return t.version.minimal && t.version.base === "micro" ? `${t.distro.family}-micro` : t.distro.family;
}

/** Everything templates see for one target. Plain data: the same target gives the same object. */
export function templateVars(spec: Spec, t: Target) {
  const { version: v, distro: d } = t;
  const flavor = flavorOf(t);
  const sameKey = spec.targets.filter((o) => o.version.key === v.key);
  const el = d.elVersion ?? "";
  const installPkgs = v.minimal
    ? [...d.minimalPythonPkgs, ...d.minimalPkgs]
    : [...fullPythonPkgs(t), ...d.basePkgs];
  return {
    key: v.key,
    version: v.version,
    shortVer: v.shortVer,
    minimal: v.minimal,
    micro: v.base === "micro",
    flavor,
    family: d.family,
    os: d.os,
    distro: d,
    spec: v,
    pkgPrefix: v.pkgPrefix,
    moduleStream: v.moduleStream,
    mainImage: v.mainImage,
    pythonBin: `python${v.version}`,
    /** The package manager of the full image's RUN lines (minimal rpm images use microdnf). */
    pm: d.family === "deb" ? "apt-get" : d.os === "fedora" ? "dnf" : "yum",
    from: baseImage(t),
    imageName: imageNameLabel(t),
    elVersion: el,
    platform: d.os === "debian" ? d.id : `el${el}`,
    installPkgs: installPkgs.map((p) => expandSpecVars(p, t)),
    preinstall: d.preinstall.map((c) => expandSpecVars(c, t)),
    ubi: d.ubiVersions.includes(v.version),
    epel: d.enableEpelFor.includes(v.key),
    /** Every distro that builds this version key: README.md is one file for all of them. */
    keyDistros: sameKey.map((o) => o.distro),
    keyFlavors: [...new Set(sameKey.map(flavorOf))],
    keyHasRpm: sameKey.some((o) => o.distro.family === "rpm"),
    keyHasDeb: sameKey.some((o) => o.distro.family === "deb"),
  };
}

export type TemplateVars = ReturnType<typeof templateVars>;
