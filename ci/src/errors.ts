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
