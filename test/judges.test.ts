// The pure judges of the registry's checks (ci/src/verify/*-judges.ts, *-probes.ts), on observations
// made up here: each passes what the scripts promise and fails, saying why, on what they do not.
import test from "ava";
import { judgeImageBuild, judgeMachine } from "../ci/src/verify/image-judges.js";
import {
  judgeFixPermissionsAsRoot,
  judgeFixPermissionsAsUid,
  judgeGenerateContainerUser,
  judgeRunAsArbitraryUid,
  type GenerateContainerUser,
} from "../ci/src/verify/uid-probes.js";
import { project } from "./helpers/project.js";

const ok = { code: 0, stdout: "", stderr: "" };

test("fix-permissions as root and as uid 12345: the promised modes pass, any other mode or output fails", (t) => {
  const root = { ...ok, modes: ["0770:0", "0770:0", "0660:0", "0770:0", "0670:0"], outside: "0600:1234" };
  t.is(judgeFixPermissionsAsRoot(root).outcome, "pass");
  t.regex(judgeFixPermissionsAsRoot({ ...root, outside: "0660:0" }).got!, /the file behind the link: 0660:0/);
  t.regex(judgeFixPermissionsAsRoot({ ...root, stderr: "chgrp: oops" }).got!, /printed "chgrp: oops"/);
  const uid = { ...ok, mine: "0660", theirs: "0600" };
  t.is(judgeFixPermissionsAsUid(uid).outcome, "pass");
  t.is(judgeFixPermissionsAsUid({ ...uid, theirs: "0660" }).outcome, "fail");
  t.is(judgeFixPermissionsAsUid({ ...uid, code: 1 }).outcome, "fail");
});

test("generate_container_user: uid 12345 gets the image's passwd (default renamed builder) and its entry; root and 1001 nothing", (t) => {
  const etcPasswd = "root:x:0:0:root:/root:/bin/bash\ndefault:x:1001:0:Default Application User:/opt/app-root/src:/sbin/nologin\n";
  const entry = "default:x:12345:0:Default Application User:/opt/app-root/src:/bin/bash\n";
  const none = { ...ok, stdout: "P=unset G=unset L=unset leaked=0\nhB\n", appRoot: "/tmp/r", passwd: null };
  const o: GenerateContainerUser = {
    home: "/opt/app-root/src",
    etcPasswd,
    arbitrary: {
      ...ok,
      stdout: "P=/tmp/a/etc/passwd G=/etc/group L=libnss_wrapper.so leaked=0\nhB\n",
      appRoot: "/tmp/a",
      passwd: etcPasswd.replace("default:", "builder:") + entry,
    },
    root: none,
    image: none,
  };
  t.is(judgeGenerateContainerUser(o).outcome, "pass");
  // An image without a "default" user: nothing to rename.
  t.is(
    judgeGenerateContainerUser({
      ...o,
      etcPasswd: "root:x:0:0:root:/root:/bin/bash\n",
      arbitrary: { ...o.arbitrary, passwd: `root:x:0:0:root:/root:/bin/bash\n${entry}` },
    }).outcome,
    "pass",
  );
  const bad: [string, GenerateContainerUser, RegExp][] = [
    ["no nss_wrapper", { ...o, arbitrary: { ...o.arbitrary, stdout: "P=/tmp/a/etc/passwd G=/etc/group L=unset leaked=0\nhB\n" } }, /L=unset/],
    ["a leaked variable", { ...o, arbitrary: { ...o.arbitrary, stdout: "P=/tmp/a/etc/passwd G=/etc/group L=libnss_wrapper.so leaked=1\nhB\n" } }, /leaked=1/],
    [
      "set -e left on",
      { ...o, arbitrary: { ...o.arbitrary, stdout: "P=/tmp/a/etc/passwd G=/etc/group L=libnss_wrapper.so leaked=0\nehB\n" } },
      /shell options/,
    ],
    ["the image user not renamed", { ...o, arbitrary: { ...o.arbitrary, passwd: etcPasswd + entry } }, /passwd file/],
    ["a warning", { ...o, arbitrary: { ...o.arbitrary, stderr: "WARNING: x\n" } }, /stderr/],
    ["uid 1001 gets a file", { ...o, image: { ...none, passwd: entry } }, /image uid: .*written/],
    ["root gets variables", { ...o, root: { ...none, stdout: "P=/x G=/etc/group L=unset leaked=0\n" } }, /root uid/],
  ];
  for (const [name, obs, why] of bad) {
    const v = judgeGenerateContainerUser(obs);
    t.is(v.outcome, "fail", name);
    t.regex(v.got ?? "", why, name);
  }
});

test("run as uid 12345: the app sees its uid and passwd entry, or the check fails with run's output", (t) => {
  const want =
    "---> Running application from script (app.sh) ...\n12345 /opt/app-root/etc/passwd\ndefault:x:12345:0:Default Application User:/opt/app-root/src:/bin/bash\n";
  const o = { ...ok, stdout: want, home: "/opt/app-root/src", appRoot: "/opt/app-root" };
  t.is(judgeRunAsArbitraryUid(o).outcome, "pass");
  const v = judgeRunAsArbitraryUid({ ...o, stdout: "---> Running application from script (app.sh) ...\n12345 \n", stderr: "tail: cannot open" });
  t.is(v.outcome, "fail");
  t.is(v.logTail, "tail: cannot open");
});

test("image judges: a failed build names its cause when it knows one; the platform's machine", async (t) => {
  const { spec } = await project();
  const target = spec.targets.find((x) => x.distro.os === "rhel")!;
  t.is(judgeImageBuild({ built: true }, target).outcome, "pass");
  const known = judgeImageBuild({ built: false, output: "No match for argument: mod_ldap", line: "exit 1", text: "log" }, target);
  t.is(known.expected, "the image builds");
  t.regex(known.got!, /package mod_ldap is in no enabled repository/);
  const unknown = judgeImageBuild({ built: false, output: "segfault", line: "exit 139", text: "log" }, target);
  t.deepEqual([unknown.outcome, unknown.got], ["fail", "exit 139"]);
  t.is(judgeMachine("linux/arm64/v8", "aarch64\n183\n").outcome, "pass");
  t.is(judgeMachine("linux/amd64", "aarch64\n183\n").outcome, "fail");
  t.is(judgeMachine("linux/mips", "mips\n8\n").outcome, "fail");
});
