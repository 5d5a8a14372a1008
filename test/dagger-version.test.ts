// One Dagger version everywhere a user meets it: the module's engineVersion, the SDK the
// module is written against, the CLI the GitHub workflow installs, the engine built here and
// the SDK its builtin TypeScript content carries.
import test from "ava";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { projectRoot } from "./helpers/project.js";

const read = (p: string) => readFileSync(join(projectRoot, p), "utf8");
const engine = (JSON.parse(read("dagger.json")) as { engineVersion: string }).engineVersion.replace(/^v/, "");

test("dagger.json, the SDK in package.json and the workflow's DAGGER_VERSION name one Dagger version", (t) => {
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

test("the local engine builds dagger.json's engineVersion, and its TypeScript SDK content carries the same SDK", (t) => {
  const built = execFileSync("bash", ["-c", '. local-engine/lib.sh && echo "$ENGINE_VERSIONS"'], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, S2I_ENGINE_VERSIONS: "" },
  }).trim();
  t.is(built, `v${engine}`, "local-engine/lib.sh ENGINE_VERSIONS");
  const content = JSON.parse(read("local-engine/ts-sdk/package.json")) as { dependencies: Record<string, string> };
  t.is(content.dependencies["@dagger.io/dagger"], engine, "local-engine/ts-sdk/package.json @dagger.io/dagger");
  const lock = JSON.parse(read("local-engine/ts-sdk/package-lock.json")) as { packages: Record<string, { version?: string }> };
  t.is(lock.packages["node_modules/@dagger.io/dagger"]?.version, engine, "local-engine/ts-sdk/package-lock.json");
});
