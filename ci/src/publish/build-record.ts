/** What publish records about a build besides the image: the rendered Dockerfile, the inputs by name, the source. */
import { buildReadsExtraCa, EXTRA_CA_SECRET, SUBSCRIPTION_SECRETS } from "../build/inputs.js";
import { UsageError } from "../errors.js";
import type { Renderer } from "../render/render.js";
import { dockerfilePath } from "../spec/select.js";
import type { Target } from "../spec/types.js";

/** The rendered Dockerfile of a target, as the build reads it. */
export function renderedDockerfile(renderer: Renderer, t: Target): { path: string; content: string } {
  const path = dockerfilePath(t);
  return { path, content: renderer.buildContext(t).find((f) => f.path === path)!.content };
}

/**
 * The build inputs as the provenance names them: the secrets by their ids (never a value), the
 * build arguments with theirs. Takes only whether each input was given; the CA counts where the
 * build reads it (buildReadsExtraCa).
 */
export function buildRecordInputs(
  t: Target,
  b: { extraCa?: unknown; subscription?: unknown[]; aptMirror?: string; sourceDateEpoch?: number; platform?: string },
) {
  const secrets = [
    ...(b.extraCa && buildReadsExtraCa(t, b.aptMirror) ? [EXTRA_CA_SECRET] : []),
    ...(b.subscription?.length ? SUBSCRIPTION_SECRETS.filter((s) => s.required).map((s) => s.id) : []),
  ];
  const buildArgs: Record<string, string> = {};
  if (b.aptMirror) buildArgs.APT_MIRROR = b.aptMirror;
  if (b.sourceDateEpoch !== undefined) buildArgs.SOURCE_DATE_EPOCH = String(b.sourceDateEpoch);
  return { secrets, buildArgs };
}

/** --source-repository is an https URL, --source-date-epoch a time in seconds. */
export function validateSourceArgs(a: { sourceRepository?: string; sourceDateEpoch?: number }): void {
  if (a.sourceRepository !== undefined && !/^https:\/\/[^\s"'`$\\]+$/.test(a.sourceRepository))
    throw new UsageError(`--source-repository "${a.sourceRepository}" is not an https URL such as https://github.com/org/s2i-python`);
  if (a.sourceDateEpoch !== undefined && !(Number.isInteger(a.sourceDateEpoch) && a.sourceDateEpoch >= 0))
    throw new UsageError(`--source-date-epoch ${a.sourceDateEpoch} is not a time in whole seconds since 1970`);
}
