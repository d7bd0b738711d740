#!/usr/bin/env python3
"""Differential-test oracle: run AsyncWait scenarios on real CPython asyncio.

Usage
-----
    python3 asyncio_runner.py scenarios.json > expected.json
    python3 asyncio_runner.py scenarios.json --meta expected.meta.json > expected.json
    python3 asyncio_runner.py scenarios.json --check [--expected expected.json]
    python3 asyncio_runner.py scenarios.json --model          # pure model, no asyncio

Every scenario is run on a real asyncio event loop (all scenarios concurrently
in one loop; each scenario lives in its own Task) and the observed result is
compared with ``model_result()``, a pure-Python model that only sorts tasks by
delay.  Any disagreement is reported on stderr and makes the exit status
non-zero (unless ``--allow-mismatch``), so a committed expected.json is known
to be consistent with the model.

See README.md in this directory for the scenario / result formats and for the
notes on CPython 3.11 vs 3.12 vs 3.13 differences.

Works on CPython >= 3.8 (tested on 3.11, 3.12, 3.13). The reference data is
produced with 3.13.
"""

import argparse
import asyncio
import hashlib
import json
import math
import platform
import sys
import time

# One logical time unit, in milliseconds.  Every event in a scenario happens at
# an integer number of units (task completions) or exactly half-way between
# two units (timeouts), so scheduling noise must exceed UNIT_MS/2 before any
# result could change.  Must stay >= 40.
UNIT_MS = 50

# Number of `await asyncio.sleep(0)` performed after creating a scenario's
# tasks and before calling the operation.  Tasks with delay 0 complete during
# the first one, so they are "already finished" when the op is called.
PRE_OP_YIELDS = 3

# Scenarios run concurrently in batches of this size (0 = all at once).  One
# batch takes ~9 units of wall time; smaller batches = less loop load = less
# timing noise.
BATCH_SIZE = 64

# Scenario starts inside a batch are staggered over this many fractions of a
# unit, so that not every task of the batch wakes up at the same instant.
STAGGER = 5

OPS = ("wait", "as_completed", "gather", "gather_results", "wait_for")
OUTCOMES = ("value", "error", "cancel")
RETURN_WHEN = ("FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED")
OPS_WITH_TIMEOUT = ("wait", "as_completed", "wait_for")


# --------------------------------------------------------------------------
# Scenario validation (shared with generate.py)
# --------------------------------------------------------------------------

class ScenarioError(ValueError):
    pass


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def validate_scenario(sc):
    """Raise ScenarioError if `sc` is malformed or its answer would depend on
    the (unspecified) ordering of simultaneous completions."""
    sid = sc.get("id")
    if not isinstance(sid, str) or not sid:
        raise ScenarioError("scenario without id: %r" % (sc,))

    def bad(msg):
        raise ScenarioError("%s: %s" % (sid, msg))

    op = sc.get("op")
    if op not in OPS:
        bad("unknown op %r" % (op,))
    tasks = sc.get("tasks")
    if not isinstance(tasks, list):
        bad("tasks must be a list")
    for t in tasks:
        if not _is_int(t.get("delay")) or t["delay"] < 0:
            bad("delay must be an int >= 0: %r" % (t,))
        if t.get("outcome") not in OUTCOMES:
            bad("bad outcome: %r" % (t,))
        if t["outcome"] != "cancel" and not _is_int(t.get("value")):
            bad("value/error task needs an int value: %r" % (t,))
    inputs = sc.get("inputs")
    if not isinstance(inputs, list) or not all(_is_int(i) and 0 <= i < len(tasks) for i in inputs):
        bad("inputs must be a list of task indices")
    if op == "wait_for" and len(inputs) != 1:
        bad("wait_for needs exactly one input")
    if op == "wait":
        if sc.get("return_when") not in RETURN_WHEN:
            bad("wait needs return_when")
    elif "return_when" in sc:
        bad("return_when only allowed for wait")
    if op in OPS_WITH_TIMEOUT:
        to = sc.get("timeout", None)
        if to is not None:
            if not isinstance(to, (int, float)) or isinstance(to, bool):
                bad("timeout must be a number or null")
            if to > 0 and (to * 2) % 2 != 1:
                bad("positive timeout must be x.5 (between units): %r" % (to,))
    elif sc.get("timeout") is not None:
        bad("timeout only allowed for wait / as_completed / wait_for")

    # Timing hygiene: distinct delays, except several delay-0 tasks (they all
    # complete before the op is called, deterministically) -- and only where
    # the answer does not depend on their relative order.
    delays = [t["delay"] for t in tasks]
    for d in set(delays):
        if d > 0 and delays.count(d) > 1:
            bad("two tasks share delay %d" % d)
    uniq = sorted(set(inputs))
    zero = [i for i in uniq if tasks[i]["delay"] == 0]
    if op == "as_completed" and len(zero) > 1:
        # CPython yields already-finished tasks in set-iteration order.
        bad("as_completed with >1 already-finished input: order unspecified")
    if op == "gather":
        failing0 = {_describe_outcome(tasks[i]) for i in zero if tasks[i]["outcome"] != "value"}
        if len(failing0) > 1:
            bad("gather with several different already-failed inputs: which "
                "one is raised depends on argument order")
    return sc


