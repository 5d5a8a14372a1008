// The spec (specs/distros.yml, specs/versions.yml): the invariants every target keeps, over
// the real spec, and the one-line errors that broken copies get (file, key, what was expected).
import test from "ava";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { SpecError, UsageError } from "../ci/src/errors.js";
import { imageName, interpreterNames, interpreterProblem, pythonPackages } from "../ci/src/spec/image.js";
import { loadSpec, QUALIFIED_IMAGE } from "../ci/src/spec/load-spec.js";
import { selectOne, selectTargets } from "../ci/src/spec/select.js";
import { loadSampleApps } from "../ci/src/spec/sample-apps.js";
import { OverlaySource } from "./helpers/overlay-source.js";
import { project, projectRoot } from "./helpers/project.js";

const specText = (name: string) => readFile(join(projectRoot, "specs", name), "utf8");

async function loadWith(file: string, edit: (text: string) => string) {
  const text = await specText(file);
  const changed = edit(text);
  if (changed === text) throw new Error(`the edit of specs/${file} changed nothing`);
  return loadSpec(new OverlaySource({ [`specs/${file}`]: changed }));
}

test("every target installs an interpreter of its own version", async (t) => {
  const { spec } = await project();
  t.true(spec.targets.length > 0);
  for (const x of spec.targets) {
    const name = `${x.version.key} on ${x.distro.id}`;
    t.is(interpreterProblem(x), undefined, name);
    const pkgs = pythonPackages(x)!;
    const own = pkgs.some((p) => interpreterNames(x.version.version).includes(p));
    t.true(own || (pkgs.includes("python3") && x.distro.python3 === x.version.version), `${name}: ${pkgs.join(" ")}`);
  }
});

test("a Debian distro builds only the Python its release ships", async (t) => {
  const { spec } = await project();
  const debian = spec.targets.filter((x) => x.distro.family === "deb");
  t.true(debian.length > 0);
  for (const x of debian) t.is(x.version.version, x.distro.python3, `${x.version.key} on ${x.distro.id}`);
});

test("every base image names its registry host", async (t) => {
  const { spec } = await project();
  for (const d of spec.distros.values()) {
    for (const ref of [d.fullBase, d.minimalBase, d.microBase, d.microBuilder].filter(Boolean)) t.regex(ref!, QUALIFIED_IMAGE, `${d.id}: ${ref}`);
  }
});

test("image names are unique, and each version's default distro is one it is built on", async (t) => {
  const { spec } = await project();
  const names = spec.targets.map(imageName);
  t.is(new Set(names).size, names.length);
  for (const v of spec.versions.values()) {
    t.true(
      spec.targets.some((x) => x.version === v && x.distro.id === v.defaultDistro),
      v.key,
    );
    t.is(v.defaultDistro, v.distros[0]);
  }
});

test("what the key gives is not written by hand: version, short form, minimal", async (t) => {
  const { spec } = await project();
  for (const v of spec.versions.values()) {
    t.is(v.key, v.minimal ? `${v.version}-minimal` : v.version);
    t.is(v.shortVer, v.version.replace(".", ""));
  }
  const text = await specText("versions.yml");
  t.notRegex(text, /^\s+(version|short_ver|minimal|python_img_version|base_img_version):/m);
});

