#!/usr/bin/env python3
"""Cross-language peer benchmark orchestrator for AsyncWait.

    python3 bench/peers/run_peers.py [--rounds 3] [--quick] [--out docs/benchmarks]

* creates bench/peers/.venv and installs uvloop + matplotlib there (uvloop failure -> the
  uvloop rows are skipped with a note; matplotlib failure -> no PNG, with a note);
* runs every (impl, workload, N) once per round, round by round (round 1 of everything,
  then round 2, ...; the order of the impls rotates each round) so machine noise hits all
  implementations alike;
* the Swift side is an external command (default bench/peers/swift-runner.sh) called as
  `<swift_cmd> --workload W1 --n 10000 --variant tasks` printing the same JSON line; it is
  probed first with `<swift_cmd> --build-only`; if that fails the Swift rows are skipped
  with a warning;
* writes <out>/peers.md (table), <out>/peers.json (metadata + every raw row + summary) and
  <out>/peers.png (ns per task vs N, log-log, one subplot per workload).

Only the standard library is needed to run this script; plotting runs in the venv.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VENV = HERE / ".venv"

WORKLOADS = ["W1", "W2g", "W3", "W4", "W5"]
FULL_NS = {
    "W1": [10_000, 100_000, 1_000_000],
    "W2g": [1_000, 3_000, 10_000],
    "W3": [10_000, 100_000, 1_000_000],
    "W4": [10_000, 100_000],
    "W5": [1_000, 10_000],
}
QUICK_NS = {
    "W1": [1_000, 10_000],
    "W2g": [100, 300],
    "W3": [1_000, 10_000],
    "W4": [1_000, 10_000],
    "W5": [100, 1_000],
}
SWIFT_VARIANTS = {
    "W1": ["tasks", "taskset", "rawgroup", "rawtasks"],
    "W2g": ["tasks", "inplace", "taskset", "floor"],
    "W3": ["tasks", "taskset", "rawgroup"],
    "W4": ["tasks", "taskset", "rawgroup"],
    "W5": ["tasks", "taskset", "rawtimer"],
}
# The Swift "raw" baseline each workload is compared against (first one present wins).
RAW_BASELINE = {
    "W1": ["rawgroup", "rawtasks"],
    "W2g": ["floor"],
    "W3": ["rawgroup"],
    "W4": ["rawgroup"],
    "W5": ["rawtimer"],
}
SWIFT_IMPLS = {"asyncwait", "swift-raw"}
WORKLOAD_TITLES = {
    "W1": "W1 all-completed (one wait for N)",
    "W2g": "W2g FIRST_COMPLETED loop, gated (O(N^2))",
    "W3": "W3 as-completed (N tasks, 1 yield)",
    "W4": "W4 first-exception: notice + teardown",
    "W5": "W5 timeout 50 ms: spawn + lateness + teardown",
}
NODE_HEAP_MB = 8192  # W2g 10k keeps ~N^2/2 Promise.race reactions alive (~3.4 GB RSS)


def log(msg: str) -> None:
    print(f"[run_peers {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd: list[str], timeout: float = 60, **kw) -> tuple[int, str, str]:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
        return p.returncode, p.stdout, p.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        return 127, "", str(e)


# ----------------------------------------------------------------------------- environment
def venv_python() -> Path:
    return VENV / "bin" / "python"


def setup_venv(notes: list[str], want_uvloop: bool) -> tuple[str, bool, bool]:
    """Returns (python for the asyncio peer, uvloop available, matplotlib available)."""
    py = venv_python()
    if not py.exists():
        log(f"creating venv {VENV}")
        rc, _, err = sh([sys.executable, "-m", "venv", str(VENV)], timeout=300)
        if rc != 0 or not py.exists():
            notes.append(f"venv creation failed ({err.strip()[-200:]}); using {sys.executable}, "
                         "no uvloop, no plot")
            log(f"WARNING: venv creation failed: {err.strip()[-500:]}")
            return sys.executable, False, False

    def has(mod: str) -> bool:
        return sh([str(py), "-c", f"import {mod}"], timeout=120)[0] == 0

    avail = {}
    for pkg in (["uvloop"] if want_uvloop else []) + ["matplotlib"]:
        if not has(pkg):
            log(f"pip install {pkg} into {VENV}")
            rc, out, err = sh([str(py), "-m", "pip", "install", "-q", pkg], timeout=900)
            if rc != 0:
                log(f"WARNING: pip install {pkg} failed: {(out + err).strip()[-500:]}")
        avail[pkg] = has(pkg)
        if not avail[pkg]:
            what = "uvloop rows skipped" if pkg == "uvloop" else "no PNG"
            notes.append(f"{pkg} could not be installed into the venv: {what}")
    if not want_uvloop:
        notes.append("uvloop disabled (--no-uvloop)")
    return str(py), avail.get("uvloop", False), avail["matplotlib"]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def first_line(cmd: list[str]) -> str | None:
    rc, out, err = sh(cmd, timeout=60)
    text = (out or err).strip()
    return text.splitlines()[0] if rc == 0 and text else None


def resolve_python(spec: str) -> str | None:
    """'3.13' -> a pyenv interpreter; a path -> itself."""
    if os.sep in spec:
        return spec if Path(spec).exists() else None
    rc, root, _ = sh(["pyenv", "root"], timeout=30)
    roots = [Path(root.strip()) / "versions"] if rc == 0 and root.strip() else []
    for r in roots:
        for d in sorted(r.glob(f"{spec}*"), reverse=True):
            cand = d / "bin" / "python3"
            if cand.exists():
                return str(cand)
    return shutil.which(f"python{spec}")


# ----------------------------------------------------------------------------- peers
class Peer:
    """One implementation/variant line: knows how to build the command for (workload, n)."""

    def __init__(self, series: str, argv: list[str], workloads: list[str], env=None,
                 relabel: str | None = None, swift: bool = False):
        self.series = series
        self.argv = argv
        self.workloads = workloads
        self.env = env
        self.relabel = relabel  # overrides the JSON "impl" (e.g. asyncio on another Python)
        self.swift = swift

    def cmd(self, workload: str, n: int) -> list[str]:
        return self.argv + ["--workload", workload, "--n", str(n)]


def parse_caps(caps: list[str]) -> list[tuple[str, str, int]]:
    """--cap SERIES_PREFIX:WORKLOAD=N  (e.g. asyncio:W2g=3000, node:*=100000, *:W2g=3000)."""
    out = []
    for c in caps:
        try:
            who, rest = c.split(":", 1)
            w, n = rest.split("=", 1)
            out.append((who, w, int(n.replace("_", ""))))
        except ValueError:
            raise SystemExit(f"bad --cap {c!r}; expected IMPL:WORKLOAD=N, e.g. asyncio:W2g=3000")
    return out


def capped(caps, series: str, workload: str, n: int) -> bool:
    for who, w, maxn in caps:
        if (who == "*" or series == who or series.startswith(who + "/")) and w in ("*", workload):
            if n > maxn:
                return True
    return False


def run_one(peer: Peer, workload: str, n: int, rnd: int, timeout: float) -> dict:
    cmd = peer.cmd(workload, n)
    env = dict(os.environ, **(peer.env or {}))
    t0 = time.perf_counter()
    base = {"series": peer.series, "workload": workload, "n": n, "round": rnd,
            "cmd": " ".join(shlex.quote(c) for c in cmd)}
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)
    except subprocess.TimeoutExpired:
        return {**base, "error": f"timeout after {timeout:.0f} s", "wall_s": time.perf_counter() - t0}
    except OSError as e:
        return {**base, "error": f"could not start: {e}", "wall_s": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
    if p.returncode != 0 or not lines:
        tail = (p.stderr.strip() or p.stdout.strip())[-600:]
        return {**base, "error": f"exit {p.returncode}: {tail}", "wall_s": wall}
    try:
        row = json.loads(lines[-1])
        for k in ("impl", "workload", "n", "variant", "seconds", "per_task_ns"):
            if k not in row:
                raise ValueError(f"missing key {k!r}")
        if row["workload"] != workload or int(row["n"]) != n:
            raise ValueError(f"answered {row['workload']}/{row['n']}")
    except ValueError as e:
        return {**base, "error": f"bad JSON line ({e}): {lines[-1][:300]}", "wall_s": wall}
    if len(lines) > 1:
        row.setdefault("extra", {})["stdout_extra_lines"] = len(lines) - 1
    if peer.relabel:
        row["impl_reported"] = row["impl"]
        row["impl"] = peer.relabel
    row["series"] = f"{row['impl']}/{row['variant']}" if not peer.relabel else peer.series
    row.update(round=rnd, wall_s=wall, cmd=base["cmd"])
    return row


# ----------------------------------------------------------------------------- summary
def series_rank(s: str) -> tuple:
    impl, _, variant = s.partition("/")
    order = ["asyncio", "uvloop", "node", "asyncwait", "swift-raw"]
    base = impl.split("-py")[0] if impl.startswith("asyncio-py") else impl
    idx = order.index(base) if base in order else len(order)
    sub = 1 if impl.startswith("asyncio-py") else 0
    vorder = ["tasks", "taskset", "inplace", "rawgroup", "rawtasks", "rawtimer", "floor"]
    vi = vorder.index(variant) if variant in vorder else len(vorder)
    return (idx, sub, impl, vi, variant)


def summarize(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        if "error" in r:
            continue
        groups.setdefault((r["workload"], r["n"], r["series"]), []).append(r)
    out = []
    for (w, n, s), rs in groups.items():
        secs = [r["seconds"] for r in rs]
        ex = [r.get("extra", {}) for r in rs]
        item = {
            "workload": w, "n": n, "series": s, "impl": rs[0]["impl"], "variant": rs[0]["variant"],
            "rounds_ok": len(rs),
            "median_s": statistics.median(secs), "min_s": min(secs), "max_s": max(secs),
            "median_ns_per_task": statistics.median(r["per_task_ns"] for r in rs),
            "min_ns_per_task": min(r["per_task_ns"] for r in rs),
            "max_ns_per_task": max(r["per_task_ns"] for r in rs),
            "version": rs[0].get("version", ""),
        }

        def med(key):
            vals = [e[key] for e in ex if isinstance(e.get(key), (int, float))]
            return statistics.median(vals) if vals else None

        def mx(key):
            vals = [e[key] for e in ex if isinstance(e.get(key), (int, float))]
            return max(vals) if vals else None

        for k in ("notice_s", "teardown_s", "lateness_median_ms", "teardown_median_ms",
                  "spawn_median_ms"):
            if med(k) is not None:
                item[k] = med(k)
        if mx("lateness_max_ms") is not None:
            item["lateness_max_ms"] = mx("lateness_max_ms")
        if mx("max_rss_mb") is not None:
            item["max_rss_mb"] = mx("max_rss_mb")
        out.append(item)

    # ratios
    by_key = {(i["workload"], i["n"], i["series"]): i for i in out}
    for i in out:
        a = by_key.get((i["workload"], i["n"], "asyncio/tasks"))
        i["vs_asyncio"] = i["median_s"] / a["median_s"] if a and a["median_s"] > 0 else None
        base = None
        for v in RAW_BASELINE.get(i["workload"], []):
            for impl in ("swift-raw", "asyncwait"):
                cand = by_key.get((i["workload"], i["n"], f"{impl}/{v}"))
                if cand:
                    base = cand
                    break
            if base:
                break
        i["raw_baseline"] = base["series"] if base else None
        i["vs_raw"] = i["median_s"] / base["median_s"] if base and base["median_s"] > 0 else None
    out.sort(key=lambda i: (WORKLOADS.index(i["workload"]) if i["workload"] in WORKLOADS else 99,
                            i["n"], series_rank(i["series"])))
    return out


def fmt_s(x: float) -> str:
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.2f} ms"
    return f"{x * 1e6:.1f} µs"


def fmt_ns(x: float) -> str:
    """Time per task with its unit."""
    if x >= 1e6:
        return f"{x / 1e6:.2f} ms"
    if x >= 1e3:
        return f"{x / 1e3:.3g} µs"
    return f"{x:.0f} ns"


def fmt_ratio(x) -> str:
    if x is None:
        return "–"
    return f"{x:.3g}×"


def notes_for(i: dict) -> str:
    parts = []
    if "notice_s" in i:
        parts.append(f"notice {fmt_s(i['notice_s'])}, teardown {fmt_s(i['teardown_s'])}")
    if "lateness_median_ms" in i:
        parts.append(f"late med {i['lateness_median_ms']:.2f} ms / max {i['lateness_max_ms']:.2f} ms, "
                     f"teardown {i['teardown_median_ms']:.2f} ms")
    if i.get("max_rss_mb") and i["max_rss_mb"] >= 500:
        parts.append(f"RSS {i['max_rss_mb'] / 1024:.1f} GB")
    if i["rounds_ok"] > 1 and i["min_s"] > 0 and i["max_s"] / i["min_s"] > 1.5:
        parts.append(f"spread {i['min_s'] / i['median_s']:.2f}–{i['max_s'] / i['median_s']:.2f}× med")
    return "; ".join(parts)


def write_markdown(path: Path, meta: dict, summary: list[dict], rows: list[dict]) -> None:
    L = []
    L.append("# AsyncWait cross-language peers")
    L.append("")
    L.append(f"- Date: {meta['date']} ({meta['mode']} mode, {meta['rounds']} round(s), interleaved)")
    L.append(f"- Machine: {meta['nproc']} CPUs (nproc), {meta['cpu_model']}, {meta['mem_total']} RAM, "
             f"{meta['kernel']}; load average {meta['loadavg_start']} at start, {meta['loadavg_end']} at end "
             "(shared, noisy machine: read small differences with care)")
    L.append(f"- Python: {meta['python']}; uvloop: {meta['uvloop'] or 'not available'}")
    if meta.get("extra_pythons"):
        L.append(f"- Extra Pythons (asyncio only): {', '.join(meta['extra_pythons'])}")
    L.append(f"- Node: {meta['node'] or 'not available'}")
    L.append(f"- Swift: {meta['swift'] or 'not available'}"
             + (f"; peer: {meta['swift_peer_version']}" if meta.get("swift_peer_version") else ""))
    if meta.get("git_commit"):
        L.append(f"- AsyncWait commit: {meta['git_commit']}")
    L.append(f"- Command: `{meta['command']}`")
    for n in meta.get("notes", []):
        L.append(f"- Note: {n}")
    L.append("")
    L.append("Median over rounds. *s* = seconds for the whole workload (W4: notice + teardown; "
             "W5: median per repeat of spawn + lateness past 50 ms + teardown). "
             "*per task* = s ÷ N. *vs asyncio* = this time ÷ asyncio time (lower is faster); *vs raw* = this time ÷ the "
             "Swift raw baseline (W1 rawgroup, W2g floor, W3 rawgroup, W4 rawgroup, W5 rawtimer). "
             "Workload definitions: bench/peers/README.md.")
    L.append("")
    L.append("| Workload | N | impl/variant | median time | per task | vs asyncio | vs raw | notes |")
    L.append("|---|---:|---|---:|---:|---:|---:|---|")
    for i in summary:
        L.append(f"| {i['workload']} | {i['n']:,} | {i['series']} | {fmt_s(i['median_s'])} | "
                 f"{fmt_ns(i['median_ns_per_task'])} | {fmt_ratio(i['vs_asyncio'])} | "
                 f"{fmt_ratio(i['vs_raw'])} | {notes_for(i)} |")
    errs = [r for r in rows if "error" in r]
    skipped = meta.get("skipped", [])
    if errs or skipped:
        L.append("")
        L.append("## Failures and skips")
        L.append("")
        for r in errs:
            msg = r["error"].replace("\n", " ").replace("|", "\\|")[:300]
            L.append(f"- {r['series']} {r['workload']} N={r['n']:,} round {r['round']}: {msg}")
        for s in skipped:
            L.append(f"- skipped: {s}")
    L.append("")
    path.write_text("\n".join(L))


# ----------------------------------------------------------------------------- plot (venv)
def plot(json_path: Path, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = json.loads(json_path.read_text())
    summary = data["summary"]
    meta = data["meta"]
    series = sorted({i["series"] for i in summary}, key=series_rank)
    # one colour family per implementation, so variants of one impl read as a group
    families = {"asyncio": "Blues", "uvloop": "Oranges", "node": "Greens", "asyncwait": "Reds",
                "swift-raw": "Greys"}
    markers = "osD^v<>ph*XP"
    style = {}
    by_family: dict[str, list[str]] = {}
    for s in series:
        impl = s.split("/")[0]
        fam = "asyncio" if impl.startswith("asyncio") else impl
        by_family.setdefault(fam if fam in families else "other", []).append(s)
    k = 0
    for fam, members in by_family.items():
        cmap = plt.get_cmap(families.get(fam, "Purples"))
        for j, s in enumerate(members):
            shade = 0.9 - 0.45 * (j / max(1, len(members) - 1)) if len(members) > 1 else 0.75
            impl = s.split("/")[0]
            ls = {"asyncwait": "--", "swift-raw": ":"}.get(impl, "-")
            style[s] = dict(color=cmap(shade), marker=markers[k % len(markers)], linestyle=ls)
            k += 1

    fig, axes = plt.subplots(2, 3, figsize=(16, 9.5))
    flat = axes.ravel()
    for ax, w in zip(flat, WORKLOADS):
        items = [i for i in summary if i["workload"] == w]
        for s in series:
            pts = sorted((i["n"], i["median_ns_per_task"], i["min_ns_per_task"], i["max_ns_per_task"])
                         for i in items if i["series"] == s)
            if not pts:
                continue
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            lo = [p[1] - p[2] for p in pts]
            hi = [p[3] - p[1] for p in pts]
            ax.errorbar(xs, ys, yerr=[lo, hi], label=s, capsize=2, markersize=5, linewidth=1.4,
                        **style[s])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(WORKLOAD_TITLES[w], fontsize=10)
        ax.set_xlabel("N (tasks)")
        ax.set_ylabel("ns per task (median; bars = min–max)")
        ax.grid(True, which="both", alpha=0.3)
        if not items:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    legend_ax = flat[5]
    legend_ax.axis("off")
    handles, labels = [], []
    for ax in flat[:5]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    order = sorted(range(len(labels)), key=lambda k: series_rank(labels[k]))
    legend_ax.legend([handles[k] for k in order], [labels[k] for k in order], loc="center",
                     fontsize=9, title="impl/variant", ncol=2 if len(labels) > 12 else 1)
    legend_ax.text(0.0, 0.02,
                   f"{meta['date']}  |  {meta['nproc']} CPUs, {meta['cpu_model']}\n"
                   f"{meta['python']}; uvloop {meta['uvloop'] or '–'}; {meta['node'] or 'node –'}\n"
                   f"{meta['swift'] or 'swift –'}  |  {meta['mode']}, {meta['rounds']} round(s)",
                   fontsize=8, transform=legend_ax.transAxes, va="bottom")
    fig.suptitle("AsyncWait vs asyncio / uvloop / Node: time per task (log-log; lower is better)")
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)


# ----------------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=None, help="rounds (default 3; 1 with --quick)")
    ap.add_argument("--quick", action="store_true", help="small Ns, 1 round: a smoke test")
    ap.add_argument("--out", default="docs/benchmarks", help="output dir (relative paths are relative "
                    "to the repository root)")
    ap.add_argument("--workloads", default=",".join(WORKLOADS), help="comma list, e.g. W1,W3")
    ap.add_argument("--ns", action="append", default=[], metavar="W=N,N",
                    help="override the Ns of a workload, e.g. --ns W2g=1000,3000 (repeatable)")
    ap.add_argument("--cap", action="append", default=[], metavar="IMPL:W=N",
                    help="skip runs of IMPL (series or impl prefix, or *) on workload W (or *) with "
                         "N above this, e.g. --cap asyncio:W2g=3000 --cap uvloop:W2g=3000 (repeatable)")
    ap.add_argument("--swift-cmd", default=str(HERE / "swift-runner.sh"),
                    help="Swift peer command (default bench/peers/swift-runner.sh)")
    ap.add_argument("--no-swift", action="store_true", help="skip the Swift rows")
    ap.add_argument("--no-uvloop", action="store_true")
    ap.add_argument("--no-node", action="store_true")
    ap.add_argument("--node-abortsignal", action="store_true",
                    help="also run node W4/W5 with one shared AbortSignal (O(N^2) in Node 20)")
    ap.add_argument("--extra-python", action="append", default=[], metavar="VER|PATH",
                    help="also run plain asyncio on another interpreter, e.g. 3.12, 3.13 (pyenv) "
                         "or a path; shown as asyncio-pyX.Y (repeatable)")
    ap.add_argument("--eager", action="store_true",
                    help="also run asyncio with eager_task_factory (needs an extra Python >= 3.12)")
    ap.add_argument("--timeout", type=float, default=900, help="per-run timeout in seconds")
    ap.add_argument("--swift-build-timeout", type=float, default=3600)
    ap.add_argument("--report-only", metavar="PEERS_JSON",
                    help="rebuild peers.md/peers.png from an existing peers.json; run nothing")
    ap.add_argument("--plot", nargs=2, metavar=("JSON", "PNG"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.plot:
        plot(Path(args.plot[0]), Path(args.plot[1]))
        return

    out = Path(args.out)
    if not out.is_absolute():
        out = REPO / out
    out.mkdir(parents=True, exist_ok=True)

    if args.report_only:
        data = json.loads(Path(args.report_only).read_text())
        data["summary"] = summarize(data["rows"])
        finish(out, data["meta"], data["rows"], data["summary"], mpl=venv_python().exists())
        return

    rounds = args.rounds if args.rounds is not None else (1 if args.quick else 3)
    ns = dict(QUICK_NS if args.quick else FULL_NS)
    for spec in args.ns:
        w, _, lst = spec.partition("=")
        if w not in WORKLOADS:
            raise SystemExit(f"--ns: unknown workload {w}")
        ns[w] = [int(x.replace("_", "")) for x in lst.split(",") if x]
    workloads = [w for w in args.workloads.split(",") if w]
    for w in workloads:
        if w not in WORKLOADS:
            raise SystemExit(f"unknown workload {w}")
    caps = parse_caps(args.cap)

    notes: list[str] = []
    skipped: list[str] = []
    py, has_uvloop, has_mpl = setup_venv(notes, not args.no_uvloop)

    bench_py = str(HERE / "asyncio_bench.py")
    peers: list[Peer] = [Peer("asyncio/tasks", [py, bench_py, "--loop", "asyncio"], WORKLOADS)]
    if has_uvloop:
        peers.append(Peer("uvloop/tasks", [py, bench_py, "--loop", "uvloop"], WORKLOADS))
    extra_py_desc = []
    for spec in args.extra_python:
        xp = resolve_python(spec)
        if not xp:
            notes.append(f"--extra-python {spec}: interpreter not found, skipped")
            continue
        ver = first_line([xp, "-c", "import platform; print(platform.python_version())"]) or spec
        mm = ".".join(ver.split(".")[:2])
        label = f"asyncio-py{mm}"
        extra_py_desc.append(f"{label} = CPython {ver} ({xp})")
        peers.append(Peer(f"{label}/tasks", [xp, bench_py, "--loop", "asyncio"], WORKLOADS, relabel=label))
        if args.eager:
            ok = first_line([xp, "-c", "import asyncio; print(hasattr(asyncio, 'eager_task_factory'))"])
            if ok == "True":
                peers.append(Peer(f"{label}/eager", [xp, bench_py, "--loop", "asyncio", "--variant", "eager"],
                                  WORKLOADS, relabel=label))

    node = shutil.which("node")
    node_version = first_line([node, "--version"]) if node else None
    if args.no_node:
        notes.append("node disabled (--no-node)")
    elif not node:
        notes.append("node not found: node rows skipped")
        log("WARNING: node not found; skipping node rows")
    else:
        nb = str(HERE / "node_bench.mjs")
        peers.append(Peer("node/tasks", [node, f"--max-old-space-size={NODE_HEAP_MB}", nb], WORKLOADS))
        if args.node_abortsignal:
            peers.append(Peer("node/abortsignal", [node, f"--max-old-space-size={NODE_HEAP_MB}", nb,
                                                   "--variant", "abortsignal"], ["W4", "W5"]))

    swift_version = first_line(["swift", "--version"]) if shutil.which("swift") else None
    if args.no_swift:
        notes.append("Swift rows disabled (--no-swift)")
    else:
        swift_argv = shlex.split(args.swift_cmd)
        log(f"probing the Swift peer: {args.swift_cmd} --build-only (builds Benchmarks in release)")
        rc, so, se = sh(swift_argv + ["--build-only"], timeout=args.swift_build_timeout, cwd=REPO)
        if rc != 0:
            msg = (se.strip() or so.strip() or f"exit {rc}").splitlines()[-1][:300]
            notes.append(f"Swift peer unavailable, Swift rows skipped: {msg}")
            log(f"WARNING: Swift peer unavailable ({msg}); skipping the Swift rows")
        else:
            env = {"ASYNCWAIT_PEER_NO_BUILD": "1"}
            all_variants = sorted({v for vs in SWIFT_VARIANTS.values() for v in vs})
            for v in all_variants:
                wl = [w for w in WORKLOADS if v in SWIFT_VARIANTS[w]]
                # series label is finalized from the JSON's impl field (asyncwait / swift-raw)
                peers.append(Peer(f"swift/{v}", swift_argv + ["--variant", v], wl, env=env, swift=True))

    # ---- plan
    jobs = []  # (workload, n, peer)
    for w in workloads:
        for n in ns[w]:
            for p in peers:
                if w not in p.workloads:
                    continue
                names = [p.series]
                if p.swift:  # the JSON impl decides asyncwait vs swift-raw; accept either in --cap
                    v = p.series.split("/", 1)[1]
                    names += [f"asyncwait/{v}", f"swift-raw/{v}"]
                if any(capped(caps, nm, w, n) for nm in names):
                    skipped.append(f"{p.series} {w} N={n:,} (--cap)")
                    continue
                jobs.append((w, n, p))
    log(f"{len(jobs)} runs per round x {rounds} round(s); peers: {', '.join(p.series for p in peers)}")

    meta = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "rounds": rounds,
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "mem_total": mem_total(),
        "kernel": f"{platform.system()} {platform.release()}",
        "loadavg_start": loadavg(),
        "python": "CPython " + (first_line([py, "-c", "import platform; print(platform.python_version())"]) or "?"),
        "uvloop": first_line([py, "-c", "import uvloop; print(uvloop.__version__)"]) if has_uvloop else None,
        "extra_pythons": extra_py_desc,
        "node": node_version,
        "swift": swift_version,
        "git_commit": first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "command": " ".join(shlex.quote(a) for a in ["python3", "bench/peers/run_peers.py"] + sys.argv[1:]),
        "notes": notes,
        "skipped": skipped,
    }

    # ---- run, round by round
    rows: list[dict] = []
    dead: set[tuple] = set()  # (series, workload, n) that failed: not retried in later rounds
    started = time.perf_counter()
    for rnd in range(1, rounds + 1):
        for w in workloads:
            for n in ns[w]:
                batch = [j for j in jobs if j[0] == w and j[1] == n]
                if not batch:
                    continue
                k = (rnd - 1) % len(batch)
                batch = batch[k:] + batch[:k]  # rotate the impl order every round
                for _, _, p in batch:
                    if (p.series, w, n) in dead:
                        continue
                    row = run_one(p, w, n, rnd, args.timeout)
                    rows.append(row)
                    if "error" in row:
                        dead.add((p.series, w, n))
                        log(f"r{rnd} {w} N={n:,} {p.series}: ERROR {row['error'][:300]}")
                    else:
                        log(f"r{rnd} {w} N={n:,} {row['series']}: {fmt_s(row['seconds'])}, "
                            f"{fmt_ns(row['per_task_ns'])}/task")
    meta["loadavg_end"] = loadavg()
    meta["elapsed_s"] = round(time.perf_counter() - started, 1)
    sw = [r for r in rows if "error" not in r and r.get("impl") in SWIFT_IMPLS]
    if sw:
        meta["swift_peer_version"] = sw[0].get("version")
    summary = summarize(rows)
    finish(out, meta, rows, summary, mpl=has_mpl)


def finish(out: Path, meta: dict, rows: list[dict], summary: list[dict], mpl: bool) -> None:
    jpath, mpath, ppath = out / "peers.json", out / "peers.md", out / "peers.png"
    jpath.write_text(json.dumps({"meta": meta, "rows": rows, "summary": summary}, indent=1) + "\n")
    write_markdown(mpath, meta, summary, rows)
    log(f"wrote {jpath.relative_to(REPO) if jpath.is_relative_to(REPO) else jpath}")
    log(f"wrote {mpath.relative_to(REPO) if mpath.is_relative_to(REPO) else mpath}")
    if mpl:
        rc, so, se = sh([str(venv_python()), str(Path(__file__).resolve()), "--plot", str(jpath), str(ppath)],
                        timeout=300)
        if rc == 0:
            log(f"wrote {ppath.relative_to(REPO) if ppath.is_relative_to(REPO) else ppath}")
        else:
            log(f"WARNING: plotting failed: {(se or so).strip()[-800:]}")
    else:
        log("WARNING: matplotlib unavailable; no PNG")


if __name__ == "__main__":
    main()
