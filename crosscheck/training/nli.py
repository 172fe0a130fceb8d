"""Train crosscheck's 3-way NLI cross-encoder (contradiction / entailment / neutral).

Run as a module::

    python -m crosscheck.training.nli --data ../shared/data/nli-train/nli_train_en.csv.gz \
        --out runs/nli --epochs 3

The run is reproducible (fixed seeds, deterministic data selection and split), logs
to stdout and ``DIR/train.log``, writes a resumable checkpoint every
``--checkpoint-every`` steps (``DIR/checkpoint.pt``) and picks the best epoch on a
held-out slice of the training file (never on SNLI test, MultiNLI dev or SICK test).
The selected model is exported to ``DIR/best`` as fp16 safetensors with its tokenizer,
in the layout :class:`crosscheck.judge.CrossEncoderNLI` loads.

A GPU is used when one is present (bf16 autocast); on CPU it trains in fp32. Batches hold
pairs of similar token length (``--length-buckets``; 0 gives plain random batches, as v1 was
trained). On the 2-core CPU this raised the speed of the v2 run from about 10 to about 32
pairs/s (first 200 steps of the same command with and without it).

``--base`` may also be a 3-way NLI model directory such as the shipped
``crosscheck/models/nli-minilm-l6``: training then continues from it. ``--source-cap SOURCE=N``
caps one source's training rows (after the holdout split, so runs with different caps are
selected on the same holdout rows). ``--negation-pairs N`` adds up to N pairs derived from the
training rows by negating their hypothesis (:mod:`crosscheck.training.negation`); every epoch
also reports accuracy on the same kind of pairs derived from the holdout (the negation probe).
``--attribution-pairs N`` adds up to N pairs with a reporting clause ("..., police said.") on one
side and the label kept (:mod:`crosscheck.training.attribution`; drawn from the training rows
after the negation pairs are added, so some are negated too), with its own holdout probe.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import random
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import Errors, InputError
from crosscheck.training.attribution import attribution_pairs
from crosscheck.training.negation import negation_pairs

#: Label order of the shipped model's logits.
LABELS: tuple[str, ...] = ("contradiction", "entailment", "neutral")

#: Licence markers of rows that may not train a model we redistribute
#: (non-commercial "BY-NC", or no licence stated by the source).
_NOT_REDISTRIBUTABLE = re.compile(r"\bBY-NC\b|no licen[cs]e|not stated", re.IGNORECASE)

#: Template/synthetic or single-word-swap sources, capped so they do not dominate.
SYNTHETIC_SOURCES = ("vitaminc_synthetic", "breaking_nli", "imppres", "semantic_fragments")

log = logging.getLogger("crosscheck.training.nli")


@dataclass
class TrainConfig:
    """Settings of one training run (written to ``DIR/config.json``)."""

    data: str
    out: str
    base: str | None = None
    epochs: int = 3
    lr: float = 4e-5
    batch_size: int = 32
    max_length: int = 128
    warmup: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13
    holdout: float = 0.03
    cap_synthetic: int = 5000
    licence: str = "redistributable"
    checkpoint_every: int = 1000
    limit: int | None = None
    swap_contradictions: bool = False
    extra: list[str] = field(default_factory=list)
    source_caps: dict[str, int] = field(default_factory=dict)
    length_buckets: int = 64
    negation_pairs: int = 0
    negation_single_clause: bool = False
    attribution_pairs: int = 0


def redistributable(licence: str) -> bool:
    """True when a row's licence allows redistributing a model trained on it."""
    return _NOT_REDISTRIBUTABLE.search(licence) is None


