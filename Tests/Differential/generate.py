#!/usr/bin/env python3
"""Generate differential-test scenarios for AsyncWait.

    python3 generate.py --seed 1 --count 220            # writes ./scenarios.json
    python3 generate.py --seed 1 --count 220 --out -    # to stdout

Output is deterministic for a given (seed, count) and identical across
CPython 3.8+ (only random.Random.random/randint/randrange/sample/shuffle/choice
are used, whose algorithms are stable).  Hand-written "edge-*" scenarios come
first, then "gen-0001".."gen-NNNN".  Every scenario is checked with
asyncio_runner.validate_scenario before being written.
"""

import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the test folder free of __pycache__
from asyncio_runner import dump_list, validate_all  # noqa: E402


# --------------------------------------------------------------------------
# Hand-written edge scenarios
# --------------------------------------------------------------------------

def V(delay, value):
    return {"delay": delay, "outcome": "value", "value": value}


def E(delay, value):
    return {"delay": delay, "outcome": "error", "value": value}


def C(delay):
    return {"delay": delay, "outcome": "cancel", "value": 0}


def wait(id_, tasks, inputs, return_when="ALL_COMPLETED", timeout=None):
    return {"id": "edge-" + id_, "op": "wait", "tasks": tasks, "inputs": inputs,
            "return_when": return_when, "timeout": timeout}


def as_completed(id_, tasks, inputs, timeout=None):
    return {"id": "edge-" + id_, "op": "as_completed", "tasks": tasks,
            "inputs": inputs, "timeout": timeout}


def gather(id_, tasks, inputs):
    return {"id": "edge-" + id_, "op": "gather", "tasks": tasks, "inputs": inputs}


def gather_results(id_, tasks, inputs):
    return {"id": "edge-" + id_, "op": "gather_results", "tasks": tasks, "inputs": inputs}


def wait_for(id_, tasks, index, timeout=None):
    return {"id": "edge-" + id_, "op": "wait_for", "tasks": tasks,
            "inputs": [index], "timeout": timeout}


