// The module's build and generate functions, against the fake engine (no Dagger engine needed).
import test from "ava";
import { selectOne } from "../ci/src/spec/select.js";
import { stringArgs, withoutStrings } from "./helpers/fake-engine.js";
import { fakeSession } from "./helpers/dagger-session.js";
import { project } from "./helpers/project.js";

const s = await fakeSession();
test.after.always(() => s.engine.close());
test.beforeEach(() => s.engine.reset());

test.serial("build 3.8 sends one dockerBuild of 3.8/Dockerfile.rhel8 from only 3.8's build context", async (t) => {
  const { spec, renderer } = await project();
  const want = renderer.buildContext(selectOne(spec, "3.8")).map((f) => f.path).sort();
  await s.session(async () => {
    const ctr = await s.module().build("3.8");
    await ctr.id();
  });
  const builds = s.engine.queries.filter((q) => q.includes("dockerBuild"));
  t.is(builds.length, 1);
  t.deepEqual(stringArgs(builds[0], "dockerfile"), ["3.8/Dockerfile.rhel8"]);
  // The context directory is built in the same chain: dag.directory().withNewFile(...)...
  t.true(/^\{\s*directory\s*\{\s*withNewFile/.test(builds[0]), "the context is a fresh directory");
  const paths = [...builds[0].matchAll(/withNewFile \(path: ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string).sort();
  t.deepEqual(paths, want);
  t.true(paths.includes("3.8/Dockerfile.rhel8"));
  t.true(paths.every((p) => p.startsWith("3.8/")), "no other version's files");
  t.false(paths.some((p) => p.endsWith("README.md") || p.includes("/test/")), "no README or test files");
  t.false(s.engine.queries.some((q) => /\b(container|withExec)\b/.test(withoutStrings(q))), "no container besides the build");
});

test.serial("build passes the modes of executable files and the distro's Dockerfile", async (t) => {
  await s.session(async () => {
    await (await s.module().build("3.12-minimal", "c9s")).id();
  });
  const q = s.engine.queries.find((x) => x.includes("dockerBuild"))!;
  t.deepEqual(stringArgs(q, "dockerfile"), ["3.12-minimal/Dockerfile.c9s"]);
  t.true(/withNewFile \(path: "3\.12-minimal\/s2i\/bin\/assemble",contents: "(?:[^"\\]|\\.)*",permissions: 493\)/.test(q), "assemble is executable (0755)");
  t.false(q.includes('"3.12-minimal/Dockerfile.rhel8"'), "only the c9s Dockerfile");
});

test.serial("build with --extra-ca hands the CA to dockerBuild as the secret extra-ca, not as a file", async (t) => {
  await s.session(async () => {
    const ca = s.sdk.dag.directory().withNewFile("ca.pem", "-----BEGIN CERTIFICATE-----\nfake\n").file("ca.pem");
    await (await s.module().build("3.11", undefined, ca)).id();
  });
  const secret = s.engine.queries.find((q) => q.includes("setSecret"));
  t.truthy(secret);
  t.deepEqual(stringArgs(secret!, "name"), ["extra-ca"]);
  const build = s.engine.queries.find((q) => q.includes("dockerBuild"))!;
  t.true(/dockerBuild \(dockerfile: "3\.11\/Dockerfile\.debian12",secrets: \["fake-id-\d+"\]\)/.test(build), "dockerBuild names the secret");
  t.false(build.includes("BEGIN CERTIFICATE"), "the CA is not in the build context");
});

test.serial("generate returns every rendered file of the selection", async (t) => {
  const { spec, renderer } = await project();
  const want = renderer.renderTarget(selectOne(spec, "3.13-minimal", "debian13")).map((f) => f.path).sort();
  await s.session(async () => {
    await (await s.module().generate("3.13-minimal", "debian13")).id();
  });
  const q = s.engine.queries.find((x) => x.includes("withNewFile"))!;
  const paths = [...q.matchAll(/withNewFile \(path: ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string).sort();
  t.deepEqual(paths, want);
  t.true(paths.includes("3.13-minimal/README.md"));
});
