"""Fine-tune MobileNetV3-Small into the PetLens cat / dog / neither classifier.

    npm run train            # this script, then the TypeScript test-split evaluation

Starts from the ImageNet backbone in ../shared/models, trains the whole network
on training/splits/train.txt with real augmentation, a warm-up + cosine
schedule and early stopping on training/splits/val.txt, and writes
models/<name>.onnx with its model card (<name>.json). No test photo is read
here (of the test list, only the names, for the card's data summary); the test
figures are added to the card by scripts/write-model-metrics.ts, through the
same TypeScript code that serves the model.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, WeightedRandomSampler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backbone import load_pretrained_features  # noqa: E402
from data import (  # noqa: E402
    CLASSES, DEFAULT_EVAL_SIZE, DEFAULT_INPUT_SIZE, EXTRA_STAMPS_SOURCE, ImageDataset, cache_short_side, eval_transform, is_other_mammal, label_of,
    list_stamps, load_images, source_of, train_transform,
)
from model import IMAGENET_MEAN, IMAGENET_STD, PetClassifier, export_onnx  # noqa: E402
from provenance import DATA_DIGEST_ALGORITHM, data_digest, environment, git_commit, sha256_of  # noqa: E402
from split import read_split  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def parse_args() -> argparse.Namespace:
    # No abbreviations: train.sh reads --out-dir, --name and --data from the same arguments, spelt out.
    p = argparse.ArgumentParser(allow_abbrev=False, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--backbone", type=Path, default=ROOT.parent / "shared" / "models" / "mobilenetv3-small-imagenet-features.onnx")
    p.add_argument("--splits", type=Path, default=ROOT / "training" / "splits")
    p.add_argument("--out-dir", type=Path, default=ROOT / "models")
    p.add_argument("--name", default="petlens-mobilenetv3-small")
    p.add_argument("--version", default="1.5.0", help="the model version stored with every prediction; bump it with every retrained model")
    # 18, not 12: with 12 the best epoch was the last (model 1.3.0); over 18 (the
    # cosine schedule stretched with it) the validation loss at the served
    # side fell from 0.0834 to 0.0790 (model 1.3.0 -> 1.4.0), the best epoch
    # was 15, for about 12 more minutes of training on 2 cores.
    p.add_argument("--epochs", type=int, default=18, help="fine-tuning epochs (whole network); the cosine schedule spans them all")
    p.add_argument("--patience", type=int, default=4, help="stop after this many epochs without a better validation loss")
    p.add_argument("--batch-size", type=int, default=48)
    p.add_argument("--probe-epochs", type=int, default=40,
                   help="first train the head alone on frozen backbone features for this many epochs (0 = skip)")
    p.add_argument("--lr", type=float, default=6e-4, help="peak learning rate of the head while fine-tuning")
    p.add_argument("--backbone-lr", type=float, default=3e-4, help="peak learning rate of the backbone while fine-tuning")
    p.add_argument("--layer-decay", type=float, default=1.0,
                   help="layer-wise learning-rate decay: backbone block i of n gets --backbone-lr x decay^(n-1-i), so the "
                        "generic early layers move less than the late ones; 1 gives every block --backbone-lr")
    p.add_argument("--weight-decay", type=float, default=0.02)
    p.add_argument("--label-smoothing", type=float, default=0.05)
    p.add_argument("--ema-decay", type=float, default=0.996,
                   help="keep an exponential moving average of the weights with this decay per step and validate/export it (0 = off)")
    p.add_argument("--input-size", type=int, default=DEFAULT_INPUT_SIZE,
                   help="side of the square the network sees, in training and (through the model card) in serving")
    p.add_argument("--eval-size", type=int, default=DEFAULT_EVAL_SIZE,
                   help="side of the square the exported model is served at (see data.DEFAULT_EVAL_SIZE); "
                        "early stopping still compares validation losses at --input-size, so this does not change the weights")
    p.add_argument("--crop-scale-min", type=float, default=0.35, help="smallest area share kept by RandomResizedCrop")
    p.add_argument("--extra-neither", type=Path, default=None,
                   help="Tux Paint's stamps folder (usr/share/tuxpaint/stamps of Debian's tuxpaint-stamps-default; train.sh fetches it): "
                        "its cut-outs are added to the training split as neither")
    p.add_argument("--background-p", type=float, default=0.6,
                   help="probability that a cut-out is put on a scene photo of the training split rather than on white")
    p.add_argument("--mammal-weight", type=float, default=3.0,
                   help="sample the ImageNet photos of mammals other than cats and dogs this many times as often as the rest of their folder")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint", type=Path, default=None, help="also save the chosen weights (a PyTorch state dict) here, e.g. for experiments that start from them")
    args = p.parse_args()
    # Refused before an hour of training rather than by the app at load (lib/ml/model-card.ts): the admin dashboard
    # names a model as NAME@VERSION.
    for option, value in (("--name", args.name), ("--version", args.version)):
        if not value or "@" in value:
            p.error(f'{option} must be non-empty and must not contain "@"')
    return args


def without_out_dir(argv: list[str]) -> list[str]:
    """The command line without its --out-dir (as "--out-dir X" or "--out-dir=X")."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--out-dir":
            skip = True
        elif not arg.startswith("--out-dir="):
            kept.append(arg)
    return kept


