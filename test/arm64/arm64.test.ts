// linux/arm64 under emulation (local-engine/emulation.sh sets it up): the module builds the
// Debian images for arm64, checks that they really are arm64, runs the smoke set on them, and
// publishes a two-platform image index that podman pulls back for either platform.
import test from "ava";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { daggerCall, explainCall, HOST_CA, notPassed, readReport, resultLine } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { projectRoot } from "../helpers/project.js";

const REGISTRY = "127.0.0.1:5000";
let emulation: string | undefined;

test.before("emulation is set up and a Dagger engine answers", async () => {
  try {
    execFileSync("bash", [join(projectRoot, "local-engine/emulation.sh")], { stdio: ["ignore", "inherit", "inherit"] });
  } catch (e) {
    emulation = `local-engine/emulation.sh failed, so arm64 cannot be built here: ${(e as Error).message}`;
  }
  await bringUpEngine();
});

const arm64Test = (version: string, extra: string[], what: string) =>
  test.serial(`${version} on debian12 for linux/arm64: ${what}`, async (t) => {
    const problem = emulation ?? engineProblem();
    if (problem) return t.fail(problem);
    const out = `results/arm64/${version}-debian12`;
    const words = ["test", "--version", version, "--distro", "debian12", "--platform", "linux/arm64", "--extra-ca", HOST_CA, ...extra, "--fail-on-error=false"];
    const r = await daggerCall([...words, "export", "--path", out], `${version} arm64`);
    if (r.code !== 0) return t.fail(`npm run dagger -- call ${words.join(" ")}: ${explainCall(r)}`);
    const results = readReport(out).results;
    for (const res of results) t.log(resultLine(res));
    t.true(
      results.every((x) => x.image === `${version} on debian12 (linux/arm64)`),
      "the report names the platform",
    );
    t.true(
      results.some((x) => x.name === "runs on its platform" && x.outcome === "pass"),
      "uname -m is aarch64 and the interpreter is an AArch64 ELF",
    );
    t.deepEqual(notPassed(results).map(resultLine), [], `every check that applies passes (report in ${out}/)`);
  });

arm64Test("3.11-minimal", ["--smoke"], "the smoke set passes, and the binaries are arm64");
arm64Test("3.11", ["--apps", "app-home"], "the full image builds, runs app-home, and its binaries are arm64");

test.serial("publish 3.11-minimal for linux/amd64 and linux/arm64 as one index; podman sees both and runs the arm64 one", async (t) => {
  const problem = emulation ?? engineProblem();
  if (problem) return t.fail(problem);
  const repo = `${REGISTRY}/s2i-arm64`;
  const words = [
    "publish",
    "--version",
    "3.11-minimal",
    "--distro",
    "debian12",
    "--repository",
    repo,
    "--platforms",
    "linux/amd64,linux/arm64",
    "--tags",
    "multiarch",
    "--extra-ca",
    HOST_CA,
    "--smoke",
  ];
  const r = await daggerCall(words, "publish 2 platforms");
  t.is(r.code, 0, explainCall(r));
  const ref = `${repo}/python-311-minimal-debian12:multiarch`;
  const index = JSON.parse(execFileSync("podman", ["manifest", "inspect", ref], { encoding: "utf8" })) as {
    manifests: { platform: { architecture: string; os: string } }[];
  };
  const platforms = index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort();
  t.log(`podman manifest inspect ${ref}: ${platforms.join(", ")}`);
  t.deepEqual(platforms, ["linux/amd64", "linux/arm64"]);
  try {
    const arch = execFileSync("podman", ["run", "--rm", "--pull=always", "--platform", "linux/arm64", ref, "uname", "-m"], { encoding: "utf8" }).trim();
    t.log(`podman run --platform linux/arm64 ${ref} uname -m: ${arch}`);
    t.is(arch, "aarch64");
  } finally {
    execFileSync("podman", ["rmi", "-f", ref], { stdio: "ignore" });
  }
});
