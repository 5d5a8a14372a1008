// Published images a consumer can verify, for real: publish a Debian image signed to the local
// registry (127.0.0.1:5000, reached by the tool containers through --registry-service), verify
// it with the public key, and the red cases: another key, a tag moved to an unsigned image, an
// attestation about another digest. The SBOM lists the interpreter and the venv's packages and
// nothing of a build toolchain; the private key is in no log and no layer; the rebuild check
// reads the recorded base digests. The publishes take the checks of one test run of the same
// build (--report); a report of another build is refused before any push.
// It runs beside the other files of test/publish/: its pushes go to a namespace of its own.
import test from "ava";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { forgeAttestation, statements, type Statement } from "../helpers/attestation-read.js";
import { cosignKeyPairs, type KeyPair } from "../helpers/cosign-keys.js";
import { daggerCall, explainCall, HOST_CA, type CallResult } from "../helpers/dagger-call.js";
import { bringUpEngine, engineProblem } from "../helpers/engine-ready.js";
import { blobOf, layerTar, manifestOf, putManifest, tagsOf } from "../helpers/registry-api.js";
import { purlType, sbomPackages, type SbomPackage } from "../../ci/src/publish/sbom-read.js";
import { recordedBases } from "../../ci/src/publish/base-images.js";
import type { ProvenancePredicate } from "../../ci/src/publish/provenance.js";
import { removeWhenDone } from "../helpers/scratch.js";
import { testedReport } from "../helpers/tested-report.js";

const REGISTRY = "127.0.0.1:5000";
const NS = `s2i-signed-${randomBytes(3).toString("hex")}`;
const NAME = "python-311-minimal-debian12";
const REPO = `${REGISTRY}/${NS}/${NAME}`;
const TUNNEL = ["--registry-service", `tcp://${REGISTRY}`];
const SHA_A = "89abcdef0123456789abcdef0123456789abcdef";
const SHA_B = "fedcba9876543210fedcba9876543210fedcba98";
/** What a build toolchain would bring; none of it belongs in the minimal image's SBOM. */
const TOOLCHAIN = /^(gcc|g\+\+|cpp|binutils|make|libc6-dev|libgcc-\d+-dev|python3(\.\d+)?-dev|golang|go|syft|cosign|crane)(-\d+(\.\d+)?)?$/;

const EPOCH = ["--source-date-epoch", "1764000000"];

let keys: KeyPair[] = [];
const logs: CallResult[] = [];
let digestA = "";
/** A test run's report of the build these publishes push (the same SOURCE_DATE_EPOCH): its checks stand (--report). */
let report = "";

const call = async (words: string[], label: string) => {
  const r = await daggerCall(words, label);
  logs.push(r);
  return r;
};

test.before("a Dagger engine answers; two cosign key pairs; a test report of the build", async (t) => {
  await bringUpEngine();
  if (engineProblem()) return;
  keys = await cosignKeyPairs(2);
  report = await testedReport(t, EPOCH);
});

// The key pairs' folders hold private keys: none stays behind.
test.after.always("the test key pairs are removed", () => {
  for (const k of keys) rmSync(dirname(k.key), { recursive: true, force: true });
});

const publishSigned = (sha: string) => {
  process.env.S2I_TEST_COSIGN_KEY = readFileSync(keys[0].key, "utf8");
  process.env.S2I_TEST_COSIGN_PASSWORD = keys[0].password;
  return call(
    [
      ...["publish", "--version", "3.11-minimal", "--distro", "debian12", "--repository", `${REGISTRY}/${NS}`, "--git-sha", sha],
      ...["--source-repository", "https://github.com/example/s2i-python", ...EPOCH, "--extra-ca", HOST_CA, "--smoke", "--report", report],
      ...["--sign-key", "env://S2I_TEST_COSIGN_KEY", "--sign-key-password", "env://S2I_TEST_COSIGN_PASSWORD", ...TUNNEL],
    ],
    `publish ${sha.slice(0, 7)}`,
  );
};

