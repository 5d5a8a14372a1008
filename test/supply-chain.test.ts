// The pure parts of the supply chain: the provenance statement, the attestations' subjects, what
// an SBOM says, the base images and the rebuild verdict, cosign's command lines, the tunnel.
import test from "ava";
import { attachLines, attachments, platformImages } from "../ci/src/publish/attach-plan.js";
import { decodeEnvelopes, statementFor, subjectMismatch, unsignedEnvelope } from "../ci/src/publish/attestations.js";
import { fromImages, rebuildVerdict, recordedBases } from "../ci/src/publish/base-images.js";
import { buildRecordInputs, validateSourceArgs } from "../ci/src/publish/build-record.js";
import { COSIGN, goBuildScript, SYFT } from "../ci/src/publish/go-tools.js";
import { provenancePredicate, sha256, SLSA_PROVENANCE_V1 } from "../ci/src/publish/provenance.js";
import { judgePublished } from "../ci/src/publish/published-judges.js";
import { attachBlocked, registryPreamble, repositoryOf, tunnelLine, validateRef, validateTunnelHost } from "../ci/src/publish/registry-host.js";
import { sbomPackages, sbomPythonVersion, upstreamVersion } from "../ci/src/publish/sbom-read.js";
import { project } from "./helpers/project.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const BASE = "docker.io/library/debian:bookworm-slim";

const report = JSON.stringify({
  started: "2026-12-03T10:00:00.000Z",
  results: [
    { name: "python --version", image: "3.11-minimal on debian12", outcome: "pass", seconds: 1 },
    { name: "app-home", image: "3.11-minimal on debian12", outcome: "pass", seconds: 9 },
    { name: "mod_wsgi flow", image: "3.11-minimal on debian12", outcome: "not-applicable", seconds: 0, reason: "no full image" },
  ],
});

const predicate = () =>
  provenancePredicate({
    version: "3.11-minimal",
    distro: "debian12",
    platforms: ["linux/amd64"],
    sourceRepository: "https://github.com/org/s2i-python",
    gitSha: "0123456789abcdef0123456789abcdef01234567",
    sourceDateEpoch: 1764000000,
    dockerfile: { path: "3.11-minimal/Dockerfile.debian12", content: `FROM ${BASE}\nRUN true\n` },
    bases: [{ name: BASE, digest: D1 }],
    secrets: ["extra-ca"],
    buildArgs: { SOURCE_DATE_EPOCH: "1764000000" },
    builder: { id: "urn:s2i-python:dagger-module", version: { dagger: "v0.21.8" } },
    started: new Date("2026-12-03T10:00:00Z"),
    finished: new Date("2026-12-03T10:05:00Z"),
    reportJson: report,
  });

test("the provenance names the source, the Dockerfile's digest, the bases by digest, secrets by name and the report by digest", (t) => {
  const p = predicate();
  const deps = p.buildDefinition.resolvedDependencies;
  t.deepEqual(deps[0].digest, { gitCommit: "0123456789abcdef0123456789abcdef01234567" });
  t.is(deps[0].uri, "git+https://github.com/org/s2i-python");
  t.is(deps[1].digest!.sha256, sha256(`FROM ${BASE}\nRUN true\n`));
  t.deepEqual(recordedBases(p), [{ name: BASE, digest: D1 }]);
  t.deepEqual(p.buildDefinition.internalParameters.buildSecrets, ["extra-ca"]);
  t.is(p.runDetails.byproducts[0].digest.sha256, sha256(report));
  t.is(Buffer.from(p.runDetails.byproducts[0].content, "base64").toString(), report);
  t.is(p.runDetails.metadata.startedOn, "2026-12-03T10:00:00.000Z");
  const text = JSON.stringify(p);
  t.false(text.includes("BEGIN CERTIFICATE"), "a secret's value never enters the provenance: only its name");
});

test("build inputs are recorded by name; a CA's or subscription's content is never taken", async (t) => {
  const { spec } = await project();
  const debian = spec.targets.find((x) => x.distro.family === "deb")!;
  const r = buildRecordInputs(debian, { extraCa: { opaque: true }, subscription: [{}, {}], aptMirror: "https://deb.debian.org", sourceDateEpoch: 5 });
  t.deepEqual(r.secrets, ["extra-ca", "rhsm-entitlement", "rhsm-entitlement-key"]);
  t.deepEqual(r.buildArgs, { APT_MIRROR: "https://deb.debian.org", SOURCE_DATE_EPOCH: "5" });
  t.deepEqual(buildRecordInputs(debian, {}), { secrets: [], buildArgs: {} });
  t.throws(() => validateSourceArgs({ sourceRepository: "git@github.com:org/x" }), { message: /not an https URL/ });
  t.throws(() => validateSourceArgs({ sourceDateEpoch: -1 }), { message: /whole seconds/ });
  t.notThrows(() => validateSourceArgs({ sourceRepository: "https://github.com/org/s2i-python", sourceDateEpoch: 0 }));
});

