// Fault injection: the registry goes away in the middle of a push. The publish fails in one
// line and tags nothing (a registry writes a tag only once the whole image is there); once the
// registry is back, the next publish succeeds and the pulled image runs.
// The publish reaches the registry through a TCP relay, and the relay goes away (its connections
// broken mid-request, new ones refused), not the registry's process: a registry killed (SIGKILL)
// can die in the middle of writing a blob's files, and then answers that blob with 500 after its
// restart (seen once in the .ci/run of be23630): a fault of the registry's own storage, not of
// the publish, and it made this test depend on where the kill landed.
import test from "ava";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { targetImageName } from "../../ci/src/spec/image.js";
import { selectOne } from "../../ci/src/spec/select.js";
import { daggerCall, explainCall, HOST_CA } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { project } from "../helpers/project.js";
import { startTcpRelay } from "../helpers/tcp-relay.js";
import { startTestRegistry } from "../helpers/test-registry.js";
import { testedReport } from "../helpers/tested-report.js";

const VERSION = "3.11-minimal";
const DISTRO = "debian12";

test.before("a Dagger engine answers", bringUpEngine);

test.serial(`the registry gone while ${VERSION} is pushed: one line, nothing tagged; the next publish succeeds and the image runs`, async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const { spec } = await project();
  const name = targetImageName(selectOne(spec, VERSION, DISTRO));
  // The fault is in the push: the checks of a test run of this build stand (--report), made
  // here: engine-lost, before this file, restarts the engine.
  const report = await testedReport(t, [], true);
  const registry = await startTestRegistry(5002);
  const relay = await startTcpRelay({ host: "127.0.0.1", port: 5002 });
  const repo = `${relay.address}/s2i-fault`;
  const uploads = join(registry.storage, "docker/registry/v2/repositories/s2i-fault", name, "_uploads");
  const words = ["publish", "--version", VERSION, "--distro", DISTRO, "--repository", repo, "--extra-ca", HOST_CA, "--smoke", "--report", report];
  try {
    // The first blob upload under way is the middle of the push: the registry goes away there.
    let cut = false;
    const watch = setInterval(() => {
      if (!cut && existsSync(uploads)) {
        cut = true;
        relay.cut();
      }
    }, 50);
    const red = await daggerCall(words, "registry gone").finally(() => clearInterval(watch));
    t.true(cut, `the registry went away during the push: ${explainCall(red)}`);
    t.is(red.code, 1, explainCall(red));
    const last = red.stderr.trimEnd().split("\n").pop()!;
    t.regex(
      last,
      new RegExp(
        `^error: push of ${repo.replace(/[./]/g, "\\$&")}/${name}:\\S+ failed: the registry went away during the push \\(.+\\); nothing was tagged by this push$`,
      ),
      explainCall(red),
    );
    t.log(`red: ${last}`);

    await relay.reopen();
    const tags = await fetch(`http://${relay.address}/v2/s2i-fault/${name}/tags/list`);
    const listed = tags.ok ? (((await tags.json()) as { tags: string[] | null }).tags ?? []) : [];
    t.deepEqual(listed, [], `no tag after the failed push (tags/list: HTTP ${tags.status})`);

    const green = await daggerCall(words, "registry back");
    t.is(green.code, 0, explainCall(green));
    const ref = green.stdout
      .trim()
      .split("\n")
      .find((l) => l.startsWith(`${repo}/`))!;
    // Pulled from the registry itself: a synchronous pull through the relay of this process would wait on it forever.
    const byDigest = `${registry.address}/s2i-fault/${name}@${ref.split("@")[1]}`;
    execFileSync("podman", ["pull", "-q", "--tls-verify=false", byDigest], { stdio: "ignore" });
    try {
      const version = execFileSync("podman", ["run", "--rm", byDigest, "python", "--version"], { encoding: "utf8" }).trim();
      t.regex(version, /^Python 3\.11\.\d+$/);
      t.log(`green: ${byDigest} runs: ${version}`);
    } finally {
      execFileSync("podman", ["rmi", "-f", byDigest], { stdio: "ignore" });
    }
  } finally {
    relay.cut();
    await registry.stop();
  }
});
