import { baseImage, expandSpecVars, imageNameLabel, installPackages, targetImageName } from "../spec/image.js";
import { dockerfilePath, fullSiblingOf } from "../spec/select.js";
import type { Spec, Target } from "../spec/types.js";

/** The Dockerfile template a target uses: its family, or "rpm-micro" for a minimal image on UBI Micro. */
export type Flavor = "rpm" | "rpm-micro" | "deb";

export function flavorOf(t: Target): Flavor {
  return t.version.minimal && t.version.base === "micro" ? "rpm-micro" : t.distro.family;
}

/**
 * Everything templates see for one target, as plain data: the same target gives the same
 * object. Templates read these names and nothing else (Handlebars runs in strict mode).
 */
export function templateVars(spec: Spec, t: Target) {
  const { version: v, distro: d } = t;
  const sameKey = spec.targets.filter((o) => o.version.key === v.key);
  const flavors = new Set(sameKey.map(flavorOf));
  const publishName = targetImageName(sameKey.find((o) => o.distro.id === v.defaultDistro)!);
  // RHEL and CentOS Stream carry their EL release in CNB ids and PLATFORM; Fedora has none (as upstream).
  const elVersion = d.os === "rhel" || d.os === "centos-stream" ? d.release : "";
  return {
    key: v.key,
    /** The bare Python version, "3.12", for both the full and the minimal key. */
    version: v.version,
    shortVer: v.shortVer,
    minimal: v.minimal,
    /** A minimal image on UBI Micro (no package manager in the image). */
    micro: v.base === "micro",
    flavor: flavorOf(t),
    os: d.os,
    distro: d,
    /** The interpreter's package name, e.g. python3.12, python39. */
    pkg: v.pkg,
    moduleStream: v.moduleStream,
    /**
     * What the README tells users to pull: upstream's published image, or, where upstream
     * publishes none, the name `publish` gives the key's default target under the user's
     * own repository (the same for every distro of the key, as the README is shared).
     */
    mainImage: v.mainImage ?? `<repository>/${publishName}`,
    publishedUpstream: v.mainImage !== undefined,
    /** The name `publish` gives the key's default target: python-311-debian12. */
    publishName,
    /** The command that makes the virtual environment, e.g. "python3.12 -m venv". */
    venv: v.venv,
    /** The package manager of the full RPM image's RUN lines (minimal images use microdnf). */
    pm: d.os === "fedora" ? "dnf" : "yum",
    from: baseImage(t),
    imageName: imageNameLabel(t),
    elVersion,
    /** The PLATFORM variable: el9, el (Fedora), debian12. */
    platform: d.family === "deb" ? d.id : `el${elVersion}`,
    /** Built on a Red Hat UBI base: the CNB variables, the UBI labels, rpm-file-permissions. */
    ubi: d.os === "rhel",
    installPkgs: installPackages(t),
    /** What the full image's install enables first, e.g. "python38:3.8 httpd:2.4" ("" when nothing). */
    moduleEnable: d.moduleEnable ? expandSpecVars(d.moduleEnable, t).trim() : "",
    epel: d.enableEpelFor.includes(v.key),
    /** Image references of the example Dockerfiles: the README's names, and the test files' build arguments. */
    readmeImages: { minimal: `python-${v.shortVer}-minimal`, full: `python-${v.shortVer}` },
    testImages: { minimal: "${MINIMAL_IMAGE}", full: "${FULL_IMAGE}" },
    /** Every distro that builds this version key: README.md is one file for all of them. */
    keyDistros: sameKey.map((o) => o.distro),
    keyHasRpm: flavors.has("rpm"),
    keyHasDeb: flavors.has("deb"),
    /**
     * Minimal keys: for each distro, the full image of the same Python on it (its publish name
     * and Dockerfile in the rendered tree), or null where the matrix builds none.
     */
    fullImages: sameKey.map((o) => {
      const full = fullSiblingOf(spec, o);
      return { distro: o.distro.id, name: full ? targetImageName(full) : null, dockerfile: full ? dockerfilePath(full) : null };
    }),
  };
}

export type TemplateVars = ReturnType<typeof templateVars>;
