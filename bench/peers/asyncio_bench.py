#!/usr/bin/env python3
"""asyncio / uvloop peer for the AsyncWait cross-language benchmark.

Runs ONE workload and prints exactly one JSON line on stdout (see README.md):

    python3 asyncio_bench.py --workload W1 --n 10000 [--loop asyncio|uvloop]

Workloads (identical across implementations):
  W1   all-completed: N tasks return their index at once; one asyncio.wait(ALL_COMPLETED).
  W2g  tutorial FIRST_COMPLETED loop, worst case: task i awaits gate i; open gate 0, then
       `while pending: done, pending = await asyncio.wait(pending, FIRST_COMPLETED)`,
       opening the next gate after each call (each call returns exactly one task). O(N^2).
  W3   as-completed: N tasks `await asyncio.sleep(0)` once and return; consumed in
       completion order with `for f in asyncio.as_completed(...)` (or `async for` on 3.13+
       with --ac-mode async).
  W4   first-exception: task N/2 raises after one yield, the rest sleep 10 s;
       asyncio.wait(FIRST_EXCEPTION), then cancel the rest and await their teardown.
  W5   timeout: N tasks sleep 10 s; asyncio.wait(tasks, timeout=0.05); 20 repeats.

Every workload validates its results and raises on anything unexpected.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import resource
import statistics
import sys
import time

perf = time.perf_counter


class BenchError(RuntimeError):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise BenchError(msg)


# --------------------------------------------------------------------------- W1
async def w1(n: int) -> dict:
    async def ret(i: int) -> int:
        return i

    t0 = perf()
    tasks = [asyncio.create_task(ret(i)) for i in range(n)]
    done, pending = await asyncio.wait(tasks)  # ALL_COMPLETED
    total = sum(t.result() for t in tasks)
    t1 = perf()
    check(not pending and len(done) == n, f"W1: done={len(done)} pending={len(pending)}")
    check(total == n * (n - 1) // 2, f"W1: bad sum {total}")
    return {"seconds": t1 - t0, "extra": {}}


# --------------------------------------------------------------------------- W2g
async def w2g(n: int) -> dict:
    loop = asyncio.get_running_loop()

    async def gated(i: int, gate: asyncio.Future) -> int:
        await gate
        return i

    t0 = perf()
    gates = [loop.create_future() for _ in range(n)]
    tasks = [asyncio.create_task(gated(i, gates[i])) for i in range(n)]
    pending = set(tasks)
    gates[0].set_result(None)
    expected = 0
    calls = 0
    total = 0
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        calls += 1
        check(len(done) == 1, f"W2g: call {calls} returned {len(done)} tasks")
        (t,) = done
        r = t.result()
        check(r == expected, f"W2g: expected task {expected}, got {r}")
        total += r
        expected += 1
        if expected < n:
            gates[expected].set_result(None)
    t1 = perf()
    check(calls == n and total == n * (n - 1) // 2, f"W2g: calls={calls} sum={total}")
    return {"seconds": t1 - t0, "extra": {"wait_calls": calls}}


# --------------------------------------------------------------------------- W3
async def w3(n: int, ac_mode: str) -> dict:
    async def yield_once(i: int) -> int:
        await asyncio.sleep(0)
        return i

    t0 = perf()
    tasks = [asyncio.create_task(yield_once(i)) for i in range(n)]
    total = 0
    count = 0
    if ac_mode == "async":
        # Python 3.13+: `async for` yields the original tasks in completion order.
        async for t in asyncio.as_completed(tasks):
            total += t.result()
            count += 1
    else:
        for fut in asyncio.as_completed(tasks):
            total += await fut
            count += 1
    t1 = perf()
    check(count == n, f"W3: consumed {count} of {n}")
    check(total == n * (n - 1) // 2, f"W3: bad sum {total}")
    return {"seconds": t1 - t0, "extra": {"as_completed_mode": ac_mode}}


# --------------------------------------------------------------------------- W4
class Boom(Exception):
    pass


async def w4(n: int) -> dict:
    bad = n // 2

    async def worker(i: int) -> int:
        if i == bad:
            await asyncio.sleep(0)
            raise Boom(i)
        await asyncio.sleep(10)
        return i

    t0 = perf()
    tasks = [asyncio.create_task(worker(i)) for i in range(n)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    t1 = perf()
    check(tasks[bad] in done, "W4: failing task not in done")
    check(len(done) == 1 and len(pending) == n - 1, f"W4: done={len(done)} pending={len(pending)}")
    check(isinstance(tasks[bad].exception(), Boom), "W4: wrong exception")
    for t in pending:
        t.cancel()
    done2, pending2 = await asyncio.wait(pending)
    t2 = perf()
    check(not pending2 and len(done2) == n - 1, "W4: teardown incomplete")
    check(all(t.cancelled() for t in done2), "W4: a sleeper was not cancelled")
    notice, teardown = t1 - t0, t2 - t1
    return {
        "seconds": notice + teardown,
        "extra": {
            "notice_s": notice,
            "teardown_s": teardown,
            "notice_per_task_ns": notice / n * 1e9,
            "teardown_per_task_ns": teardown / n * 1e9,
        },
    }


# --------------------------------------------------------------------------- W5
W5_TIMEOUT = 0.05
W5_REPEATS = 20


async def w5(n: int, repeats: int) -> dict:
    async def sleeper() -> None:
        await asyncio.sleep(10)

    lateness, teardown, spawn, overhead = [], [], [], []
    for _ in range(repeats):
        t0 = perf()
        tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
        t1 = perf()
        done, pending = await asyncio.wait(tasks, timeout=W5_TIMEOUT)
        t2 = perf()
        check(not done and len(pending) == n, f"W5: done={len(done)} before the timeout")
        for t in pending:
            t.cancel()
        done2, pending2 = await asyncio.wait(pending)
        t3 = perf()
        check(not pending2 and all(t.cancelled() for t in done2), "W5: teardown incomplete")
        late = (t2 - t1) - W5_TIMEOUT
        check(late > -0.001, f"W5: wait returned {-late * 1e3:.3f} ms early")
        spawn.append(t1 - t0)
        lateness.append(late)
        teardown.append(t3 - t2)
        overhead.append((t1 - t0) + late + (t3 - t2))
    return {
        # Cost beyond the requested 50 ms: spawn + lateness + teardown, median of repeats.
        "seconds": statistics.median(overhead),
        "extra": {
            "repeats": repeats,
            "timeout_ms": W5_TIMEOUT * 1e3,
            "lateness_median_ms": statistics.median(lateness) * 1e3,
            "lateness_max_ms": max(lateness) * 1e3,
            "teardown_median_ms": statistics.median(teardown) * 1e3,
            "spawn_median_ms": statistics.median(spawn) * 1e3,
        },
    }


# --------------------------------------------------------------------------- main
def eager_supported() -> bool:
    return hasattr(asyncio, "eager_task_factory")


async def run(args) -> dict:
    if args.variant == "eager":
        asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    w = args.workload
    if w == "W1":
        return await w1(args.n)
    if w == "W2g":
        return await w2g(args.n)
    if w == "W3":
        return await w3(args.n, args.ac_mode)
    if w == "W4":
        return await w4(args.n)
    if w == "W5":
        return await w5(args.n, args.repeats)
    raise BenchError(f"unknown workload {w}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", required=True, choices=["W1", "W2g", "W3", "W4", "W5"])
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--loop", default="asyncio", choices=["asyncio", "uvloop"])
    p.add_argument("--variant", default="tasks", choices=["tasks", "eager"],
                   help="tasks (default) or eager: asyncio.eager_task_factory (3.12+)")
    p.add_argument("--ac-mode", default="for", choices=["for", "async"],
                   help="W3 consumption: `for f in as_completed` (all versions) or `async for` (3.13+)")
    p.add_argument("--repeats", type=int, default=W5_REPEATS, help="W5 repeats (default 20)")
    args = p.parse_args()
    if args.n < 2:
        p.error("--n must be >= 2")
    if args.variant == "eager" and not eager_supported():
        p.error("--variant eager needs Python 3.12+")
    if args.ac_mode == "async" and sys.version_info < (3, 13):
        p.error("--ac-mode async needs Python 3.13+")

    version = f"{platform.python_implementation()} {platform.python_version()}"
    if args.loop == "uvloop":
        import uvloop  # noqa: PLC0415 - optional dependency

        version += f" / uvloop {uvloop.__version__}"
        res = uvloop.run(run(args))
    else:
        res = asyncio.run(run(args))

    extra = dict(res["extra"])
    # Peak RSS of this process (Linux reports KiB).
    extra["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "impl": args.loop,
        "workload": args.workload,
        "n": args.n,
        "variant": args.variant,
        "seconds": res["seconds"],
        "per_task_ns": res["seconds"] / args.n * 1e9,
        "extra": extra,
        "version": version,
    }
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
