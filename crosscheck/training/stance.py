"""Train the stance head: a small classifier over :data:`crosscheck.stances.FEATURE_NAMES`.

Run as a module::

    python -m crosscheck.training.stance --data ../shared/data --out crosscheck/models/stance-head

Only the **train** splits of FNC-1 and ARC are read. Bodies are split by a hash of their
id into a training part and a held-out part (``--holdout``); the held-out part (all its
pairs, so the class mix is the real one) picks the epoch and the per-class logit offsets
that maximise the FNC score plus macro-F1. In the training part, the large classes are
subsampled (``--unrelated-frac``, ``--discuss-frac``) and weighted back up in the loss, which
keeps the feature computation (the NLI model on every related pair) to about 20 minutes on 2 cores.

Features come from :class:`crosscheck.stances.StanceDetector` (the real pipeline and NLI
model) and are cached in ``--cache`` chunk by chunk, so an interrupted run resumes where it
stopped. Fixed seeds; logs to stdout and ``OUT/train.log``. Writes ``OUT/head.json`` (what
:class:`crosscheck.stances.StanceHead` loads) and ``OUT/training.json`` (data, settings, scores).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.errors import DatasetError, Errors, TrainingError
from crosscheck.eval.metrics import FNC_LABELS, classification, fnc_score

log = logging.getLogger("crosscheck.training.stance")


def body_in_holdout(dataset: str, body_id: Any, fraction: float) -> bool:
    """Deterministic split of bodies (never of pairs, so no body is on both sides)."""
    h = int(hashlib.sha1(f"{dataset}:{body_id}".encode()).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < fraction


def select_rows(data: Path, holdout: float, keep: dict[str, float], seed: int) -> Any:
    """FNC-1 and ARC train pairs with ``part`` (train/holdout) and a loss ``weight``.

    ``keep`` maps a label to the share of its training-part pairs that is kept (default 1).
    """
    import pandas as pd

    from crosscheck.eval.datasets import load_fnc

    frames = []
    for name in ("fnc-1", "arc"):
        if not (data / name).exists():
            log.warning("no %s under %s; skipped", name, data)
            continue
        df = load_fnc(data / name, "train")
        df["dataset"] = name
        df["part"] = ["holdout" if body_in_holdout(name, b, holdout) else "train" for b in df.body_id]
        frac = df.stance.map(lambda s: keep.get(s, 1.0)).to_numpy()
        rng = np.random.default_rng(seed)
        kept = (df.part == "holdout").to_numpy() | (rng.random(len(df)) < frac)
        df["weight"] = np.where(df.part == "train", 1.0 / frac, 1.0)
        df = df[kept].copy()
        frames.append(df)
    if not frames:
        raise DatasetError(Errors.E201.format(what="fnc-1/ or arc/ folder", path=data))
    return pd.concat(frames, ignore_index=True)


def pipeline_fingerprint() -> dict[str, Any]:
    """What the features depend on besides the rows: the default profile and the bundled NLI weights."""
    from crosscheck.judge import bundled_nli_path
    from crosscheck.pipeline import load_profile

    weights = hashlib.sha1((bundled_nli_path() / "model.safetensors").read_bytes()).hexdigest()
    profile = {k: v for k, v in load_profile("default").items() if k in ("aligner", "judge")}
    return {"nli_weights_sha1": weights, "profile": profile}


def compute_features(rows: Any, cache: Path, chunk: int = 256) -> np.ndarray:
    """Feature matrix for ``rows``, cached per chunk in ``cache`` (resumable)."""
    from crosscheck.data import Report
    from crosscheck.stances import FEATURE_NAMES, StanceDetector

    cache.mkdir(parents=True, exist_ok=True)
    det = StanceDetector(head=None)
    # a cache only resumes the same selection of rows with the same detector settings, the same
    # pipeline profile and the same NLI weights (the features are computed from all three)
    key = hashlib.sha1(json.dumps([list(map(str, rows.dataset)), list(map(str, rows.body_id)), list(rows.headline),
                                   chunk, det.settings, list(FEATURE_NAMES),
                                   pipeline_fingerprint()]).encode()).hexdigest()
    stamp = cache / "rows.sha1"
    if stamp.exists() and stamp.read_text().strip() != key:
        raise DatasetError(Errors.E204.format(cache=cache))
    stamp.write_text(key + "\n")
    parts = []
    n_chunks = (len(rows) + chunk - 1) // chunk
    t0 = time.perf_counter()
    for k in range(n_chunks):
        path = cache / f"chunk{k:05d}.npy"
        if path.exists():
            parts.append(np.load(path))
            continue
        part = rows.iloc[k * chunk:(k + 1) * chunk]
        pairs = [(h, Report(f"{d}-{b}", t)) for h, d, b, t in zip(part.headline, part.dataset, part.body_id, part.body)]
        x = np.array([f.vector for f in det.features_many(pairs)], dtype=np.float32)
        np.save(path, x)
        parts.append(x)
        log.info("features %d/%d chunks (%.0f s)", k + 1, n_chunks, time.perf_counter() - t0)
    x = np.concatenate(parts)
    if x.shape != (len(rows), len(FEATURE_NAMES)):
        raise TrainingError(Errors.E333.format(shape=x.shape, rows=len(rows), width=len(FEATURE_NAMES)))
    return x


def score(gold: list[str], pred: list[str]) -> dict[str, float]:
    """FNC relative score (percent of max) and macro-F1."""
    raw, mx = fnc_score(gold, pred)
    return {"fnc_relative": round(100 * raw / mx, 2), "macro_f1": classification(gold, pred, FNC_LABELS)["macro_f1"]}


def objective(s: dict[str, float]) -> float:
    """What model selection maximises: the FNC score and macro-F1 with equal weight."""
    return s["fnc_relative"] + 100 * s["macro_f1"]


def fit_bias(logits: np.ndarray, gold: list[str], grid: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """Per-class logit offsets (``unrelated`` fixed at 0) that maximise :func:`objective`."""
    best = (-1.0, np.zeros(4), {})
    for a, d, c in itertools.product(grid, grid, grid):
        bias = np.array([a, d, c, 0.0])
        pred = [FNC_LABELS[i] for i in (logits + bias).argmax(1)]
        s = score(gold, pred)
        if objective(s) > best[0]:
            best = (objective(s), bias, s)
    return best[1], best[2]


def train(x: np.ndarray, y: np.ndarray, w: np.ndarray, hx: np.ndarray, hgold: list[str], *, hidden: int, epochs: int,
          lr: float, weight_decay: float, balance: float, seed: int) -> tuple[dict[str, np.ndarray], int, dict[str, float]]:
    """Full-batch training of the MLP; keeps the epoch with the best held-out objective."""
    import torch

    torch.manual_seed(seed)
    mean, std = x.mean(0), x.std(0) + 1e-6
    xt = torch.tensor((x - mean) / std, dtype=torch.float32)
    hxt = torch.tensor((hx - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y)
    freq = np.bincount(y, weights=w, minlength=4) / w.sum()
    class_w = torch.tensor(freq ** -balance / (freq ** -balance * freq).sum(), dtype=torch.float32)
    wt = torch.tensor(w, dtype=torch.float32) * class_w[yt]
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                              torch.nn.Linear(hidden, 4))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    best: tuple[float, Any, int, dict[str, float]] = (-1.0, None, 0, {})
    for epoch in range(1, epochs + 1):
        net.train()
        opt.zero_grad()
        loss = (torch.nn.functional.cross_entropy(net(xt), yt, reduction="none") * wt).sum() / wt.sum()
        loss.backward()
        opt.step()
        if epoch % 25 == 0:
            net.eval()
            with torch.no_grad():
                pred = [FNC_LABELS[i] for i in net(hxt).argmax(1).tolist()]
            s = score(hgold, pred)
            log.info("epoch %d loss %.4f holdout %s", epoch, loss.item(), s)
            if objective(s) > best[0]:
                best = (objective(s), {k: v.detach().clone() for k, v in net.state_dict().items()}, epoch, s)
    net.load_state_dict(best[1])
    params = {"mean": mean, "std": std, "w1": net[0].weight.detach().numpy().T, "b1": net[0].bias.detach().numpy(),
              "w2": net[3].weight.detach().numpy().T, "b2": net[3].bias.detach().numpy()}
    return params, best[2], best[3]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.stance")
    p.add_argument("--data", default="../shared/data", help="folder holding fnc-1/ and arc/")
    p.add_argument("--out", default="runs/stance-head")
    p.add_argument("--cache", default="runs/stance-features", help="feature cache (resumable)")
    p.add_argument("--holdout", type=float, default=0.15, help="fraction of bodies held out")
    p.add_argument("--unrelated-frac", type=float, default=0.2, help="share of training 'unrelated' pairs kept")
    p.add_argument("--discuss-frac", type=float, default=0.5, help="share of training 'discuss' pairs kept")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--epochs", type=int, default=1500)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--weight-decay", type=float, default=1e-3)
    p.add_argument("--balance", type=float, default=0.5, help="class weight = frequency ** -balance")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        handlers=[logging.StreamHandler(), logging.FileHandler(out / "train.log")])
    from crosscheck.stances import FEATURE_NAMES, StanceDetector, mlp_logits

    rows = select_rows(Path(args.data), args.holdout, {"unrelated": args.unrelated_frac, "discuss": args.discuss_frac},
                       args.seed)
    log.info("rows: %s", rows.groupby(["dataset", "part", "stance"]).size().to_dict())
    x = compute_features(rows, Path(args.cache))
    y = np.array([FNC_LABELS.index(s) for s in rows.stance])
    tr, ho = (rows.part == "train").to_numpy(), (rows.part == "holdout").to_numpy()
    hgold = list(rows.stance[ho])
    params, epoch, before_bias = train(x[tr], y[tr], rows.weight.to_numpy()[tr], x[ho], hgold, hidden=args.hidden,
                                       epochs=args.epochs, lr=args.lr, weight_decay=args.weight_decay,
                                       balance=args.balance, seed=args.seed)
    bias, after_bias = fit_bias(mlp_logits(params, x[ho]), hgold, np.arange(-1.5, 1.51, 0.25))
    log.info("epoch %d; holdout before offsets %s, after %s (offsets %s)", epoch, before_bias, after_bias, bias.tolist())
    det = StanceDetector(head=None)
    head = {"features": list(FEATURE_NAMES), "labels": list(FNC_LABELS), "bias": bias.tolist(),
            "detector": det.settings,
            **{k: np.asarray(v, dtype=np.float64).round(6).tolist() for k, v in params.items()}}
    (out / "head.json").write_text(json.dumps(head))
    counts = {f"{d}/{part}/{s}": int(n) for (d, part, s), n in rows.groupby(["dataset", "part", "stance"]).size().items()}
    (out / "training.json").write_text(json.dumps({
        "settings": vars(args), "rows": counts, "best_epoch": epoch,
        "holdout_before_offsets": before_bias, "holdout": after_bias,
    }, indent=2) + "\n")
    log.info("wrote %s", out / "head.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
