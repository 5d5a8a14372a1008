import test from "ava";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TemplateError } from "../ci/src/errors.js";
import { loadProject } from "../ci/src/project.js";
import { renderTree } from "../ci/src/render/tree.js";
import { selectOne } from "../ci/src/spec/select.js";
import { targetImageName } from "../ci/src/spec/image.js";
import { dockerfileFacts } from "./helpers/dockerfile-facts.js";
import { OverlaySource } from "./helpers/overlay-source.js";
import { project } from "./helpers/project.js";
import { removeWhenDone } from "./helpers/scratch.js";
import { FULL_ENV, UPSTREAM_BASE_PKGS, UPSTREAM_DOCKERFILES } from "./helpers/upstream-facts.js";
import { QUALIFIED_IMAGE } from "../ci/src/spec/load-spec.js";

const run = promisify(execFile);

async function rendered(key: string, distro: string) {
  const { spec, renderer } = await project();
  const target = selectOne(spec, key, distro);
  const files = renderer.renderTarget(target);
  const get = (suffix: string) => files.find((f) => f.path === `${key}/${suffix}`);
  const dockerfile = get(`Dockerfile.${target.distro.dockerfile}`)!;
  return { target, files, get, text: dockerfile.content, facts: dockerfileFacts(dockerfile.content) };
}