def validate_all(scenarios):
    ids = set()
    for sc in scenarios:
        validate_scenario(sc)
        if sc["id"] in ids:
            raise ScenarioError("duplicate id %s" % sc["id"])
        ids.add(sc["id"])


# --------------------------------------------------------------------------
# Pure model (no asyncio): sort by delay.
# --------------------------------------------------------------------------

def _describe_outcome(task):
    if task["outcome"] == "error":
        return "APIError:%d" % task["value"]
    if task["outcome"] == "cancel":
        return "CancelledError"
    raise AssertionError("not a failure")


def _effective_timeout(sc):
    """Timeout in units; None -> +inf; 0 / negative -> 0 (only the tasks that
    had already finished before the call count)."""
    to = sc.get("timeout")
    if to is None:
        return math.inf
    return max(float(to), 0.0)


def model_result(sc):
    op = sc["op"]
    tasks = sc["tasks"]
    inputs = sc["inputs"]
    uniq = sorted(set(inputs))
    delay = {i: tasks[i]["delay"] for i in uniq}
    by_time = sorted(uniq, key=lambda i: (delay[i], i))
    T = _effective_timeout(sc)

    if op == "wait":
        if not inputs:
            return {"raised": "ValueError"}
        rw = sc["return_when"]
        if rw == "FIRST_COMPLETED":
            trigger = min(delay.values())
        elif rw == "FIRST_EXCEPTION":
            # A cancelled task is *not* an exception here.
            errs = [delay[i] for i in uniq if tasks[i]["outcome"] == "error"]
            trigger = min(errs) if errs else max(delay.values())
        else:
            trigger = max(delay.values())
        cut = min(trigger, T)
        return {"done": [i for i in uniq if delay[i] <= cut],
                "pending": [i for i in uniq if delay[i] > cut]}

    if op == "as_completed":
        order = [i for i in by_time if delay[i] <= T]
        return {"order": order,
                "raised": "TimeoutError" if len(order) < len(uniq) else None}

    if op == "gather":
        for i in by_time:
            if tasks[i]["outcome"] != "value":
                return {"raised": _describe_outcome(tasks[i])}
        return {"values": [tasks[i]["value"] for i in inputs]}

    if op == "gather_results":
        vals = []
        for i in inputs:
            t = tasks[i]
            if t["outcome"] == "value":
                vals.append({"value": t["value"]})
            else:
                vals.append({"error": _describe_outcome(t)})
        return {"values": vals}

    if op == "wait_for":
        (i,) = inputs
        t = tasks[i]
        if t["delay"] > T:
            return {"raised": "TimeoutError"}
        if t["outcome"] == "value":
            return {"value": t["value"]}
        return {"raised": _describe_outcome(t)}

    raise AssertionError(op)