def edge_scenarios():
    s = []
    # ---- empty inputs ------------------------------------------------------
    s.append(wait("wait-empty", [], []))
    s.append(wait("wait-empty-first-completed-timeout", [], [], "FIRST_COMPLETED", 1.5))
    s.append(wait("wait-empty-timeout0", [], [], "ALL_COMPLETED", 0.0))
    s.append(wait("wait-empty-tasks-exist", [V(1, 1)], []))  # tasks exist but none passed
    s.append(as_completed("as_completed-empty", [], []))
    s.append(as_completed("as_completed-empty-timeout0", [], [], 0.0))
    s.append(as_completed("as_completed-empty-timeout", [V(2, 1)], [], 1.5))
    s.append(gather("gather-empty", [], []))
    s.append(gather("gather-empty-tasks-exist", [E(1, 1)], []))
    s.append(gather_results("gather_results-empty", [], []))

    # ---- already finished tasks (delay 0) + zero / negative timeouts ---------
    s.append(wait("wait-timeout0-some-finished", [V(0, 10), E(0, 11), V(2, 12)], [0, 1, 2], "ALL_COMPLETED", 0.0))
    s.append(wait("wait-timeout0-none-finished", [V(1, 10), V(2, 12)], [0, 1], "ALL_COMPLETED", 0.0))
    s.append(wait("wait-timeout0-all-finished", [V(0, 10), C(0), E(0, 3)], [0, 1, 2], "ALL_COMPLETED", 0.0))
    s.append(wait("wait-timeout-negative-some-finished", [V(3, 10), C(0), V(1, 12)], [0, 1, 2], "ALL_COMPLETED", -1.0))
    s.append(wait("wait-timeout-negative-half", [V(0, 10), V(1, 12)], [1, 0], "FIRST_COMPLETED", -0.5))
    s.append(wait("wait-first-completed-already-done", [V(2, 1), V(0, 2), V(1, 3)], [0, 1, 2], "FIRST_COMPLETED"))
    s.append(wait("wait-first-completed-two-already-done", [V(0, 1), E(0, 2), V(1, 3)], [0, 1, 2], "FIRST_COMPLETED"))
    s.append(wait("wait-first-exception-already-failed", [E(0, 5), V(3, 6)], [0, 1], "FIRST_EXCEPTION"))
    s.append(wait("wait-first-exception-already-done-value", [V(0, 5), E(2, 6), V(4, 7)], [0, 1, 2], "FIRST_EXCEPTION"))
    s.append(wait("wait-all-already-done", [V(0, 5), E(0, 6), C(0)], [2, 1, 0], "ALL_COMPLETED"))
    s.append(as_completed("as_completed-timeout0-one-finished", [V(0, 1), V(3, 2)], [1, 0], 0.0))
    s.append(as_completed("as_completed-timeout0-all-finished", [E(0, 1)], [0], 0.0))
    s.append(as_completed("as_completed-timeout-negative-one-finished", [V(2, 1), C(0), V(1, 3)], [0, 1, 2], -1.0))
    s.append(as_completed("as_completed-timeout0-none-finished", [V(1, 1), V(2, 2)], [0, 1], 0.0))
    s.append(as_completed("as_completed-finished-first-then-rest", [V(3, 1), V(0, 2), E(1, 3)], [0, 1, 2]))
    s.append(gather("gather-all-already-done", [V(0, 1), V(0, 2), V(0, 3)], [2, 0, 1]))
    s.append(gather("gather-already-failed", [V(2, 1), E(0, 9), V(1, 3)], [0, 1, 2]))
    s.append(gather("gather-already-cancelled", [V(2, 1), C(0), E(1, 3)], [0, 1, 2]))
    s.append(gather_results("gather_results-already-done-mixed", [V(0, 1), E(0, 2), C(0), V(1, 4)], [3, 2, 1, 0, 2]))
    s.append(wait_for("wait_for-timeout0-already-done", [V(0, 42)], 0, 0.0))
    s.append(wait_for("wait_for-timeout0-already-failed", [E(0, 42)], 0, 0.0))
    s.append(wait_for("wait_for-timeout0-already-cancelled", [C(0)], 0, 0.0))
    s.append(wait_for("wait_for-timeout0-pending", [V(1, 42)], 0, 0.0))
    s.append(wait_for("wait_for-timeout-negative-already-done", [V(0, 42)], 0, -1.0))
    s.append(wait_for("wait_for-timeout-negative-pending", [E(1, 42)], 0, -0.5))
    s.append(wait_for("wait_for-no-timeout-already-done", [V(0, 42)], 0, None))

    # ---- FIRST_EXCEPTION vs cancellation -------------------------------------
    s.append(wait("wait-first-exception-cancel-not-exception", [C(1), V(2, 1), E(3, 2), V(5, 3)], [0, 1, 2, 3], "FIRST_EXCEPTION"))
    s.append(wait("wait-first-exception-only-cancels", [C(1), V(2, 1), C(3)], [0, 1, 2], "FIRST_EXCEPTION"))
    s.append(wait("wait-first-exception-all-cancel", [C(2), C(1), C(3)], [0, 1, 2], "FIRST_EXCEPTION"))
    s.append(wait("wait-first-exception-no-error-timeout", [V(1, 1), C(2), V(4, 3)], [0, 1, 2], "FIRST_EXCEPTION", 3.5))
    s.append(wait("wait-first-exception-error-after-timeout", [V(1, 1), E(4, 2), V(5, 3)], [0, 1, 2], "FIRST_EXCEPTION", 2.5))
    s.append(wait("wait-first-exception-first-is-error", [E(1, 1), V(2, 2), V(3, 3)], [0, 1, 2], "FIRST_EXCEPTION"))
    s.append(wait("wait-first-completed-cancel-first", [V(3, 1), C(1), E(2, 2)], [0, 1, 2], "FIRST_COMPLETED"))

    # ---- gather + cancellation / errors ---------------------------------------
    s.append(gather("gather-input-cancelled", [V(1, 1), C(2), V(3, 3)], [0, 1, 2]))
    s.append(gather("gather-cancel-before-error", [E(3, 1), C(2), V(1, 3)], [0, 1, 2]))
    s.append(gather("gather-error-before-cancel", [E(2, 1), C(3), V(1, 3)], [0, 1, 2]))
    s.append(gather("gather-error-last", [V(1, 1), V(2, 2), E(3, 3)], [2, 1, 0]))
    s.append(gather("gather-all-fail", [E(3, 1), E(1, 2), E(2, 3)], [0, 1, 2]))
    s.append(gather("gather-all-cancel", [C(3), C(1), C(2)], [0, 1, 2]))
    s.append(gather_results("gather_results-cancel", [V(1, 1), C(2), E(3, 3)], [0, 1, 2]))
    s.append(gather_results("gather_results-all-fail", [E(3, 1), E(1, 2), C(2)], [0, 1, 2]))

    # ---- wait_for -------------------------------------------------------------
    s.append(wait_for("wait_for-timeout", [V(3, 7)], 0, 1.5))
    s.append(wait_for("wait_for-finish-before-timeout", [V(1, 7)], 0, 2.5))
    s.append(wait_for("wait_for-error-before-timeout", [E(2, 7)], 0, 2.5))
    s.append(wait_for("wait_for-error-after-timeout", [E(3, 7)], 0, 2.5))
    s.append(wait_for("wait_for-self-cancel-before-timeout", [C(1)], 0, 2.5))
    s.append(wait_for("wait_for-self-cancel-after-timeout", [C(3)], 0, 1.5))
    s.append(wait_for("wait_for-self-cancel-no-timeout", [C(2)], 0, None))
    s.append(wait_for("wait_for-no-timeout", [V(2, 7)], 0, None))
    s.append(wait_for("wait_for-error-no-timeout", [E(2, 7)], 0, None))
    s.append(wait_for("wait_for-other-tasks-around", [V(1, 1), V(4, 2), E(2, 3)], 1, 3.5))
    s.append(wait_for("wait_for-other-tasks-around-timeout", [V(1, 1), V(4, 2), E(2, 3)], 1, 2.5))

    # ---- duplicates -------------------------------------------------------------
    s.append(wait("wait-duplicates", [V(2, 1), V(1, 2), E(3, 3)], [0, 0, 1, 1, 2], "FIRST_COMPLETED"))
    s.append(wait("wait-duplicates-all", [V(2, 1), V(1, 2)], [0, 1, 0, 1, 1], "ALL_COMPLETED", 1.5))
    s.append(wait("wait-single-duplicated", [E(2, 1)], [0, 0, 0], "FIRST_EXCEPTION"))
    s.append(as_completed("as_completed-duplicates", [V(2, 1), V(1, 2), E(3, 3)], [0, 1, 0, 2, 1]))
    s.append(as_completed("as_completed-duplicates-timeout", [V(2, 1), V(1, 2), E(3, 3)], [2, 2, 1, 0], 2.5))
    s.append(gather("gather-duplicates", [V(2, 1), V(1, 2)], [0, 1, 0, 1, 1]))
    s.append(gather("gather-duplicates-error", [V(2, 1), E(3, 2)], [1, 0, 1]))
    s.append(gather_results("gather_results-duplicates", [V(2, 1), E(1, 2), C(3)], [0, 1, 2, 1, 0, 2]))

    # ---- completion order / all fail / subsets ---------------------------------
    rev = [V(6, 0), V(5, 1), V(4, 2), V(3, 3), V(2, 4), V(1, 5)]
    s.append(as_completed("as_completed-reverse-order", rev, [0, 1, 2, 3, 4, 5]))
    s.append(as_completed("as_completed-reverse-order-timeout", rev, [0, 1, 2, 3, 4, 5], 3.5))
    s.append(gather("gather-reverse-order", rev, [0, 1, 2, 3, 4, 5]))
    s.append(wait("wait-reverse-order-first-completed", rev, [0, 1, 2, 3, 4, 5], "FIRST_COMPLETED"))
    s.append(wait("wait-reverse-order-timeout", rev, [0, 1, 2, 3, 4, 5], "ALL_COMPLETED", 2.5))
    s.append(as_completed("as_completed-all-fail", [E(2, 1), C(1), E(3, 3)], [0, 1, 2]))
    s.append(as_completed("as_completed-timeout-before-any", [V(2, 1), V(1, 2)], [0, 1], 0.5))
    s.append(as_completed("as_completed-timeout-after-all", [V(2, 1), V(1, 2)], [0, 1], 2.5))
    s.append(wait("wait-all-fail-first-exception", [E(2, 1), E(1, 2), E(3, 3)], [0, 1, 2], "FIRST_EXCEPTION"))
    s.append(wait("wait-all-fail-all-completed", [E(2, 1), E(1, 2), C(3)], [0, 1, 2], "ALL_COMPLETED"))
    s.append(wait("wait-timeout-before-any", [V(2, 1), V(1, 2)], [0, 1], "FIRST_COMPLETED", 0.5))
    s.append(wait("wait-timeout-after-all", [V(2, 1), V(1, 2)], [0, 1], "ALL_COMPLETED", 2.5))
    s.append(wait("wait-subset-of-tasks", [V(1, 1), V(2, 2), V(3, 3), V(4, 4)], [3, 1], "FIRST_COMPLETED"))
    s.append(as_completed("as_completed-subset-of-tasks", [V(1, 1), V(2, 2), V(3, 3), V(4, 4)], [3, 1]))
    s.append(gather("gather-subset-error-not-passed", [E(1, 1), V(2, 2), V(3, 3)], [2, 1]))
    s.append(wait("wait-single", [V(1, 1)], [0], "FIRST_EXCEPTION"))
    s.append(as_completed("as_completed-single-timeout", [V(2, 1)], [0], 1.5))
    return s


