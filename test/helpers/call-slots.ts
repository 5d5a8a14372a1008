/**
 * At most S2I_TEST_CALLS (default 3) engine calls of one test file at a time. The engine tests'
 * calls wait on the network (apt, PyPI) and on containers starting as much as on the CPU, so a
 * few at once finish sooner than one after another; the rest of a test runs as before.
 */
const limit = (() => {
  const raw = process.env.S2I_TEST_CALLS ?? "3";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`S2I_TEST_CALLS="${raw}": give a whole number of calls at once, 1 or more`);
  return n;
})();

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` once fewer than the limit of calls are running. */
export async function inSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