_FINAL = {"value": "value", "error": "error", "cancel": "cancelled"}


def model_final(sc):
    """State of every task once everything has settled.  The ops never
    cancel their inputs (wait/as_completed timeouts and a failing gather
    leave the others running), except wait_for, which cancels its task when
    the timeout fires."""
    final = [_FINAL[t["outcome"]] for t in sc["tasks"]]
    if sc["op"] == "wait_for" and model_result(sc) == {"raised": "TimeoutError"}:
        final[sc["inputs"][0]] = "cancelled"
    return final


def model_entry(sc):
    return {"id": sc["id"], "result": model_result(sc), "final": model_final(sc)}


# --------------------------------------------------------------------------
# Real asyncio
# --------------------------------------------------------------------------

class APIError(Exception):
    def __init__(self, value, idx):
        super().__init__(value)
        self.value = value
        self.idx = idx  # lets the runner identify the task (3.11 as_completed)


class _Tagged:
    """Internal return value of a scenario task: (task index, value)."""
    __slots__ = ("idx", "value")

    def __init__(self, idx, value):
        self.idx = idx
        self.value = value


class _CancelTag:
    __slots__ = ("idx",)

    def __init__(self, idx):
        self.idx = idx


def _describe_exc(exc):
    if isinstance(exc, APIError):
        return "APIError:%d" % exc.value
    if isinstance(exc, asyncio.CancelledError):
        return "CancelledError"
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return "TimeoutError"
    if isinstance(exc, ValueError):
        return "ValueError"
    raise exc


class _Stats:
    def __init__(self):
        self.max_late = 0.0          # seconds a task completed after nominal
        self.max_op_start = 0.0      # seconds from scenario start to op call
        self.min_margin = math.inf   # seconds, see _margin()
        self.min_margin_id = None
        self.ambiguous = []
        self.ac_mode = None


def _margin(sc, unit, t_op, done_at):
    """Smallest real-time distance between two events whose order matters:
    consecutive task completions, a completion and the timeout deadline, and
    the op call vs. the first non-zero-delay completion."""
    # Delay-0 tasks finish (together) before the op is called: not timed.
    late = sorted(t for i, t in done_at.items() if sc["tasks"][i]["delay"] > 0)
    gaps = [b - a for a, b in zip(late, late[1:])]
    if late:
        gaps.append(min(late) - t_op)
    to = sc.get("timeout")
    if to is not None and to > 0:
        deadline = t_op + to * unit
        gaps.extend(abs(t - deadline) for t in late)
    return min(gaps) if gaps else math.inf


async def _task_body(idx, spec, unit, origin, stats, done_at):
    loop = asyncio.get_running_loop()
    d = spec["delay"]
    if d > 0:
        # Logical time 0 is the instant the op is called (the scenario sets
        # `origin` right before calling it), so a slow start-up of the
        # scenario cannot shift task completions relative to the op's
        # timeout.  The task is simply pending until then.
        t_zero = await origin
        await asyncio.sleep(max(0.0, t_zero + d * unit - loop.time()))
        stats.max_late = max(stats.max_late, loop.time() - t_zero - d * unit)
    done_at[idx] = loop.time()
    outcome = spec["outcome"]
    if outcome == "value":
        return _Tagged(idx, spec["value"])
    if outcome == "error":
        raise APIError(spec["value"], idx)
    # The task cancels itself: raising CancelledError inside a task's
    # coroutine marks the task cancelled (task.cancelled() is True).
    raise asyncio.CancelledError(_CancelTag(idx))


def _seconds(sc, unit):
    to = sc.get("timeout")
    return None if to is None else to * unit


