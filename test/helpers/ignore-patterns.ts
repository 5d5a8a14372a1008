/**
 * The ignore patterns of a Dagger Directory argument, with the engine's semantics (those of a
 * .dockerignore): patterns apply in order and the last one that matches a path decides; a
 * pattern matches a path when it matches the path or one of its parent folders; "!" keeps
 * what an earlier pattern dropped; `*` and `?` stay within one path segment, `**` crosses them.
 */

function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (pattern.startsWith("**", i)) {
      re += ".*";
      i += 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether `path` (relative, "/"-separated) is left out by `patterns`. */
export function isIgnored(patterns: string[], path: string): boolean {
  const parts = path.split("/");
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const raw of patterns) {
    const keep = raw.startsWith("!");
    const pattern = (keep ? raw.slice(1) : raw).replace(/^\.?\//, "").replace(/\/+$/, "");
    const re = globRegExp(pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !keep;
  }
  return ignored;
}