/** Upstream names UBI images by short names that podman resolves on registry.access.redhat.com. */
const qualified = (ref: string) => (/^[^/]+\.[^/]+\//.test(ref) ? ref : `registry.access.redhat.com/${ref}`);

for (const up of UPSTREAM_DOCKERFILES) {
  test(`${up.key} on ${up.distro}: FROM, python packages and name label agree with upstream`, async (t) => {
    const { facts, target } = await rendered(up.key, up.distro);
    t.is(facts.from.at(-1), qualified(up.from));
    t.deepEqual(facts.installPkgs.slice(0, up.pythonPkgs.length), up.pythonPkgs);
    t.is(facts.labels["name"], up.name);
    t.deepEqual(facts.expose, ["8080"]);
    t.is(facts.user, "1001");
    t.is(facts.cmd, "$STI_SCRIPTS_PATH/usage");
    t.is(facts.env["PYTHON_VERSION"], target.version.version);
    t.is(facts.labels["io.k8s.display-name"], `Python ${target.version.version}`);
    t.is(facts.labels["io.openshift.expose-services"], "8080:http");
    const s = target.version.shortVer;
    t.is(facts.labels["io.openshift.tags"], `builder,python,python${s},python-${s},rh-python${s}`);
    t.is(facts.labels["maintainer"], "SoftwareCollections.org <sclorg@redhat.com>");
  });
}

test("full rpm images: the rest of the install list, ENV, per-OS labels and steps agree with upstream", async (t) => {
  for (const up of UPSTREAM_DOCKERFILES.filter((u) => !u.key.includes("minimal"))) {
    const { facts, text, target } = await rendered(up.key, up.distro);
    const group = up.distro === "c10s" ? "c10s" : up.distro.startsWith("fedora") ? "fedora" : "el";
    t.deepEqual(facts.installPkgs.slice(up.pythonPkgs.length), UPSTREAM_BASE_PKGS[group], up.key + up.distro);
    for (const [k, v] of Object.entries(FULL_ENV)) if (v !== undefined) t.is(facts.env[k], v, `${up.key} ${up.distro} ENV ${k}`);
    const os = target.distro.os;
    const ubi = os === "rhel";
    t.is(facts.env["CNB_STACK_ID"], ubi ? `com.redhat.stacks.ubi${target.distro.release}-python-${target.version.shortVer}` : undefined);
    t.is(facts.labels["io.buildpacks.stack.id"], ubi ? facts.env["CNB_STACK_ID"] : undefined);
    t.is(facts.env["NAME"], os === "rhel" ? undefined : "python3");
    t.is(facts.labels["com.redhat.component"], os === "rhel" ? `python-${target.version.shortVer}-container` : "$NAME");
    t.is(text.includes("rpm -e --nodeps redhat-logos-httpd"), os === "rhel");
    t.is(text.includes("rpm-file-permissions"), os === "rhel");
    t.true(
      text.includes(os === "fedora" ? "dnf -y $ca --setopt=tsflags=nodocs install $INSTALL_PKGS" : "yum -y $ca --setopt=tsflags=nodocs install $INSTALL_PKGS"),
    );
    t.true(text.includes("rpm -V $INSTALL_PKGS"));
    t.true(text.includes(`python${target.version.version} -m venv \${APP_ROOT}`) || up.key === "3.6");
    t.true(text.includes('echo "unset BASH_ENV PROMPT_COMMAND ENV" >> ${APP_ROOT}/bin/activate'));
    t.is(facts.workdir, undefined, "the full template sets no WORKDIR (s2i-base does)");
  }
});

test("rhel8 enables the module streams; c10s 3.13 enables EPEL first; 3.6 uses virtualenv", async (t) => {
  t.true((await rendered("3.12", "rhel8")).text.includes("yum -y $ca module enable httpd:2.4 &&"));
  t.true((await rendered("3.6", "rhel8")).text.includes("yum -y $ca module enable python36:3.6 httpd:2.4 &&"));
  t.true((await rendered("3.8", "rhel8")).text.includes("yum -y $ca module enable python38:3.8 httpd:2.4 &&"));
  t.false((await rendered("3.12", "rhel9")).text.includes("module enable"));
  const c10s = (await rendered("3.13", "c10s")).text;
  t.true(c10s.indexOf("epel-release") > 0 && c10s.indexOf("epel-release") < c10s.indexOf("install $INSTALL_PKGS"));
  t.true((await rendered("3.13-minimal", "c10s")).text.includes("microdnf -y $ca install --setopt=install_weak_deps=0 epel-release"));
  t.false((await rendered("3.12", "c10s")).text.includes("epel"));
  t.true((await rendered("3.6", "rhel8")).text.includes("virtualenv-$PYTHON_VERSION ${APP_ROOT}"));
});

test("minimal rpm images: microdnf, the minimal package set, CNB env, WORKDIR and no entrypoint, as upstream", async (t) => {
  for (const up of UPSTREAM_DOCKERFILES.filter((u) => u.key.includes("minimal"))) {
    const { facts, text, target } = await rendered(up.key, up.distro);
    t.deepEqual(facts.installPkgs, [...up.pythonPkgs, "glibc-langpack-en", "findutils", "nss_wrapper-libs"]);
    t.true(text.includes("microdnf -y $ca --setopt=tsflags=nodocs --setopt=install_weak_deps=0 install $INSTALL_PKGS"));
    t.is(facts.workdir, "${HOME}");
    t.is(facts.entrypoint, undefined);
    t.is(facts.env["HOME"], "/opt/app-root/src");
    t.is(facts.env["APP_ROOT"], "/opt/app-root");
    t.is(facts.env["STI_SCRIPTS_PATH"], "/usr/libexec/s2i");
    t.is(facts.env["PATH"], "$APP_ROOT/bin:$HOME/bin:$HOME/.local/bin:$PATH");
    const el = target.distro.os === "fedora" ? "" : target.distro.release;
    t.is(facts.env["PLATFORM"], `el${el}`);
    t.is(facts.env["CNB_STACK_ID"], `com.redhat.stacks.ubi${el}-python-${target.version.shortVer}`);
    t.is(facts.labels["io.buildpacks.stack.id"], `com.redhat.stacks.ubi${el}-python-${target.version.shortVer}-minimal`);
    // Upstream's minimal images carry no scripts-url label (the s2i CLI falls back to its default
    // path); ours name the path, as the s2i CLI and OpenShift read it first.
    t.is(facts.labels["io.openshift.s2i.scripts-url"], "image:///usr/libexec/s2i");
    t.true(text.includes("rpm-file-permissions"));
  }
});

test("3.8-minimal is built on UBI 8 Micro, and its README says so", async (t) => {
  const { facts, text, get } = await rendered("3.8-minimal", "rhel8");
  t.is(facts.from.at(-1), "registry.access.redhat.com/ubi8/ubi-micro:latest");
  t.true(facts.from.includes("registry.access.redhat.com/ubi8/ubi:latest"), "a UBI builder stage installs the packages");
  t.true(text.includes("--installroot=/mnt/rootfs") && text.includes("COPY --from=builder /mnt/rootfs/ /"));
  t.true(text.includes("module enable python38:3.8"));
  t.deepEqual(facts.installPkgs, ["python38", "glibc-langpack-en", "findutils", "nss_wrapper-libs"]);
  t.false(text.includes("microdnf"), "UBI Micro has no microdnf");
  const readme = get("README.md")!.content;
  t.true(readme.includes("Universal Base Image 8 Micro"));
  t.false(readme.includes("CentOS Stream"));
  t.false(readme.includes("microdnf install"));
  const other = (await rendered("3.12-minimal", "c9s")).get("README.md")!.content;
  t.true(other.includes("CentOS Stream"));
  t.false(other.includes("Universal Base Image 8 Micro"));
});

test("Debian full images carry what s2i-core/s2i-base give the rpm ones", async (t) => {
  for (const [key, distro] of [
    ["3.11", "debian12"],
    ["3.13", "debian13"],
  ]) {
    const { facts, text, get } = await rendered(key, distro);
    const pkgs = facts.installPkgs;
    for (const p of ["python3", "python3-dev", "python3-venv", "gcc", "g++", "make", "apache2-dev", "nodejs", "npm", "locales", "libnss-wrapper"])
      t.true(pkgs.includes(p), `${key}: ${p}`);
    t.is(facts.env["STI_SCRIPTS_URL"], "image:///usr/libexec/s2i");
    t.is(facts.env["STI_SCRIPTS_PATH"], "/usr/libexec/s2i");
    t.is(facts.env["APP_ROOT"], "/opt/app-root");
    t.is(facts.env["HOME"], "/opt/app-root/src");
    t.is(facts.env["PLATFORM"], distro);
    t.is(facts.labels["io.openshift.s2i.scripts-url"], "image:///usr/libexec/s2i");
    t.is(facts.labels["name"], `sclorg/python-${key.replace(".", "")}-${distro}`);
    t.regex(text, /useradd --uid 1001 --gid 0 [\s\S]*"Default Application User" default/);
    t.true(text.includes("localedef --inputfile=en_US --charmap=UTF-8 en_US.UTF-8"));
    t.is(facts.workdir, "${HOME}");
    t.is(facts.entrypoint, '["container-entrypoint"]');
    t.is(facts.user, "1001");
    t.truthy(get("root/usr/bin/fix-permissions"));
    t.truthy(get("root/usr/bin/container-entrypoint"));
    t.is(get("root/usr/bin/rpm-file-permissions"), undefined);
  }
});

test("Debian minimal images: interpreter, venv, locale and nss_wrapper only; no compilers, headers or npm", async (t) => {
  for (const [key, distro] of [
    ["3.11-minimal", "debian12"],
    ["3.13-minimal", "debian13"],
  ]) {
    const { facts, text } = await rendered(key, distro);
    const v = key.replace("-minimal", "");
    t.deepEqual(facts.installPkgs, ["python3", "python3-venv", `libpython${v}`, "python3-gdbm", "ca-certificates", "locales", "libnss-wrapper", "findutils"]);
    for (const p of ["gcc", "npm", "nodejs", "python3-dev", "apache2-dev"]) t.false(facts.installPkgs.includes(p), p);
    t.true(text.includes("localedef"));
    t.true(text.includes(`python${v} -m venv \${APP_ROOT}`));
    t.is(facts.workdir, "${HOME}");
    t.is(facts.labels["name"], `sclorg/python-${v.replace(".", "")}-minimal-${distro}`);
    t.is(facts.labels["io.openshift.s2i.scripts-url"], "image:///usr/libexec/s2i");
  }
});

test("the minimal images' test Dockerfiles: uWSGI on the extended minimal image, mod_wsgi built on full and run on minimal", async (t) => {
  const deb = await rendered("3.11-minimal", "debian12");
  const uwsgi = deb.get("test/from-dockerfile/uwsgi.Dockerfile.debian12")!.content;
  t.true(uwsgi.includes("FROM ${MINIMAL_IMAGE}"));
  t.true(uwsgi.includes("apt-get install -y --no-install-recommends gcc libc6-dev python3.11-dev"));
  t.true(uwsgi.includes("RUN /usr/libexec/s2i/assemble"));
  const modwsgi = deb.get("test/from-dockerfile/mod_wsgi.Dockerfile.debian12")!.content;
  t.deepEqual(dockerfileFacts(modwsgi).from, ["${FULL_IMAGE}", "${MINIMAL_IMAGE}"]);
  t.true(modwsgi.includes("COPY --from=builder $APP_ROOT $APP_ROOT"));
  t.true(modwsgi.includes("apache2-bin"));
  const rpm = await rendered("3.12-minimal", "c9s");
  t.true(rpm.get("test/from-dockerfile/uwsgi.Dockerfile.c9s")!.content.includes('microdnf -y install gcc "pkgconfig(python-3.12)" which'));
  t.true(rpm.get("test/from-dockerfile/mod_wsgi.Dockerfile.c9s")!.content.includes("microdnf -y install httpd"));
});

test("every image's Dockerfile installs its interpreter and makes the virtual environment with it", async (t) => {
  const { spec, renderer } = await project();
  for (const target of spec.targets) {
    const name = `${target.version.key} on ${target.distro.id}`;
    const df = renderer.renderTarget(target).find((f) => f.path === `${target.version.key}/Dockerfile.${target.distro.dockerfile}`)!;
    const pkgs = dockerfileFacts(df.content).installPkgs;
    const v = target.version.version;
    const own = [`python${v}`, `python${v.replace(".", "")}`];
    t.true(pkgs.some((p) => own.includes(p)) || (pkgs.includes("python3") && target.distro.python3 === v), `${name} installs ${pkgs.slice(0, 5).join(" ")}`);
    t.true(df.content.includes(`RUN ${target.version.venv} \${APP_ROOT}`), `${name} makes its venv with ${target.version.venv}`);
    if (target.version.venv.startsWith("python")) t.is(target.version.venv, `python${v} -m venv`, name);
  }
});

test("every FROM of every rendered Dockerfile names its registry host, a build argument or a stage", async (t) => {
  const { spec, renderer } = await project();
  let seen = 0;
  for (const target of spec.targets) {
    for (const f of renderer.renderTarget(target).filter((x) => /Dockerfile/.test(x.path))) {
      const facts = dockerfileFacts(f.content);
      const stages = [...f.content.matchAll(/^FROM \S+ AS (\S+)$/gim)].map((m) => m[1]);
      for (const from of facts.from) {
        seen++;
        t.true(QUALIFIED_IMAGE.test(from) || /^\$\{[A-Z_]+\}$/.test(from) || stages.includes(from), `${f.path}: FROM ${from}`);
      }
    }
  }
  t.true(seen > 0);
});

test("the README's example Dockerfiles are the text the uWSGI and mod_wsgi checks run", async (t) => {
  const { spec, renderer } = await project();
  for (const target of spec.targets.filter((x) => x.version.minimal)) {
    const files = renderer.renderTarget(target);
    const readme = files.find((f) => f.path === `${target.version.key}/README.md`)!.content;
    for (const kind of ["uwsgi", "mod_wsgi"]) {
      const path = `${target.version.key}/test/from-dockerfile/${kind}.Dockerfile.${target.distro.dockerfile}`;
      const body = files.find((f) => f.path === path)!.content;
      // The test file is the example after its ARG header, with the images as build arguments.
      const example = body
        .slice(body.search(/^(# Part 1|FROM|# UBI)/m))
        .replaceAll("${MINIMAL_IMAGE}", `python-${target.version.shortVer}-minimal`)
        .replaceAll("${FULL_IMAGE}", `python-${target.version.shortVer}`)
        .trimEnd();
      t.true(example.split("\n").length > 5, path);
      t.true(readme.includes(example), `${path} is the README's example, word for word`);
    }
  }
});

test("every README renders with no unresolved placeholder", async (t) => {
  const { spec, renderer } = await project();
  for (const target of spec.targets) {
    const readme = renderer.renderTarget(target).find((f) => f.path === `${target.version.key}/README.md`)!;
    t.truthy(readme, target.version.key);
    t.notRegex(readme.content, /\{\{|\}\}|\{%|%\}|undefined|\[object Object\]/, `${target.version.key} on ${target.distro.id}`);
    t.true(readme.content.includes(`Python ${target.version.version}`));
    // Upstream's image where it publishes one, else the name publish gives under the user's repository.
    const defaultTarget = selectOne(spec, target.version.key);
    const pull = target.version.mainImage ?? `<repository>/${targetImageName(defaultTarget)}`;
    t.true(readme.content.includes(`podman pull ${pull}\n`), `${target.version.key}: podman pull ${pull}`);
    if (!target.version.mainImage) t.true(readme.content.includes(`dagger call publish --version ${target.version.key} --repository `), target.version.key);
  }
});

test("a minimal README shows the Debian way and the rpm way when its key is built on both", async (t) => {
  const readme = (await rendered("3.13-minimal", "debian13")).get("README.md")!.content;
  t.true(readme.includes('microdnf -y install gcc "pkgconfig(python-3.13)" which'));
  t.true(readme.includes("apt-get install -y --no-install-recommends gcc libc6-dev python3.13-dev"));
  t.true(readme.includes("on debian13: the Debian trixie slim image"));
  t.true(readme.includes("on c10s: the [official CentOS Stream base containers]"));
});

test("rendering is deterministic: the whole matrix twice gives the same bytes", async (t) => {
  const { spec, renderer } = await project();
  const a = renderTree(renderer, spec.targets);
  const b = renderTree(renderer, spec.targets);
  t.deepEqual(a, b);
  const again = await loadProject(new OverlaySource({}));
  t.deepEqual(renderTree(again.renderer, again.spec.targets), a);
});

test("a build context holds only that image's files: its Dockerfile and what it COPYs", async (t) => {
  const { spec, renderer } = await project();
  const ctx = renderer.buildContext(selectOne(spec, "3.8"));
  const paths = ctx.map((f) => f.path);
  t.true(paths.includes("3.8/Dockerfile.rhel8"));
  t.true(paths.every((p) => p.startsWith("3.8/")));
  t.false(paths.some((p) => p.endsWith("README.md") || p.includes("/test/")));
  t.true(paths.includes("3.8/s2i/bin/assemble"));
  t.is(ctx.find((f) => f.path === "3.8/s2i/bin/run")!.mode, 0o755);
});

test("a template syntax error names the template and its line", async (t) => {
  const bad = "FROM {{from}}\nRUN true\n{{#if minimal}\n";
  const e = await t.throwsAsync(loadProject(new OverlaySource({ "templates/dockerfile/minimal-deb.Dockerfile.hbs": bad })), { instanceOf: TemplateError });
  t.regex(e!.message, /^templates\/dockerfile\/minimal-deb\.Dockerfile\.hbs: Parse error on line 3:/);
});

test("a template naming a missing value fails at render time, naming the template and the value", async (t) => {
  const { spec } = await project();
  const p = await loadProject(new OverlaySource({ "templates/readme/full.md.hbs": "Python {{version}}\n{{no_such_value}}\n" }));
  const e = t.throws(() => p.renderer.renderTarget(selectOne(spec, "3.12")), { instanceOf: TemplateError });
  t.regex(e!.message, /^templates\/readme\/full\.md\.hbs: "no_such_value" not defined in .* - 2:2$/);
});

// shellcheck over the same scripts runs in a container: the module's lint function (test/engine/lint.test.ts).
test("rendered shell scripts of every target pass bash -n (sh -n for /bin/sh scripts)", async (t) => {
  const { spec, renderer } = await project();
  const dir = removeWhenDone(t, await mkdtemp(join(tmpdir(), "s2i-scripts-")));
  const seen = new Map<string, string>();
  for (const target of spec.targets) {
    for (const f of renderer.renderTarget(target)) {
      if (!/\/(s2i\/bin|root\/usr\/bin|root\/opt\/app-root\/etc)\//.test(f.path)) continue;
      if (!/^#!.*\b(ba)?sh\b/.test(f.content) && !f.path.endsWith("generate_container_user")) continue;
      seen.set(f.path, f.content);
    }
  }
  t.true(seen.size >= 20, `found ${seen.size} scripts`);
  for (const [path, content] of seen) {
    const file = join(dir, path.replaceAll("/", "__"));
    await writeFile(file, content);
    const shell = /^#!.*\bsh\b/.test(content) && !/bash/.test(content.split("\n")[0]) ? "sh" : "bash";
    await t.notThrowsAsync(run(shell, ["-n", file]), `${shell} -n ${path}`);
  }
});
