/**
 * The test's own package index for the standalone-custom-pypi-index app: the wheel of
 * test/apps/standalone-custom-pypi-index-pkg (built with pip on the host) served as a PEP 503
 * simple index by a tiny HTTP server on 127.0.0.1. Builds that use it run with
 * `--network host`, so the index is http://127.0.0.1:PORT/simple/, which pip trusts
 * without --trusted-host (it is localhost).
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./podman.js";

export interface PackageIndex {
  url: string;
  /** Requests served, for diagnostics ("GET /simple/s2i-index-probe/ 200"). */
  requests: string[];
  close(): Promise<void>;
}

/** PEP 503 name normalization. */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

/** Builds the wheel(s) of a source folder with the host's pip; returns their paths. */
export async function buildWheel(srcDir: string, extraCa?: string): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), "s2i-wheel-"));
  // A copy: setuptools writes build/ and *.egg-info next to the sources.
  await cp(srcDir, join(work, "src"), { recursive: true });
  const out = join(work, "dist");
  const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1", ...(extraCa ? { PIP_CERT: extraCa } : {}) };
  const python = process.env.S2I_HOST_PYTHON ?? "python3";
  // Without build isolation when the host already has what the build needs (setuptools >= 61,
  // and wheel before setuptools 70.1): no download. Otherwise pip fetches setuptools.
  const probe = "import sys, setuptools\nv = tuple(int(x) for x in setuptools.__version__.split('.')[:2])\nif v < (70, 1): import wheel\nsys.exit(0 if v >= (61, 0) else 1)";
  const offline = await run(python, ["-c", probe], { allowFailure: true });
  const args = ["-m", "pip", "wheel", "--no-deps", "-w", out, ...(offline.code === 0 ? ["--no-build-isolation"] : []), join(work, "src")];
  try {
    await run(python, args, { env, timeoutMs: 5 * 60_000 });
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
  return (await readdir(out)).filter((f) => f.endsWith(".whl")).map((f) => join(out, f));
}

/** Serves wheels as a PEP 503 simple index on host:port (port 0 = any free port). */
export async function servePackageIndex(wheels: string[], host = "127.0.0.1"): Promise<PackageIndex> {
  const files = new Map<string, { data: Buffer; sha256: string; project: string }>();
  for (const w of wheels) {
    const data = await readFile(w);
    const name = w.split("/").pop()!;
    files.set(name, { data, sha256: createHash("sha256").update(data).digest("hex"), project: normalize(name.split("-")[0]) });
  }
  const projects = [...new Set([...files.values()].map((f) => f.project))];
  const requests: string[] = [];
  const html = (body: string) => `<!DOCTYPE html>\n<html><body>\n${body}\n</body></html>\n`;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    const send = (status: number, type: string, body: string | Buffer) => {
      requests.push(`${req.method} ${path} ${status}`);
      res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    let m: RegExpMatchArray | null;
    if (path === "/simple/" || path === "/simple") {
      send(200, "text/html", html(projects.map((p) => `<a href="/simple/${p}/">${p}</a><br/>`).join("\n")));
    } else if ((m = path.match(/^\/simple\/([^/]+)\/?$/))) {
      const project = normalize(m[1]);
      const links = [...files].filter(([, f]) => f.project === project).map(([n, f]) => `<a href="/packages/${n}#sha256=${f.sha256}">${n}</a><br/>`);
      if (links.length) send(200, "text/html", html(links.join("\n")));
      else send(404, "text/plain", `no project ${project} on this index\n`);
    } else if ((m = path.match(/^\/packages\/([^/]+)$/)) && files.has(m[1])) {
      send(200, "application/octet-stream", files.get(m[1])!.data);
    } else {
      send(404, "text/plain", "not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/simple/`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Builds the probe wheel and serves it; the caller closes the index. */
export async function probePackageIndex(root: string, extraCa?: string): Promise<PackageIndex & { cleanup(): Promise<void> }> {
  const wheels = await buildWheel(join(root, "test/apps/standalone-custom-pypi-index-pkg"), extraCa);
  if (!wheels.length) throw new Error("pip wheel produced no wheel for test/apps/standalone-custom-pypi-index-pkg");
  const index = await servePackageIndex(wheels);
  const work = join(wheels[0], "../..");
  return {
    ...index,
    cleanup: async () => {
      await index.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
