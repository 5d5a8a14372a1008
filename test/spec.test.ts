import test from "ava";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { SpecError, UsageError } from "../ci/src/errors.js";
import { loadSpec } from "../ci/src/matrix/load.js";
import { loadSampleApps } from "../ci/src/verify/apps.js";
import { selectOne, selectTargets } from "../ci/src/matrix/select.js";
import { OverlaySource } from "./helpers/overlay-source.js";
import { project, projectRoot } from "./helpers/project.js";

const specText = (name: string) => readFile(join(projectRoot, "specs", name), "utf8");

test("the real spec loads: every matrix pair becomes a typed target", async (t) => {
  const { spec } = await project();
  const pairs = spec.targets.map((x) => `${x.version.key}/${x.distro.id}`);
  t.is(pairs.length, 31);
  for (const p of ["3.6/rhel8", "3.8/rhel8", "3.8-minimal/rhel8", "3.11/debian12", "3.11-minimal/debian12", "3.13/debian13", "3.13-minimal/debian13", "3.14-minimal/rhel10", "3.13/fedora42"]) {
    t.true(pairs.includes(p), p);
  }
  t.false(pairs.includes("3.12/rhel10"), "upstream renders no full 3.12 for rhel10");
  const v = spec.versions.get("3.12-minimal")!;
  t.is(v.version, "3.12");
  t.is(v.shortVer, "312");
  t.true(v.minimal);
  t.is(spec.versions.get("3.8-minimal")!.base, "micro");
  t.is(spec.distros.get("debian12")!.family, "deb");
});

test("every version's default distro is one of its matrix distros", async (t) => {
  const { spec } = await project();
  for (const v of spec.versions.values()) {
    t.true(spec.targets.some((x) => x.version === v && x.distro.id === v.defaultDistro), v.key);
  }
});

async function loadWith(file: string, edit: (text: string) => string) {
  const path = `specs/${file}`;
  return loadSpec(new OverlaySource({ [path]: edit(await specText(file)) }));
}

test("a misspelt key is rejected with the file, the key path and the known keys", async (t) => {
  const e = await t.throwsAsync(loadWith("distros.yml", (s) => s.replace("  os: debian\n  dockerfile: debian12", "  os: debian\n  dockerfiel: debian12")), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/distros\.yml: debian12\.(dockerfile|dockerfiel): /);
});

test("a value of the wrong type names what was expected and what was found", async (t) => {
  const e = await t.throwsAsync(loadWith("versions.yml", (s) => s.replace('"3.9-minimal":\n  version: "3.9"\n  short_ver: "39"\n  minimal: true', '"3.9-minimal":\n  version: "3.9"\n  short_ver: "39"\n  minimal: "yes"')), { instanceOf: SpecError });
  t.is(e!.message, 'specs/versions.yml: 3.9-minimal.minimal: expected true or false, got "yes"');
});

test("an unknown family lists the valid ones", async (t) => {
  const e = await t.throwsAsync(loadWith("distros.yml", (s) => s.replace("family: deb", "family: apk")), { instanceOf: SpecError });
  t.is(e!.message, 'specs/distros.yml: debian12.family: expected one of rpm, deb, got "apk"');
});

test("a matrix naming an unknown distro lists the distros", async (t) => {
  const e = await t.throwsAsync(loadWith("matrix.yml", (s) => s.replace('"3.11": [debian12]', '"3.11": [debian11]')), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/matrix\.yml: 3\.11\[0\]: expected a distro from specs\/distros\.yml \(rhel8, .*debian13\), got "debian11"$/);
});

test("a version whose short_ver does not match is rejected", async (t) => {
  const e = await t.throwsAsync(loadWith("versions.yml", (s) => s.replace('short_ver: "311"', 'short_ver: "31"')), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/versions\.yml: 3\.11(-minimal)?\.short_ver: expected "311", got "31"$/);
});

test("a version missing from the matrix is rejected", async (t) => {
  const e = await t.throwsAsync(loadWith("matrix.yml", (s) => s.replace('"3.6": [rhel8]\n', "")), { instanceOf: SpecError });
  t.is(e!.message, "specs/matrix.yml: 3.6: expected an entry for every version (this one has none)");
});

test("broken YAML names the file", async (t) => {
  const e = await t.throwsAsync(loadWith("matrix.yml", (s) => s + "\n  - [oops\n"), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/matrix\.yml: \(top level\): expected valid YAML, got /);
});

test("selection: unknown version, unknown distro and a missing pair each name the valid choices", async (t) => {
  const { spec } = await project();
  t.is(t.throws(() => selectTargets(spec, { version: "2.7" }), { instanceOf: UsageError })!.message.split(";")[0], 'unknown version "2.7"');
  t.regex(t.throws(() => selectTargets(spec, { version: "2.7" }))!.message, /valid versions: 3\.6, 3\.8, 3\.8-minimal, .*3\.14-minimal$/);
  t.regex(t.throws(() => selectTargets(spec, { distro: "ubuntu" }))!.message, /^unknown distro "ubuntu"; valid distros: .*c10s, c9s, debian12, debian13, fedora, fedora42/);
  t.is(t.throws(() => selectOne(spec, "3.8", "c9s"))!.message, "version 3.8 is not built on c9s; its distros: rhel8");
});

test("selection: --version alone takes the version's default distro; 'fedora' matches the Fedora release of that version", async (t) => {
  const { spec } = await project();
  t.is(selectOne(spec, "3.8").distro.id, "rhel8");
  t.is(selectOne(spec, "3.11").distro.id, "debian12");
  t.is(selectOne(spec, "3.13-minimal", "fedora").distro.id, "fedora42");
  t.is(selectOne(spec, "3.14", "fedora").distro.id, "fedora43");
  t.deepEqual(selectTargets(spec, { distro: "debian13" }).map((x) => x.version.key), ["3.13", "3.13-minimal"]);
});

test("the sample-app table loads and every app folder it names exists", async (t) => {
  const apps = await loadSampleApps(new OverlaySource({}));
  t.true(apps.length >= 20);
  const names = apps.map((a) => a.name);
  for (const n of ["app-home", "django", "locale", "pipenv-and-micropipenv-should-fail", "mod-wsgi", "uwsgi-minimal", "mod-wsgi-multistage"]) t.true(names.includes(n), n);
  for (const a of apps) {
    t.true((await stat(join(projectRoot, a.dir))).isDirectory(), a.dir);
  }
});

test("the sample-app table rejects an unknown image kind", async (t) => {
  const text = await specText("sample-apps.yml");
  const bad = text.replace(/images: \[full, minimal\]/, "images: [full, tiny]");
  t.not(bad, text);
  const e = await t.throwsAsync(loadSampleApps(new OverlaySource({ "specs/sample-apps.yml": bad })), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/sample-apps\.yml: apps\.[\w-]+\.images\[1\]: expected one of full, minimal, got "tiny"$/);
});
