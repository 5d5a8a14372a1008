import type { HelperDelegate } from "handlebars";

/**
 * The few Handlebars helpers templates may use, each named for what it means.
 * Kept in one table so tests can exercise every one of them.
 */
export const helpers: Record<string, HelperDelegate> = {
  /** {{#if (eq a b)}}: strict equality of two values. */
  eq: (a: unknown, b: unknown) => a === b,

  /**
   * {{pkgList list}}: a package list for a shell string, five names to a line, each line but
   * the last ending in " \" so the Dockerfile RUN stays one command.
   */
  pkgList: (list: unknown) => {
    if (!Array.isArray(list)) throw new Error("pkgList needs a list of package names");
    const lines: string[] = [];
    for (let i = 0; i < list.length; i += 5) lines.push(list.slice(i, i + 5).join(" "));
    return lines.join(" \\\n    ");
  },
};