async def _op_wait(sc, args, tasks, unit, ctx):
    rw = getattr(asyncio, sc["return_when"])
    try:
        done, pending = await asyncio.wait(args, timeout=_seconds(sc, unit), return_when=rw)
    except (Exception, asyncio.CancelledError) as e:
        return {"raised": _describe_exc(e)}
    idx = ctx["index_of"]
    return {"done": sorted({idx[f] for f in done}),
            "pending": sorted({idx[f] for f in pending})}


async def _op_as_completed(sc, args, tasks, unit, ctx):
    idx = ctx["index_of"]
    order, raised = [], None
    it = asyncio.as_completed(args, timeout=_seconds(sc, unit))
    if ctx["ac_mode"] == "aiter":
        # 3.13+: async iteration yields the original tasks.
        try:
            async for f in it:
                order.append(idx[f])
        except asyncio.TimeoutError:
            raised = "TimeoutError"
        return {"order": order, "raised": raised}

    # Plain iteration (the only form before 3.13): yields coroutines that
    # return the result or raise; identify the task from the tagged
    # result / exception.
    for aw in it:
        try:
            r = await aw
        except asyncio.TimeoutError:
            raised = "TimeoutError"
            break
        except APIError as e:
            order.append(e.idx)
        except asyncio.CancelledError as e:
            tag = e.args[0] if e.args else None
            if isinstance(tag, _CancelTag):
                order.append(tag.idx)
            else:
                # Fallback: the one cancelled input not yet yielded.
                cands = [i for i in sorted(set(sc["inputs"]))
                         if tasks[i].cancelled() and i not in order]
                if len(cands) == 1:
                    order.append(cands[0])
                else:
                    ctx["stats"].ambiguous.append(sc["id"])
                    order.append(-1)
        else:
            order.append(r.idx)
    return {"order": order, "raised": raised}


async def _op_gather(sc, args, tasks, unit, ctx):
    try:
        res = await asyncio.gather(*args)
    except (Exception, asyncio.CancelledError) as e:
        return {"raised": _describe_exc(e)}
    return {"values": [r.value for r in res]}


async def _op_gather_results(sc, args, tasks, unit, ctx):
    res = await asyncio.gather(*args, return_exceptions=True)
    out = []
    for r in res:
        if isinstance(r, _Tagged):
            out.append({"value": r.value})
        else:
            out.append({"error": _describe_exc(r)})
    return {"values": out}


async def _op_wait_for(sc, args, tasks, unit, ctx):
    (aw,) = args
    try:
        r = await asyncio.wait_for(aw, _seconds(sc, unit))
    except (Exception, asyncio.CancelledError) as e:
        return {"raised": _describe_exc(e)}
    return {"value": r.value}


_OP_IMPL = {
    "wait": _op_wait,
    "as_completed": _op_as_completed,
    "gather": _op_gather,
    "gather_results": _op_gather_results,
    "wait_for": _op_wait_for,
}


async def _run_scenario(sc, unit, ac_mode, stats, stagger):
    loop = asyncio.get_running_loop()
    if stagger > 0:
        await asyncio.sleep(stagger)  # spread the batch's ticks over the unit
    t0 = loop.time()
    done_at = {}
    origin = loop.create_future()
    tasks = [loop.create_task(_task_body(i, spec, unit, origin, stats, done_at))
             for i, spec in enumerate(sc["tasks"])]
    ctx = {"index_of": {t: i for i, t in enumerate(tasks)},
           "ac_mode": ac_mode, "stats": stats}
    t_op = None
    try:
        for _ in range(PRE_OP_YIELDS):
            await asyncio.sleep(0)
        t_op = loop.time()
        origin.set_result(t_op)
        stats.max_op_start = max(stats.max_op_start, t_op - t0)
        for t, spec in zip(tasks, sc["tasks"]):
            if (spec["delay"] == 0) != t.done():
                raise RuntimeError("%s: delay-0 tasks must be (and only they) "
                                   "finished when the op is called" % sc["id"])
        args = [tasks[i] for i in sc["inputs"]]
        result = await _OP_IMPL[sc["op"]](sc, args, tasks, unit, ctx)
    finally:
        # Let every task finish (and retrieve its exception) so nothing leaks
        # into other scenarios or triggers "exception never retrieved".
        if not origin.done():  # harness error before the op: release tasks
            origin.set_result(loop.time())
        await asyncio.gather(*tasks, return_exceptions=True)
        if t_op is not None:
            m = _margin(sc, unit, t_op, done_at)
            if m < stats.min_margin:
                stats.min_margin, stats.min_margin_id = m, sc["id"]
    final = []
    for t in tasks:
        if t.cancelled():
            final.append("cancelled")
        elif t.exception() is not None:
            final.append("error")
        else:
            final.append("value")
    return {"id": sc["id"], "result": result, "final": final}


