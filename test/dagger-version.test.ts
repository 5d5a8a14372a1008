// One Dagger version everywhere a user meets it: the module's engineVersion, the SDK the
// module is written against, and the CLI the GitHub workflow installs.
import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { projectRoot } from "./helpers/project.js";

const read = (p: string) => readFileSync(join(projectRoot, p), "utf8");

test("dagger.json, the SDK in package.json and the workflow's DAGGER_VERSION name one Dagger version", (t) => {
  const engine = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion.replace(/^v/, "");
  const sdk = (JSON.parse(read("package.json")) as { dependencies: Record<string, string> }).dependencies["@dagger.io/dagger"];
  const workflow = parse(read(".github/workflows/ci.yml")) as {
    env: { DAGGER_VERSION: string };
    jobs: Record<string, { steps?: { uses?: string; with?: { version?: string } }[] }>;
  };
  t.is(sdk, engine, "package.json @dagger.io/dagger vs dagger.json engineVersion");
  t.is(workflow.env.DAGGER_VERSION, engine, ".github/workflows/ci.yml env.DAGGER_VERSION vs dagger.json engineVersion");
  const daggerSteps = Object.values(workflow.jobs)
    .flatMap((j) => j.steps ?? [])
    .filter((s) => s.uses?.startsWith("dagger/dagger-for-github"));
  t.true(daggerSteps.length > 0);
  for (const s of daggerSteps) t.is(s.with?.version, "${{ env.DAGGER_VERSION }}", `${s.uses}: the CLI version comes from env.DAGGER_VERSION`);
});
