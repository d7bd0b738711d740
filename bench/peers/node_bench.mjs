#!/usr/bin/env node
// Node.js (Promises) peer for the AsyncWait cross-language benchmark.
//
//   node node_bench.mjs --workload W1 --n 10000
//
// Prints exactly one JSON line on stdout (see README.md). Each workload is written the
// way a Node developer would write it:
//   W1   Promise.all over N async functions that return their index at once.
//   W2g  task i awaits gate i; loop: open gate 0; while pending: `await Promise.race(pending)`
//        over the pending set rebuilt each time (the usual idiom; note it attaches a reaction
//        to every still-pending promise on every call, so memory grows O(N^2) until they settle).
//   W3   N async functions that yield once (`await null`, one microtask turn; the analogue of
//        asyncio.sleep(0) / Task.yield()) consumed in completion order by an async generator
//        fed from .then callbacks (there is no built-in as_completed).
//   W4   task N/2 rejects after one yield, the rest sleep 10 s on cancellable timers;
//        Promise.all gives the first rejection; teardown = cancel all (clearTimeout + reject,
//        or AbortController.abort() with --variant abortsignal) + await Promise.allSettled.
//   W5   N tasks sleep 10 s (cancellable); Promise.race([Promise.all(tasks), 50 ms timer]);
//        20 repeats; lateness = actual return - 50 ms; teardown = cancel all + allSettled.
// Every workload validates its results and throws on anything unexpected.

import { performance } from "node:perf_hooks";
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

const now = () => performance.now() / 1e3; // seconds (float, sub-microsecond resolution)

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const isAbort = (e) => e && e.name === "AbortError";

// --------------------------------------------------------------------------- W1
async function w1(n) {
  const ret = async (i) => i;
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = ret(i);
  const results = await Promise.all(tasks);
  let total = 0;
  for (const r of results) total += r;
  const t1 = now();
  check(results.length === n, `W1: ${results.length} results`);
  check(total === (n * (n - 1)) / 2, `W1: bad sum ${total}`);
  return { seconds: t1 - t0, extra: {} };
}

// --------------------------------------------------------------------------- W2g
async function w2g(n) {
  const gated = async (i, gate) => {
    await gate;
    return i;
  };
  const t0 = now();
  const gates = new Array(n);
  for (let i = 0; i < n; i++) gates[i] = deferred();
  const pending = new Map();
  for (let i = 0; i < n; i++) pending.set(i, gated(i, gates[i].promise));
  gates[0].resolve();
  let expected = 0;
  let calls = 0;
  let total = 0;
  while (pending.size > 0) {
    const r = await Promise.race(pending.values()); // pending set rebuilt each time
    calls++;
    check(r === expected, `W2g: expected task ${expected}, got ${r}`);
    pending.delete(r);
    total += r;
    expected++;
    if (expected < n) gates[expected].resolve();
  }
  const t1 = now();
  check(calls === n && total === (n * (n - 1)) / 2, `W2g: calls=${calls} sum=${total}`);
  return { seconds: t1 - t0, extra: { race_calls: calls } };
}

// --------------------------------------------------------------------------- W3
// Completion-order consumption of promises: an async generator fed by .then callbacks.
async function* asCompleted(promises) {
  const queue = [];
  let head = 0;
  let wake = null;
  const push = (entry) => {
    queue.push(entry);
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  };
  for (const p of promises) p.then((value) => push({ value }), (error) => push({ error }));
  let remaining = promises.length;
  while (remaining > 0) {
    if (head === queue.length) await new Promise((r) => (wake = r));
    while (head < queue.length) {
      const e = queue[head];
      queue[head++] = undefined;
      remaining--;
      if (e.error !== undefined) throw e.error;
      yield e.value;
    }
  }
}

async function w3(n) {
  const yieldOnce = async (i) => {
    await null;
    return i;
  };
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = yieldOnce(i);
  let total = 0;
  let count = 0;
  for await (const r of asCompleted(tasks)) {
    total += r;
    count++;
  }
  const t1 = now();
  check(count === n, `W3: consumed ${count} of ${n}`);
  check(total === (n * (n - 1)) / 2, `W3: bad sum ${total}`);
  return { seconds: t1 - t0, extra: { yield: "await null (microtask)" } };
}

// --------------------------------------------------------------------------- W4 / W5 helpers
// Two ways a Node developer cancels N sleeping tasks:
//   "tasks"       (default) each task's sleep is a setTimeout wrapped in a promise whose
//                 handle is kept; teardown = clearTimeout + reject with a CancelledError
//                 (the closest analogue of Task.cancel()).
//   "abortsignal" one shared AbortController; every task does
//                 `await setTimeout(10_000, undefined, { signal })` (node:timers/promises);
//                 teardown = controller.abort(). NB: in Node 20 adding N listeners to one
//                 AbortSignal is O(N^2) (addEventListener scans for duplicates), so this
//                 variant is quadratic in spawn time; it is kept to show that pitfall.
class Boom extends Error {}
class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}
const isCancel = (e) => e && (e.name === "AbortError" || e.name === "CancelledError");

function makeSleeperGroup(n, variant) {
  if (variant === "abortsignal") {
    const controller = new AbortController();
    const { signal } = controller;
    setMaxListeners(0, signal); // one shared signal, N listeners: silence the leak warning
    return {
      sleep: (_i, ms) => sleep(ms, undefined, { signal }),
      cancelAll: () => controller.abort(),
    };
  }
  const cancels = new Array(n);
  return {
    sleep: (i, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        cancels[i] = () => {
          clearTimeout(timer);
          reject(new CancelledError());
        };
      }),
    cancelAll: () => {
      for (const c of cancels) if (c) c();
    },
  };
}

