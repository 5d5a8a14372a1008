// The podman test library's pure parts (no podman needed): how the extra CA reaches assemble,
// exit-status parsing, CA bundle comparison, target/app selection from the environment, and
// the PEP 503 index the custom-index app installs from.
import test from "ava";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsSource } from "../ci/src/source.js";
import { loadSampleApps } from "../ci/src/spec/load.js";
import { s2iBuildSteps, stepsToDockerfile } from "../ci/src/verify/s2i-build.js";
import { renderedTestDockerfile, withExtraCaForAssemble } from "./containers/apps.js";
import { extraCaBundle, failedStepStatus, localTag, pemCertificates, readmeTag } from "./containers/images.js";
import { quote } from "./containers/podman.js";
import { servePackageIndex } from "./containers/pypi-index.js";
import { planFor, selectContainerTargets } from "./containers/suite.js";
import { project, projectRoot } from "./helpers/project.js";

const SECRET_RUN =
  'RUN --mount=type=secret,id=extra-ca,mode=0444 ["env","PIP_CERT=/run/secrets/extra-ca","REQUESTS_CA_BUNDLE=/run/secrets/extra-ca","NODE_EXTRA_CA_CERTS=/run/secrets/extra-ca","/usr/libexec/s2i/assemble"]';

test("stepsToDockerfile gives only the assemble step the CA secret, and only when asked", (t) => {
  const steps = s2iBuildSteps({ APP_HOME: "project" });
  const plain = stepsToDockerfile("img", steps);
  t.true(plain.includes('RUN ["/usr/libexec/s2i/assemble"]'));
  t.false(plain.includes("secret"));
  const withCa = stepsToDockerfile("img", steps, { extraCaSecret: "extra-ca" });
  t.deepEqual(withCa.split("\n").filter((l) => l.includes("secret")), [SECRET_RUN]);
  t.true(withCa.includes('RUN ["chown","-R","1001:0","/tmp/src"]'));
  t.false(/^ENV (PIP_CERT|REQUESTS_CA_BUNDLE|NODE_EXTRA_CA_CERTS)/m.test(withCa));
});

test("the rendered uWSGI and mod_wsgi test Dockerfiles: only their assemble lines get the CA secret", async (t) => {
  const { spec, renderer } = await project();
  for (const t3 of selectContainerTargets(spec, undefined).filter((x) => x.version.minimal)) {
    for (const name of ["uwsgi", "mod_wsgi"] as const) {
      const text = renderedTestDockerfile(renderer, t3, name);
      const out = withExtraCaForAssemble(text, "extra-ca");
      const changed = out.split("\n").filter((l, i) => l !== text.split("\n")[i]);
      t.deepEqual(changed, [SECRET_RUN], `${name} on ${t3.version.key}@${t3.distro.id}`);
    }
  }
  t.throws(() => withExtraCaForAssemble("FROM x\nRUN true\n", "extra-ca"), { message: /no `RUN \/usr\/libexec\/s2i\/assemble`/ });
});

test("the exit status of the failed build step is the last one podman printed", (t) => {
  const out = 'STEP 6/7: RUN ...\nERROR: Pipenv and micropipenv cannot be enabled at the same time!\nError: error building at STEP "RUN --mount=type=secret,id=extra-ca ...": exit status 3\n';
  t.is(failedStepStatus(out), 3);
  t.is(failedStepStatus("Successfully tagged x"), undefined);
});

test("CA bundles compare by certificate, not by formatting", (t) => {
  const a = "-----BEGIN CERTIFICATE-----\nAAAA\nBBBB\n-----END CERTIFICATE-----\n";
  const b = "# comment\n-----BEGIN CERTIFICATE-----\r\nAAAABBBB\r\n-----END CERTIFICATE-----";
  t.deepEqual([...pemCertificates(a)], [...pemCertificates(b)]);
  t.is(pemCertificates("").size, 0);
});

test("S2I_EXTRA_CA: none turns the extra CA off, a missing file is an error", async (t) => {
  t.is(extraCaBundle({ S2I_EXTRA_CA: "none" }), undefined);
  t.is(extraCaBundle({ S2I_EXTRA_CA: "" }), undefined);
  t.throws(() => extraCaBundle({ S2I_EXTRA_CA: "/nonexistent/ca.pem" }), { message: /no such file/ });
  const f = join(await mkdtemp(join(tmpdir(), "ca-")), "ca.pem");
  await writeFile(f, "x");
  t.is(extraCaBundle({ S2I_EXTRA_CA: f }), f);
});

test("tags: the local test tag and the README's short name", async (t) => {
  const { spec } = await project();
  const [m] = selectContainerTargets(spec, "3.11-minimal@debian12");
  t.is(localTag(m), "localhost/s2i-python/python-311-minimal-debian12:test");
  t.is(localTag(m, "broken-run"), "localhost/s2i-python/python-311-minimal-debian12-broken-run:test");
  t.is(readmeTag(m), "localhost/python-311-minimal:latest");
});

test("S2I_TARGETS and S2I_APPS pick the targets and apps; the default scope is full on debian12, smoke on debian13", async (t) => {
  const { spec } = await project();
  const apps = await loadSampleApps(new FsSource(projectRoot));
  const all = selectContainerTargets(spec, undefined);
  t.deepEqual(all.map((x) => `${x.version.key}@${x.distro.id}`).sort(), ["3.11-minimal@debian12", "3.11@debian12", "3.13-minimal@debian13", "3.13@debian13"]);
  t.deepEqual(selectContainerTargets(spec, "debian13,3.11").map((x) => `${x.version.key}@${x.distro.id}`).sort(), ["3.11@debian12", "3.13-minimal@debian13", "3.13@debian13"]);
  t.throws(() => selectContainerTargets(spec, "3.12@c9s"), { message: /names no Debian target/ });
  const plan = planFor(all, apps, {});
  const on = (id: string) => plan.filter((c) => c.target.distro.id === id);
  t.true(on("debian13").every((c) => c.app.smoke));
  t.true(on("debian12").some((c) => !c.app.smoke));
  t.is(planFor(all, apps, { S2I_APPS: "full" }).length, planFor(all, apps, { S2I_FULL_DISTROS: "debian12,debian13" }).length);
  t.deepEqual([...new Set(planFor(all, apps, { S2I_APPS: "locale" }).map((c) => c.app.name))], ["locale"]);
  t.throws(() => planFor(all, apps, { S2I_APPS: "no-such-app" }), { message: /unknown app/ });
});

test("the package index serves PEP 503 pages and the wheel", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "idx-"));
  const wheel = join(dir, "s2i_index_probe-1.0.0-py3-none-any.whl");
  await writeFile(wheel, "wheel bytes");
  const index = await servePackageIndex([wheel]);
  try {
    t.regex(index.url, /^http:\/\/127\.0\.0\.1:\d+\/simple\/$/);
    const root = await (await fetch(index.url)).text();
    t.true(root.includes('href="/simple/s2i-index-probe/"'));
    const page = await (await fetch(`${index.url}S2I_Index.Probe/`)).text();
    t.regex(page, /href="\/packages\/s2i_index_probe-1\.0\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/);
    const file = await fetch(new URL("/packages/s2i_index_probe-1.0.0-py3-none-any.whl", index.url));
    t.is(await file.text(), "wheel bytes");
    t.is((await fetch(`${index.url}other/`)).status, 404);
  } finally {
    await index.close();
  }
});

test("commands in error messages are quoted readably", (t) => {
  t.is(quote(["podman", "build", "-t", "a:b", "--build-arg", "X=a b"]), "podman build -t a:b --build-arg 'X=a b'");
});