test("a statement is about its digest; one about another digest is named as such", (t) => {
  const s = statementFor("r/n", D1, SLSA_PROVENANCE_V1, { x: 1 });
  const envelope = unsignedEnvelope(s);
  const line = JSON.stringify(envelope);
  const back = decodeEnvelopes(`Verification for r/n --\n${line}\n`);
  t.deepEqual(back, [s]);
  t.is(subjectMismatch(back, D1, "provenance"), undefined);
  t.is(subjectMismatch(back, D2, "provenance"), `the provenance attestation is about ${D1}, not ${D2}`);
});

const spdx = (pkgs: [string, string, string][]) =>
  JSON.stringify({
    spdxVersion: "SPDX-2.3",
    packages: pkgs.map(([name, v, purl]) => ({ name, versionInfo: v, externalRefs: [{ referenceType: "purl", referenceLocator: purl }] })),
  });

test("the SBOM's packages in both formats, and the interpreter's upstream version", (t) => {
  const doc = spdx([
    ["python3.11", "3.11.2-6+deb12u6", "pkg:deb/debian/python3.11@3.11.2-6+deb12u6"],
    ["pip", "23.0.1", "pkg:pypi/pip@23.0.1"],
  ]);
  t.is(sbomPythonVersion(sbomPackages(doc), "3.11"), "3.11.2");
  const cdx = JSON.stringify({
    bomFormat: "CycloneDX",
    components: [
      { type: "library", name: "python3", version: "3.12.9-1.el9", purl: "pkg:rpm/centos/python3@3.12.9-1.el9" },
      { type: "file", name: "/usr/bin/python3.12" },
    ],
  });
  t.deepEqual(
    sbomPackages(cdx).map((p) => p.name),
    ["python3"],
    "the files syft lists as components are not packages",
  );
  t.is(sbomPythonVersion(sbomPackages(cdx), "3.12"), "3.12.9");
  t.is(sbomPythonVersion(sbomPackages(cdx), "3.11"), undefined, "another Python's package is not this image's");
  t.is(upstreamVersion("1:3.13.5-2"), "3.13.5");
  t.throws(() => sbomPackages("{}"), { message: /neither SPDX JSON nor CycloneDX JSON/ });
});

test("the bases of a Dockerfile: every FROM but an earlier stage's", (t) => {
  t.deepEqual(fromImages(`FROM ${BASE}\nRUN x\n`), [BASE]);
  t.deepEqual(fromImages("FROM ubi9/ubi:latest AS builder\nRUN x\nFROM ubi9/ubi-micro:latest\nCOPY --from=builder / /\nFROM builder\n"), [
    "ubi9/ubi:latest",
    "ubi9/ubi-micro:latest",
  ]);
});

test("rebuild: when a recorded base moved or cannot be resolved, or nothing is recorded; else current", (t) => {
  t.is(rebuildVerdict([{ name: BASE, digest: D1 }], [{ name: BASE, digest: D1 }]), `current: ${BASE}@${D1} unchanged`);
  t.is(rebuildVerdict([{ name: BASE, digest: D1 }], [{ name: BASE, digest: D2 }]), `rebuild: ${BASE} moved from ${D1} to ${D2}`);
  t.is(rebuildVerdict([{ name: BASE, digest: D1 }], []), `rebuild: ${BASE} could not be resolved`);
  t.regex(rebuildVerdict([], []), /^rebuild: the published provenance records no base image$/);
});

test("cosign's lines: sign and attest with the key and no transparency log, or attach unsigned envelopes", (t) => {
  const list = attachments(D1, [{ platform: "linux/amd64", digest: D1 }], ["spdx-json", "cyclonedx-json"]);
  t.deepEqual(
    list.map((a) => [a.file, a.cosignType]),
    [
      ["/work/provenance.json", "slsaprovenance1"],
      ["/work/0/sbom.spdx.json", "spdxjson"],
      ["/work/0/sbom.cdx.json", "cyclonedx"],
    ],
  );
  const signed = attachLines("127.0.0.1:5000/s/n", D1, list, true, false);
  t.is(signed[0], `cosign sign --yes --key env://COSIGN_PRIVATE_KEY --tlog-upload=false '127.0.0.1:5000/s/n@${D1}'`);
  t.true(signed.slice(1).every((l) => l.startsWith("cosign attest --yes --key env://COSIGN_PRIVATE_KEY --tlog-upload=false --type ")));
  t.true(attachLines("r/n", D1, list, false, false).every((l) => l.startsWith("cosign attach attestation --attestation /work/")));
  t.regex(attachLines("r/n", D1, list, true, true)[0], / --recursive /);
});