def seed_everything(seed: int) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def sampling_group(file: str) -> str:
    """Shared data is balanced per folder (pets/kaggle/cats ...); the stamps,
    spread over dozens of small folders, count as one source."""
    return EXTRA_STAMPS_SOURCE if file.startswith(EXTRA_STAMPS_SOURCE + "/") else str(Path(file).parent)


def sampling_weights(files: list[str], mammal_weight: float) -> list[float]:
    """Weight each image by 1/sqrt(size of its source folder), and the ImageNet
    photos of other mammals by mammal_weight on top.

    The 4,000 squashed 200 px Kaggle photos would otherwise dominate, and the
    ~1,100 non-pet photos would be under a fifth of what the model sees. With
    this weighting cat, dog and neither each get about a third of each epoch.
    Other mammals are the non-pets most often called pets, and the shared data
    has about one photo of each species: seeing them more often is the cheap
    substitute for more of them.
    """
    groups = [sampling_group(f) for f in files]
    group_sizes = Counter(groups)
    return [(mammal_weight if is_other_mammal(f) else 1.0) / math.sqrt(group_sizes[g]) for f, g in zip(files, groups)]


def balanced_sampler(files: list[str], mammal_weight: float, generator: torch.Generator) -> WeightedRandomSampler:
    return WeightedRandomSampler(sampling_weights(files, mammal_weight), num_samples=len(files), replacement=True, generator=generator)


def lr_at(step: int, total: int, warmup: int) -> float:
    """Linear warm-up, then cosine decay to zero: a multiplier of the peak rate."""
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


@torch.no_grad()
def evaluate(model: nn.Module, loader: DataLoader, files: list[str]) -> dict:
    model.eval()
    losses, predictions, labels = [], [], []
    for pixels, target in loader:
        logits = model(pixels)
        losses.append(nn.functional.cross_entropy(logits, target, reduction="sum").item())
        predictions += logits.argmax(1).tolist()
        labels += target.tolist()
    by_source: dict[str, list[int]] = {}
    for f, p, y in zip(files, predictions, labels):
        by_source.setdefault(source_of(f), []).append(int(p == y))
    return {
        "loss": sum(losses) / len(labels),
        "accuracy": float(np.mean([p == y for p, y in zip(predictions, labels)])),
        "bySource": {s: round(float(np.mean(v)), 4) for s, v in sorted(by_source.items())},
    }


@torch.no_grad()
def backbone_features(model: PetClassifier, loader: DataLoader) -> tuple[torch.Tensor, torch.Tensor]:
    model.eval()
    feats, labels = [], []
    for pixels, target in loader:
        for view in (pixels, pixels.flip(2)):  # the image and its mirror
            feats.append(torch.flatten(model.pool(model.features(model.normalize(view))), 1))
            labels.append(target)
    return torch.cat(feats), torch.cat(labels)


