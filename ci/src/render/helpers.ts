import type { HelperDelegate } from "handlebars";

/**
 * The few Handlebars helpers templates may use, each named for what it means.
 * Kept in one table so tests can exercise every one of them.
 */
export const helpers: Record<string, HelperDelegate> = {
  /** {{#if (eq a b)}}: strict equality of two values. */
  eq: (a: unknown, b: unknown) => a === b,

  /** {{#if (includes list value)}}: list membership. */
  includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),

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

  /** {{> (osPart "labels")}}: the partial of this name for the target's OS (rhel, centos-stream, fedora, debian). */
  osPart: function (this: { os: string }, name: unknown) {
    return `os/${this.os}/${String(name)}`;
  },

  /** {{> (concatPath "readme" flavor "example")}}: a partial name from parts, joined with "/". */
  concatPath: (...args: unknown[]) => args.slice(0, -1).map(String).join("/"),

  /** {{> (variant "install")}}: the partial of this name for the target's flavour (rpm, rpm-micro, deb). */
  variant: function (this: { flavor: string }, name: unknown) {
    return `${this.flavor}/${String(name)}`;
  },
};
