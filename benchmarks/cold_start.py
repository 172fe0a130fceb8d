"""Cold start, import time, check() speed and memory, and model bytes in the wheel: ONNX against torch in one run.

    python benchmarks/cold_start.py --data ../shared/data/fnc-1 --reports 100 --runs 3 --json cold.json

Every figure is measured in fresh interpreters, the two inference paths alternating run by run, and reported as
medians with the ONNX/torch ratio:

* ``import``: ``import crosscheck`` over a bare interpreter start (``python -c pass``);
* ``--bare-python``: the interpreter of a torch-free install (``pip install -e .`` in a new virtual environment),
  for the figures a new user sees; spaCy's thinc imports torch whenever it is installed, so the ONNX path in an
  environment that has torch pays for importing it;
* ``compare``: the command line ``crosscheck compare --text A B`` on two short texts, cold (the ONNX default),
  against the same comparison with the torch stages (``MiniLMEmbedder`` and ``CrossEncoderNLI``) in a fresh
  interpreter;
* ``check``: ``check()`` on ``--reports`` FNC-1 training bodies grouped by headline (as ``benchmarks/scaling.py``
  picks them), models loaded and warmed on the bundled example first, with the process's peak RSS (the ONNX path
  in the torch-free interpreter when one is given);
* ``wheel``: the model files in a wheel built from this tree (``pip wheel --no-deps``), by what pyproject's
  package-data ships.

``--trees before=../main after=.`` measures source trees against each other instead (``PYTHONPATH`` set to each, the
trees alternating run by run, this interpreter): ``import crosscheck`` over interpreter start, ``crosscheck --help``,
and the command line ``crosscheck compare a.txt b.txt`` on two short articles of the bundled example, cold (a fresh
process and an empty on-disk cache each run, so both models load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHORT = ("At least 300 people died when the bridge collapsed, the mayor said on Monday.",
         "Officials said fewer than 50 people died in the collapse of the bridge.")
TORCH_STAGES = ("from crosscheck.embed import MiniLMEmbedder\nfrom crosscheck.judge import CrossEncoderNLI, RuleJudge\n"
                "checker = crosscheck.Checker(embedder=MiniLMEmbedder(), judge=RuleJudge(nli=CrossEncoderNLI()))\n")
ONNX_STAGES = "checker = crosscheck.Checker()\n"


def wall(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    """Seconds a command takes, start to exit (it must succeed)."""
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, capture_output=True, env=env)
    return time.perf_counter() - t


#: The command line with torch unimportable (``--block-torch``), roughly as in a torch-free install.
NO_TORCH_CLI = ("import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
                "        if name.split('.')[0] in ('torch', 'sentence_transformers', 'transformers'):\n"
                "            raise ImportError(name)\nsys.meta_path.insert(0, Block())\n"
                "from crosscheck.cli import main\nraise SystemExit(main(sys.argv[1:]))")


def compare_trees(trees: dict[str, Path], runs: int, block_torch: bool = False) -> dict:
    """Import, ``--help`` and cold ``compare a.txt b.txt`` wall times of each source tree, medians of ``runs``
    (with ``block_torch``, the command line runs with torch unimportable)."""
    console_script = str(Path(sys.executable).parent / "crosscheck")
    cli = [sys.executable, "-c", NO_TORCH_CLI] if block_torch else [console_script]
    times: dict[str, dict[str, list[float]]] = {n: {"bare": [], "import": [], "help": [], "compare": []} for n in trees}
    with tempfile.TemporaryDirectory() as tmp:
        texts = [json.loads(line) for line in (ROOT / "examples" / "assad.jsonl").read_text().splitlines()]
        by_id = {t["id"]: t["text"] for t in texts}
        a, b = Path(tmp, "a.txt"), Path(tmp, "b.txt")
        a.write_text(by_id["mfa-dec08"] + "\n")
        b.write_text(by_id["kremlin-dec08"] + "\n")
        for r in range(runs):
            for name, tree in trees.items():
                env = {**os.environ, "PYTHONPATH": str(tree)}
                env.pop("CROSSCHECK_CACHE_DIR", None)
                where = subprocess.run([sys.executable, "-c", "import crosscheck; print(crosscheck.__file__)"],
                                       cwd=tree, env=env, check=True, capture_output=True, text=True).stdout.strip()
                if Path(where).resolve() != (tree / "crosscheck" / "__init__.py").resolve():
                    raise SystemExit(f"{name}: crosscheck imports from {where}, not from {tree}")
                times[name]["bare"].append(wall([sys.executable, "-c", "pass"], tree, env))
                times[name]["import"].append(wall([sys.executable, "-c", "import crosscheck"], tree, env))
                times[name]["help"].append(wall([*cli, "--help"], tree, env))
                cache = Path(tmp, f"cache-{name}-{r}")  # empty: a cold run loads both models
                times[name]["compare"].append(wall([*cli, "compare", "--quiet", str(a), str(b)], tree,
                                                   {**env, "CROSSCHECK_CACHE_DIR": str(cache)}))
    out: dict = {"runs": runs, "block_torch": block_torch, "trees": {n: str(t) for n, t in trees.items()}}
    for name, figs in times.items():
        med = {k: statistics.median(v) for k, v in figs.items()}
        out[name] = {"start_s": round(med["bare"], 3), "import_over_start_s": round(med["import"] - med["bare"], 3),
                     "help_s": round(med["help"], 2), "compare_cold_s": round(med["compare"], 2),
                     "compare_runs_s": [round(x, 2) for x in figs["compare"]],
                     "import_runs_s": [round(x - y, 3) for x, y in zip(figs["import"], figs["bare"])]}
    return out


def python(code: str, exe: str = sys.executable) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    out = subprocess.run([exe, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare_code(stages: str) -> str:
    return ("import time; t = time.perf_counter()\nimport crosscheck\n" + stages
            + f"res = checker.check([crosscheck.Report('a', {SHORT[0]!r}), crosscheck.Report('b', {SHORT[1]!r})])\n"
              "import json; print(json.dumps({'seconds': time.perf_counter() - t, 'findings': len(res.finding_list)}))")


def check_code(stages: str, data: str, n: int) -> str:
    return ("import json, resource, sys, time\nsys.path.insert(0, 'benchmarks')\nimport crosscheck\n"
            "from scaling import grouped_bodies\nfrom pathlib import Path\n" + stages
            + "checker.check(crosscheck.Report.from_jsonl('examples/assad.jsonl'))\n"
              f"reports = [crosscheck.Report(f'b{{bid}}', text) for bid, text in grouped_bodies(Path({data!r}), {n})]\n"
              "t = time.perf_counter(); res = checker.check(reports); s = time.perf_counter() - t\n"
              "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
              "print(json.dumps({'seconds': s, 'peak_rss_mb': rss, 'claims': len(res.claim_list), "
              "'findings': len(res.finding_list)}))")


def wheel_models() -> dict:
    """Model files in a wheel of this tree, in MB (1e6 bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp,
                        str(ROOT)], check=True, capture_output=True)
        whl = next(Path(tmp).glob("crosscheck-*.whl"))
        with zipfile.ZipFile(whl) as z:
            files = {i.filename: i.file_size for i in z.infolist() if "/models/" in i.filename}
        size = whl.stat().st_size
    return {"model_files_mb": round(sum(files.values()) / 1e6, 1), "wheel_mb": round(size / 1e6, 1),
            "files": {k: round(v / 1e6, 2) for k, v in sorted(files.items())}}


