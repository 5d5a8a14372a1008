/**
 * One retry for a step that failed on a transient network error (a base image pull, a
 * download from a package index), with the reason printed; a failure that repeats is
 * reported, never hidden.
 */
import { errorText } from "../error-text.js";
import { transientNetworkReason } from "../network.js";
import { imageLabel, type ImageUnderTest } from "./check-entry.js";

/**
 * After `first` failed: undefined when a retry (for a transient reason) succeeded; otherwise the
 * error to report and whether a retry was made.
 */
export async function retryOnce(
  u: ImageUnderTest,
  what: string,
  first: unknown,
  again: () => Promise<unknown>,
): Promise<{ error: unknown; tried: boolean } | undefined> {
  const reason = transientNetworkReason(errorText(first));
  if (!reason) return { error: first, tried: false };
  console.error(`[${imageLabel(u)}] retrying ${what} once after a network error: ${reason}`);
  try {
    await again();
    return undefined;
  } catch (e) {
    return { error: e, tried: true };
  }
}
