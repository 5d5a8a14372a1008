/**
 * The shape of one check of the report (an entry of checks.ts), and the image it runs on.
 * An entry holds all of a check: its name, when it applies, how it runs, how it is judged.
 * Later fields go here too, read by run-checks.ts: a self-test (a defect that turns the check
 * red) and "depends on" (the checks that go red with it).
 */
import type { Container, File } from "@dagger.io/dagger";
import type { ModuleProject } from "../../spec/engine/module-project.js";
import { targetName } from "../../spec/select.js";
import type { Target } from "../../spec/types.js";
import type { Applicable } from "../plan.js";
import type { Verdict } from "../results.js";

/** Everything the checks of one image need: the one definition of "the image under test". */
export interface ImageUnderTest {
  /** The spec, the templates, the sample-app table and the checkout they were read from. */
  project: ModuleProject;
  target: Target;
  image: Container;
  /** The full image of the same Python on the same distro (minimal images' mod_wsgi flow). */
  fullSibling?: { target: Target; image: Container };
  extraCa?: File;
  /** Unique per run: keeps probe steps from being answered from the cache. */
  runId: string;
  /** The platform asked for, if any (the report names it). */
  platform?: string;
  /** Shared by the checks of a run: the first engine fault, after which no check starts. */
  fault?: { reason?: string };
}

export interface CheckEntry<Observed> extends Applicable {
  /** The check's name in the report: search for it to find the whole check. */
  name: string;
  /** Why the check does not apply to a target and its inputs (decided before anything runs), or undefined. */
  appliesTo: Applicable["appliesTo"];
  /** How it runs: what it observes of the image under test, on the engine. */
  run(u: ImageUnderTest): Promise<Observed>;
  /** How it is judged: a pure function of the observation (verify/*-judges.ts, verify/*-probes.ts). */
  judge(observed: Observed, target: Target): Verdict;
}

/** An entry of any observation type, as the registry lists them. */
export type AnyCheck = CheckEntry<any>;

/** A new runId: the run's start time and a random suffix. */
export function newRunId(): string {
  return `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The image's name in reports and progress lines: "3.11-minimal on debian12", with the platform when one was asked for. */
export function imageLabel(u: ImageUnderTest): string {
  return targetName(u.target, u.platform);
}
