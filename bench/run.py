"""bricli's start-up and scaling benchmark: prints ratios measured in one run.

    python bench/run.py            # everything (a few minutes: the cold runs read 100,000 facts)
    python bench/run.py --quick    # start-up and shipped facts only, no synthetic bases
    python bench/run.py --report   # only `report --full` on 30,000 synthetic facts
    python bench/run.py --million  # everything, and a million facts (index size, a warm second run)
    python bench/run.py --big-file # only one large file: a cold build's peak memory at 25 to 200 MB

Each figure is the median wall time of several runs of a fresh process, `.pyc`
files compiled first. The synthetic fact bases (10,000 and 100,000 valid facts,
bench/synth.py) and the index used here live under bench/_work/ (ignored by
git); the user's own cache is never touched. Not a test: the goals (issue 14)
are printed beside each figure, not asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE))

PY = sys.executable
BRICLI = [PY, "-c", "import sys; from bricli.cli.entry import main; sys.argv[0] = 'bricli'; main()"]
QUERY = ["trade", "--year", "2018", "--format", "json"]


def env(**extra) -> dict:
    e = dict(os.environ)
    e.pop("BRICLI_FACTS", None)
    e.pop("BRICLI_FORMAT", None)
    e["BRICLI_CACHE_DIR"] = str(WORK / "cache")
    e.update(extra)
    return e


def once(cmd, environ) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median(cmd, environ=None, runs=10, before=None) -> float:
    environ = environ or env()
    once(cmd, environ)  # warm the OS file cache (and bricli's cache)
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(once(cmd, environ))
    return statistics.median(times)


def paired(cmd, floor_cmd, environ=None, floor_environ=None, runs=10) -> tuple[float, float]:
    """Median times of cmd and its floor, run alternately so that a busy machine
    slows both alike; returns (cmd, floor)."""
    environ = environ or env()
    floor_environ = floor_environ or env()
    once(cmd, environ)
    once(floor_cmd, floor_environ)
    mine, base = [], []
    for _ in range(runs):
        base.append(once(floor_cmd, floor_environ))
        mine.append(once(cmd, environ))
    return statistics.median(mine), statistics.median(base)


def cpu_seconds(cmd, environ) -> float:
    """User plus system time of one run of cmd: on a busy machine a fairer figure than wall time."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); r = resource.getrusage(resource.RUSAGE_CHILDREN); print(r.ru_utime + r.ru_stime)")
    out = subprocess.run([PY, "-c", probe, *cmd], env=environ, capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def peak_rss_mb(cmd, environ) -> float:
    """Peak resident memory of one run of cmd, measured in a child of a child."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PY, "-c", probe, *cmd], env=environ, capture_output=True, text=True, check=True).stdout
    kb = int(out.strip())
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def modules_of(cmd_args, environ) -> list[str]:
    """Modules (other than bricli's) that a bricli command ends up importing."""
    code = ("import sys, atexit; sys.argv = ['bricli', *sys.argv[1:]]\n"
            "atexit.register(lambda: print('\\n@@' + ' '.join(sorted(sys.modules)), file=sys.stderr))\n"
            "from bricli.cli.main import run\nrun()")
    err = subprocess.run([PY, "-c", code, *cmd_args], env=environ, capture_output=True, text=True).stderr
    names = err.rsplit("@@", 1)[1].split()
    return [m for m in names if not m.startswith(("bricli", "__main__"))]


def floor_command(modules: list[str]) -> list[str]:
    code = ("import importlib\nfor m in %r:\n    try:\n        importlib.import_module(m)\n"
            "    except Exception:\n        pass\n") % (modules,)
    return [PY, "-c", code]


def row(label, seconds, floor=None, goal=None, floor_label=""):
    text = f"{label:<58} {seconds * 1000:8.1f} ms"
    if floor is not None:
        ratio = seconds / floor
        verdict = "" if goal is None else ("  met" if ratio <= goal else "  MISSED")
        text += f"  {ratio:5.2f}x {floor_label}" + (f" (goal <= {goal}x){verdict}" if goal else "")
    print(text, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip the synthetic fact bases")
    ap.add_argument("--runs", type=int, default=10, help="runs per start-up figure (median)")
    ap.add_argument("--cold-runs", type=int, default=2, help="runs of the cold 100,000-fact figures")
    ap.add_argument("--report", action="store_true", help="only the brief: report --full on 30,000 facts")
    ap.add_argument("--million", action="store_true", help="also a million facts (generating them takes minutes)")
    ap.add_argument("--big-file", nargs="*", type=int, metavar="MB",
                    help="only a cold build of one large fact file of each size (default 25 50 100 200 MB)")
    a = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    import compileall

    compileall.compile_dir(str(Path(__import__("bricli").__file__).parent), quiet=1)  # no figure pays for compiling
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    e = env()
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs; medians of {a.runs} runs\n")
    if a.report:
        report_case(e, a.runs)
        return
    if a.big_file is not None:
        big_file_case(e, a.big_file or [25, 50, 100, 200])
        return

    typer_cmd = [PY, "-c", "import typer"]
    startup = [
        ("TAB: bricli trade --fo<TAB> (bash)", BRICLI,
         env(_BRICLI_COMPLETE="complete_bash", COMP_WORDS="bricli trade --fo", COMP_CWORD="2"), 1.2),
        ("TAB: bricli <TAB> (zsh: commands with their help)", BRICLI,
         env(_BRICLI_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="bricli "), 1.2),
        ("TAB: bricli trade --format <TAB> (bash)", BRICLI,
         env(_BRICLI_COMPLETE="complete_bash", COMP_WORDS="bricli trade --format ", COMP_CWORD="3"), 1.2),
        ("TAB: bricli trade --year <TAB> (years in the facts, from the index)", BRICLI,
         env(_BRICLI_COMPLETE="complete_bash", COMP_WORDS="bricli trade --year ", COMP_CWORD="3"), 1.2),
        ("bricli --help", [*BRICLI, "--help"], e, 1.5),
        ("bricli trade --help", [*BRICLI, "trade", "--help"], e, 1.5),
        ("bricli --version", [*BRICLI, "--version"], e, None),
    ]
    floors = []
    for label, cmd, environ, goal in startup:
        mine, floor = paired(cmd, typer_cmd, environ, e, a.runs)
        floors.append(floor)
        row(label, mine, floor, goal, "of typer")
    row('  (floor: python -c "import typer", median over the pairs)', statistics.median(floors))

    mods = modules_of(QUERY, e)
    shipped, floor_q = paired([*BRICLI, *QUERY], floor_command(mods), e, e, a.runs)
    row(f"floor: import the {len(mods)} modules `trade` loads", floor_q)
    row("bricli trade --year 2018 --format json (shipped, indexed)", shipped, floor_q, 1.2, "of its imports")
    shipped_nc, floor_q2 = paired([*BRICLI, *QUERY, "--no-cache"], floor_command(mods), e, e, a.runs)
    row("  the same with --no-cache", shipped_nc, floor_q2, None, "of its imports")
    print(f"  peak rss: {peak_rss_mb([*BRICLI, *QUERY], e):.0f} MB")
    if a.quick:
        return

    from synth import generate

    for n in (10_000, 100_000):
        target = WORK / f"facts-{n}"
        if len(list(target.glob("*.yaml"))) != -(-n // 500) + 1:
            print(f"\ngenerating {n:,} facts in {target} ...", flush=True)
            generate(n, target)
        cmd = [*BRICLI, *QUERY, "--facts", str(target)]
        out = subprocess.run(cmd, env=e, capture_output=True)
        # check's stderr (thousands of "sources disagree" notes on these bases) is not shown: its status says enough
        check = subprocess.run([*BRICLI, "check", "--facts", str(target)], env=e, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        verdict = "passes bricli check" if check.returncode == 0 else f"FAILS bricli check (exit {check.returncode})"
        print(f"\n{n:,} synthetic facts (+ shipped): query prints {len(out.stdout):,} bytes; {verdict}")
        warm, base = paired(cmd, [*BRICLI, *QUERY], e, e, a.runs)  # as many pairs as the start-up figures: a ratio near 1 needs them
        row(f"  warm (indexed) {n:,}", warm, base, 1.1 if n == 10_000 else 1.5, "of the shipped facts")
        if n == 100_000:
            mem = peak_rss_mb(cmd, e)
            print(f"  peak rss, warm: {mem:.0f} MB (goal < 100 MB){'  met' if mem < 100 else '  MISSED'}", flush=True)
            yaml_alone = [PY, "-c", "import sys, yaml, pathlib\nfor f in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
                          "    yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)", str(target)]
            cold_times, yaml_times = [], []
            for _ in range(a.cold_runs):
                yaml_times.append(once(yaml_alone, e))
                shutil.rmtree(WORK / "cache", ignore_errors=True)
                cold_times.append(once(cmd, e))
            floor_yaml = statistics.median(yaml_times)
            row("  floor: PyYAML CSafeLoader alone, same files", floor_yaml)
            row(f"  cold (first run, builds the index) {n:,}", statistics.median(cold_times), floor_yaml, 1.3, "of CSafeLoader")
            nocache = median([*cmd, "--no-cache"], e, a.cold_runs)
            row(f"  --no-cache {n:,}", nocache, floor_yaml, None, "of CSafeLoader")
            shutil.rmtree(WORK / "cache", ignore_errors=True)
            mem = peak_rss_mb(cmd, e)
            print(f"  peak rss, cold: {mem:.0f} MB (goal < 300 MB){'  met' if mem < 300 else '  MISSED'}")
            index_figures(cmd, yaml_alone, target, e, n)
    if a.million:
        million_case(e)
    report_case(e, a.runs)


def index_figures(cmd, yaml_alone, target: Path, e: dict, n: int) -> None:
    """The index against the YAML it indexes: size, and a cold build's CPU time against parsing alone."""
    yaml_size = sum(f.stat().st_size for f in target.glob("*.yaml"))
    index_size = sum(f.stat().st_size for f in (WORK / "cache").glob("index-*.sqlite"))
    ratio = index_size / yaml_size
    print(f"  index size {index_size / 1e6:.0f} MB for {yaml_size / 1e6:.0f} MB of YAML: {ratio:.2f}x "
          f"(goal <= 3x){'  met' if ratio <= 3 else '  MISSED'}")
    yaml_cpu, build_cpu = [], []
    for _ in range(2):
        yaml_cpu.append(cpu_seconds(yaml_alone, e))
        shutil.rmtree(WORK / "cache", ignore_errors=True)
        build_cpu.append(cpu_seconds(cmd, e))
    row("  floor: CSafeLoader CPU time", statistics.median(yaml_cpu))
    row(f"  cold build CPU time {n:,}", statistics.median(build_cpu), statistics.median(yaml_cpu), 1.5, "of CSafeLoader")
    limited = [*cmd[: -len(QUERY) - 2], "trade", "--limit", "3", "--format", "json", "--facts", str(target)]
    print(f"  peak rss, warm `trade --limit 3`: {peak_rss_mb(limited, e):.0f} MB (goal < 150 MB)")


def million_case(e: dict) -> None:
    """A million facts: the second run must be warm (the index is kept, never capped away)."""
    from synth import generate

    n = 1_000_000
    target = WORK / f"facts-{n}"
    if len(list(target.glob("*.yaml"))) != -(-n // 500) + 1:
        print(f"\ngenerating {n:,} facts in {target} ...", flush=True)
        generate(n, target)
    cmd = [*BRICLI, "trade", "--limit", "3", "--format", "json", "--facts", str(target)]
    shutil.rmtree(WORK / "cache", ignore_errors=True)
    print(f"\n{n:,} synthetic facts", flush=True)
    row("  first run (builds the index)", once(cmd, e))
    row("  second run", once(cmd, e))
    yaml_size = sum(f.stat().st_size for f in target.glob("*.yaml"))
    index_size = sum(f.stat().st_size for f in (WORK / "cache").glob("index-*.sqlite"))
    print(f"  index {index_size / 1e9:.2f} GB for {yaml_size / 1e9:.2f} GB of YAML ({index_size / yaml_size:.2f}x)")
    print(f"  peak rss, warm `trade --limit 3`: {peak_rss_mb(cmd, e):.0f} MB (goal < 150 MB)")


FACTS_PER_MB = 2040  # synthetic facts in a megabyte of YAML, about


def one_file(n: int, path: Path) -> None:
    """n synthetic facts and their sources in one file (written beside it, then renamed: never half a file)."""
    from synth import Gen, fact_yaml

    g = Gen(n)
    g.build()
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    with open(part, "w", encoding="utf-8") as fh:
        fh.write(g.sources_yaml())
        fh.write("\nfacts:\n")
        for f in g.facts:
            fh.write(fact_yaml(f))
            fh.write("\n")
    part.rename(path)


def big_file_case(e: dict, sizes: list[int]) -> None:
    """A cold build of one large fact file (issue 19 item 4): a file of 8 MB or more is parsed and
    stored a batch of facts at a time, so its peak memory grows less than linearly with its size."""
    print("\none large fact file (+ shipped): a cold `trade --limit 3` (builds the index)", flush=True)
    for mb in sizes:
        path = WORK / f"big-{mb}" / "facts.yaml"
        if not path.exists():
            print(f"  generating {mb * FACTS_PER_MB:,} facts in {path} ...", flush=True)
            one_file(mb * FACTS_PER_MB, path)
        size = path.stat().st_size
        cmd = [*BRICLI, "trade", "--limit", "3", "--format", "json", "--facts", str(path.parent),
               "--max-file-size", str(size + 1)]
        shutil.rmtree(WORK / "cache", ignore_errors=True)
        start = time.perf_counter()
        mem = peak_rss_mb(cmd, e)
        seconds = time.perf_counter() - start
        print(f"  {size / 1e6:4.0f} MB: cold {seconds:6.1f} s, peak rss {mem:5.0f} MB ({mem / (size / 2**20):.1f}x the file)",
              flush=True)


def report_case(e: dict, runs: int) -> None:
    """`bricli report --full` on 30,000 synthetic facts: linear in the facts, under 3 s and 300 MB."""
    from synth import generate

    n = 30_000
    target = WORK / f"facts-{n}"
    if len(list(target.glob("*.yaml"))) != -(-n // 500) + 1:
        print(f"\ngenerating {n:,} facts in {target} ...", flush=True)
        generate(n, target)
    print(f"\nreport on {n:,} synthetic facts (+ shipped), warm cache", flush=True)
    for args, goal in ((["--full"], 3.0), (["--full", "--derived"], None), ([], None)):
        cmd = [*BRICLI, "report", *args, "--facts", str(target)]
        size = len(subprocess.run(cmd, env=e, capture_output=True).stdout)
        seconds = median(cmd, e, max(3, runs // 3))
        cpu = statistics.median(cpu_seconds(cmd, e) for _ in range(3))
        mem = peak_rss_mb(cmd, e)
        label = f"  report {' '.join(args) or '(one page)'}: {size / 1e6:.1f} MB of Markdown"
        text = f"{label:<58} {seconds * 1000:8.1f} ms (cpu {cpu * 1000:.0f} ms), peak rss {mem:.0f} MB"
        if goal:
            if mem >= 300 or cpu > goal:
                verdict = "MISSED"
            elif seconds <= goal:
                verdict = "met"
            else:  # the process needed less, other processes held the CPUs
                verdict = f"met in CPU time; wall time stretched by a busy machine (load {os.getloadavg()[0]:.1f})"
            text += f" (goal <= {goal:.0f} s and < 300 MB)  {verdict}"
        print(text, flush=True)


if __name__ == "__main__":
    main()
