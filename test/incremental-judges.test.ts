// The judges of the s2i-incremental flow (ci/src/verify/incremental.ts): what save-artifacts'
// archive may hold, and what the rebuild's assemble must say. Each passes its green case and
// fails its red ones, naming why.
import test from "ava";
import { CACHE_TAKEN, judgeArtifactMembers, judgeRebuildLog, UV_FROM_CACHE } from "../ci/src/verify/incremental-judges.js";

test("the archive may hold pip's and uv's caches and uv's wheel only, and uv's cache and wheel must be there", (t) => {
  const wheel = "uv-wheel/uv-0.9.0-py3-none-manylinux_2_17_x86_64.whl";
  t.is(judgeArtifactMembers(["pip/", "pip/http-v2/a", "uv/", "uv/archive-v0/x/django/__init__.py", "uv-wheel/", wheel, ""]), undefined);
  t.is(judgeArtifactMembers(["uv/", "uv/CACHEDIR.TAG", wheel]), undefined);
  const red: [string[], RegExp][] = [
    // the virtual environment, or the source, is not a download cache
    [["uv/", "uv/x", wheel, "lib/python3.11/site-packages/django/__init__.py"], /more than the download caches: lib\/python3\.11/],
    [["uv/x", wheel, "./src/manage.py"], /more than the download caches: \.\/src\/manage\.py/],
    // a folder merely starting with "uv" is not uv's cache
    [["uv/x", wheel, "uvicorn/__init__.py"], /more than the download caches: uvicorn/],
    // nothing from uv: the rebuild would find no uv cache
    [["pip/", "pip/selfcheck/x", wheel], /no uv cache/],
    [["uv/", wheel], /no uv cache/],
    [[], /no uv cache \(members: none\)/],
    // no wheel of uv: the rebuild would download uv itself again
    [["uv/", "uv/x"], /no uv wheel/],
    [["uv/", "uv/x", "uv-wheel/", "uv-wheel/uv-0.9.0.tar.gz"], /no uv wheel/],
  ];
  for (const [members, why] of red) t.regex(judgeArtifactMembers(members) ?? "passed", why, members.join(" "));
});

test("the rebuild's assemble must say it took the handed-over uv cache, and uv from its wheel", (t) => {
  const log = (line: string, uv = UV_FROM_CACHE) =>
    `---> Installing application source ...\n${line}\n${uv}\n---> Installing dependencies from requirements.txt with uv\n`;
  t.is(judgeRebuildLog(log(`${CACHE_TAKEN}pip uv uv-wheel)`)), undefined);
  t.is(judgeRebuildLog(log(`${CACHE_TAKEN}uv)`)), undefined);
  t.regex(judgeRebuildLog(log(`${CACHE_TAKEN}pip)`)) ?? "passed", /took no uv cache/);
  // uv's wheel alone is not uv's cache
  t.regex(judgeRebuildLog(log(`${CACHE_TAKEN}pip uv-wheel)`)) ?? "passed", /took no uv cache/);
  t.regex(judgeRebuildLog(log(`${CACHE_TAKEN}uv uv-wheel)`, "---> Installing uv for this build ...")) ?? "passed", /installed uv from the index again/);
  t.regex(judgeRebuildLog(log("")) ?? "passed", /did not take the archive from \/tmp\/artifacts/);
  // the line must start the output line, as assemble prints it
  t.regex(judgeRebuildLog(log(`echo ${CACHE_TAKEN}uv)`)) ?? "passed", /did not take/);
});
