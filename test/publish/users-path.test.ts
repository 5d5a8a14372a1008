// The users' path, for real on the engine: an image build that fetches over https only with
// the extra CA; publish to where the user says (running its checks), pulled back by digest;
// refused pushes in one line (taking a test run's report, --report); the password in no log and
// no layer.
// It runs beside the other files of test/publish/: its pushes go to repositories of its own.
import test from "ava";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { targetImageName } from "../../ci/src/spec/image.js";
import { selectOne } from "../../ci/src/spec/select.js";
import { startTestRegistry } from "../helpers/test-registry.js";
import { daggerCall, explainCall, HOST_CA, readReport, resultLine } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { project } from "../helpers/project.js";
import { manifestOf, tagsOf } from "../helpers/registry-api.js";
import { testedReport } from "../helpers/tested-report.js";

const VERSION = "3.11-minimal";
const DISTRO = "debian12";
/** The registry local-engine/up.sh runs (the engine's mirror), reached over plain HTTP. */
const REGISTRY = "127.0.0.1:5000";
const HTTPS_MIRROR = "https://deb.debian.org";

test.before("a Dagger engine answers", bringUpEngine);

test.serial(`apt from an https mirror: the ${VERSION} build fails without the extra CA and passes with it, leaving none of it`, async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const red = await daggerCall(["build", "--version", VERSION, "--distro", DISTRO, "--apt-mirror", HTTPS_MIRROR], "https apt, no CA");
  t.not(red.code, 0, `without the CA, apt cannot check ${HTTPS_MIRROR}: ${explainCall(red)}`);
  const line = red.stderr.trim().split("\n").pop()!;
  t.regex(
    line,
    /^error: 3\.11-minimal on debian12: a step could not verify an https server's certificate \(.+\); behind a TLS-inspecting proxy, pass its CA bundle with --extra-ca$/,
    explainCall(red),
  );
  t.log(`without --extra-ca: exit ${red.code}: ${line}`);
  const out = "results/engine/https-apt";
  const green = await daggerCall(
    [
      "test",
      "--version",
      VERSION,
      "--distro",
      DISTRO,
      "--apt-mirror",
      HTTPS_MIRROR,
      "--extra-ca",
      HOST_CA,
      "--apps",
      "app-home",
      "--fail-on-error=false",
      "export",
      "--path",
      out,
    ],
    "https apt, CA",
  );
  t.is(green.code, 0, explainCall(green));
  const results = readReport(out).results;
  for (const r of results) t.log(resultLine(r));
  t.deepEqual(results.filter((r) => r.outcome !== "pass").map(resultLine), []);
  t.true(results.some((r) => r.name === "no extra CA in the image" && r.outcome === "pass"));
});

test.serial(`publish ${VERSION} to the local registry, then pull it back by digest and run python --version`, async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const { spec } = await project();
  const name = targetImageName(selectOne(spec, VERSION, DISTRO));
  const sha = "0123456789abcdef0123456789abcdef01234567";
  const r = await daggerCall(
    ["publish", "--version", VERSION, "--distro", DISTRO, "--repository", `${REGISTRY}/s2i-test`, "--git-sha", sha, "--extra-ca", HOST_CA, "--smoke"],
    "publish",
  );
  t.is(r.code, 0, explainCall(r));
  t.false(r.stderr.includes("stand for this build"), "without --report, publish runs the checks itself");
  const refs = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l.startsWith(`${REGISTRY}/`));
  t.log(refs.join("\n"));
  const tags = refs.map((ref) => /:([^:@]+)@sha256:/.exec(ref)?.[1]);
  t.regex(tags[0] ?? "", /^3\.11\.\d+$/, "the first tag is the full Python version");
  t.deepEqual(tags.slice(1, 4), [VERSION, DISTRO, "latest"]);
  t.regex(tags[4] ?? "", /^\d{8}-0123456$/);
  const digests = new Set(refs.map((ref) => ref.split("@")[1]));
  t.is(digests.size, 1, "every tag names the same image");
  // The local registry outlives a run, so it may hold older tags (yesterday's date-sha): each tag
  // this push printed must be there and name the digest it printed.
  const listed = await tagsOf(REGISTRY, `s2i-test/${name}`);
  for (const tag of tags) {
    t.true(listed.includes(tag!), `${tag} is listed (tags/list: ${listed.join(", ")})`);
    t.is((await manifestOf(`${REGISTRY}/s2i-test/${name}:${tag}`)).digest, [...digests][0], `${tag} names the pushed image`);
  }

  const byDigest = `${REGISTRY}/s2i-test/${name}@${[...digests][0]}`;
  execFileSync("podman", ["pull", "-q", "--tls-verify=false", byDigest], { encoding: "utf8" });
  try {
    const version = execFileSync("podman", ["run", "--rm", byDigest, "python", "--version"], { encoding: "utf8" }).trim();
    t.log(`podman run ${byDigest} python --version: ${version}`);
    t.is(version, `Python ${tags[0]}`);
  } finally {
    execFileSync("podman", ["rmi", "-f", byDigest], { stdio: "ignore" });
  }
});

