// Every image check's own judge, as the registry holds it (ci/src/verify/engine/checks.ts), on
// recorded observations: one the check must pass and one it must fail, saying so. The table is held
// to the registry, so an image check added later comes with its recorded inputs too. (The sample
// apps' judge has its own file, test/app-judges.test.ts; the engine-backed red/green table breaks
// each check for real, test/engine/red-green.test.ts.)
import test from "ava";
import { IMAGE_BUILD, IMAGE_CHECKS } from "../ci/src/verify/engine/checks.js";
import { passwdEntry } from "../ci/src/verify/uid-probes.js";
import { project } from "./helpers/project.js";
import { RECORDED_PROBE, recordedConfig } from "./helpers/recorded-image.js";

const { spec } = await project();
const target = spec.targets.find((x) => x.version.key === "3.11-minimal" && x.distro.id === "debian12")!;

const config = recordedConfig(target);
const probe = RECORDED_PROBE;
const ok = { code: 0, stdout: "", stderr: "" };
const etcPasswd = "root:x:0:0:root:/root:/bin/bash\n";
const home = "/opt/app-root/src";
const gcu = (arbitraryVars: string) => ({
  home,
  etcPasswd,
  arbitrary: { ...ok, stdout: `${arbitraryVars}\nhB\n`, appRoot: "/tmp/a", passwd: etcPasswd + passwdEntry(12345, home) },
  root: { ...ok, stdout: "P=unset G=unset L=unset leaked=0\nhB\n", appRoot: "/tmp/r", passwd: null },
  image: { ...ok, stdout: "P=unset G=unset L=unset leaked=0\nhB\n", appRoot: "/tmp/i", passwd: null },
});
const threads = "RecursionError at depth 995 (plain calls)\nRecursionError at depth 995 (through map)\n";

/** For each check: what it saw on a good image, what it saw on a broken one, and what its failure must say. */
const RECORDED: Record<string, { good: unknown; bad: unknown; says: RegExp }> = {
  "image build": { good: { built: true }, bad: { built: false, output: "segmentation fault", line: "exit code: 139", text: "log" }, says: /^exit code: 139$/ },
  "usage exits 0": {
    good: { code: 0, out: "This is a S2I python-3.11-minimal source-to-image (s2i) builder image" },
    bad: { code: 0, out: "hello" },
    says: /^exit 0$/,
  },
  "python --version": { good: { out: "Python 3.11.2\n", env: "3.11" }, bad: { out: "Python 3.10.9\n", env: "3.11" }, says: /got "Python 3\.10\.9"/ },
  "runs on its platform": {
    good: { platform: "linux/amd64", out: "x86_64\n62\n" },
    bad: { platform: "linux/amd64", out: "aarch64\n183\n" },
    says: /uname -m aarch64/,
  },
  "no extra CA in the image": {
    good: { env: {}, probe: "@@files\n@@distro\n@@bundle\n", bundle: "" },
    bad: { env: { PIP_CERT: "/run/x.pem" }, probe: "@@files\n@@distro\n@@bundle\n", bundle: "" },
    says: /PIP_CERT=\/run\/x\.pem/,
  },
  "image config: USER is 1001": { good: config, bad: { ...config, user: "root" }, says: /root/ },
  "image config: WORKDIR and EXPOSE 8080": { good: config, bad: { ...config, workdir: "/tmp" }, says: /WORKDIR is "\/tmp"/ },
  "image config: labels name this image and its Python": {
    good: config,
    bad: { ...config, labels: { ...config.labels, "io.openshift.s2i.scripts-url": "image:///usr/local/s2i" } },
    says: /scripts-url="image:\/\/\/usr\/local\/s2i"/,
  },
  "image config: PYTHON_VERSION, PATH and APP_ROOT match the interpreter": {
    good: { config, probe },
    bad: { config, probe: { ...probe, version: "3.12.1" } },
    says: /python on PATH is 3\.12\.1/,
  },
  "docker-library: python imports": {
    good: { code: 0, out: "imports ok\n" },
    bad: { code: 1, out: "ModuleNotFoundError: No module named '_curses'\n" },
    says: /_curses/,
  },
  "docker-library: no stray bytecode": { good: "", bad: "/usr/local/lib/x.pyc\n", says: /x\.pyc/ },
  "docker-library: pip and requests over TLS": {
    good: { code: 0, out: "requests over TLS: 200\n" },
    bad: { code: 1, out: "SSLError\n" },
    says: /^exit 1: SSLError$/,
  },
  "docker-library: sqlite3": { good: { code: 0, out: "sqlite 3.40.1\n" }, bad: { code: 1, out: "AssertionError\n" }, says: /^exit 1/ },
  "docker-library: thread stack size": {
    good: { code: 0, out: threads },
    bad: { code: 0, out: "RecursionError at depth 995 (plain calls)\n" },
    says: /^exit 0/,
  },
  "docker-library: UTC": { good: "UTC", bad: "CET", says: /^CET$/ },
  "docker-library: override CMD": { good: { word: "hello-1", out: "hello-1\n" }, bad: { word: "hello-1", out: "usage\n" }, says: /usage/ },
  "docker-library: no hard-coded passwords": { good: "@users 12\n", bad: "root has a password hash\n@users 12\n", says: /root has a password hash/ },
  "fix-permissions as root: group 0, g+rw, links untouched": {
    good: { ...ok, modes: ["0770:0", "0770:0", "0660:0", "0770:0", "0670:0"], outside: "0600:1234" },
    bad: { ...ok, modes: ["0770:0", "0770:0", "0660:0", "0770:0", "0670:0"], outside: "0660:0" },
    says: /the file behind the link/,
  },
  "fix-permissions as uid 12345: only its own files": {
    good: { ...ok, mine: "0660", theirs: "0600" },
    bad: { ...ok, mine: "0600", theirs: "0600" },
    says: /its own file 0600/,
  },
  "generate_container_user: a passwd entry for uid 12345 only": {
    good: gcu("P=/tmp/a/etc/passwd G=/etc/group L=libnss_wrapper.so leaked=0"),
    bad: gcu("P=/tmp/a/etc/passwd G=unset L=libnss_wrapper.so leaked=0"),
    says: /G=unset/,
  },
  "run as uid 12345: a user name before the app starts": {
    good: {
      ...ok,
      stdout: `---> Running application from script (app.sh) ...\n12345 /opt/app-root/etc/passwd\n${passwdEntry(12345, home)}`,
      home,
      appRoot: "/opt/app-root",
    },
    bad: { ...ok, code: 1, home, appRoot: "/opt/app-root" },
    says: /^exit 1/,
  },
};

test("every image check has recorded inputs, and none are kept for a check the registry lacks", (t) => {
  const names = [IMAGE_BUILD, ...IMAGE_CHECKS].map((c) => c.name);
  t.deepEqual(
    names.filter((n) => !(n in RECORDED)),
    [],
  );
  t.deepEqual(
    Object.keys(RECORDED).filter((n) => !names.includes(n)),
    [],
  );
});

for (const entry of [IMAGE_BUILD, ...IMAGE_CHECKS]) {
  test(`${entry.name}: its judge passes the good recording and fails the broken one, saying why`, (t) => {
    const r = RECORDED[entry.name];
    if (!r) return t.fail("no recorded inputs");
    t.deepEqual(entry.judge(r.good, target).outcome, "pass");
    const bad = entry.judge(r.bad, target);
    t.is(bad.outcome, "fail");
    t.regex(bad.got ?? "", r.says);
    t.truthy(bad.expected);
  });
}