const verify = (ref: string, pub: string) => call(["verify-published", "--ref", ref, "--key", pub, "--extra-ca", HOST_CA, ...TUNNEL], "verify");
const lastLine = (r: CallResult) => r.stderr.trim().split("\n").pop()!;

test.serial(
  "publish signed: the tags, a .sig and an .att beside the digest, the base annotations; verify passes and prints the commit and checks",
  async (t) => {
    if (engineProblem()) return t.fail(engineProblem());
    const r = await publishSigned(SHA_A);
    t.is(r.code, 0, explainCall(r));
    t.log(`publish (the report's checks, push, SBOMs, provenance, signing) took ${r.seconds.toFixed(0)} s`);
    t.regex(r.stderr, /\[publish\] 3\.11-minimal on debian12: the checks of the report \(\d+, started .+\) stand for this build: not run again/);
    const timing = r.stderr.split("\n").find((l) => l.includes("[publish]") && l.includes("SBOMs"));
    t.truthy(timing, `publish says how long the SBOMs, provenance and signing took\n${explainCall(r)}`);
    t.log(timing);
    const refs = r.stdout.split("\n").filter((l) => l.startsWith(`${REPO}:`));
    if (!refs.length) return t.fail(`publish printed no reference of ${REPO}\n${explainCall(r)}`);
    digestA = refs[0].split("@")[1];
    t.regex(digestA, /^sha256:[0-9a-f]{64}$/);
    t.regex(r.stdout, new RegExp(`^signed ${REPO}@${digestA}; attached provenance and 2 SBOMs \\(spdx-json, cyclonedx-json\\) for linux/\\w+, signed$`, "m"));
    const tags = await tagsOf(REGISTRY, `${NS}/${NAME}`);
    const hex = digestA.slice(7);
    t.true(tags.includes(`sha256-${hex}.sig`) && tags.includes(`sha256-${hex}.att`), tags.join(", "));
    const { manifest } = await manifestOf(`${REPO}@${digestA}`);
    t.is(manifest.annotations?.["org.opencontainers.image.base.name"], "docker.io/library/debian:bookworm-slim");
    t.regex(manifest.annotations?.["org.opencontainers.image.base.digest"] ?? "", /^sha256:[0-9a-f]{64}$/);
    t.is(manifest.annotations?.["org.opencontainers.image.revision"], SHA_A);

    const v = await verify(`${REPO}@${digestA}`, keys[0].pub);
    t.is(v.code, 0, explainCall(v));
    t.log(v.stdout);
    t.regex(v.stdout, new RegExp(`^verified ${REPO}@${digestA}: signed by the given key$`, "m"));
    t.regex(v.stdout, new RegExp(`^source: git\\+https://github.com/example/s2i-python commit ${SHA_A}$`, "m"));
    t.regex(v.stdout, /^sbom spdx-json \(linux\/\w+, sha256:[0-9a-f]{64}\): signed, \d+ packages, Python 3\.11\.\d+ as the image reports$/m);
    t.regex(v.stdout, /^base image: docker\.io\/library\/debian:bookworm-slim@sha256:[0-9a-f]{64}$/m);
    const passed = /^checks passed \((\d+) of (\d+), report sha256:[0-9a-f]{64}\):$/m.exec(v.stdout);
    t.truthy(passed, "the checks the image passed are listed");
    t.true(Number(passed?.[1]) > 5, `${passed?.[1]} checks passed`);
  },
);

test.serial("verify with another key fails, naming the signature", async (t) => {
  if (engineProblem() || !digestA) return t.fail(engineProblem() ?? "the signed publish did not happen");
  const v = await verify(`${REPO}@${digestA}`, keys[1].pub);
  t.is(v.code, 1, explainCall(v));
  t.regex(lastLine(v), new RegExp(`^error: ${REPO}@${digestA} \\(${digestA}\\): no valid signature by this key: `));
});