def train_head_on_frozen_features(model: PetClassifier, images: list[np.ndarray], labels: list[int], files: list[str],
                                  input_size: int, epochs: int, generator: torch.Generator, label_smoothing: float,
                                  mammal_weight: float) -> None:
    """Linear-probe-then-fine-tune (Kumar et al., ICLR 2022): fitting the head
    first means fine-tuning starts from sensible gradients instead of a random
    head's, which would otherwise wreck the pretrained features in the first
    epoch; it keeps both in-distribution and out-of-distribution accuracy higher."""
    loader = DataLoader(ImageDataset(images, labels, eval_transform(input_size)), batch_size=64)
    feats, targets = backbone_features(model, loader)
    weights = torch.tensor(sampling_weights(files, mammal_weight) * 2)
    optimizer = torch.optim.AdamW(model.head.parameters(), lr=1e-3, weight_decay=0.01)
    criterion = nn.CrossEntropyLoss(reduction="none", label_smoothing=label_smoothing)
    model.head.train()
    for epoch in range(epochs):
        order = torch.randperm(len(targets), generator=generator)
        total = 0.0
        for start in range(0, len(order), 256):
            idx = order[start:start + 256]
            loss = (criterion(model.head(feats[idx]), targets[idx]) * weights[idx]).sum() / weights[idx].sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        if epoch == epochs - 1 or epoch % 10 == 0:
            print(json.dumps({"probeEpoch": epoch + 1, "loss": round(total / len(order), 4)}), flush=True)


class WeightAverage:
    """Exponential moving average of a model's weights (BatchNorm statistics included).

    The averaged weights generalise a little better than the last step's and
    make the validation curve, and so early stopping, less noisy.
    """

    def __init__(self, model: nn.Module, decay: float) -> None:
        self.decay = decay
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        for key, value in model.state_dict().items():
            if value.dtype.is_floating_point:
                self.state[key].mul_(self.decay).add_(value.detach(), alpha=1 - self.decay)
            else:
                self.state[key].copy_(value)


