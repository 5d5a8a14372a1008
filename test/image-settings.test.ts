// The image's own settings (ci/src/verify/image-settings.ts) on recorded configurations: USER 1001,
// WORKDIR and EXPOSE, the labels naming the image and its Python, PYTHON_VERSION/PATH/APP_ROOT
// against the interpreter, `python --version` against both; and how the s2i CLI reads a builder
// image (ci/src/verify/s2i-steps.ts): the assemble user and the scripts from its labels.
import test from "ava";
import { imageName } from "../ci/src/spec/image.js";
import * as settings from "../ci/src/verify/image-settings.js";
import { s2iBuildSteps, s2iSettings } from "../ci/src/verify/s2i-steps.js";
import { project } from "./helpers/project.js";
import { RECORDED_PROBE, recordedConfig } from "./helpers/recorded-image.js";

const { spec } = await project();
const target = spec.targets.find((x) => x.version.key === "3.11-minimal" && x.distro.id === "debian12")!;
const fedoraFull = spec.targets.find((x) => x.distro.os === "fedora" && !x.version.minimal)!;

/** What the 3.11-minimal image on debian12 reports. */
const config = recordedConfig(target);
const probe = RECORDED_PROBE;

test("USER: 1001 (or 1001:0) passes; root, by uid, name or nothing, and another user fail", (t) => {
  t.is(settings.judgeImageUser(config).outcome, "pass");
  t.is(settings.judgeImageUser({ ...config, user: "1001:0" }).outcome, "pass");
  t.is(settings.judgeImageUser({ ...config, user: "0" }).got, 'USER is "0": root');
  t.is(settings.judgeImageUser({ ...config, user: "root" }).got, 'USER is "root": root');
  t.is(settings.judgeImageUser({ ...config, user: "" }).got, 'USER is "": root');
  t.is(settings.judgeImageUser({ ...config, user: "1002" }).got, 'USER is "1002"');
});

test("WORKDIR is HOME, EXPOSE 8080/tcp; another folder, a missing port or only another one fail", (t) => {
  t.is(settings.judgeWorkdirAndPort(config).outcome, "pass");
  t.is(settings.judgeWorkdirAndPort({ ...config, workdir: "/" }).got, 'WORKDIR is "/"');
  t.is(settings.judgeWorkdirAndPort({ ...config, exposedPorts: [] }).got, "the exposed ports are none");
  t.is(settings.judgeWorkdirAndPort({ ...config, exposedPorts: [{ port: 8080, protocol: "UDP" }] }).got, "the exposed ports are 8080/udp");
});

test("labels: the spec's name and version, the s2i scripts URL, a builder of this Python; a wrong one fails naming it", (t) => {
  t.is(settings.judgeLabels(config, target).outcome, "pass");
  t.is(settings.expectedLabels(target).name, "sclorg/python-311-minimal-debian12");
  t.is(settings.expectedLabels(fedoraFull).name, imageName(fedoraFull), "Fedora's $NAME as the build expands it");
  t.is(settings.judgeLabels({ ...config, labels: { ...config.labels, name: "sclorg/python-311-debian12" } }, target).got, 'name="sclorg/python-311-debian12"');
  t.is(
    settings.judgeLabels({ ...config, labels: { ...config.labels, "io.k8s.display-name": "Python 3.12" } }, target).got,
    'io.k8s.display-name="Python 3.12"',
  );
  const noScripts = { ...config.labels };
  delete noScripts["io.openshift.s2i.scripts-url"];
  t.is(settings.judgeLabels({ ...config, labels: noScripts }, target).got, 'io.openshift.s2i.scripts-url="unset"');
  t.is(
    settings.judgeLabels({ ...config, labels: { ...config.labels, "io.openshift.tags": "python" } }, target).got,
    "io.openshift.tags lacks builder; io.openshift.tags lacks python-311",
  );
  t.regex(settings.judgeLabels({ ...config, labels: { ...config.labels, summary: "Python 3.1 " } }, target).got!, /^summary=/);
});

