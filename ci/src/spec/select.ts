import { UsageError } from "../errors.js";
import type { Spec, Target } from "./types.js";

export interface Selection {
  version?: string;
  distro?: string;
}

/** A target's name as users see it: "3.12-minimal on c9s", and "3.12-minimal on c9s (linux/arm64)" for a platform of choice. */
export function targetName(t: Target, platform?: string): string {
  return `${t.version.key} on ${t.distro.id}${platform ? ` (${platform})` : ""}`;
}

/** The full target of a minimal one (same Python, same distro), if the matrix has it. */
export function fullSiblingOf(spec: Spec, t: Target): Target | undefined {
  if (!t.version.minimal) return undefined;
  return spec.targets.find((o) => !o.version.minimal && o.version.version === t.version.version && o.distro.id === t.distro.id);
}

/** Dockerfile path inside the rendered tree, e.g. "3.8/Dockerfile.rhel8". */
export function dockerfilePath(t: Target): string {
  return `${t.version.key}/Dockerfile.${t.distro.dockerfile}`;
}

/**
 * A distro named on the command line matches its id ("fedora42") or its Dockerfile suffix
 * ("fedora"), so `--distro fedora` works for every version whose matrix has one Fedora.
 */
function distroMatches(t: Target, name: string): boolean {
  return t.distro.id === name || t.distro.dockerfile === name;
}

/**
 * The targets a command works on. Both filters are optional; an unknown version or distro,
 * or a pair the matrix lacks, is a UsageError naming the valid choices.
 */
export function selectTargets(spec: Spec, sel: Selection): Target[] {
  const versionKeys = [...spec.versions.keys()];
  if (sel.version !== undefined && !spec.versions.has(sel.version)) {
    throw new UsageError(`unknown version "${sel.version}"; valid versions: ${versionKeys.join(", ")}`);
  }
  if (sel.distro !== undefined && !spec.targets.some((t) => distroMatches(t, sel.distro!))) {
    const names = [...new Set([...spec.distros.keys(), ...[...spec.distros.values()].map((d) => d.dockerfile)])].sort();
    throw new UsageError(`unknown distro "${sel.distro}"; valid distros: ${names.join(", ")}`);
  }
  const picked = spec.targets.filter(
    (t) => (sel.version === undefined || t.version.key === sel.version) && (sel.distro === undefined || distroMatches(t, sel.distro)),
  );
  if (picked.length === 0) {
    if (sel.version !== undefined) {
      const ids = spec.targets.filter((t) => t.version.key === sel.version).map((t) => t.distro.id);
      throw new UsageError(`version ${sel.version} is not built on ${sel.distro}; its distros: ${ids.join(", ")}`);
    }
    throw new UsageError(`no target matches distro ${sel.distro}`);
  }
  return picked;
}

/** Exactly one target: the version on the given distro, or on the version's default distro. */
export function selectOne(spec: Spec, version: string, distro?: string): Target {
  const all = selectTargets(spec, { version, distro });
  if (distro === undefined) {
    return all.find((t) => t.distro.id === t.version.defaultDistro)!;
  }
  if (all.length > 1) {
    throw new UsageError(`distro "${distro}" matches several targets of ${version} (${all.map((t) => t.distro.id).join(", ")}); name one`);
  }
  return all[0];
}

/** The targets of several versions and distros (all when a list is empty); each name is checked on its own first. */
export function selectMany(spec: Spec, versions: string[], distros: string[]): Target[] {
  for (const version of versions) selectTargets(spec, { version });
  for (const distro of distros) selectTargets(spec, { distro });
  const picked = spec.targets.filter(
    (t) =>
      (versions.length === 0 || versions.includes(t.version.key)) &&
      (distros.length === 0 || distros.some((d) => selectTargets(spec, { distro: d }).includes(t))),
  );
  if (picked.length === 0) throw new UsageError(`no target builds ${versions.join(", ")} on ${distros.join(", ")}; see specs/versions.yml`);
  return picked;
}
