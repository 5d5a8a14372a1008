/**
 * What the podman test run covers, from the environment:
 *   S2I_TARGETS  comma list restricting the targets: a version key (3.11-minimal), a distro
 *                (debian13) or both (3.13-minimal@debian13). Default: every Debian target.
 *   S2I_APPS     "full" = every app on every target; "smoke" = the smoke subset everywhere;
 *                a comma list of app names = only those. Default: the full set on the
 *                S2I_FULL_DISTROS targets (default debian12), the smoke subset elsewhere.
 *   S2I_RUN      name of the results folder results/<run>/ (default: containers-<timestamp>).
 *   S2I_SELF_TESTS=0  leaves out the tests that prove the checks can fail, and the app-image CA check.
 *   S2I_EXTRA_CA  extra CA bundle for builds (default: the host bundle; "none" = no extra CA).
 *   S2I_BUILD_JOBS  concurrent podman builds (default 2).
 */
import { UsageError } from "../../ci/src/errors.js";
import { selectTargets } from "../../ci/src/spec/select.js";
import type { SampleApp, Spec, Target } from "../../ci/src/spec/types.js";
import { planChecks, type Check, type PlanOptions } from "../../ci/src/verify/plan.js";

/** Only the Debian family builds here (no RHEL/CentOS/Fedora base images without a registry). */
export function buildableTargets(spec: Spec): Target[] {
  return spec.targets.filter((t) => t.distro.family === "deb");
}

export function selectContainerTargets(spec: Spec, filter: string | undefined): Target[] {
  const all = buildableTargets(spec);
  if (!filter?.trim()) return all;
  const picked = new Set<Target>();
  for (const raw of filter.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [a, b] = raw.split("@");
    const sel = b !== undefined ? { version: a, distro: b } : spec.versions.has(a) ? { version: a } : { distro: a };
    const hits = selectTargets(spec, sel).filter((t) => all.includes(t));
    if (!hits.length) throw new UsageError(`S2I_TARGETS: "${raw}" names no Debian target; these build here: ${all.map((t) => `${t.version.key}@${t.distro.id}`).join(", ")}`);
    hits.forEach((t) => picked.add(t));
  }
  return all.filter((t) => picked.has(t));
}

/** The plan options for one target under S2I_APPS / S2I_FULL_DISTROS. */
export function planOptions(t: Target, apps: SampleApp[], env: NodeJS.ProcessEnv = process.env): PlanOptions {
  const mode = env.S2I_APPS?.trim();
  if (mode === "full") return {};
  if (mode === "smoke") return { smoke: true };
  if (mode) {
    const only = mode.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((n) => !apps.some((a) => a.name === n));
    if (unknown.length) throw new UsageError(`S2I_APPS: unknown app(s) ${unknown.join(", ")}; known: ${apps.map((a) => a.name).join(", ")}`);
    return { only };
  }
  const fullDistros = (env.S2I_FULL_DISTROS ?? "debian12").split(",").map((s) => s.trim());
  return fullDistros.includes(t.distro.id) ? {} : { smoke: true };
}

export function planFor(targets: Target[], apps: SampleApp[], env: NodeJS.ProcessEnv = process.env): Check[] {
  return targets.flatMap((t) => planChecks(t, apps, planOptions(t, apps, env)));
}

/** The full image of the same version and distro as a minimal target (mod_wsgi's builder). */
export function fullSibling(spec: Spec, t: Target): Target | undefined {
  if (!t.version.minimal) return t;
  return spec.targets.find((x) => !x.version.minimal && x.version.version === t.version.version && x.distro.id === t.distro.id);
}

export function runName(env: NodeJS.ProcessEnv = process.env): string {
  return env.S2I_RUN?.trim() || `containers-${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}`;
}
