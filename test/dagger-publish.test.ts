// publish: verification first, nothing pushed unless every check passed.
import test from "ava";
import { execError, withoutStrings } from "./helpers/fake-engine.js";
import { fakeSession, healthyAnswers, probedApp } from "./helpers/dagger-session.js";

const s = await fakeSession();
test.after.always(() => s.engine.close());
test.beforeEach(() => s.engine.reset());

const publishQueries = () => s.engine.queries.filter((q) => /\bpublish \(address:/.test(withoutStrings(q)));
/** The address of each publish call (withRegistryAuth has an address too). */
const published = () => publishQueries().map((q) => JSON.parse(/\bpublish \(address: ("(?:[^"\\]|\\.)*")/.exec(q)![1]) as string);

test.serial("publish pushes <registry>/<name label> with upstream's tags after every check passed", async (t) => {
  s.engine.answer = healthyAnswers(s.engine, s.apps, "sclorg/python-312-c9s");
  const out = await s.session(async () => {
    const password = s.sdk.dag.setSecret("token", "hunter2");
    return s.module().publish("3.12", "c9s", "quay.io", "bot", password, [], "0123456789abcdef", undefined, true);
  });
  const addresses = published();
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  t.deepEqual(addresses, ["c9s", "3.12", "latest", `${date}-0123456`].map((tag) => `quay.io/sclorg/python-312-c9s:${tag}`));
  t.true(publishQueries().every((q) => /withRegistryAuth \(address: "quay\.io",username: "bot",secret: "fake-id-\d+"\)/.test(q)));
  t.is(out.split("\n").length, 4);
  t.true(out.split("\n").every((l) => /^quay\.io\/sclorg\/python-312-c9s:[\w.-]+@sha256:[0-9a-f]{64}$/.test(l)));
  t.true(s.engine.queries.some((q) => probedApp(q)), "the checks ran first");
});

test.serial("publish sends no publish query when a probe fails, and names the failure", async (t) => {
  const healthy = healthyAnswers(s.engine, s.apps);
  s.engine.answer = (q, leaf) => {
    if (probedApp(q)?.app === "app-home" && leaf === "stdout") return { error: execError(["python3", "-c", "probe"], "boom") };
    return healthy(q, leaf);
  };
  const err = await t.throwsAsync(
    s.session(async () => s.module().publish("3.12", "c9s", "quay.io", "bot", s.sdk.dag.setSecret("token", "x"), [], undefined, undefined, true)),
  );
  t.regex(err!.message, /app-home on 3\.12 on c9s: .*boom/);
  t.true(s.engine.queries.some((q) => probedApp(q)?.app === "app-home"), "the failing probe was sent");
  t.deepEqual(publishQueries(), []);
  t.false(s.engine.queries.some((q) => q.includes("withRegistryAuth")));
});

test.serial("publish rejects a bad registry or tag before sending anything", async (t) => {
  const err = await t.throwsAsync(s.session(async () => s.module().publish("3.12", "c9s", "https://quay.io", "bot", s.sdk.dag.setSecret("t", "x"))));
  t.is(err!.name, "UsageError");
  t.regex(err!.message, /^registry "https:\/\/quay\.io" is not a registry address/);
  const bad = await t.throwsAsync(s.session(async () => s.module().publish("3.12", "c9s", "quay.io", "bot", s.sdk.dag.setSecret("t", "x"), ["-bad"])));
  t.regex(bad!.message, /invalid tag "-bad"/);
  t.deepEqual(s.engine.queries, []);
});
