// The judges of the s2i-incremental flow (ci/src/verify/incremental.ts): what save-artifacts'
// archive may hold, and what the rebuild's assemble must say. Each passes its green case and
// fails its red ones, naming why.
import test from "ava";
import { CACHE_TAKEN, judgeArtifactMembers, judgeRebuildLog } from "../ci/src/verify/incremental-judges.js";

test("the archive may hold pip's and uv's caches only, and uv's must be there", (t) => {
  t.is(judgeArtifactMembers(["pip/", "pip/http-v2/a", "uv/", "uv/archive-v0/x/django/__init__.py", ""]), undefined);
  t.is(judgeArtifactMembers(["uv/", "uv/CACHEDIR.TAG"]), undefined);
  const red: [string[], RegExp][] = [
    // the virtual environment, or the source, is not a download cache
    [["uv/", "uv/x", "lib/python3.11/site-packages/django/__init__.py"], /more than the download caches: lib\/python3\.11/],
    [["uv/x", "./src/manage.py"], /more than the download caches: \.\/src\/manage\.py/],
    // a folder merely starting with "uv" is not uv's cache
    [["uv/x", "uvicorn/__init__.py"], /more than the download caches: uvicorn/],
    // nothing from uv: the rebuild would find no uv cache
    [["pip/", "pip/selfcheck/x"], /no uv cache/],
    [["uv/"], /no uv cache/],
    [[], /no uv cache \(members: none\)/],
  ];
  for (const [members, why] of red) t.regex(judgeArtifactMembers(members) ?? "passed", why, members.join(" "));
});

test("the rebuild's assemble must say it took the handed-over uv cache", (t) => {
  const log = (line: string) => `---> Installing application source ...\n${line}\n---> Installing dependencies from requirements.txt with uv\n`;
  t.is(judgeRebuildLog(log(`${CACHE_TAKEN}pip uv)`)), undefined);
  t.is(judgeRebuildLog(log(`${CACHE_TAKEN}uv)`)), undefined);
  t.regex(judgeRebuildLog(log(`${CACHE_TAKEN}pip)`)) ?? "passed", /took no uv cache/);
  t.regex(judgeRebuildLog(log("")) ?? "passed", /did not take the archive from \/tmp\/artifacts/);
  // the line must start the output line, as assemble prints it
  t.regex(judgeRebuildLog(log(`echo ${CACHE_TAKEN}uv)`)) ?? "passed", /did not take/);
});