test.serial("a tag moved to an image nobody signed fails verification", async (t) => {
  if (engineProblem() || !digestA) return t.fail(engineProblem() ?? "the signed publish did not happen");
  const { text, manifest } = await manifestOf(`${REPO}@${digestA}`);
  const other = JSON.stringify({ ...JSON.parse(text), annotations: { ...manifest.annotations, "org.opencontainers.image.revision": "moved" } });
  const moved = await putManifest(REGISTRY, `${NS}/${NAME}`, "latest", other, manifest.mediaType);
  t.not(moved, digestA);
  const v = await verify(`${REPO}:latest`, keys[0].pub);
  t.is(v.code, 1, explainCall(v));
  t.regex(lastLine(v), new RegExp(`^error: ${REPO}:latest \\(${moved}\\): no valid signature by this key: `));
});

/** The statements of the .att tag beside a digest, unverified (read from the registry's blobs). */
async function attested(digest: string): Promise<Statement[]> {
  const att = await manifestOf(`${REPO}:sha256-${digest.slice(7)}.att`);
  const out: Statement[] = [];
  for (const l of att.manifest.layers) out.push(...statements((await blobOf(REPO, l.digest)).toString("utf8")));
  return out;
}

test.serial("the minimal image's SBOM: the interpreter package, every package pip list shows in the venv, nothing of a toolchain", async (t) => {
  if (engineProblem() || !digestA) return t.fail(engineProblem() ?? "the signed publish did not happen");
  const sboms = (await attested(digestA)).filter((s) => s.predicateType === "https://spdx.dev/Document");
  t.is(sboms.length, 1, "one SPDX SBOM about the image");
  const pkgs = sbomPackages(JSON.stringify(sboms[0].predicate));
  const ref = `${REPO}@${digestA}`;
  execFileSync("podman", ["pull", "-q", "--tls-verify=false", ref], { encoding: "utf8" });
  let pipList: { name: string; version: string }[];
  let python: string;
  try {
    pipList = JSON.parse(execFileSync("podman", ["run", "--rm", ref, "pip", "list", "--format", "json", "--disable-pip-version-check"], { encoding: "utf8" }));
    python = execFileSync("podman", ["run", "--rm", ref, "python3", "-c", "import platform; print(platform.python_version())"], { encoding: "utf8" }).trim();
  } finally {
    execFileSync("podman", ["rmi", "-f", ref], { stdio: "ignore" });
  }
  const by = (type: string) => pkgs.filter((p) => purlType(p) === type);
  const counts = ["deb", "pypi"].map((k) => `${k} ${by(k).length}`).join(", ");
  t.log(`SBOM of ${NAME}: ${pkgs.length} packages (${counts}); pip list: ${pipList.map((p) => `${p.name} ${p.version}`).join(", ")}`);
  const deb = (name: string) => by("deb").find((p) => p.name === name);
  t.truthy(deb("python3.11"), "the interpreter package");
  t.is(deb("python3.11")?.version.replace(/-[^-]*$/, ""), python);
  t.true(pipList.length > 0);
  const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, "-");
  for (const p of pipList) {
    const inSbom = by("pypi").find((x: SbomPackage) => norm(x.name) === norm(p.name) && x.version === p.version);
    t.truthy(inSbom, `pip list's ${p.name} ${p.version} is in the SBOM`);
  }
  t.deepEqual(
    pkgs.filter((p) => TOOLCHAIN.test(p.name)).map((p) => `${p.name} ${p.version}`),
    [],
    "nothing of a compiler toolchain or of the SBOM and signing tools",
  );
  t.deepEqual(
    pkgs.filter((p) => purlType(p) === "golang").map((p) => p.name),
    [],
    "no Go module: the tools that made the SBOM are not in the image",
  );
});