async def _run_all(scenarios, unit, ac_mode, stats, batch_size):
    results = []
    step = batch_size if batch_size > 0 else max(1, len(scenarios))
    for k in range(0, len(scenarios), step):
        coros = [_run_scenario(sc, unit, ac_mode, stats, (j % STAGGER) * unit / STAGGER)
                 for j, sc in enumerate(scenarios[k:k + step])]
        results.extend(await asyncio.gather(*coros, return_exceptions=True))
    return results


def run_real(scenarios, unit_ms=UNIT_MS, ac_mode="auto", batch_size=BATCH_SIZE):
    """Run the scenarios on one event loop, `batch_size` of them concurrently
    (batches one after another).  Returns (results, stats, wall_seconds)."""
    if unit_ms <= 0:
        raise ValueError("unit_ms must be positive")
    if unit_ms < 40:
        sys.stderr.write("WARNING: unit below 40 ms; expect timing noise\n")
    if ac_mode == "auto":
        ac_mode = "aiter" if sys.version_info >= (3, 13) else "iter"
    if ac_mode == "aiter" and sys.version_info < (3, 13):
        raise SystemExit("--as-completed-mode aiter needs Python >= 3.13")
    stats = _Stats()
    stats.ac_mode = ac_mode
    start = time.monotonic()
    results = asyncio.run(_run_all(scenarios, unit_ms / 1000.0, ac_mode, stats, batch_size))
    wall = time.monotonic() - start
    for sc, r in zip(scenarios, results):
        if isinstance(r, BaseException):
            raise RuntimeError("harness failure in %s: %r" % (sc["id"], r)) from r
    return results, stats, wall


# --------------------------------------------------------------------------
# I/O helpers
# --------------------------------------------------------------------------

def dump_list(entries):
    """One JSON object per line: stable and diff-friendly."""
    if not entries:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(e, sort_keys=False) for e in entries) + "\n]\n"


def load_scenarios(path):
    with open(path, "rb") as f:
        raw = f.read()
    scenarios = json.loads(raw.decode("utf-8"))
    if isinstance(scenarios, dict):  # tolerate {"scenarios": [...]}
        scenarios = scenarios["scenarios"]
    validate_all(scenarios)
    return scenarios, hashlib.sha256(raw).hexdigest()


def _compare(label_a, a, label_b, b, scenarios, out):
    bad = []
    for sc, ea, eb in zip(scenarios, a, b):
        if ea != eb:
            bad.append(sc["id"])
            ra = {k: v for k, v in (ea or {}).items() if k != "id"}
            rb = {k: v for k, v in (eb or {}).items() if k != "id"}
            out.write("MISMATCH %s (%s): %s=%s %s=%s\n" % (
                sc["id"], sc["op"], label_a, json.dumps(ra), label_b, json.dumps(rb)))
    return bad


