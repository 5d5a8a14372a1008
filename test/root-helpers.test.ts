// The root helpers copied into the images, run on the host where no other uid is needed:
// fix-permissions (a missing path), cgroup-limits, deb-file-permissions, rpm-file-permissions.
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import { bin, run, write, sandbox, scratch, hostPython, hostNproc, mode, type Result, removeScratch } from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);

test("fix-permissions: a missing path prints the error line and still exits 0", async (t) => {
  const missing = path.join(scratch, "does-not-exist");
  const r = await run("sh", [bin("root/usr/bin/fix-permissions"), missing]);
  t.is(r.code, 0);
  t.is(r.stdout, "");
  t.is(r.stderr, `ERROR: File or directory ${missing} does not exist.\n`);
});

function cgroupTree(name: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(scratch, `cgroup-${name}-`));
  for (const [rel, text] of Object.entries(files)) write(path.join(root, rel), `${text}\n`);
  return root;
}

async function cgroupLimits(root: string): Promise<Result> {
  return run(hostPython, [bin("root/usr/bin/cgroup-limits")], { env: { PATH: "/usr/bin:/bin", CGROUP_LIMITS_ROOT: root } });
}

/** cgroup-limits over a fake cgroup tree: each case's files, and its expected stdout and stderr. */
const cgroupCases: { name: string; files: Record<string, string>; stdout: string; stderr?: string }[] = [
  {
    name: "cgroup v2 limits",
    files: { "cgroup.controllers": "cpuset cpu memory", "memory.max": "536870912", "cpu.max": "max 100000", "cpuset.cpus.effective": "0" },
    stdout: "MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=536870912\nNUMBER_OF_CORES=1\n",
    stderr: "",
  },
  {
    name: 'cgroup v2: "max" memory, a 1.5 CPU quota (rounded up) and four cpus in the set',
    files: { "cgroup.controllers": "cpuset cpu memory", "memory.max": "max", "cpu.max": "150000 100000", "cpuset.cpus.effective": "0-1,3,5" },
    stdout:
      "MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=9223372036854775807\n" +
      `NUMBER_OF_CORES=${Math.min(2, 4, hostNproc)}\nNO_MEMORY_LIMIT=true\n`,
  },
  {
    name: "cgroup v1 limits",
    files: {
      "memory/memory.limit_in_bytes": "1073741824",
      "cpu/cpu.cfs_quota_us": "100000",
      "cpu/cpu.cfs_period_us": "100000",
      "cpuset/cpuset.cpus": "0-7",
    },
    stdout: "MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=1073741824\nNUMBER_OF_CORES=1\n",
    stderr: "",
  },
  {
    name: "cgroup v1 unlimited (page-aligned huge value, quota -1): NO_MEMORY_LIMIT, cores from the cpuset",
    files: {
      "memory/memory.limit_in_bytes": "9223372036854771712",
      "cpu/cpu.cfs_quota_us": "-1",
      "cpu/cpu.cfs_period_us": "100000",
      "cpuset/cpuset.effective_cpus": "0",
    },
    stdout: "MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nMEMORY_LIMIT_IN_BYTES=9223372036854771712\nNUMBER_OF_CORES=1\nNO_MEMORY_LIMIT=true\n",
  },
  {
    name: "no cgroup files -> no memory key, a warning, cores from the CPU affinity",
    files: {},
    stdout: `MAX_MEMORY_LIMIT_IN_BYTES=9223372036854775807\nNUMBER_OF_CORES=${hostNproc}\n`,
    stderr: "Warning: can't detect the memory limit from cgroups\n",
  },
];

for (const [i, c] of cgroupCases.entries()) {
  test(`cgroup-limits: ${c.name}`, async (t) => {
    const r = await cgroupLimits(cgroupTree(`case${i}`, c.files));
    t.is(r.code, 0);
    t.is(r.stdout, c.stdout);
    if (c.stderr !== undefined) t.is(r.stderr, c.stderr);
  });
}

test("deb-file-permissions: resets the base directories to 0755 and skips symlinks", async (t) => {
  const root = fs.mkdtempSync(path.join(scratch, "debroot-"));
  const dirs = ["opt", "etc", "usr", "usr/bin", "usr/sbin", "usr/lib", "usr/share", "usr/libexec", "usr/local"];
  for (const d of dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const d of ["", ...dirs]) fs.chmodSync(path.join(root, d), 0o775);
  fs.symlinkSync("usr/bin", path.join(root, "bin"));
  const r = await run("sh", [bin("root/usr/bin/deb-file-permissions")], {
    env: { PATH: "/usr/bin:/bin", DEB_FILE_PERMISSIONS_ROOT: root },
  });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout + r.stderr, "");
  t.deepEqual(
    ["", ...dirs].map((d) => `${d || "/"}=${mode(path.join(root, d))}`),
    ["/=0755", "opt=0755", "etc=0755", "usr=0755", "usr/bin=0755", "usr/sbin=0755", "usr/lib=0755", "usr/share=0755", "usr/libexec=0755", "usr/local=0775"],
  );
});

test("rpm-file-permissions: chmods the listed directories to the modes recorded by rpm", async (t) => {
  const box = sandbox("rpmperm");
  // Fake rpm (the filesystem package listing) and a chmod that only records.
  write(
    path.join(box.fakeBin, "rpm"),
    `#!/bin/sh
printf 'rpm %s\\n' "$*" >> "${box.log}"
printf '%s\\n' 'normal 40555 /' 'normal 40755 /usr' 'normal 40555 /usr/bin' 'not_installed 40755 /usr/lib64' \\
  'normal 40755 /usr/local' 'normal 100644 /etc/hosts' 'normal 41777 /opt'
`,
    0o755,
  );
  write(path.join(box.fakeBin, "chmod"), `#!/bin/sh\necho "chmod $*" >> "${box.log}"\n`, 0o755);
  const r = await run("sh", [bin("root/usr/bin/rpm-file-permissions")], { env: box.env });
  t.is(r.code, 0, r.stderr);
  t.is(
    box.calls(),
    "rpm -q --queryformat [%{FILESTATES:fstate} %{FILEMODES:octal} %{FILENAMES}\\n] filesystem\n" +
      "chmod 0555 /\nchmod 0755 /usr\nchmod 0555 /usr/bin\nchmod 1777 /opt\n",
  );

  if (!fs.existsSync("/usr/bin/rpm") && !fs.existsSync("/bin/rpm")) {
    const noRpm = await run("sh", [bin("root/usr/bin/rpm-file-permissions")], { env: { PATH: "/usr/bin:/bin" } });
    t.is(noRpm.code, 1);
    t.is(noRpm.stderr, "ERROR: rpm-file-permissions needs 'rpm' (this image is not rpm based).\n");
  }
});
