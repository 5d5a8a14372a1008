// The module's test function against the fake engine: what it builds, binds and probes,
// how it judges the answers, and how it fails.
import test from "ava";
import { selectOne } from "../ci/src/spec/select.js";
import { planChecks, RUN_VARIANTS } from "../ci/src/verify/plan.js";
import { execError, stringArgs, withoutStrings } from "./helpers/fake-engine.js";
import { fakeSession, healthyAnswers, probedApp } from "./helpers/dagger-session.js";
import { project } from "./helpers/project.js";

const s = await fakeSession();
test.after.always(() => s.engine.close());
test.beforeEach(() => s.engine.reset());

/** The probe queries (their leaf is stdout), with every id expanded to the chain behind it. */
const probes = () => s.engine.queries.filter((q) => probedApp(q) && /\bstdout\s*(\}\s*)+$/.test(withoutStrings(q))).map((q) => s.engine.expand(q));

test.serial("test 3.11 on debian12 probes every planned app, each run variant, through a service binding", async (t) => {
  const { spec } = await project();
  const planned = planChecks(selectOne(spec, "3.11", "debian12"), s.apps);
  const serving = planned.filter((c) => c.app.expect === "serve").map((c) => c.app.name);
  t.true(serving.length > 5);
  s.engine.answer = healthyAnswers(s.engine, s.apps);
  const report = await s.session(async () => {
    const dir = await s.module().test("3.11", "debian12");
    return JSON.parse(await dir.file("results.json").contents());
  });
  const seen = probes().map((q) => probedApp(q)!);
  for (const app of serving) {
    t.deepEqual(seen.filter((p) => p.app === app).map((p) => p.variant).sort(), RUN_VARIANTS.map((v) => v.name).sort(), app);
  }
  // Each probe binds, as "app", a service made of the app container: port exposed, run with the entrypoint.
  const services = probes();
  t.is(services.length, serving.length * RUN_VARIANTS.length);
  t.true(services.every((q) => /withServiceBinding \(alias: "app",service:  <</.test(q)), "bound as app");
  t.true(services.every((q) => /asService \(args: \["\/usr\/libexec\/s2i\/run"\],useEntrypoint: true\)/.test(q)));
  t.true(services.every((q) => /withExposedPort \(port: 80[0-9]{2}\)/.test(q)));
  // Only the app's port is health-checked: the image's EXPOSE 8080 is dropped for apps on
  // another port (else the service would wait for 8080 until the engine gives up).
  for (const q of services) {
    const app = s.apps.find((a) => a.name === probedApp(q)!.app)!;
    const service = new RegExp(`(withoutExposedPort \\(port: 8080\\)\\s*\\{?\\s*)?withExposedPort \\(port: ${app.port}\\)\\s*\\{?\\s*asService \\(args: \\["/usr/libexec/s2i/run"\\]`).exec(q);
    t.truthy(service, `${app.name}: the service exposes ${app.port}`);
    t.is(service?.[1] !== undefined, app.port !== 8080, `${app.name} on ${app.port}: 8080 ${service?.[1] ? "dropped" : "kept"}`);
  }
  t.true(services.some((q) => /withoutExposedPort \(port: 8080\)/.test(q)), "some app serves on another port");
  t.true(services.every((q) => q.includes('withExec (args: ["python3","-c",')), "the probe runs Python's urllib");
  t.true(services.every((q) => q.includes('withExec (args: ["/usr/libexec/s2i/assemble"])')), "assemble ran before the service starts");
  t.true(services.some((q) => q.includes('withUser (name: "12345")')));
  t.true(services.some((q) => /withEnvVariable \(name: "ENABLE_INIT_WRAPPER",value: "true"\)/.test(q)));
  // The expected build failure and the image checks.
  t.true(s.engine.queries.some((q) => /expect: ANY/.test(q) && s.engine.expand(q).includes('"test/apps/pipenv-and-micropipenv-should-fail"')));
  t.is(report.summary.failed, 0, JSON.stringify(report.results.filter((r: { outcome: string }) => r.outcome !== "pass")));
  t.is(report.summary.total, planned.length + 2);
  t.true(report.results.some((r: { name: string }) => r.name === "python --version"));
});

test.serial("a wrong answer fails test with the app, image, expectation and what came back", async (t) => {
  const healthy = healthyAnswers(s.engine, s.apps);
  s.engine.answer = (q, leaf) => {
    const p = probedApp(q);
    if (p?.app === "app-home" && p.variant === "uid 12345" && leaf === "stdout") return { value: JSON.stringify({ status: 500, body: "Internal Server Error" }) };
    if (leaf === "combinedOutput" && q.includes('"timeout"')) return { value: "Traceback: boom in app-home\n" };
    return healthy(q, leaf);
  };
  const err = await t.throwsAsync(s.session(() => s.module().test("3.11", "debian12", undefined, true)));
  t.regex(err!.message, /1 of \d+ checks failed/);
  t.regex(err!.message, /app-home on 3\.11 on debian12: expected HTTP 200 .*got uid 12345: expected HTTP 200, got 500/);
  t.regex(err!.message, /Traceback: boom in app-home/);
});

test.serial("with --fail-on-error=false the report comes back and holds the failure", async (t) => {
  const healthy = healthyAnswers(s.engine, s.apps);
  s.engine.answer = (q, leaf) => {
    const p = probedApp(q);
    if (p?.app === "django" && leaf === "stdout") return { error: execError(["python3", "-c", "..."], "service app: health check failed") };
    return healthy(q, leaf);
  };
  const report = await s.session(async () => {
    const dir = await s.module().test("3.11", "debian12", undefined, true, [], false);
    return JSON.parse(await dir.file("results.json").contents());
  });
  const django = report.results.find((r: { name: string }) => r.name === "django");
  t.is(django.outcome, "fail");
  t.regex(django.got, /health check failed/);
  t.is(report.summary.failed, 1);
});

test.serial("minimal images run the rendered uwsgi and mod_wsgi Dockerfiles with the built images as MINIMAL_IMAGE/FULL_IMAGE", async (t) => {
  s.engine.answer = healthyAnswers(s.engine, s.apps);
  const report = await s.session(async () => {
    const dir = await s.module().test("3.12-minimal", "c9s", undefined, false, ["uwsgi-minimal", "mod-wsgi-multistage"]);
    return JSON.parse(await dir.file("results.json").contents());
  });
  const uwsgi = probes().filter((q) => probedApp(q)!.app === "uwsgi-minimal");
  const modWsgi = probes().filter((q) => probedApp(q)!.app === "mod-wsgi-multistage");
  t.is(uwsgi.length, RUN_VARIANTS.length);
  t.is(modWsgi.length, RUN_VARIANTS.length);
  // uwsgi: the minimal image under test, plus the Dockerfile's RUN lines, as container calls.
  t.true(uwsgi.every((q) => stringArgs(q, "dockerfile").includes("3.12-minimal/Dockerfile.c9s")));
  t.true(uwsgi.every((q) => q.includes('microdnf -y install gcc \\"pkgconfig(python-3.12)\\" which')));
  t.true(uwsgi.every((q) => q.includes('withExec (args: ["/bin/sh","-c","/usr/libexec/s2i/assemble"])')));
  // mod_wsgi: assemble on the full 3.12 c9s image, then COPY --from=builder into the minimal one.
  t.true(modWsgi.every((q) => stringArgs(q, "dockerfile").includes("3.12/Dockerfile.c9s")));
  t.true(modWsgi.every((q) => /directory \(path: "\$APP_ROOT",expand: true\)/.test(q)));
  t.true(modWsgi.every((q) => q.includes("microdnf -y install httpd")));
  t.is(report.summary.failed, 0);
  t.is(report.summary.passed, 4);
});

test.serial("with --extra-ca the Dockerfile flows' RUN lines trust the CA while they run, and the app image keeps none of it", async (t) => {
  s.engine.answer = healthyAnswers(s.engine, s.apps);
  await s.session(async () => {
    const ca = s.sdk.dag.directory().withNewFile("ca.pem", "-----BEGIN CERTIFICATE-----\nfake\n").file("ca.pem");
    await s.module().test("3.11-minimal", "debian12", ca, false, ["uwsgi-minimal", "mod-wsgi-multistage"]);
  });
  const flows = probes().filter((q) => ["uwsgi-minimal", "mod-wsgi-multistage"].includes(probedApp(q)!.app));
  t.is(flows.length, 2 * RUN_VARIANTS.length);
  // assemble (a Dockerfile RUN) runs with the CA mounted and named by PIP_CERT...
  const assembleWithCa =
    /withMountedFile \(path: "\/run\/s2i-extra-ca\/ca\.pem",source: .*?,owner: "1001:0"\)[\s{]*withEnvVariable \(name: "PIP_CERT",value: "\/run\/s2i-extra-ca\/ca\.pem"\)[\s{]*withEnvVariable \(name: "REQUESTS_CA_BUNDLE"[^)]*\)[\s{]*withEnvVariable \(name: "NODE_EXTRA_CA_CERTS"[^)]*\)[\s{]*withExec \(args: \["\/bin\/sh","-c","\/usr\/libexec\/s2i\/assemble"\]\)/;
  t.true(flows.every((q) => assembleWithCa.test(q)), "assemble trusts the CA");
  // ...and every mount is dropped again right after its command: nothing of it reaches the app image.
  const count = (q: string, re: RegExp) => [...q.matchAll(re)].length;
  for (const q of flows) {
    const mounts = count(q, /withMountedFile \(path: "\/run\/s2i-extra-ca\/ca\.pem"/g);
    t.true(mounts > 0);
    t.is(count(q, /withoutMount \(path: "\/run\/s2i-extra-ca\/ca\.pem"\)/g), mounts, "the CA is gone from the app image");
    t.is(count(q, /withoutEnvVariable \(name: "PIP_CERT"\)/g), mounts);
  }
});

test.serial("the mod_wsgi flow is skipped, with the reason, when the matrix has no full sibling", async (t) => {
  s.engine.answer = healthyAnswers(s.engine, s.apps);
  const report = await s.session(async () => {
    const dir = await s.module().test("3.14-minimal", "c10s", undefined, false, ["mod-wsgi-multistage"]);
    return JSON.parse(await dir.file("results.json").contents());
  });
  const r = report.results.find((x: { name: string }) => x.name === "mod-wsgi-multistage");
  t.is(r.outcome, "skip");
  t.regex(r.reason, /full image 3\.14 on c10s, which specs\/matrix\.yml does not build/);
});

test.serial("the custom-index app gets the test's package index as PIP_INDEX_URL and a bound pypi service", async (t) => {
  s.engine.answer = healthyAnswers(s.engine, s.apps);
  await s.session(async () => {
    await s.module().test("3.11", "debian12", undefined, false, ["standalone-custom-pypi-index"]);
  });
  const q = probes().find((x) => probedApp(x)!.app === "standalone-custom-pypi-index")!;
  t.true(/withEnvVariable \(name: "PIP_INDEX_URL",value: "http:\/\/pypi:8000\/simple\/"\)/.test(q));
  const pypi = s.engine.queries.map((x) => s.engine.expand(x)).find((x) => x.includes('"http.server"'));
  t.truthy(pypi, "the index service was created");
  t.true(pypi!.includes('"test/apps/standalone-custom-pypi-index-pkg"'));
  t.true(/withoutExposedPort \(port: 8080\)\s*\{?\s*withExposedPort \(port: 8000\)/.test(pypi!), "the index is health-checked on 8000 only");
});