def interpreter_string():
    return "%s %s" % (platform.python_implementation(), platform.python_version())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenarios", help="scenarios.json")
    ap.add_argument("--check", action="store_true",
                    help="run asyncio, compare with the model (and with "
                         "--expected if given); print a summary, no JSON")
    ap.add_argument("--expected", help="expected.json to compare against (with --check)")
    ap.add_argument("--model", action="store_true",
                    help="print the pure-model results (no asyncio) and exit")
    ap.add_argument("--meta", help="also write interpreter/version metadata to this file")
    ap.add_argument("--unit-ms", type=float, default=UNIT_MS,
                    help="milliseconds per unit (default %(default)s; keep >= 40)")
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE,
                    help="scenarios run concurrently per batch (0 = all; default %(default)s)")
    ap.add_argument("--as-completed-mode", choices=("auto", "aiter", "iter"), default="auto",
                    help="auto = 'async for' on 3.13+, plain iteration before")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the whole pass N times (flakiness check)")
    ap.add_argument("--only", action="append", default=[],
                    help="run only this scenario id (repeatable)")
    ap.add_argument("--allow-mismatch", action="store_true",
                    help="exit 0 even if asyncio disagrees with the model")
    args = ap.parse_args(argv)

    scenarios, sha = load_scenarios(args.scenarios)
    if args.only:
        wanted = set(args.only)
        scenarios = [s for s in scenarios if s["id"] in wanted]
    model = [model_entry(sc) for sc in scenarios]

    if args.model:
        sys.stdout.write(dump_list(model))
        return 0

    err = sys.stderr
    failed = False
    real = None
    for rep in range(max(1, args.repeat)):
        real, stats, wall = run_real(scenarios, args.unit_ms, args.as_completed_mode,
                                     args.batch_size)
        bad = _compare("asyncio", real, "model", model, scenarios, err)
        err.write("%s: %d scenarios, pass %d: %.2fs wall, max task lateness %.1f ms, "
                  "max op-call delay %.1f ms, min event margin %.1f ms (%s) "
                  "(unit %g ms, batch %d, as_completed via %s), %d model mismatches\n" % (
                      interpreter_string(), len(scenarios), rep + 1, wall,
                      stats.max_late * 1000, stats.max_op_start * 1000,
                      stats.min_margin * 1000, stats.min_margin_id, args.unit_ms,
                      args.batch_size, stats.ac_mode, len(bad)))
        if stats.min_margin * 1000 < args.unit_ms / 4:
            err.write("WARNING: two order-relevant events were less than unit/4 "
                      "apart (results may be unreliable if they disagree with "
                      "the model; try a larger --unit-ms or smaller --batch-size)\n")
        if stats.ambiguous:
            err.write("WARNING: could not identify as_completed task in %s\n" % stats.ambiguous)
            failed = True
        if bad:
            failed = True

    if args.check and args.expected:
        with open(args.expected, encoding="utf-8") as f:
            exp = json.load(f)
        exp_by_id = {e["id"]: e for e in exp}
        missing = [s["id"] for s in scenarios if s["id"] not in exp_by_id]
        if missing:
            err.write("MISSING in %s: %s\n" % (args.expected, missing))
            failed = True
        exp_list = [exp_by_id.get(s["id"]) for s in scenarios]
        bad = _compare("asyncio", real, "expected", exp_list, scenarios, err)
        err.write("%d mismatches against %s\n" % (len(bad), args.expected))
        if bad:
            failed = True

    if not args.check:
        sys.stdout.write(dump_list(real))
        if args.meta:
            meta = {
                "interpreter": interpreter_string(),
                "python_version": platform.python_version(),
                "python_implementation": platform.python_implementation(),
                "unit_ms": args.unit_ms,
                "pre_op_yields": PRE_OP_YIELDS,
                "as_completed_mode": stats.ac_mode,
                "scenario_count": len(scenarios),
                "scenarios_sha256": sha,
                "model_agrees": not failed,
            }
            with open(args.meta, "w", encoding="utf-8") as f:
                json.dump(meta, f, indent=2)
                f.write("\n")
    elif not failed:
        err.write("OK\n")

    if failed and not args.allow_mismatch:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