// --------------------------------------------------------------------------- W4
async function w4(n, variant) {
  const bad = Math.floor(n / 2);
  const group = makeSleeperGroup(n, variant);
  const worker = async (i) => {
    if (i === bad) {
      await null;
      throw new Boom(String(i));
    }
    await group.sleep(i, 10_000);
    return i;
  };
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = worker(i);
  let first;
  try {
    await Promise.all(tasks); // rejects on the first rejection
  } catch (e) {
    first = e;
  }
  const t1 = now();
  check(first instanceof Boom && first.message === String(bad), `W4: wrong first error ${first}`);
  group.cancelAll();
  const settled = await Promise.allSettled(tasks);
  const t2 = now();
  let cancelled = 0;
  for (let i = 0; i < n; i++) {
    const s = settled[i];
    check(s.status === "rejected", `W4: task ${i} fulfilled`);
    if (i !== bad) {
      check(isCancel(s.reason), `W4: task ${i} not cancelled: ${s.reason}`);
      cancelled++;
    }
  }
  check(cancelled === n - 1, `W4: cancelled ${cancelled}`);
  const notice = t1 - t0;
  const teardown = t2 - t1;
  return {
    seconds: notice + teardown,
    extra: {
      notice_s: notice,
      teardown_s: teardown,
      notice_per_task_ns: (notice / n) * 1e9,
      teardown_per_task_ns: (teardown / n) * 1e9,
    },
  };
}

// --------------------------------------------------------------------------- W5
const W5_TIMEOUT_MS = 50;
const TIMED_OUT = Symbol("timeout");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function w5(n, repeats, variant) {
  const lateness = [];
  const teardown = [];
  const spawn = [];
  const overhead = [];
  for (let rep = 0; rep < repeats; rep++) {
    const group = makeSleeperGroup(n, variant);
    const sleeper = async (i) => {
      await group.sleep(i, 10_000);
    };
    const t0 = now();
    const tasks = new Array(n);
    for (let i = 0; i < n; i++) tasks[i] = sleeper(i);
    const t1 = now();
    const r = await Promise.race([
      Promise.all(tasks),
      new Promise((resolve) => setTimeout(resolve, W5_TIMEOUT_MS, TIMED_OUT)),
    ]);
    const t2 = now();
    check(r === TIMED_OUT, "W5: tasks finished before the timeout");
    group.cancelAll();
    const settled = await Promise.allSettled(tasks);
    const t3 = now();
    check(settled.every((s) => s.status === "rejected" && isCancel(s.reason)), "W5: teardown incomplete");
    const late = t2 - t1 - W5_TIMEOUT_MS / 1e3;
    check(late > -0.001, `W5: returned ${(-late * 1e3).toFixed(3)} ms early`);
    spawn.push(t1 - t0);
    lateness.push(late);
    teardown.push(t3 - t2);
    overhead.push(t1 - t0 + late + (t3 - t2));
  }
  return {
    seconds: median(overhead),
    extra: {
      repeats,
      timeout_ms: W5_TIMEOUT_MS,
      lateness_median_ms: median(lateness) * 1e3,
      lateness_max_ms: Math.max(...lateness) * 1e3,
      teardown_median_ms: median(teardown) * 1e3,
      spawn_median_ms: median(spawn) * 1e3,
    },
  };
}

// --------------------------------------------------------------------------- main
function parseArgs(argv) {
  const args = { workload: null, n: null, variant: "tasks", repeats: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--workload") (args.workload = v), i++;
    else if (a === "--n") (args.n = Number(v)), i++;
    else if (a === "--variant") (args.variant = v), i++;
    else if (a === "--repeats") (args.repeats = Number(v)), i++;
    else if (a === "-h" || a === "--help") {
      process.stdout.write("usage: node node_bench.mjs --workload W1|W2g|W3|W4|W5 --n N [--variant tasks|abortsignal] [--repeats R]\n");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!["W1", "W2g", "W3", "W4", "W5"].includes(args.workload)) throw new Error("--workload W1|W2g|W3|W4|W5");
  if (!Number.isInteger(args.n) || args.n < 2) throw new Error("--n must be an integer >= 2");
  if (!["tasks", "abortsignal"].includes(args.variant)) throw new Error("--variant tasks|abortsignal");
  if (args.variant === "abortsignal" && !["W4", "W5"].includes(args.workload))
    throw new Error("--variant abortsignal applies to W4 and W5 only");
  return args;
}

const args = parseArgs(process.argv.slice(2));
const fns = { W1: w1, W2g: w2g, W3: w3, W4: (n) => w4(n, args.variant), W5: (n) => w5(n, args.repeats, args.variant) };
const res = await fns[args.workload](args.n);
process.stdout.write(
  JSON.stringify({
    impl: "node",
    workload: args.workload,
    n: args.n,
    variant: args.variant,
    seconds: res.seconds,
    per_task_ns: (res.seconds / args.n) * 1e9,
    extra: { ...res.extra, max_rss_mb: process.resourceUsage().maxRSS / 1024 },
    version: `node ${process.version} (V8 ${process.versions.v8})`,
  }) + "\n",
);
