// The rendered tree is committed at the repository's root, in upstream's layout
// (<version>/Dockerfile.<distro>, README.md, s2i/bin/*, root/**, test/**): a stale one fails
// here, in npm test and in the workflow's unit job. `npm run generate:tree` rewrites it.
import test from "ava";
import { readdir } from "node:fs/promises";
import { VERSION_KEY } from "../ci/src/spec/load-spec.js";
import { cli } from "./helpers/cli.js";
import { project, projectRoot } from "./helpers/project.js";

test("the committed tree is what generate writes: generate --check . passes", async (t) => {
  const r = await cli("generate", "--check", ".");
  t.is(r.code, 0, `${r.stdout}${r.stderr}\nthe committed tree is stale: run \`npm run generate:tree\` and commit the version folders`);
  t.regex(r.stdout, /^\.: \d+ files of \d+ targets match a fresh render$/m);
});

test("every version key of the spec has its folder at the root, and no other folder is named as a version key", async (t) => {
  const { spec } = await project();
  const folders = (await readdir(projectRoot, { withFileTypes: true })).filter((e) => e.isDirectory() && VERSION_KEY.test(e.name)).map((e) => e.name);
  t.deepEqual(folders.sort(), [...spec.versions.keys()].sort());
});