test.serial("a push refused (registry down, wrong password) fails in one line and tags nothing; the password is in no log and no layer", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const password = `s2i-${Math.random().toString(36).slice(2)}-pw`;
  const registry = await startTestRegistry(5001, { user: "bot", password });
  try {
    // These publishes are about the push: the checks of a test run of this build stand (--report).
    const report = await testedReport(t);
    const base = ["publish", "--version", VERSION, "--distro", DISTRO, "--extra-ca", HOST_CA, "--smoke", "--report", report];
    const down = await daggerCall([...base, "--repository", "127.0.0.1:5999/s2i-test"], "registry down");
    t.is(down.code, 1, explainCall(down));
    const downLine = down.stderr.trim().split("\n").pop()!;
    t.regex(
      downLine,
      /^error: push of 127\.0\.0\.1:5999\/s2i-test\/python-311-minimal-debian12:3\.11\.\d+ failed: the registry is not reachable; nothing was tagged by this push$/,
    );

    process.env.S2I_TEST_REGISTRY_PASSWORD = "wrong-password";
    const wrong = await daggerCall(
      [...base, "--repository", `${registry.address}/s2i-test`, "--username", "bot", "--password", "env://S2I_TEST_REGISTRY_PASSWORD"],
      "wrong password",
    );
    t.is(wrong.code, 1, explainCall(wrong));
    t.regex(wrong.stderr.trim().split("\n").pop()!, /^error: push of .* failed: the registry refused the credentials; nothing was tagged by this push$/);
    const catalog = await fetch(`http://${registry.address}/v2/_catalog`, {
      headers: { authorization: `Basic ${Buffer.from(`bot:${password}`).toString("base64")}` },
    });
    t.deepEqual(((await catalog.json()) as { repositories: string[] }).repositories, [], "nothing was pushed");

    process.env.S2I_TEST_REGISTRY_PASSWORD = password;
    const right = await daggerCall(
      [...base, "--repository", `${registry.address}/s2i-test`, "--username", "bot", "--password", "env://S2I_TEST_REGISTRY_PASSWORD"],
      "right password",
    );
    t.is(right.code, 0, explainCall(right));
    for (const [what, text] of [
      ["registry down", down.stdout + down.stderr],
      ["wrong password", wrong.stdout + wrong.stderr],
      ["publish", right.stdout + right.stderr],
    ]) {
      t.false(text.includes(password), `the password is not in the ${what} log`);
    }
    // Every blob the registry stored (layers gunzipped, config, manifests): none holds the password.
    const blobs: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n === "data" && blobs.push(join(d, n))));
    walk(registry.storage);
    t.true(blobs.length > 2, `${blobs.length} blobs stored`);
    for (const b of blobs) {
      const raw = readFileSync(b);
      const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
      t.false(text.includes(Buffer.from(password)), `blob ${b} does not hold the password`);
    }
  } finally {
    delete process.env.S2I_TEST_REGISTRY_PASSWORD;
    await registry.stop();
  }
});
