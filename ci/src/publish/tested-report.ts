/**
 * `publish --report`: a report a `test` run exported, taken instead of checking the image again,
 * only when it vouches for exactly what publish would check and push: complete, every check of
 * the image accepted (passed, or not applicable), every check publish plans present, and the
 * image it tested the very image built now (the same files and settings, on each platform).
 * Anything else refuses the publish in one line before a push, saying why and what to do.
 */
import { ChecksFailedError } from "../errors.js";
import { identityMismatch, type ImageIdentity } from "../verify/image-identity.js";
import { failureMessage, type CheckResult, type Report } from "../verify/results.js";

/** What publish would have checked and is about to push. */
export interface PublishPlan {
  /** "3.11-minimal on debian12". */
  image: string;
  /** The names of the checks publish plans for it (image checks and apps, with its --smoke choice). */
  checks: string[];
  /** The images built now, one per platform. */
  built: ImageIdentity[];
}

const REDO = "run test on this build (the same --smoke, --extra-ca, --apt-mirror and --source-date-epoch) or publish without --report";

/** The report's results for the image when it vouches for what publish pushes; a ChecksFailedError saying why not. */
export function acceptTestedReport(report: Report, plan: PublishPlan): CheckResult[] {
  const refuse = (why: string) => new ChecksFailedError(`the report does not vouch for ${plan.image}: ${why}; nothing was published`);
  if (report.incomplete) throw refuse(`it is incomplete (${report.incomplete})`);
  const results = report.results.filter((r) => r.image === plan.image);
  if (!results.length) {
    const held = [...new Set(report.results.map((r) => r.image))].join(", ") || "no image";
    throw refuse(`it holds no check of it (it holds ${held})`);
  }
  const failed = failureMessage(results);
  if (failed) throw refuse(`its checks did not pass: ${failed.split("\n")[0]}`);
  const missing = plan.checks.filter((c) => !results.some((r) => r.name === c));
  if (missing.length) {
    const named = missing.slice(0, 3).join(", ") + (missing.length > 3 ? ` and ${missing.length - 3} more` : "");
    throw refuse(`${missing.length} of the ${plan.checks.length} checks publish plans are not in it (${named}); ${REDO}`);
  }
  for (const built of plan.built) {
    const tested = (report.images ?? []).find((i) => i.image === plan.image && i.platform === built.platform);
    if (!tested)
      throw refuse(`it names no tested image for ${built.platform} (a report of test from before image identities, or of another platform); ${REDO}`);
    const why = identityMismatch(tested, built);
    if (why) throw refuse(`it tested another build on ${built.platform}: ${why}; ${REDO}`);
  }
  return results;
}
