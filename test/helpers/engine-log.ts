import { spawnSync } from "node:child_process";

/** The podman container of the local engine (local-engine/lib.sh). */
export const ENGINE_CONTAINER = process.env.S2I_ENGINE_CONTAINER ?? "s2i-dagger-engine";

/** Now, as `podman logs --since` takes it. */
export const logTime = (): string => new Date().toISOString();

/**
 * The commands of the containers the engine started since `since` (its log's "starting
 * container" lines): what was run rather than taken from the cache. The engine-backed tests
 * run one at a time, so these are the calls of the test that asks.
 */
export function containersStartedSince(since: string): string[] {
  // The engine logs to its stderr, which podman logs gives back on its own stderr.
  const r = spawnSync("podman", ["logs", "--since", since, ENGINE_CONTAINER], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`podman logs ${ENGINE_CONTAINER}: exit ${r.status}: ${r.stderr.trim().split("\n").pop()}`);
  const log = r.stdout + r.stderr;
  return [...log.matchAll(/msg="starting container" args="\[([^\]]*)\]"/g)].map((m) => m[1]);
}
