// publish --report (ci/src/publish/tested-report.ts): a test run's report stands instead of the
// checks only when it vouches for exactly what publish would check and push; each way it can
// fall short refuses the publish in one line. And the image identity it compares
// (ci/src/verify/image-identity.ts): the settings' digest ignores order and sees every setting.
import test from "ava";
import { acceptTestedReport, type PublishPlan } from "../ci/src/publish/tested-report.js";
import { settingsDigest, type ImageIdentity, type ImageSettings } from "../ci/src/verify/image-identity.js";
import type { CheckResult, Report } from "../ci/src/verify/results.js";
import { toJson, toMarkdown } from "../ci/src/verify/report-formats.js";

const image = "3.11-minimal on debian12";
const settings: ImageSettings = {
  user: "1001",
  workdir: "/opt/app-root/src",
  entrypoint: ["container-entrypoint"],
  cmd: ["/usr/libexec/s2i/usage"],
  env: [
    ["PYTHON_VERSION", "3.11"],
    ["APP_ROOT", "/opt/app-root"],
  ],
  labels: [
    ["name", "python-311-minimal-debian12"],
    ["io.openshift.s2i.scripts-url", "image:///usr/libexec/s2i"],
  ],
  exposedPorts: ["8080/TCP"],
};
const identity: ImageIdentity = { image, platform: "linux/amd64", rootfs: `sha256:${"a".repeat(64)}`, settings: settingsDigest(settings) };
const result = (name: string, outcome: CheckResult["outcome"] = "pass"): CheckResult => ({
  name,
  image,
  outcome,
  seconds: 1,
  reason: outcome === "pass" ? undefined : "why",
});
const checks = ["image build", "python --version", "no extra CA in the image", "app-home"];
const report: Report = {
  started: "2026-12-04T12:00:00Z",
  results: [...checks.slice(0, 2).map((n) => result(n)), result("no extra CA in the image", "not-applicable"), result("app-home")],
  images: [identity],
};
const plan: PublishPlan = { image, checks, built: [identity] };
const refused = (r: Report, p: PublishPlan = plan) => {
  try {
    acceptTestedReport(r, p);
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return "accepted";
};

test("a complete, passing report of this very build stands: its results of the image are what publish records", (t) => {
  t.deepEqual(acceptTestedReport(report, plan), report.results);
  const other = { ...result("python --version"), image: "3.11 on debian12" };
  t.deepEqual(acceptTestedReport({ ...report, results: [...report.results, other] }, plan), report.results, "another image's results are not taken");
});

test("refused, in one line that says why and that nothing was published: incomplete, no check of the image, a failed or unrun check", (t) => {
  const lines = [
    refused({ ...report, incomplete: "the Dagger engine failed after 3 of 4 checks" }),
    refused({ ...report, results: report.results.map((r) => ({ ...r, image: "3.11 on debian12" })) }),
    refused({ ...report, results: [...report.results.slice(0, 3), result("app-home", "fail")] }),
    refused({ ...report, results: [...report.results.slice(0, 3), result("app-home", "not-run")] }),
  ];
  for (const l of lines) t.regex(l, /^ChecksFailedError: the report does not vouch for 3\.11-minimal on debian12: .+; nothing was published$/);
  for (const l of lines) t.false(l.includes("\n"), l);
  t.regex(lines[0], /it is incomplete \(the Dagger engine failed/);
  t.regex(lines[1], /it holds no check of it \(it holds 3\.11 on debian12\)/);
  t.regex(lines[2], /its checks did not pass: 1 of 4 checks did not pass/);
  t.regex(lines[3], /its checks did not pass: 1 of 4 checks did not pass \(.*1 not run/);
});

test("refused when the report lacks a check publish plans (a test --apps or --smoke report for a full publish), naming it", (t) => {
  const narrow = { ...report, results: report.results.filter((r) => r.name !== "app-home") };
  t.regex(refused(narrow), /1 of the 4 checks publish plans are not in it \(app-home\); run test on this build/);
  const many = { ...plan, checks: [...checks, "django", "locale", "numpy", "pipenv"] };
  t.regex(refused(report, many), /4 of the 8 checks publish plans are not in it \(django, locale, numpy and 1 more\)/);
});

test("refused when the report tested another build: other files, other settings, another platform, or no identity", (t) => {
  const files = refused(report, { ...plan, built: [{ ...identity, rootfs: `sha256:${"b".repeat(64)}` }] });
  t.regex(files, /it tested another build on linux\/amd64: its files \(tested sha256:a+, built now sha256:b+\); run test on this build/);
  t.notRegex(files, /settings/);
  const user0 = settingsDigest({ ...settings, user: "0" });
  t.regex(refused(report, { ...plan, built: [{ ...identity, settings: user0 }] }), /its settings \(tested sha256:\w+, built now sha256:\w+\)/);
  t.regex(refused(report, { ...plan, built: [identity, { ...identity, platform: "linux/arm64" }] }), /it names no tested image for linux\/arm64/);
  const { images: _, ...before } = report;
  t.regex(refused(before), /it names no tested image for linux\/amd64 \(a report of test from before image identities/);
});

test("the settings' digest: the order the engine lists variables, labels and ports in does not matter; every setting does", (t) => {
  const d = settingsDigest(settings);
  t.regex(d, /^sha256:[0-9a-f]{64}$/);
  t.is(settingsDigest({ ...settings, env: [...settings.env].reverse(), labels: [...settings.labels].reverse() }), d);
  const changed: Partial<ImageSettings>[] = [
    { user: "0" },
    { workdir: "/" },
    { entrypoint: [] },
    { cmd: ["bash"] },
    { env: [["PYTHON_VERSION", "3.12"], settings.env[1]] },
    { labels: [["name", "python-312"], settings.labels[1]] },
    { exposedPorts: [] },
  ];
  for (const c of changed) t.not(settingsDigest({ ...settings, ...c }), d, JSON.stringify(c));
});

test("the report's files name the tested image: results.json holds the identity, summary.md says it", (t) => {
  t.deepEqual(JSON.parse(toJson(report)).images, [identity]);
  t.true(toMarkdown(report).includes(`Tested image: ${image} (linux/amd64): files ${identity.rootfs}, settings ${identity.settings}`));
});
