// init-wrapper, container-entrypoint and usage, run on the host.
import test from "ava";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { bin, minimal, run, removeScratch } from "./helpers/s2i-sandbox.js";

test.after.always("remove the scratch directory", removeScratch);
const trapChild = 'trap "echo child got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done';

for (const shell of ["sh", "bash"]) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`init-wrapper (${shell}): ${signal} is forwarded as TERM and the child's status returned`, async (t) => {
      const child = spawn(shell, [bin("s2i/bin/init-wrapper"), "sh", "-c", trapChild], {
        env: { PATH: "/usr/bin:/bin" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      const ready = new Promise<void>((resolve) => {
        child.stdout.on("data", (d) => {
          stdout += d;
          if (stdout.includes("ready\n")) resolve();
        });
      });
      const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      await ready;
      child.kill(signal);
      const code = await closed;
      t.is(code, 7);
      t.is(stdout, "ready\nchild got TERM\n");
    });
  }

  test(`init-wrapper (${shell}): returns the exit status of a command that ends by itself`, async (t) => {
    const r = await run(shell, [bin("s2i/bin/init-wrapper"), "sh", "-c", 'echo "$0 $1"; exit 5', "x", "y z"]);
    t.is(r.code, 5);
    t.is(r.stdout, "x y z\n");
  });
}

test("container-entrypoint execs its arguments", async (t) => {
  const r = await run(bin("root/usr/bin/container-entrypoint"), ["sh", "-c", 'echo "$0|$1|$$"; exit 9', "a", "b c"]);
  t.is(r.code, 9);
  t.regex(r.stdout, /^a\|b c\|\d+\n$/);
});

test("usage names the image, uses the os-release ID and exits 0", async (t) => {
  const osRelease = fs.readFileSync(fs.existsSync("/etc/os-release") ? "/etc/os-release" : "/usr/lib/os-release", "utf8");
  const id = /^ID=(.*)$/m.exec(osRelease)![1].replace(/["']/g, "");
  const fullUsage = await run(bin("s2i/bin/usage"), []);
  t.is(fullUsage.code, 0);
  t.is(fullUsage.stdout.split("\n", 1)[0], `This is the Python 3.11 source-to-image (s2i) builder image python-3.11 (based on ${id}).`);
  t.true(fullUsage.stdout.includes("--context-dir=3.11/test/setup-test-app/ python-3.11 python-sample-app\n"));
  const minimalUsage = await run(path.join(minimal, "s2i/bin/usage"), []);
  t.is(minimalUsage.code, 0);
  t.is(
    minimalUsage.stdout.split("\n", 1)[0],
    `This is the Python 3.11 source-to-image (s2i) builder image python-3.11-minimal (based on ${id}), minimal variant.`,
  );
  t.true(minimalUsage.stdout.includes("oc new-app python:3.11-minimal~https://github.com/sclorg/s2i-python-container.git"));
});