def _bucket(text: str) -> float:
    digest = hashlib.sha1(text.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def load_pairs(cfg: TrainConfig) -> tuple[Any, Any]:
    """Read, filter, cap and split the training file into (train, holdout) frames.

    The split is by premise (hash of the lower-cased premise), so that the several
    hypotheses written for one premise never straddle train and holdout.
    """
    import pandas as pd

    frames = [pd.read_csv(cfg.data, keep_default_na=False)]
    for path in cfg.extra:
        frames.append(pd.read_csv(path, keep_default_na=False))
    df = pd.concat(frames, ignore_index=True)
    df = df[df.label.isin(LABELS)]
    if cfg.licence == "redistributable":
        df = df[df.license.map(redistributable)]
    elif cfg.licence != "all":
        raise InputError(Errors.E330.format(value=cfg.licence))
    parts = []
    for source, group in df.groupby("source", sort=True):
        if source in SYNTHETIC_SOURCES and len(group) > cfg.cap_synthetic:
            group = group.sample(n=cfg.cap_synthetic, random_state=cfg.seed)
        parts.append(group)
    df = pd.concat(parts).sort_index()
    is_holdout = df.premise.map(_bucket) < cfg.holdout
    train, hold = df[~is_holdout], df[is_holdout]
    train = cap_sources(train, cfg.source_caps, seed=cfg.seed)
    if cfg.swap_contradictions:
        # Contradiction is symmetric: (h, p) contradicts as (p, h) does. Training pairs only.
        flipped = train[train.label == "contradiction"].rename(columns={"premise": "hypothesis", "hypothesis": "premise"})
        train = pd.concat([train, flipped[train.columns]], ignore_index=True)
    if cfg.negation_pairs:
        # Derived from training rows only, after the split: the holdout stays the same rows.
        derived = negation_pairs(train, n=cfg.negation_pairs, seed=cfg.seed, single_clause=cfg.negation_single_clause)
        train = pd.concat([train, derived[train.columns]], ignore_index=True)
    if cfg.attribution_pairs:
        derived = attribution_pairs(train, n=cfg.attribution_pairs, seed=cfg.seed)
        train = pd.concat([train, derived[train.columns]], ignore_index=True)
    if cfg.limit:
        train = train.sample(n=min(cfg.limit, len(train)), random_state=cfg.seed)
        hold = hold.head(max(200, cfg.limit // 20))
    return train.reset_index(drop=True), hold.reset_index(drop=True)


def negation_probe(hold: Any, *, seed: int) -> Any:
    """Every negation pair derivable from the holdout rows (:func:`negation_pairs`): a report-only
    measure of the model's handling of negation, on premises no training row shares."""
    return negation_pairs(hold, n=len(hold), seed=seed)


def attribution_probe(hold: Any, *, seed: int) -> Any:
    """The holdout rows with a reporting clause on one side (:func:`attribution_pairs`), labels
    kept: a report-only measure of whether the model reads attribution as transparent."""
    return attribution_pairs(hold, n=len(hold), seed=seed)


def cap_sources(frame: Any, caps: dict[str, int], *, seed: int) -> Any:
    """Keep at most ``caps[source]`` rows of each named source (a seeded sample); others untouched.

    Applied to the training part only, after the holdout split, so that runs with
    different caps are selected on the same holdout rows.
    """
    import pandas as pd

    unknown = sorted(set(caps) - set(frame.source))
    if unknown:
        raise InputError(Errors.E331.format(unknown=unknown))
    parts = []
    for source, group in frame.groupby("source", sort=True):
        cap = caps.get(source)
        if cap is not None and len(group) > cap:
            group = group.sample(n=cap, random_state=seed)
        parts.append(group)
    return pd.concat(parts).sort_index()


def _parse_cap(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    if not sep or not name or not value.isdigit():
        raise argparse.ArgumentTypeError(Errors.E332.format(text=text))
    return name, int(value)


def _seed_all(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def batch_order(lengths: list[int], batch_size: int, seed: int, epoch: int, *, pool: int = 64) -> list[list[int]]:
    """Shuffled batches of row indices for one epoch; deterministic in ``(seed, epoch)``.

    With ``pool > 0`` the shuffled rows are cut into pools of ``pool`` batches, each pool
    is sorted by token length and cut into batches, and the batches are shuffled again:
    a batch then holds pairs of similar length, so padding (and CPU time) falls, while
    every batch still comes from a random slice of the data. ``pool=0`` gives plain
    random batches.
    """
    rng = random.Random(seed * 1000 + epoch)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if pool <= 0:
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    span = batch_size * pool
    batches = []
    for start in range(0, len(order), span):
        chunk = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _encode(tokenizer: Any, premises: list[str], hypotheses: list[str], max_length: int) -> Any:
    return tokenizer(
        premises,
        hypotheses,
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def evaluate(model: Any, tokenizer: Any, frame: Any, *, batch_size: int = 128, max_length: int = 128) -> dict[str, Any]:
    """Accuracy and per-class F1 of ``model`` on a frame with premise/hypothesis/label."""
    import torch

    device = next(model.parameters()).device
    model.eval()
    preds: list[int] = []
    with torch.inference_mode():
        for i in range(0, len(frame), batch_size):
            chunk = frame.iloc[i : i + batch_size]
            enc = _encode(tokenizer, list(chunk.premise), list(chunk.hypothesis), max_length).to(device)
            preds.extend(model(**enc).logits.argmax(-1).tolist())
    gold = [LABELS.index(label) for label in frame.label]
    return classification_scores(gold, preds)


def classification_scores(gold: list[int], pred: list[int]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1 and confusion over :data:`LABELS` (label indices in)."""
    from crosscheck.eval.metrics import classification

    scores = classification([LABELS[g] for g in gold], [LABELS[p] for p in pred], LABELS)
    return {"n": len(gold), **scores}


def export_fp16(model: Any, tokenizer: Any, out_dir: Path, card: dict[str, Any]) -> None:
    """Write the model as fp16 safetensors plus config and tokenizer into ``out_dir``."""
    import copy

    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    half = copy.deepcopy(model).to("cpu").half()
    state = {k: v.contiguous() for k, v in half.state_dict().items()}
    save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    half.config.id2label = dict(enumerate(LABELS))
    half.config.label2id = {name: i for i, name in enumerate(LABELS)}
    half.config.dtype = "float16"
    half.config.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    (out_dir / "training.json").write_text(json.dumps(card, indent=2) + "\n")


def train(cfg: TrainConfig) -> dict[str, Any]:
    """Run (or resume) training; return the summary written to ``DIR/summary.json``."""

    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(out / "train.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    level = log.level
    log.setLevel(logging.INFO)  # train.log is complete whatever the caller's logging configuration
    try:
        return _train(cfg, out)
    finally:
        log.setLevel(level)
        log.removeHandler(handler)
        handler.close()


def _train(cfg: TrainConfig, out: Path) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")

    base = cfg.base
    if base is None:
        from crosscheck.embed import minilm_path

        base = str(minilm_path())
    _seed_all(cfg.seed)
    train_df, hold_df = load_pairs(cfg)
    probe_df = negation_probe(hold_df, seed=cfg.seed)
    attr_df = attribution_probe(hold_df, seed=cfg.seed)
    log.info("train pairs %d, holdout pairs %d, holdout negation probe %d, attribution probe %d",
             len(train_df), len(hold_df), len(probe_df), len(attr_df))
    log.info("train by source: %s", train_df.source.value_counts().to_dict())
    log.info("train by label: %s", train_df.label.value_counts().to_dict())

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
        dtype=torch.float32,
    ).to(device)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(t in n for t in no_decay)], "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(t in n for t in no_decay)], "weight_decay": 0.0},
    ]
    optim = torch.optim.AdamW(groups, lr=cfg.lr)
    steps_per_epoch = math.ceil(len(train_df) / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    warm = int(total * cfg.warmup)

    def schedule(step: int) -> float:
        if step < warm:
            return (step + 1) / max(1, warm)
        return max(0.0, (total - step) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(optim, schedule)
    state = {"step": 0, "best": -1.0, "history": []}
    ckpt = out / "checkpoint.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(saved["model"])
        optim.load_state_dict(saved["optim"])
        sched.load_state_dict(saved["sched"])
        state = saved["state"]
        log.info("resumed from step %d", state["step"])

    def save_checkpoint() -> None:
        tmp = out / "checkpoint.pt.tmp"
        torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "sched": sched.state_dict(), "state": state}, tmp)
        tmp.replace(ckpt)

    labels = torch.tensor([LABELS.index(x) for x in train_df.label])
    premises, hypotheses = list(train_df.premise), list(train_df.hypothesis)
    lengths = [len(ids) for ids in tokenizer(premises, hypotheses, truncation=True, max_length=cfg.max_length)["input_ids"]]
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else torch.autocast("cpu", enabled=False)
    started = time.time()
    while state["step"] < total:
        epoch, offset = divmod(state["step"], steps_per_epoch)
        model.train()
        for batch in batch_order(lengths, cfg.batch_size, cfg.seed, epoch, pool=cfg.length_buckets)[offset:]:
            enc = _encode(tokenizer, [premises[i] for i in batch], [hypotheses[i] for i in batch], cfg.max_length).to(device)
            with autocast:
                logits = model(**enc).logits
            loss = torch.nn.functional.cross_entropy(logits.float(), labels[batch].to(device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
            state["step"] += 1
            if state["step"] % 200 == 0:
                rate = state["step"] * cfg.batch_size / (time.time() - started)
                log.info("epoch %d step %d/%d loss %.4f lr %.2e (%.0f pairs/s)", epoch, state["step"], total, loss.item(), sched.get_last_lr()[0], rate)
            if state["step"] % cfg.checkpoint_every == 0:
                save_checkpoint()
        scores = evaluate(model, tokenizer, hold_df, max_length=cfg.max_length)
        probe = evaluate(model, tokenizer, probe_df, max_length=cfg.max_length)
        attr = evaluate(model, tokenizer, attr_df, max_length=cfg.max_length)
        state["history"].append({"epoch": epoch, "step": state["step"], "holdout_accuracy": scores["accuracy"],
                                 "negation_probe_accuracy": probe["accuracy"],
                                 "attribution_probe_accuracy": attr["accuracy"]})
        log.info("epoch %d holdout accuracy %.4f, negation probe %.4f, attribution probe %.4f", epoch,
                 scores["accuracy"], probe["accuracy"], attr["accuracy"])
        if scores["accuracy"] > state["best"]:
            state["best"] = scores["accuracy"]
            card = {"config": asdict(cfg), "epoch": epoch, "holdout": scores, "negation_probe": probe,
                    "attribution_probe": attr,
                    "labels": list(LABELS),
                    "train_pairs": len(train_df), "holdout_pairs": len(hold_df),
                    "train_sources": train_df.source.value_counts().to_dict()}
            export_fp16(model, tokenizer, out / "best", card)
            log.info("exported epoch %d to %s", epoch, out / "best")
        save_checkpoint()
    summary = {"best_holdout_accuracy": state["best"], "history": state["history"], "seconds": time.time() - started}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.nli", description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="nli_train_en.csv.gz or a CSV with premise,hypothesis,label,source,license")
    p.add_argument("--out", required=True, help="run directory (checkpoints, logs, best model)")
    p.add_argument("--base", help="base model directory (default: the bundled all-MiniLM-L6-v2); a 3-way NLI model "
                   "directory, such as crosscheck/models/nli-minilm-l6, continues training it")
    p.add_argument("--extra", action="append", default=[], help="additional CSV of pairs in the same format")
    for name, typ in (("epochs", int), ("lr", float), ("batch-size", int), ("max-length", int), ("warmup", float),
                      ("weight-decay", float), ("seed", int), ("holdout", float), ("cap-synthetic", int),
                      ("checkpoint-every", int), ("limit", int), ("length-buckets", int)):
        default = getattr(TrainConfig, name.replace("-", "_"), None)
        p.add_argument(f"--{name}", type=typ, default=default)
    p.add_argument("--negation-pairs", type=int, default=0, metavar="N",
                   help="add up to N negation pairs derived from the training rows (crosscheck.training.negation)")
    p.add_argument("--negation-single-clause", action="store_true",
                   help="negation pairs from single-clause hypotheses only (contradictions too)")
    p.add_argument("--attribution-pairs", type=int, default=0, metavar="N",
                   help="add up to N pairs with a reporting clause on one side, label kept "
                   "(crosscheck.training.attribution)")
    p.add_argument("--swap-contradictions", action="store_true", help="add (hypothesis, premise) copies of contradiction pairs")
    p.add_argument("--licence", choices=("redistributable", "all"), default="redistributable")
    p.add_argument("--source-cap", type=_parse_cap, action="append", default=[], metavar="SOURCE=N",
                   help="keep at most N training rows of SOURCE (after the holdout split); repeatable")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    values = vars(args)
    values["source_caps"] = dict(values.pop("source_cap"))
    cfg = TrainConfig(**values)
    summary = train(cfg)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