test.serial("needs-rebuild: current while the recorded bases resolve as recorded; rebuild for nothing published, and for a base that moved", async (t) => {
  if (engineProblem() || !digestA) return t.fail(engineProblem() ?? "the signed publish did not happen");
  const ask = (ref: string, extra: string[] = []) => call(["needs-rebuild", "--ref", ref, "--extra-ca", HOST_CA, ...TUNNEL, ...extra], "needs-rebuild");
  const current = await ask(`${REPO}@${digestA}`, ["--key", keys[0].pub]);
  t.is(current.code, 0, explainCall(current));
  t.regex(current.stdout.trim(), /^current: docker\.io\/library\/debian:bookworm-slim@sha256:[0-9a-f]{64} unchanged$/);
  const none = await ask(`${REPO}:no-such-tag`);
  t.is(none.stdout.trim(), `rebuild: nothing is published at ${REPO}:no-such-tag`, explainCall(none));
  // The provenance of a published image as if its base had been another digest then.
  const prov = (await attested(digestA)).find((s) => s.predicateType === "https://slsa.dev/provenance/v1")!;
  const recorded = recordedBases(prov.predicate as ProvenancePredicate)[0].digest;
  const old = `sha256:${"0".repeat(64)}`;
  const forged = JSON.parse(JSON.stringify(prov.predicate).replace(recorded.slice(7), old.slice(7))) as ProvenancePredicate;
  t.deepEqual(recordedBases(forged), [{ name: "docker.io/library/debian:bookworm-slim", digest: old }]);
  await forgeAttestation(REGISTRY, `${NS}/${NAME}`, "latest", forged);
  const moved = await ask(`${REPO}:latest`);
  t.is(moved.code, 0, explainCall(moved));
  t.is(moved.stdout.trim(), `rebuild: docker.io/library/debian:bookworm-slim moved from ${old} to ${recorded}`);
  const withKey = await ask(`${REPO}:latest`, ["--key", keys[0].pub]);
  t.regex(withKey.stdout.trim(), /^rebuild: .*does not verify/, "an unsigned provenance does not count with --key");
});

test.serial("an attestation about another digest, put beside a signed image, fails verification", async (t) => {
  if (engineProblem() || !digestA) return t.fail(engineProblem() ?? "the signed publish did not happen");
  const r = await publishSigned(SHA_B);
  t.is(r.code, 0, explainCall(r));
  const digestB = r.stdout
    .split("\n")
    .find((l) => l.startsWith(`${REPO}:`))!
    .split("@")[1];
  t.not(digestB, digestA, "another commit, another manifest (its revision annotation)");
  t.is((await verify(`${REPO}@${digestB}`, keys[0].pub)).code, 0, "B verifies before its attestations are swapped");
  const att = await manifestOf(`${REPO}:sha256-${digestA.slice(7)}.att`);
  await putManifest(REGISTRY, `${NS}/${NAME}`, `sha256-${digestB.slice(7)}.att`, att.text, att.manifest.mediaType);
  const v = await verify(`${REPO}@${digestB}`, keys[0].pub);
  t.is(v.code, 1, explainCall(v));
  t.regex(lastLine(v), /attestation/);
  t.log(lastLine(v));
});

test.serial("the private key and its password are in no log and no layer of the repository", async (t) => {
  if (engineProblem() || !keys.length) return t.fail(engineProblem() ?? "no keys");
  t.true(logs.length >= 4, `${logs.length} calls`);
  for (const r of logs) {
    t.false((r.stdout + r.stderr).includes(keys[0].secretBody.slice(0, 40)), "the private key is not in a call's output");
    t.false((r.stdout + r.stderr).includes(keys[0].password), "its password is not in a call's output");
  }
  let blobs = 0;
  for (const tag of await tagsOf(REGISTRY, `${NS}/${NAME}`)) {
    const { manifest } = await manifestOf(`${REPO}:${tag}`);
    for (const d of [manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)].filter(Boolean) as string[]) {
      const data = await layerTar(REPO, d);
      blobs++;
      t.false(data.includes(Buffer.from(keys[0].secretBody.slice(0, 40))), `${tag} ${d} does not hold the private key`);
      t.false(data.includes(Buffer.from(keys[0].password)), `${tag} ${d} does not hold its password`);
    }
  }
  t.true(blobs > 5, `${blobs} blobs searched`);
});