const broken: [string, string, (s: string) => string, RegExp][] = [
  [
    "an unqualified base image",
    "distros.yml",
    (s) => s.replace("full_base: registry.access.redhat.com/ubi8/s2i-base:1", "full_base: ubi8/s2i-base:1"),
    /^specs\/distros\.yml: rhel8\.full_base: expected an image reference with its registry host, .*, got "ubi8\/s2i-base:1"$/,
  ],
  [
    "a misspelt key",
    "distros.yml",
    (s) => s.replace("  dockerfile: debian12", "  dockerfiel: debian12"),
    /^specs\/distros\.yml: debian12\.(dockerfile|dockerfiel): /,
  ],
  [
    "an unknown family",
    "distros.yml",
    (s) => s.replace("family: deb", "family: apk"),
    /^specs\/distros\.yml: debian12\.family: expected one of rpm, deb, got "apk"$/,
  ],
  [
    "an unquoted release",
    "distros.yml",
    (s) => s.replace('release: "12"', "release: 12"),
    /^specs\/distros\.yml: debian12\.release: expected a release number such as "9" \(quoted\), got 12$/,
  ],
  [
    "a bad platform",
    "distros.yml",
    (s) => s.replace("[linux/amd64, linux/arm64, linux/arm/v7", "[linux-amd64, linux/arm64, linux/arm/v7"),
    /^specs\/distros\.yml: debian12\.platforms\[0\]: expected a platform such as linux\/amd64/,
  ],
  [
    "an unknown distro",
    "versions.yml",
    (s) => s.replace("distros: [debian12]", "distros: [debian11]"),
    /^specs\/versions\.yml: 3\.11(-minimal)?\.distros\[0\]: expected a distro from specs\/distros\.yml \(rhel8, .*debian13\), got "debian11"$/,
  ],
  [
    "a Debian release that does not ship the version",
    "versions.yml",
    (s) => s.replace('"3.11":\n  distros: [debian12]', '"3.11":\n  distros: [debian13]'),
    /^specs\/versions\.yml: 3\.11\.distros\[0\]: expected a distro that can build Python 3\.11: debian13 ships Python 3\.13 as python3 and names no packages for other versions .*, got "debian13"$/,
  ],
  [
    "an interpreter package of another version",
    "versions.yml",
    (s) => s.replace("  pkg: python39\n", "  pkg: python38\n"),
    /^specs\/versions\.yml: 3\.9\.pkg: expected the package of Python 3\.9 \(python3\.9 or python39\), got "python38"$/,
  ],
  [
    "no distros",
    "versions.yml",
    (s) => s.replace("distros: [debian12]", "distros: []"),
    /^specs\/versions\.yml: 3\.11(-minimal)?\.distros: expected at least one distro$/,
  ],
  [
    "a key that is not a version",
    "versions.yml",
    (s) => s.replace('"3.11":', '"3.11-slim":'),
    /^specs\/versions\.yml: 3\.11-slim: expected a version key such as 3\.12 or 3\.12-minimal$/,
  ],
  [
    "a field the key already gives",
    "versions.yml",
    (s) => s.replace('"3.11":\n', '"3.11":\n  short_ver: "311"\n'),
    /^specs\/versions\.yml: 3\.11\.short_ver: expected no such key \(known: /,
  ],
  ["broken YAML", "versions.yml", (s) => s + "\n  - [oops\n", /^specs\/versions\.yml: \(top level\): expected valid YAML, got /],
];
for (const [name, file, edit, message] of broken) {
  test(`a broken spec is refused in one line naming file and key: ${name}`, async (t) => {
    const e = await t.throwsAsync(loadWith(file, edit), { instanceOf: SpecError });
    t.regex(e!.message, message);
    t.false(e!.message.includes("\n"));
  });
}

test("two targets that would publish under one name are refused", async (t) => {
  const copy = (s: string) =>
    s +
    '\ndebian12b:\n  family: deb\n  os: debian\n  dockerfile: debian12b\n  release: "12"\n  codename: bookworm\n  python3: "3.11"\n  full_base: docker.io/library/debian:bookworm-slim\n  minimal_base: docker.io/library/debian:bookworm-slim\n  org: sclorg\n  prod: debian12\n  python_pkgs:\n    system: [python3]\n  base_pkgs: []\n  minimal_pkgs: []\n  platforms: [linux/amd64]\n';
  const distros = copy(await specText("distros.yml"));
  const versions = (await specText("versions.yml")).replace('"3.11":\n  distros: [debian12]', '"3.11":\n  distros: [debian12, debian12b]');
  const e = await t.throwsAsync(loadSpec(new OverlaySource({ "specs/distros.yml": distros, "specs/versions.yml": versions })), { instanceOf: SpecError });
  t.is(
    e!.message,
    'specs/versions.yml: 3.11.distros[1]: expected an image name of its own: 3.11 on debian12b and 3.11 on debian12 would both be sclorg/python-311-debian12, got "debian12b"',
  );
});

test("selection: unknown version, unknown distro and a missing pair each name the valid choices", async (t) => {
  const { spec } = await project();
  t.is(t.throws(() => selectTargets(spec, { version: "2.7" }), { instanceOf: UsageError })!.message.split(";")[0], 'unknown version "2.7"');
  t.regex(
    t.throws(() => selectTargets(spec, { version: "2.7" }))!.message,
    new RegExp(`valid versions: ${[...spec.versions.keys()].join(", ").replaceAll(".", "\\.")}$`),
  );
  t.regex(
    t.throws(() => selectTargets(spec, { distro: "ubuntu" }))!.message,
    /^unknown distro "ubuntu"; valid distros: .*c10s, c9s, debian12, debian13, fedora, fedora42/,
  );
  t.is(t.throws(() => selectOne(spec, "3.8", "c9s"))!.message, "version 3.8 is not built on c9s; its distros: rhel8");
});

test("selection: --version alone takes the version's default distro; 'fedora' matches the Fedora release of that version", async (t) => {
  const { spec } = await project();
  for (const v of spec.versions.values()) t.is(selectOne(spec, v.key).distro.id, v.distros[0], v.key);
  t.is(selectOne(spec, "3.13-minimal", "fedora").distro.id, "fedora42");
  t.is(selectOne(spec, "3.14", "fedora").distro.id, "fedora43");
});

test("the sample-app table loads and every app folder it names exists", async (t) => {
  const apps = await loadSampleApps(new OverlaySource({}));
  t.true(apps.length > 0);
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
