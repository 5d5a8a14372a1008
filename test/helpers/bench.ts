// Small pieces the benchmarks (test/bench/*.bench.ts) share.

/** Runs `fn` and returns its result with the milliseconds it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

/** The first line of an error, without the SDK's wrapping. */
export function firstLine(e: unknown): string {
  let cur: unknown = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  return (
    (cur instanceof Error ? cur.message : String(cur))
      .split("\n")
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 240) ?? ""
  );
}

/** Runs a benchmark's main: an error ends the process with status 1 and one line, naming the benchmark. */
export async function runBench(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    console.error(`${name}: ${firstLine(e)}`);
    process.exit(1);
  }
}
