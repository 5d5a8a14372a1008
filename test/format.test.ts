// The code base keeps prettier's format (.prettierrc.json): the package's format:check script,
// the same file globs as `npm run format`, which rewrites them.
import test from "ava";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./helpers/project.js";

test("prettier --check passes on ci/, test/ and local-engine/*.ts (npm run format fixes it)", (t) => {
  const scripts = (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  t.is(scripts["format:check"], scripts["format"].replace("--write", "--check"), "format and format:check cover the same files");
  const r = spawnSync("npm", ["run", "--silent", "format:check"], { cwd: projectRoot, encoding: "utf8" });
  t.is(r.status, 0, `${r.stdout}${r.stderr}\nrun \`npm run format\``);
  t.regex(r.stdout + r.stderr, /All matched files use Prettier code style!/);
});