test.serial("the full image's SBOM does list its compilers (the toolchain check can fail)", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const out = removeWhenDone(t, `/tmp/s2i-sbom-${NS}.cdx.json`);
  const r = await call(
    ["sbom", "--version", "3.11", "--distro", "debian12", "--format", "cyclonedx-json", "--extra-ca", HOST_CA, "export", "--path", out],
    "sbom full",
  );
  t.is(r.code, 0, explainCall(r));
  const pkgs = sbomPackages(readFileSync(out, "utf8"));
  t.log(
    `SBOM of python-311-debian12: ${pkgs.length} packages (deb ${pkgs.filter((p) => purlType(p) === "deb").length}, pypi ${pkgs.filter((p) => purlType(p) === "pypi").length})`,
  );
  t.true(
    pkgs.some((p) => p.name === "gcc-12"),
    "gcc-12 is there",
  );
  t.true(pkgs.some((p) => TOOLCHAIN.test(p.name)));
});

test.serial("without --sign-key, publish attaches the SBOMs and provenance unsigned and says so; verify then fails", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const repository = `${REGISTRY}/${NS}-unsigned`;
  const r = await call(
    [
      "publish",
      "--version",
      "3.11-minimal",
      "--distro",
      "debian12",
      "--repository",
      repository,
      "--git-sha",
      SHA_A,
      ...EPOCH,
      "--extra-ca",
      HOST_CA,
      "--smoke",
      "--report",
      report,
      ...TUNNEL,
    ],
    "publish unsigned",
  );
  t.is(r.code, 0, explainCall(r));
  t.regex(r.stdout, /^attached provenance and 2 SBOMs \(spdx-json, cyclonedx-json\) for linux\/\w+ UNSIGNED \(no --sign-key given\)$/m);
  const digest = r.stdout
    .split("\n")
    .find((l) => l.startsWith(`${repository}/${NAME}:`))!
    .split("@")[1];
  const tags = await tagsOf(REGISTRY, `${NS}-unsigned/${NAME}`);
  t.true(tags.includes(`sha256-${digest.slice(7)}.att`) && !tags.includes(`sha256-${digest.slice(7)}.sig`), tags.join(", "));
  const att = await manifestOf(`${repository}/${NAME}:sha256-${digest.slice(7)}.att`);
  const found: Statement[] = [];
  for (const l of att.manifest.layers) found.push(...statements((await blobOf(`${repository}/${NAME}`, l.digest)).toString("utf8")));
  t.deepEqual(found.map((s) => s.predicateType).sort(), ["https://cyclonedx.org/bom", "https://slsa.dev/provenance/v1", "https://spdx.dev/Document"]);
  t.true(found.every((s) => s.subject[0].digest.sha256 === digest.slice(7)));
  const v = await verify(`${repository}/${NAME}@${digest}`, keys[0].pub);
  t.is(v.code, 1, explainCall(v));
  t.regex(lastLine(v), /no valid signature by this key/);
});

test.serial("a report of another build is refused before anything is pushed: the same target without its SOURCE_DATE_EPOCH", async (t) => {
  if (engineProblem()) return t.fail(engineProblem());
  const repository = `${REGISTRY}/${NS}-refused`;
  const words = ["publish", "--version", "3.11-minimal", "--distro", "debian12", "--repository", repository, "--extra-ca", HOST_CA, "--smoke"];
  const r = await call([...words, "--report", report, ...TUNNEL], "publish, another build's report");
  t.is(r.code, 1, explainCall(r));
  t.regex(
    lastLine(r),
    /^error: the report does not vouch for 3\.11-minimal on debian12: it tested another build on linux\/\w+: its files \(tested sha256:[0-9a-f]{64}, built now sha256:[0-9a-f]{64}\); run test on this build .*; nothing was published$/,
  );
  t.log(lastLine(r));
  const listed = await fetch(`http://${REGISTRY}/v2/${NS}-refused/${NAME}/tags/list`);
  t.is(listed.status, 404, "no repository was made: nothing was pushed");
});