test("the environment: PYTHON_VERSION off by one, APP_ROOT elsewhere, the system python or pip first on PATH each fail", (t) => {
  t.is(settings.judgeImageEnvironment(config, probe, target).outcome, "pass");
  const off = settings.judgeImageEnvironment({ ...config, env: { ...config.env, PYTHON_VERSION: "3.12" } }, probe, target);
  t.is(off.got, 'PYTHON_VERSION="3.12"; python on PATH is 3.11.2, PYTHON_VERSION says 3.12');
  t.regex(settings.judgeImageEnvironment({ ...config, env: { ...config.env, APP_ROOT: "/srv" } }, probe, target).got!, /^APP_ROOT="\/srv"$/);
  t.is(
    settings.judgeImageEnvironment(config, { ...probe, prefix: "/usr", python: "/usr/bin/python" }, target).got,
    "python on PATH runs in /usr (base /usr), not the virtual environment /opt/app-root; PATH finds python at /usr/bin/python",
  );
  t.is(settings.judgeImageEnvironment(config, { ...probe, pip: null }, target).got, "PATH finds pip at nowhere");
});

test("python --version: the spec's Python and the image's PYTHON_VERSION; off by one either way fails", (t) => {
  t.is(settings.judgePythonVersion("3.11", "Python 3.11.2\n", "3.11").outcome, "pass");
  t.is(settings.judgePythonVersion("3.11", "Python 3.12.1\n", "3.11").got, 'expected "Python 3.11.x", got "Python 3.12.1"');
  t.is(settings.judgePythonVersion("3.11", "Python 3.11.2\n", "3.12").got, `the image's PYTHON_VERSION is "3.12"`);
  t.is(settings.judgePythonVersion("3.11", "Python 3.11.2\n", undefined).got, `the image's PYTHON_VERSION is "unset"`);
});

test("the s2i CLI's reading: the image's USER (or the assemble-user label) runs assemble from the scripts-url label's path", (t) => {
  t.deepEqual(s2iSettings(config), { assembleUser: "1001", scriptsDir: "/usr/libexec/s2i", sourceDir: "/tmp/src", artifactsDir: "/tmp/artifacts" });
  const other = { user: "default", labels: { "io.openshift.s2i.scripts-url": "image:///opt/s2i/", "io.openshift.s2i.destination": "/srv" }, env: {} };
  t.deepEqual(s2iSettings(other), { assembleUser: "default", scriptsDir: "/opt/s2i", sourceDir: "/srv/src", artifactsDir: "/srv/artifacts" });
  t.is(s2iSettings({ ...other, labels: { "io.openshift.s2i.assemble-user": "1002" } }).assembleUser, "1002");
  t.is(s2iSettings({ user: "", labels: {}, env: { STI_SCRIPTS_URL: "image:///usr/local/s2i" } }).scriptsDir, "/usr/local/s2i", "the variable, deprecated");
  t.is(s2iSettings({ user: "", labels: { "io.s2i.scripts-url": "image:///x" }, env: {} }).scriptsDir, "/x", "the deprecated label");
  t.deepEqual(
    s2iSettings({ user: "", labels: {}, env: {} }),
    { assembleUser: "0", scriptsDir: "/usr/libexec/s2i", sourceDir: "/tmp/src", artifactsDir: "/tmp/artifacts" },
    "s2i's defaults",
  );
  t.throws(() => s2iSettings({ user: "", labels: { "io.openshift.s2i.scripts-url": "https://example.test/s2i" }, env: {} }), {
    message: /not an image:\/\/ path/,
  });
  const steps = s2iBuildSteps({ B: "2", A: "1" }, s2iSettings({ ...config, user: "0" }));
  t.deepEqual(steps, [
    { op: "user", user: "0" },
    { op: "copySources", dest: "/tmp/src", owner: "0:0" },
    { op: "env", name: "A", value: "1" },
    { op: "env", name: "B", value: "2" },
    { op: "user", user: "0" },
    { op: "run", args: ["/usr/libexec/s2i/assemble"], assemble: true },
    { op: "cmd", args: ["/usr/libexec/s2i/run"] },
  ]);
  // An incremental build: the previous image's artifacts, extracted by the assemble user just before assemble.
  const again = s2iBuildSteps({}, s2iSettings(other), { incremental: true });
  t.deepEqual(again.slice(-4), [
    { op: "user", user: "default" },
    { op: "artifacts", dest: "/srv/artifacts" },
    { op: "run", args: ["/opt/s2i/assemble"], assemble: true },
    { op: "cmd", args: ["/opt/s2i/run"] },
  ]);
  t.false(
    steps.some((s) => s.op === "artifacts"),
    "a plain build gets no artifacts",
  );
});
