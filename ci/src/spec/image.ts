/** What follows from a target's spec: its FROM, its name, and the packages it installs. */
import type { Target } from "./types.js";

/** Spec values may name {{pkg}} and {{module_stream}}; they expand per version. */
export function expandSpecVars(text: string, t: Target): string {
  return text.replaceAll("{{pkg}}", t.version.pkg).replaceAll("{{module_stream}}", t.version.moduleStream);
}

/** The FROM of the target's image (the last stage's). */
export function baseImage(t: Target): string {
  if (!t.version.minimal) return t.distro.fullBase;
  return t.version.base === "micro" ? t.distro.microBase! : t.distro.minimalBase;
}

/** The image's `name` label as the Dockerfile writes it (Fedora's full image keeps $NAME for the build to expand). */
export function imageNameLabel(t: Target): string {
  const { version: v, distro: d } = t;
  if (v.minimal) return `${d.org}/python-${v.shortVer}-minimal${d.org === "sclorg" && d.prod ? `-${d.prod}` : ""}`;
  if (d.os === "fedora") return `fedora/$NAME-${v.shortVer}`;
  if (d.os === "rhel") return `${d.org}/python-${v.shortVer}`;
  return `${d.org}/python-${v.shortVer}-${d.prod}`;
}

/** The image name `publish` pushes under the user's repository: python-312-minimal-c9s, python-311-debian12. */
export function targetImageName(t: Target): string {
  return `python-${t.version.shortVer}${t.version.minimal ? "-minimal" : ""}-${t.distro.id}`;
}

/** The image name the label resolves to once built ($NAME is python3 in the Fedora images). */
export function imageName(t: Target): string {
  return imageNameLabel(t).replace("$NAME", "python3");
}

/** Whether the target's Python is the distro's own python3. */
export function isSystemPython(t: Target): boolean {
  return t.version.version === t.distro.python3;
}

/**
 * The Python packages the image installs: for a full image the version's own list, else the
 * distro's list for its python3 or for another version; for a minimal image the distro's
 * minimal list. Undefined when the distro has no packages for this version.
 */
export function pythonPackages(t: Target): string[] | undefined {
  const { version: v, distro: d } = t;
  if (!isSystemPython(t) && !d.pythonPkgs.versioned) return undefined;
  const list = v.minimal ? d.minimalPythonPkgs : (v.fullPythonPkgs ?? (isSystemPython(t) ? d.pythonPkgs.system : d.pythonPkgs.versioned!));
  return list.map((p) => expandSpecVars(p, t));
}

/** Everything the image's install step names: the Python packages, then the rest. */
export function installPackages(t: Target): string[] {
  const rest = t.version.minimal ? t.distro.minimalPkgs : t.distro.basePkgs;
  return [...(pythonPackages(t) ?? []), ...rest.map((p) => expandSpecVars(p, t))];
}

/** Package names that are an interpreter of Python X.Y: pythonX.Y and pythonXY. */
export function interpreterNames(version: string): string[] {
  return [`python${version}`, `python${version.replace(".", "")}`];
}

/**
 * Why the target would not install an interpreter of its own version, or undefined when it
 * does: its package list must name python3 (on a distro whose python3 is that version) or
 * the version's own interpreter package.
 */
export function interpreterProblem(t: Target): string | undefined {
  const pkgs = pythonPackages(t);
  if (!pkgs) {
    return `${t.distro.id} ships Python ${t.distro.python3} as python3 and names no packages for other versions (python_pkgs.versioned), so it cannot build Python ${t.version.version}`;
  }
  const ok = (isSystemPython(t) && pkgs.includes("python3")) || pkgs.some((p) => interpreterNames(t.version.version).includes(p));
  if (!ok)
    return `the Python packages of ${t.version.key} on ${t.distro.id} (${pkgs.join(" ")}) name no interpreter of Python ${t.version.version} (${interpreterNames(t.version.version).join(" or ")}${isSystemPython(t) ? ", or python3" : ""})`;
  return undefined;
}
