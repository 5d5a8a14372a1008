/**
 * The tests' scratch folders (the engine tests' copies and exports, the unit tests' generated
 * trees) live under /tmp, on the disk the engine's cache shares: each is removed when its test
 * ends, passed or failed, so runs do not pile them up.
 */
import { rmSync } from "node:fs";
import type { ExecutionContext } from "ava";

/** Removes `path` (a folder or a file) when the test `t` ends; returns it. */
export function removeWhenDone(t: ExecutionContext, path: string): string {
  t.teardown(() => rmSync(path, { recursive: true, force: true }));
  return path;
}