test("an image index's platforms and their digests; a single image is its own", (t) => {
  const index = JSON.stringify({
    manifests: [
      { digest: D1, platform: { os: "linux", architecture: "amd64" } },
      { digest: D2, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
      { digest: D2, platform: { os: "unknown", architecture: "unknown" } },
    ],
  });
  t.deepEqual(platformImages(index, "sha256:x", "linux/amd64"), [
    { platform: "linux/amd64", digest: D1 },
    { platform: "linux/arm64/v8", digest: D2 },
  ]);
  t.deepEqual(platformImages(JSON.stringify({ layers: [] }), D1, "linux/amd64"), [{ platform: "linux/amd64", digest: D1 }]);
});

test("a registry on the caller's loopback is put back at its own address; credentials go through stdin", (t) => {
  t.notThrows(() => validateTunnelHost("127.0.0.1:5000"));
  t.throws(() => validateTunnelHost("quay.io"), { message: /is reached by its name/ });
  t.is(
    tunnelLine("127.0.0.1:5000", "s2i-registry"),
    "(socat TCP-LISTEN:5000,bind=127.0.0.1,fork,reuseaddr TCP:s2i-registry:5000 >/dev/null 2>&1 &) && sleep 0.3",
  );
  const pre = registryPreamble({ host: "quay.io", username: "bot's", tunnel: false });
  t.is(pre.at(-1), `printf '%s' "$S2I_REGISTRY_PASSWORD" | cosign login 'quay.io' -u 'bot'\\''s' --password-stdin >/dev/null`);
  t.notThrows(() => validateRef(`127.0.0.1:5000/s2i/python-311-minimal-debian12@${D1}`));
  t.notThrows(() => validateRef("quay.io/org/python-312:latest"));
  t.throws(() => validateRef("python-312"), { message: /not an image reference/ });
});

test("the tools are built from pinned Go module versions, never @latest", (t) => {
  for (const tool of [SYFT, COSIGN]) {
    const script = goBuildScript(tool);
    t.regex(tool.version, /^v\d+\.\d+\.\d+$/);
    t.true(script.includes(`go mod download -json ${tool.module}@${tool.version}`));
    t.false(script.includes("@latest"));
  }
  t.true(goBuildScript(COSIGN).includes("-o /out/crane github.com/google/go-containerregistry/cmd/crane"));
});

test("verification: the lines for a good image; an SBOM with another Python, or about another digest, fails", (t) => {
  const prov = statementFor("r/n", D1, SLSA_PROVENANCE_V1, predicate());
  const sbom = (digest: string, v: string) => [
    statementFor("r/n", digest, "https://spdx.dev/Document", JSON.parse(spdx([["python3.11", v, `pkg:deb/debian/python3.11@${v}`]]))),
  ];
  const args = { ref: `r/n@${D1}`, digest: D1, provenance: [prov], imagePython: "3.11.2" };
  const lines = judgePublished({ ...args, sboms: [{ platform: "linux/amd64", digest: D1, format: "spdx-json", statements: sbom(D1, "3.11.2-6") }] });
  t.is(lines[0], `verified r/n@${D1}: signed by the given key`);
  t.true(lines.includes("source: git+https://github.com/org/s2i-python commit 0123456789abcdef0123456789abcdef01234567"));
  t.true(lines.some((l) => /^checks passed \(2 of 3, report sha256:[0-9a-f]{64}\):$/.test(l)));
  t.true(lines.includes("  app-home on 3.11-minimal on debian12"));
  t.throws(() => judgePublished({ ...args, sboms: [{ platform: "linux/amd64", digest: D1, format: "spdx-json", statements: sbom(D1, "3.11.9-1") }] }), {
    message: /records Python 3\.11\.9, the image runs 3\.11\.2/,
  });
  t.throws(() => judgePublished({ ...args, sboms: [{ platform: "linux/amd64", digest: D1, format: "spdx-json", statements: sbom(D2, "3.11.2-6") }] }), {
    message: /spdx-json SBOM \(linux\/amd64\) attestation is about sha256:2+, not sha256:1+/,
  });
  t.throws(() => judgePublished({ ...args, digest: D2, sboms: [] }), { message: /the provenance attestation is about sha256:1+, not sha256:2+/ });
  t.throws(() => judgePublished({ ...args, provenance: [], sboms: [] }), { message: /no provenance attestation signed by this key/ });
});

test("a loopback registry without --registry-service: signing is refused up front, unsigned publish says the attestations were not attached", (t) => {
  t.throws(() => attachBlocked("127.0.0.1:5000", false, true), {
    message: /^--sign-key: 127\.0\.0\.1:5000 is on this machine's loopback, .* --registry-service tcp:\/\/127\.0\.0\.1:5000$/,
  });
  t.regex(attachBlocked("127.0.0.1:5000", false, false)!, /^SBOMs and provenance NOT attached: /);
  t.is(attachBlocked("127.0.0.1:5000", true, true), undefined);
  t.is(attachBlocked("quay.io", false, true), undefined);
});

test("a reference's repository keeps the registry's port and drops only the tag or digest", (t) => {
  t.is(repositoryOf("127.0.0.1:5000/s2i/python-311-debian12@sha256:" + "a".repeat(64)), "127.0.0.1:5000/s2i/python-311-debian12");
  t.is(repositoryOf("127.0.0.1:5000/s2i/python-311-debian12:latest"), "127.0.0.1:5000/s2i/python-311-debian12");
  t.is(repositoryOf("quay.io/org/python-312"), "quay.io/org/python-312");
});
