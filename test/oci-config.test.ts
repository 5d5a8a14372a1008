// Reading an image's configuration from its OCI archive (ci/src/verify/oci-config.ts), on archives
// written by the system's tar as an engine's `asTarball` lays them out: index.json, a manifest and
// a config blob under blobs/sha256/, one level of index or two.
import test from "ava";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { configFromOciArchive, tarFiles } from "../ci/src/verify/oci-config.js";
import { projectRoot } from "./helpers/project.js";

const CONFIG = {
  User: "1001",
  WorkingDir: "/opt/app-root/src",
  Env: ["PATH=/opt/app-root/bin:/usr/bin", "EMPTY=", "EQ=a=b"],
  Labels: { name: "s2i-python/python-311-minimal", summary: "Python 3.11 — minimal" },
  ExposedPorts: { "8080/tcp": {} },
  Cmd: ["/bin/sh", "-c", "$STI_SCRIPTS_PATH/usage"],
};

/** An OCI archive as the system's tar writes it; `nested` puts an index between index.json and the manifest. */
function archive(config: object, nested = false, leave: string[] = []): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "oci-"));
  try {
    mkdirSync(join(dir, "blobs/sha256"), { recursive: true });
    const put = (body: object) => {
      const text = JSON.stringify(body);
      const hex = createHash("sha256").update(text).digest("hex");
      writeFileSync(join(dir, "blobs/sha256", hex), text);
      return `sha256:${hex}`;
    };
    const manifest = put({ schemaVersion: 2, config: { digest: put({ architecture: "amd64", os: "linux", config }) }, layers: [] });
    const top = nested ? put({ schemaVersion: 2, manifests: [{ digest: manifest }] }) : manifest;
    writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: top }] }));
    writeFileSync(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
    for (const f of leave) rmSync(join(dir, f));
    execFileSync("tar", ["--format=ustar", "-cf", join(dir, "image.tar"), "-C", dir, "--exclude=image.tar", "."]);
    return readFileSync(join(dir, "image.tar"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the configuration's user, folder, variables (split at the first =), labels, ports and command", (t) => {
  for (const nested of [false, true]) {
    const c = configFromOciArchive(archive(CONFIG, nested));
    t.is(c.user, "1001");
    t.is(c.workdir, "/opt/app-root/src");
    t.deepEqual(c.env, [
      ["PATH", "/opt/app-root/bin:/usr/bin"],
      ["EMPTY", ""],
      ["EQ", "a=b"],
    ]);
    t.deepEqual(Object.fromEntries(c.labels), CONFIG.Labels, "non-ASCII label text survives");
    t.deepEqual(c.exposedPorts, ["8080/tcp"]);
    t.deepEqual(c.entrypoint, []);
    t.deepEqual(c.cmd, CONFIG.Cmd);
  }
});

test("a configuration without settings reads as empty ones, not as an error", (t) => {
  t.deepEqual(configFromOciArchive(archive({})), { user: "", workdir: "", env: [], labels: [], exposedPorts: [], entrypoint: [], cmd: [] });
});

test("an archive without index.json, or cut short, fails and says so", (t) => {
  t.throws(() => configFromOciArchive(archive(CONFIG, false, ["index.json"])), { message: /has no index\.json \(it holds .*oci-layout/ });
  const whole = archive(CONFIG);
  t.throws(() => tarFiles(whole.subarray(0, 1024 + 10)), { message: /cut short/ });
});

// The engine's own lists of variables, labels and ports are results it cannot write into its
// cache database (v0.21.8): one held when the engine stops makes the stop unclean and the next
// start wipes the cache. test/faults/engine-lost.test.ts sees such a stop; this keeps ci/src off them.
test("ci/src reads an image's variables, labels and ports from its archive, never through the engine's lists", (t) => {
  const src = join(projectRoot, "ci/src");
  const calls = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .flatMap((e) => {
      const file = join(e.parentPath, e.name);
      return [...readFileSync(file, "utf8").matchAll(/\.(envVariables|labels|exposedPorts)\(\)/g)].map((m) => `${relative(src, file)}: ${m[0]}`);
    });
  t.deepEqual(calls, []);
});