# --------------------------------------------------------------------------
# Random scenarios
# --------------------------------------------------------------------------

OP_WEIGHTS = [("wait", 30), ("as_completed", 20), ("gather", 15),
              ("gather_results", 15), ("wait_for", 20)]


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.randrange(total)
    for item, w in pairs:
        if r < w:
            return item
        r -= w
    raise AssertionError


def _timeout(rng):
    r = rng.random()
    if r < 0.35:
        return None
    if r < 0.85:
        return rng.randint(0, 8) + 0.5
    if r < 0.93:
        return 0.0
    return rng.choice([-1.0, -0.5])


def random_scenario(rng, number):
    op = _weighted(rng, OP_WEIGHTS)
    n = rng.randint(1, 6)
    delays = rng.sample(range(1, 9), n)  # distinct, 1..8 units
    tasks = []
    for d in delays:
        outcome = _weighted(rng, [("value", 60), ("error", 25), ("cancel", 15)])
        tasks.append({"delay": d, "outcome": outcome, "value": rng.randint(0, 99)})
    if op == "wait_for":
        inputs = [rng.randrange(n)]
    else:
        if rng.random() < 0.6:
            inputs = list(range(n))
        else:
            inputs = rng.sample(range(n), rng.randint(1, n))
        rng.shuffle(inputs)
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 2)):
                inputs.insert(rng.randrange(len(inputs) + 1), rng.choice(inputs))
    sc = {"id": "gen-%04d" % number, "op": op, "tasks": tasks, "inputs": inputs}
    if op == "wait":
        sc["return_when"] = rng.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])
    if op in ("wait", "as_completed", "wait_for"):
        sc["timeout"] = _timeout(rng)
    return sc


def generate(seed, count):
    rng = random.Random(seed)
    scenarios = edge_scenarios() + [random_scenario(rng, k) for k in range(1, count + 1)]
    validate_all(scenarios)
    return scenarios


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate AsyncWait differential scenarios.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=220, help="number of random scenarios")
    ap.add_argument("--out", default=os.path.join(HERE, "scenarios.json"),
                    help="output path, '-' for stdout (default: scenarios.json next to this script)")
    args = ap.parse_args(argv)
    text = dump_list(generate(args.seed, args.count))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        sys.stderr.write("wrote %s\n" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
