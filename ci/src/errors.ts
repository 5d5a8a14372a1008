/**
 * Every error the pipeline reports on purpose, and the one exit-code table that every entry
 * point (the generator CLI, `npm run dagger`, the tests' helpers) uses for them.
 */

/** Bad input from a user (a flag value, a version/distro pair): one line, names the valid choices. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A spec file that does not have the shape the loader expects: names the file and the key path. */
export class SpecError extends Error {
  override name = "SpecError";
  constructor(
    readonly file: string,
    readonly keyPath: string,
    readonly expected: string,
    readonly got?: unknown,
  ) {
    const gotText = got === undefined ? "" : `, got ${JSON.stringify(got)}`;
    super(`${file}: ${keyPath || "(top level)"}: expected ${expected}${gotText}`);
  }
}

/** A template that Handlebars could not compile or render: names the template and the line. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

/**
 * A check of an image failed. Its message is the whole verdict: which app on which image,
 * what was expected and what came back, one failure per line.
 */
export class ChecksFailedError extends Error {
  override name = "ChecksFailedError";
}

/** An image did not build, and why in one line (a package no enabled repository has, ...). */
export class ImageBuildError extends Error {
  override name = "ImageBuildError";
}

/** A push the registry refused or could not take: one line, the password never in it. */
export class PublishError extends Error {
  override name = "PublishError";
}

/** A published image failed verification (signature, attestations, SBOM): one line naming what. */
export class VerificationError extends Error {
  override name = "VerificationError";
}

/** The engine went away while a call ran: a fault of the machinery, not a result of a check. */
export class EngineLostError extends Error {
  override name = "EngineLostError";
}

/** No Dagger engine could be reached or brought up: says which step failed and why. */
export class EngineUnavailableError extends Error {
  override name = "EngineUnavailableError";
}

/**
 * Exit codes, the same for every entry point:
 *   0 success; 1 a check failed or the run broke; 2 bad input (arguments, spec, template);
 *   3 no engine; 4 the engine went away during the run (a fault of the machinery: rerun).
 *   `generate --check` also exits 1 when the tree on disk differs.
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, noEngine: 3, engineLost: 4 } as const;

/** The exit code for an error, by its type (by name, so errors that crossed an SDK boundary still match). */
export function exitCodeOf(e: unknown): number {
  const name = e instanceof Error ? e.name : "";
  if (name === "UsageError" || name === "SpecError" || name === "TemplateError") return EXIT.badInput;
  if (name === "EngineUnavailableError") return EXIT.noEngine;
  if (name === "EngineLostError") return EXIT.engineLost;
  return EXIT.failed;
}

/** The errors a user can act on from their message alone (no stack trace wanted). */
export function isReported(e: unknown): e is Error {
  return (
    e instanceof Error &&
    [
      "UsageError",
      "SpecError",
      "TemplateError",
      "ChecksFailedError",
      "ImageBuildError",
      "PublishError",
      "VerificationError",
      "EngineUnavailableError",
      "EngineLostError",
    ].includes(e.name)
  );
}
