// Adding a Python version is one entry in specs/versions.yml (README: "Adding a Python version").
// On a temporary copy of the spec, a new version either renders Dockerfiles that install and
// use that very version, or the loader refuses it with one line that says why.
import test from "ava";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SpecError } from "../ci/src/errors.js";
import { loadProject } from "../ci/src/project.js";
import { renderTree } from "../ci/src/render/tree.js";
import { selectTargets } from "../ci/src/spec/select.js";
import { dockerfileFacts } from "./helpers/dockerfile-facts.js";
import { OverlaySource } from "./helpers/overlay-source.js";
import { projectRoot } from "./helpers/project.js";

const versionsText = () => readFile(join(projectRoot, "specs/versions.yml"), "utf8");
const withEntry = async (entry: string) => loadProject(new OverlaySource({ "specs/versions.yml": `${await versionsText()}\n${entry}` }));

test("3.15 on c10s and rhel9, full and minimal: every Dockerfile installs Python 3.15 and makes its venv with it", async (t) => {
  const p = await withEntry(
    `"3.15":\n  distros: [c10s, rhel9]\n  main_image: quay.io/sclorg/python-315-c10s\n\n"3.15-minimal":\n  distros: [c10s]\n  main_image: quay.io/sclorg/python-315-minimal-c10s\n`,
  );
  const targets = [...selectTargets(p.spec, { version: "3.15" }), ...selectTargets(p.spec, { version: "3.15-minimal" })];
  t.deepEqual(
    targets.map((x) => `${x.version.key} on ${x.distro.id}`),
    ["3.15 on c10s", "3.15 on rhel9", "3.15-minimal on c10s"],
  );
  const files = renderTree(p.renderer, targets);
  for (const x of targets) {
    const df = files.find((f) => f.path === `${x.version.key}/Dockerfile.${x.distro.dockerfile}`)!;
    const facts = dockerfileFacts(df.content);
    t.true(facts.installPkgs.includes("python3.15"), `${df.path}: ${facts.installPkgs.join(" ")}`);
    t.false(facts.installPkgs.includes("python3"), `${df.path} does not install the distro's own python3`);
    if (!x.version.minimal) t.true(facts.installPkgs.includes("python3.15-devel"), df.path);
    t.true(df.content.includes("RUN python3.15 -m venv ${APP_ROOT}"), df.path);
    t.is(facts.env["PYTHON_VERSION"], "3.15");
    t.regex(facts.from.at(-1)!, /^(registry\.access\.redhat\.com|quay\.io)\//);
  }
  const readme = files.find((f) => f.path === "3.15-minimal/README.md")!.content;
  t.true(readme.includes('microdnf -y install gcc "pkgconfig(python-3.15)" which'));
  t.true(files.some((f) => f.path === "3.15-minimal/test/from-dockerfile/uwsgi.Dockerfile.c10s"));
});

test("3.15 on debian13 is refused: Debian 13 ships Python 3.13 only", async (t) => {
  const e = await t.throwsAsync(withEntry(`"3.15":\n  distros: [c10s, rhel9, debian13]\n  main_image: quay.io/sclorg/python-315-c10s\n`), {
    instanceOf: SpecError,
  });
  t.is(
    e!.message,
    'specs/versions.yml: 3.15.distros[2]: expected a distro that can build Python 3.15: debian13 ships Python 3.13 as python3 and names no packages for other versions (python_pkgs.versioned), so it cannot build Python 3.15, got "debian13"',
  );
});

test("3.15 on fedora43 is refused: the Fedora images use the release's own python3", async (t) => {
  const e = await t.throwsAsync(withEntry(`"3.15":\n  distros: [fedora43]\n  main_image: quay.io/fedora/python-315\n`), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/versions\.yml: 3\.15\.distros\[0\]: expected a distro that can build Python 3\.15: fedora43 ships Python 3\.14 as python3/);
});

test("a new version that names a distro not in specs/distros.yml is refused with the valid distros", async (t) => {
  const e = await t.throwsAsync(withEntry(`"3.15":\n  distros: [c11s]\n  main_image: quay.io/sclorg/python-315-c11s\n`), { instanceOf: SpecError });
  t.regex(e!.message, /^specs\/versions\.yml: 3\.15\.distros\[0\]: expected a distro from specs\/distros\.yml \(.*c10s.*\), got "c11s"$/);
});
