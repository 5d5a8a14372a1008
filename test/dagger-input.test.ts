// Bad input is rejected with one line naming the valid choices, before any container exists.
import test from "ava";
import { withoutStrings } from "./helpers/fake-engine.js";
import { fakeSession } from "./helpers/dagger-session.js";

const s = await fakeSession();
test.after.always(() => s.engine.close());
test.beforeEach(() => s.engine.reset());

/** A module instance whose project (specs, templates, table) is already read, then a clean record. */
async function warmModule() {
  const mod = s.module();
  await s.session(() => mod.matrix());
  s.engine.reset();
  return mod;
}

const cases: [string, (m: Awaited<ReturnType<typeof warmModule>>) => Promise<unknown>, RegExp][] = [
  ["unknown version", (m) => m.build("9.9"), /^unknown version "9\.9"; valid versions: 3\.6, 3\.8, .*3\.14-minimal$/],
  ["unknown distro", (m) => m.build("3.12", "plan9"), /^unknown distro "plan9"; valid distros: .*c9s.*$/],
  ["pair not in the matrix", (m) => m.test("3.11", "c9s"), /^version 3\.11 is not built on c9s; its distros: debian12$/],
  ["unknown app", (m) => m.test("3.12", "c9s", undefined, false, ["app-home", "nope"]), /^unknown app "nope"; valid apps: app-home, .*$/],
  [
    "app not for this image",
    (m) => m.test("3.12-minimal", "c9s", undefined, false, ["mod-wsgi"]),
    /^none of the apps mod-wsgi applies to 3\.12-minimal on c9s/,
  ],
  ["matrix: unknown version", (m) => m.testMatrix(["3.99"]), /^unknown version "3\.99"; valid versions: /],
  ["matrix: bad concurrency", (m) => m.testMatrix([], [], 0), /^--concurrency must be a whole number of at least 1, got 0$/],
  ["publish: unknown distro", (m) => m.publish("3.12", "quay.io/me", "win95"), /^unknown distro "win95"/],
  ["publish: no namespace", (m) => m.publish("3.12", "quay.io"), /^--repository "quay\.io" is not a registry and namespace such as quay\.io\/myorg/],
  ["publish: a user without a password", (m) => m.publish("3.12", "quay.io/me", "c9s", undefined, "bot"), /^--username and --password go together/],
  ["publish: a bad tag", (m) => m.publish("3.12", "quay.io/me", "c9s", undefined, undefined, undefined, ["-x"]), /^invalid tag "-x"/],
  [
    "build: subscription for a Debian target",
    (m) => m.build("3.11", "debian12", undefined, s.sdk.dag.directory()),
    /^--subscription is for the RHEL targets; 3\.11 on debian12 is not one$/,
  ],
  [
    "build: apt mirror for an RPM target",
    (m) => m.build("3.12", "c9s", undefined, undefined, "https://deb.debian.org"),
    /^--apt-mirror is for the Debian targets; 3\.12 on c9s is not one$/,
  ],
  [
    "build: a platform the base images do not offer",
    (m) => m.build("3.11", "debian12", undefined, undefined, undefined, "linux/riscv64" as never),
    /^--platform linux\/riscv64: the base images of 3\.11 on debian12 are published for linux\/amd64, linux\/arm64, /,
  ],
  [
    "publish: a platform twice",
    (m) =>
      m.publish("3.11", "127.0.0.1:5000/x", "debian12", undefined, undefined, undefined, [], undefined, undefined, undefined, undefined, false, [
        "linux/arm64",
        "linux/arm64",
      ] as never),
    /^--platforms names a platform twice/,
  ],
  [
    "test: apt mirror that is not a URL",
    (m) => m.test("3.11", "debian12", undefined, false, [], true, undefined, "deb.debian.org"),
    /^--apt-mirror "deb\.debian\.org" is not an http:\/\/ or https:\/\/ URL/,
  ],
];

for (const [name, call, message] of cases) {
  test.serial(`${name}: one-line UsageError and no query at all`, async (t) => {
    const mod = await warmModule();
    const err = await t.throwsAsync(s.session(() => call(mod)));
    t.is(err!.name, "UsageError");
    t.regex(err!.message, message);
    t.false(err!.message.includes("\n"), "one line");
    t.deepEqual(s.engine.queries, [], "zero recorded requests");
  });
}

test.serial("on a cold instance bad input only reads the spec files: no build, no container", async (t) => {
  const err = await t.throwsAsync(s.session(() => s.module().build("9.9")));
  t.is(err!.name, "UsageError");
  t.true(s.engine.queries.length > 0, "the specs and templates are read from the source directory");
  for (const q of s.engine.queries) {
    t.true(/^\{\s*host\s*\{\s*directory/.test(q), q.slice(0, 120));
    t.false(/\b(container|dockerBuild|withExec|withNewFile)\b/.test(withoutStrings(q)), q.slice(0, 120));
  }
});
