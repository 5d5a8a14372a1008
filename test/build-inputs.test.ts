// Which builds are given the extra CA: only those whose Dockerfile reads it. A secret the build
// never reads is not free: the engine keys a secret made in a module by the module's code.
import test from "ava";
import { buildReadsExtraCa } from "../ci/src/build/inputs.js";
import { buildRecordInputs, renderedDockerfile } from "../ci/src/publish/build-record.js";
import { targetName } from "../ci/src/spec/select.js";
import { project } from "./helpers/project.js";

const { spec, renderer } = await project();
const dockerfileOf = (t: (typeof spec.targets)[number]) => renderedDockerfile(renderer, t).content;

test("a Debian Dockerfile reads the extra CA only as apt's CA for https sources", (t) => {
  const debian = spec.targets.filter((x) => x.distro.family === "deb");
  t.true(debian.length > 0);
  for (const target of debian) {
    const uses = dockerfileOf(target)
      .split("\n")
      .filter((l) => l.includes("/run/secrets/extra-ca") && !l.includes("--mount=type=secret,id=extra-ca"));
    t.true(uses.length > 0, `${targetName(target)}: the install step can read the CA`);
    for (const l of uses)
      t.regex(
        l,
        /^\s*ca="" && if \[ -s \/run\/secrets\/extra-ca \]; then ca="-o Acquire::https::CAInfo=\/run\/secrets\/extra-ca"; fi && \\$/,
        targetName(target),
      );
  }
});

test("the CA goes to the RPM builds always, to the Debian ones only for an https apt mirror", (t) => {
  for (const target of spec.targets) {
    const deb = target.distro.family === "deb";
    t.is(buildReadsExtraCa(target, undefined), !deb, `${targetName(target)}, no mirror`);
    t.true(dockerfileOf(target).includes("--mount=type=secret,id=extra-ca"), `${targetName(target)} mounts the CA secret`);
    if (!deb) continue;
    t.false(buildReadsExtraCa(target, "http://mirror.example/debian"), `${targetName(target)}, http mirror`);
    t.true(buildReadsExtraCa(target, "https://deb.debian.org"), `${targetName(target)}, https mirror`);
    t.true(buildReadsExtraCa(target, "HTTPS://deb.debian.org"), `${targetName(target)}, HTTPS mirror`);
  }
});

test("the provenance names the CA secret only for a build that read it", (t) => {
  const deb = spec.targets.find((x) => x.distro.family === "deb")!;
  const rpm = spec.targets.find((x) => x.distro.family !== "deb")!;
  t.deepEqual(buildRecordInputs(deb, { extraCa: {} }).secrets, []);
  t.deepEqual(buildRecordInputs(deb, { extraCa: {}, aptMirror: "https://deb.debian.org" }).secrets, ["extra-ca"]);
  t.deepEqual(buildRecordInputs(rpm, { extraCa: {} }).secrets, ["extra-ca"]);
  t.deepEqual(buildRecordInputs(rpm, {}).secrets, []);
});