def median(rows: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in rows), 2)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "fnc-1"))
    p.add_argument("--reports", type=int, default=300, help="reports for the check() figure (0: skip it)")
    p.add_argument("--runs", type=int, default=3, help="fresh interpreters per figure and path")
    p.add_argument("--check-runs", type=int, default=1, help="check() runs per path (each a fresh process)")
    p.add_argument("--bare-python", help="interpreter of a torch-free install (the ONNX figures of a new user)")
    p.add_argument("--trees", nargs="+", metavar="NAME=DIR",
                   help="compare source trees (import, --help, cold compare a.txt b.txt) instead of ONNX and torch")
    p.add_argument("--block-torch", action="store_true",
                   help="with --trees: run the command line with torch unimportable (as a torch-free install)")
    p.add_argument("--json")
    args = p.parse_args()
    if args.trees:
        trees = {n: Path(d).resolve() for n, d in (t.split("=", 1) for t in args.trees)}
        out = compare_trees(trees, args.runs, args.block_torch)
        print(json.dumps(out, indent=2), flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
        return
    out: dict = {}
    exes = {"here": sys.executable, **({"bare": args.bare_python} if args.bare_python else {})}

    for name, exe in exes.items():
        bare = [wall([exe, "-c", "pass"]) for _ in range(args.runs)]
        imp = [wall([exe, "-c", "import crosscheck"]) for _ in range(args.runs)]
        out[f"import_{name}"] = {"bare_s": round(statistics.median(bare), 3),
                                 "import_s": round(statistics.median(imp), 3),
                                 "over_start_s": round(statistics.median(imp) - statistics.median(bare), 3)}
        print(json.dumps({f"import_{name}": out[f"import_{name}"]}), flush=True)

    runs: dict[str, list[float]] = {f"cli_onnx_{n}": [] for n in exes} | {f"onnx_{n}": [] for n in exes}
    runs["torch"] = []
    for _ in range(args.runs):
        for name, exe in exes.items():
            runs[f"cli_onnx_{name}"].append(wall([str(Path(exe).parent / "crosscheck"), "compare", "--text", *SHORT]))
            runs[f"onnx_{name}"].append(python(compare_code(ONNX_STAGES), exe)["seconds"])
        runs["torch"].append(python(compare_code(TORCH_STAGES))["seconds"])
    out["compare"] = {k: round(statistics.median(v), 2) for k, v in runs.items()}
    for name in exes:
        out["compare"][f"torch_over_onnx_{name}"] = round(out["compare"]["torch"] / out["compare"][f"onnx_{name}"], 2)
    print(json.dumps({"compare": out["compare"]}), flush=True)

    if args.reports:
        rows: dict[str, list[dict]] = {"onnx": [], "torch": []}
        for _ in range(args.check_runs):
            rows["onnx"].append(python(check_code(ONNX_STAGES, args.data, args.reports), exes.get("bare", sys.executable)))
            rows["torch"].append(python(check_code(TORCH_STAGES, args.data, args.reports)))
        out["check"] = {"reports": args.reports, "claims": rows["onnx"][0]["claims"],
                        **{f"{k}_{m}": median(v, m) for k, v in rows.items() for m in ("seconds", "peak_rss_mb")},
                        "findings": {k: v[0]["findings"] for k, v in rows.items()}}
        out["check"]["speedup"] = round(out["check"]["torch_seconds"] / out["check"]["onnx_seconds"], 2)
        print(json.dumps({"check": out["check"]}), flush=True)

    out["wheel"] = wheel_models()
    print(json.dumps({"wheel": {k: v for k, v in out["wheel"].items() if k != "files"}}), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