def main() -> None:
    args = parse_args()
    # Checked before the photos are decoded: a mistyped folder would otherwise train without the stamps, silently.
    if args.extra_neither is not None and not args.extra_neither.is_dir():
        raise SystemExit(f"train: --extra-neither {args.extra_neither} is not a folder")
    started = time.time()
    torch.set_num_threads(args.threads)
    generator = seed_everything(args.seed)

    features = load_pretrained_features(args.backbone)
    model = PetClassifier(features, num_classes=len(CLASSES))

    # Before anything is written (the default --out-dir, models/, is tracked) and before an hour in which the checkout
    # could change.
    code = git_commit(ROOT)
    splits = {name: read_split(args.splits / f"{name}.txt") for name in ("train", "val")}
    # Read now, though only named in the card at the end: a bad line stops the run before the hour, not after it.
    test_files = read_split(args.splits / "test.txt")
    # The photos' bytes as they are when training starts (the test photos' are recorded by the metrics step).
    digests = {name: data_digest((f, args.data / f) for f in files) for name, files in splits.items()}
    t0 = time.time()
    # Cached big enough for the training crops and for validation at the served side.
    cache_side = max(cache_short_side(args.input_size), args.eval_size)
    images = {name: load_images(args.data, files, cache_side, workers=args.threads) for name, files in splits.items()}
    labels = {name: [label_of(f) for f in files] for name, files in splits.items()}
    if args.extra_neither:
        stamps = list_stamps(args.extra_neither)
        images["train"] += load_images(args.extra_neither, stamps, cache_side, workers=args.threads, keep_alpha=True)
        labels["train"] += [CLASSES.index("neither")] * len(stamps)
        splits["train"] += [f"{EXTRA_STAMPS_SOURCE}/{f}" for f in stamps]
        digests["extraNeither"] = data_digest((f, args.extra_neither / f) for f in stamps)
    # The scene photos of the training split: backgrounds for the cut-outs.
    backgrounds = [image for f, image in zip(splits["train"], images["train"]) if source_of(f) == "other/scenes"]
    print(f"decoded {sum(map(len, images.values()))} images in {time.time() - t0:.0f}s", flush=True)

    if args.probe_epochs > 0:
        t0 = time.time()
        train_head_on_frozen_features(model, images["train"], labels["train"], splits["train"], args.input_size, args.probe_epochs, generator, args.label_smoothing,
                                      args.mammal_weight)
        probe = evaluate(model, DataLoader(ImageDataset(images["val"], labels["val"], eval_transform(args.input_size)), batch_size=64), splits["val"])
        print(json.dumps({"probe": "done", "seconds": round(time.time() - t0), "valLoss": round(probe["loss"], 4),
                          "valAccuracy": round(probe["accuracy"], 4), "valBySource": probe["bySource"]}), flush=True)

    train_loader = DataLoader(
        ImageDataset(images["train"], labels["train"], train_transform(args.input_size, args.crop_scale_min), backgrounds, args.background_p),
        batch_size=args.batch_size,
        sampler=balanced_sampler(splits["train"], args.mammal_weight, generator),
        num_workers=1,
        persistent_workers=True,
        generator=generator,
        drop_last=True,
    )
    val_loader = DataLoader(ImageDataset(images["val"], labels["val"], eval_transform(args.input_size)), batch_size=64)

    blocks = list(model.features.children())
    optimizer = torch.optim.AdamW(
        [{"params": block.parameters(), "lr": args.backbone_lr * args.layer_decay ** (len(blocks) - 1 - i)} for i, block in enumerate(blocks)]
        + [{"params": model.head.parameters(), "lr": args.lr}],
        weight_decay=args.weight_decay,
    )
    peak_rates = [group["lr"] for group in optimizer.param_groups]
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    steps_per_epoch = len(train_loader)
    total_steps, warmup_steps = steps_per_epoch * args.epochs, steps_per_epoch

    average = WeightAverage(model, args.ema_decay) if args.ema_decay > 0 else None
    # Validation (and export) use the averaged weights when there are any.
    evaluated = PetClassifier(load_pretrained_features(args.backbone), num_classes=len(CLASSES)) if average else model
    history, best, step, stale = [], None, 0, 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, running, seen = time.time(), 0.0, 0
        for pixels, target in train_loader:
            for group, peak in zip(optimizer.param_groups, peak_rates):
                group["lr"] = peak * lr_at(step, total_steps, warmup_steps)
            loss = criterion(model(pixels), target)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if average:
                average.update(model)
            running += loss.item() * len(target)
            seen += len(target)
            step += 1
        train_seconds = time.time() - t0
        if average:
            evaluated.load_state_dict(average.state)
        val = evaluate(evaluated, val_loader, splits["val"])
        record = {
            "epoch": epoch,
            "trainLoss": round(running / seen, 4),
            "valLoss": round(val["loss"], 4),
            "valAccuracy": round(val["accuracy"], 4),
            "valBySource": val["bySource"],
            "imagesPerSecond": round(seen / train_seconds, 1),
        }
        history.append(record)
        print(json.dumps(record), flush=True)
        # A diverged run must stop here: with a NaN loss the first epoch would stay "best", be exported, and its card
        # would hold a NaN that JSON cannot carry.
        if not math.isfinite(val["loss"]) or not math.isfinite(running):
            raise SystemExit(f"train: the loss is not finite at epoch {epoch} (the run diverged; try a lower --lr / --backbone-lr)")
        if best is None or val["loss"] < best["valLoss"]:
            best = {"epoch": epoch, "valLoss": val["loss"], "valAccuracy": val["accuracy"], "valBySource": val["bySource"],
                    "state": {k: v.detach().clone() for k, v in evaluated.state_dict().items()}}
            stale = 0
        else:
            stale += 1
            if stale >= args.patience:
                print(f"early stop: no better validation loss for {args.patience} epochs", flush=True)
                break

    assert best is not None
    model.load_state_dict(best["state"])
    if args.checkpoint:
        torch.save(best["state"], args.checkpoint)
    # The chosen weights at the side they are served at: the figures that go in the card.
    if args.eval_size == args.input_size:
        served = {"loss": best["valLoss"], "accuracy": best["valAccuracy"], "bySource": best["valBySource"]}
    else:
        served = evaluate(model, DataLoader(ImageDataset(images["val"], labels["val"], eval_transform(args.eval_size)), batch_size=64), splits["val"])
    print(json.dumps({"servedSide": args.eval_size, "valLoss": round(served["loss"], 4), "valAccuracy": round(served["accuracy"], 4),
                      "valBySource": served["bySource"]}), flush=True)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out_dir / f"{args.name}.onnx"
    export_onnx(model, str(onnx_path), args.eval_size)

    import onnx
    onnx.checker.check_model(onnx.load(str(onnx_path)))

    summary = {name: dict(sorted(Counter(source_of(f) + "/" + CLASSES[label] for f, label in zip(files, split_labels)).items()))
               for name, files, split_labels in [(n, splits[n], labels[n]) for n in splits] + [("test", test_files, list(map(label_of, test_files)))]}
    layer_decay_note = "" if args.layer_decay == 1 else f", times {args.layer_decay} per block below the last"
    card = {
        "name": args.name,
        "version": args.version,
        "architecture": "MobileNetV3-Small (torchvision 0.14 layout), ImageNet-pretrained backbone, 576-1024-3 head",
        "file": onnx_path.name,
        "bytes": onnx_path.stat().st_size,
        "sha256": sha256_of(onnx_path),
        "classes": list(CLASSES),
        "input": {"name": "pixels", "dtype": "uint8", "shape": ["batch", args.eval_size, args.eval_size, 3], "layout": "NHWC"},
        "output": {"name": "logits", "dtype": "float32", "shape": ["batch", len(CLASSES)],
                   "note": "unnormalised scores; softmax gives the probabilities"},
        "preprocessing": {
            "decode": "EXIF orientation applied, first frame only, transparency flattened onto white, 8-bit sRGB",
            "resize": {"shorterSide": args.eval_size, "kernel": "lanczos3"},
            "crop": {"type": "center", "width": args.eval_size, "height": args.eval_size},
            "colorOrder": "RGB",
            "scale": "1/255 (inside the graph)",
            "mean": list(IMAGENET_MEAN),
            "std": list(IMAGENET_STD),
            "normalizationInGraph": True,
        },
        "training": {
            "command": "npm run train",
            # Where the files went is not part of what was trained (train.sh stages them in a temporary folder).
            "pythonCommand": " ".join(["python3", "training/train.py"] + without_out_dir(sys.argv[1:])),
            "seed": args.seed,
            "epochs": {"max": args.epochs, "run": len(history), "best": best["epoch"]},
            "batchSize": args.batch_size,
            "inputSize": args.input_size,
            "servedSize": args.eval_size,
            "recipe": f"head trained {args.probe_epochs} epochs on frozen features (image + mirror), then the whole network "
                      f"fine-tuned: AdamW lr {args.lr} (head) / {args.backbone_lr} (backbone{layer_decay_note}), weight decay {args.weight_decay}, "
                      f"1 epoch linear warm-up then cosine, label smoothing {args.label_smoothing}",
            "weightAverage": {"emaDecay": args.ema_decay} if average else None,
            "augmentation": f"RandomResizedCrop({args.input_size}, scale {args.crop_scale_min}-1, ratio 3/4-4/3), horizontal flip, low-resolution p=0.15, "
                            "Gaussian blur p=0.1, colour jitter (0.3, 0.3, 0.3, 0.03), grayscale p=0.05, JPEG re-encoding (quality 30-90) p=0.4",
            "extraNeither": {"source": "Debian tuxpaint-stamps-default (see training/train.sh)", "images": sum(f.startswith(EXTRA_STAMPS_SOURCE) for f in splits["train"]),
                             "onScenePhotos": args.background_p} if args.extra_neither else None,
            "sampling": "weighted by 1/sqrt(source folder size)"
                        + (f", ImageNet photos of other mammals x{args.mammal_weight:g}" if args.mammal_weight != 1 else ""),
            "backbone": {"file": args.backbone.name, "sha256": sha256_of(args.backbone)},
            "data": summary,
            "dataDigest": {"algorithm": DATA_DIGEST_ALGORITHM, **digests},
            "code": code,
            "history": history,
            "seconds": round(time.time() - started),
            "environment": environment(args.threads),
        },
        "metrics": {
            "validation": {"split": "training/splits/val.txt", "side": args.eval_size, "accuracy": round(served["accuracy"], 4),
                           "loss": round(served["loss"], 4), "bySource": served["bySource"],
                           "atTrainingSide": {"side": args.input_size, "accuracy": round(best["valAccuracy"], 4), "loss": round(best["valLoss"], 4)},
                           "computedBy": "training/train.py (PyTorch, PIL preprocessing)"},
        },
    }
    card_path = args.out_dir / f"{args.name}.json"
    card_path.write_text(json.dumps(card, indent=2, allow_nan=False) + "\n")
    print(f"wrote {onnx_path} ({card['bytes']} bytes) and {card_path} in {card['training']['seconds']}s", flush=True)


if __name__ == "__main__":
    main()
