// Smoke test for the local Dagger engine (ci/engine/up.sh must be running).
// Run from the repo root:
//   eval "$(ci/engine/up.sh)" && npx tsx ci/engine/smoke.ts
// Checks, each timed: an image from the local registry + withExec, a
// Dockerfile build whose FROM goes through the engine's docker.io mirror,
// apt inside an engine container (does Debian's mirror answer from the engine
// network?), and a service binding with an HTTP probe.
import { connection, dag } from "@dagger.io/dagger"
import { createConnection } from "node:net"

const registry = process.env.S2I_REGISTRY_ADDR ?? "127.0.0.1:5000"
const base = `${registry}/library/debian:bookworm-slim`
// Checks 1 and 4 run for real every time (the rest may come from the cache).
const bust = String(Date.now())

type Result = { name: string; ok: boolean; seconds: number; detail: string }
const results: Result[] = []

async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
  const t0 = Date.now()
  try {
    const detail = await fn()
    results.push({ name, ok: true, seconds: (Date.now() - t0) / 1000, detail })
    return true
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    results.push({ name, ok: false, seconds: (Date.now() - t0) / 1000, detail })
    return false
  }
}

function firstLine(s: string, match: RegExp): string {
  return s.split("\n").find((l) => match.test(l)) ?? s.trim().slice(0, 200)
}

for (const v of ["_EXPERIMENTAL_DAGGER_RUNNER_HOST", "_EXPERIMENTAL_DAGGER_CLI_BIN"]) {
  if (!process.env[v]) {
    console.error(`smoke: ${v} is not set; run: eval "$(ci/engine/up.sh)"`)
    process.exit(2)
  }
}

// The SDK reports a dead engine only as "reading 'port'", so look first.
async function probeEngine(host: string): Promise<void> {
  const m = /^tcp:\/\/([^:/]+):(\d+)/.exec(host)
  if (!m) return
  await new Promise<void>((resolve, reject) => {
    const sock = createConnection({ host: m[1], port: Number(m[2]), timeout: 5000 })
    sock.once("connect", () => (sock.end(), resolve()))
    sock.once("timeout", () => (sock.destroy(), reject(new Error("timed out"))))
    sock.once("error", reject)
  }).catch((err: Error) => {
    throw new Error(`no dagger engine at ${host} (${err.message}); start it with ci/engine/up.sh`)
  })
}

async function main(): Promise<number> {
  await probeEngine(process.env._EXPERIMENTAL_DAGGER_RUNNER_HOST ?? "")
  const started = Date.now()
  await connection(
    async () => {
      await check("from(local registry) + withExec", async () => {
        const out = await dag
          .container()
          .from(base)
          .withEnvVariable("SMOKE_RUN", bust)
          .withExec(["cat", "/etc/os-release"])
          .stdout()
        if (!out.includes("bookworm")) throw new Error(`unexpected os-release: ${out}`)
        return firstLine(out, /^PRETTY_NAME=/)
      })

      await check("dockerBuild with FROM docker.io/... via mirror", async () => {
        const ctr = dag
          .directory()
          .withNewFile("Dockerfile", "FROM docker.io/library/debian:bookworm-slim\nRUN echo hi > /x\n")
          .dockerBuild()
        const out = await ctr.withExec(["cat", "/x"]).stdout()
        if (out.trim() !== "hi") throw new Error(`expected "hi", got ${JSON.stringify(out)}`)
        return "RUN output /x = hi"
      })

      // python3 from Debian's mirror, installed inside an engine container.
      const python = dag
        .container()
        .from(base)
        .withEnvVariable("DEBIAN_FRONTEND", "noninteractive")
        .withExec(["sh", "-c", "apt-get update -q && apt-get install -y -q --no-install-recommends python3 >/dev/null"])

      const aptOk = await check("apt-get install python3 inside the engine", async () => {
        const out = await python.withExec(["python3", "--version"]).stdout()
        return out.trim()
      })

      if (aptOk) {
        await check("service binding + HTTP probe", async () => {
          const web = python
            .withNewFile("/srv/index.html", "hello from s2i smoke\n")
            .withWorkdir("/srv")
            .withExposedPort(8000)
            .asService({ args: ["python3", "-m", "http.server", "8000"] })
          const out = await python
            .withServiceBinding("web", web)
            .withEnvVariable("SMOKE_RUN", bust)
            .withExec([
              "python3",
              "-c",
              "import urllib.request as u; r = u.urlopen('http://web:8000/index.html', timeout=30); print(r.status, r.read().decode().strip())",
            ])
            .stdout()
          if (!out.startsWith("200 hello from s2i smoke")) throw new Error(`unexpected reply: ${out}`)
          return out.trim()
        })
      } else {
        results.push({ name: "service binding + HTTP probe", ok: false, seconds: 0, detail: "skipped: no python3 image" })
      }
    },
    { LogOutput: process.env.SMOKE_VERBOSE ? process.stderr : undefined },
  )

  let failed = 0
  for (const r of results) {
    if (!r.ok) failed++
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)}s): ${r.detail}`)
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)}s, ${failed} failed`)
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error("smoke: could not run against the engine:", err instanceof Error ? err.message : err)
    process.exit(1)
  },
)
