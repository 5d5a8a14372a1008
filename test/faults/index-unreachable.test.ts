// Fault injection: the package index is unreachable for one app (its .s2i/environment names an
// index where nothing listens). That app fails naming the index and the package, after one
// retry said why; the other app of the same run passes.
import test from "ava";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { projectRoot } from "../helpers/project.js";
import { removeWhenDone } from "../helpers/scratch.js";

const INDEX = "http://127.0.0.1:9/simple";

test.before("a Dagger engine answers", bringUpEngine);

test.serial("an unreachable package index fails only the app that uses it, naming the index and the package, after one retry", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const copy = removeWhenDone(t, await mkdtemp(join(tmpdir(), "s2i-index-fault-")));
  for (const p of ["specs", "templates", "test/apps"]) await cp(join(projectRoot, p), join(copy, p), { recursive: true });
  await mkdir(join(copy, "test/apps/standalone/.s2i"), { recursive: true });
  await writeFile(join(copy, "test/apps/standalone/.s2i/environment"), `PIP_INDEX_URL=${INDEX}\nPIP_TRUSTED_HOST=127.0.0.1\n`);
  const out = "results/faults/index-unreachable";
  const r = await daggerCall(
    [
      "--source",
      copy,
      "test",
      "--version",
      "3.11-minimal",
      "--distro",
      "debian12",
      "--extra-ca",
      HOST_CA,
      "--apps",
      "standalone,app-home",
      "--fail-on-error=false",
      "export",
      "--path",
      out,
    ],
    "index unreachable",
  );
  t.is(r.code, 0, explainCall(r));
  t.regex(r.stderr, /retrying the build of standalone once after a network error: .*NewConnectionError/, "one retry, with its reason");
  const results = readReport(out).results;
  for (const x of results) t.log(resultLine(x));
  const standalone = results.find((x) => x.name === "standalone")!;
  t.is(standalone.outcome, "fail");
  t.is(standalone.got, `the package index ${INDEX} was unreachable for gunicorn==23.0.0 (after one retry)`);
  t.is(results.find((x) => x.name === "app-home")?.outcome, "pass", "the other app passes");
});
