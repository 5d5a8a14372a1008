// The engine tests' few-at-once calls (test/helpers/call-slots.ts): never more than the limit
// running, every call run, in the order they asked; a bad limit is refused naming the variable.
import test from "ava";
import { execFileSync } from "node:child_process";

process.env.S2I_TEST_CALLS = "2";
const { inSlot } = await import("./helpers/call-slots.js");

test("at most S2I_TEST_CALLS calls run at once, and each runs", async (t) => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const call = (i: number) =>
    inSlot(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 20 + (i % 3) * 10));
      running--;
      return i;
    });
  const done = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(call));
  t.deepEqual(done, [0, 1, 2, 3, 4, 5, 6]);
  t.is(most, 2);
  t.deepEqual(started, [0, 1, 2, 3, 4, 5, 6], "in the order they asked");
});

test("a call that throws frees its slot", async (t) => {
  await t.throwsAsync(
    inSlot(() => Promise.reject(new Error("boom"))),
    { message: "boom" },
  );
  await t.throwsAsync(
    inSlot(() => Promise.reject(new Error("boom"))),
    { message: "boom" },
  );
  t.is(await inSlot(async () => "after"), "after");
});

test("a limit that is not a whole number of 1 or more is refused, naming S2I_TEST_CALLS", (t) => {
  const err = t.throws(() =>
    execFileSync(process.execPath, ["--import=tsx", "-e", 'await import("./test/helpers/call-slots.ts")'], {
      env: { ...process.env, S2I_TEST_CALLS: "0" },
      encoding: "utf8",
      stdio: "pipe",
    }),
  );
  t.regex(String((err as { stderr?: string }).stderr), /S2I_TEST_CALLS="0": give a whole number of calls at once, 1 or more/);
});
