"""What a model card records about where a model came from, beyond its command: the photos (a digest of their bytes),
the code (the git commit) and the software and machine that trained it. With these, someone who retrains and gets
other figures can tell a change in the data or the code from the noise of another machine.

`data_digest` must agree with lib/ml/data-digest.ts, which records the digest of the photos the TypeScript test
figures were measured on (tests/unit/data-digest.test.ts runs both on the same files).
"""
from __future__ import annotations

import hashlib
import platform
import subprocess
from pathlib import Path
from typing import Iterable


DATA_DIGEST_ALGORITHM = "sha256 over sorted lines '<relative path>\\t<sha256 of the file>\\n' (training/provenance.py)"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_digest(files: Iterable[tuple[str, Path]]) -> str:
    """sha256 over one line per file, sorted by relative path: `<relative path>\\t<sha256 of its bytes>\\n`.

    Names and bytes both count: a photo moved to another class folder changes the digest as much as an edited one.
    """
    lines = sorted(f"{relative}\t{sha256_of(path)}\n" for relative, path in files)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def git_commit(repo: Path) -> dict | None:
    """The checked-out commit and whether the tree had changes (tracked files only), or None outside a git checkout."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()
    try:
        return {"commit": git("rev-parse", "HEAD"), "uncommittedChanges": git("status", "--porcelain", "--untracked-files=no") != ""}
    except (OSError, subprocess.CalledProcessError):
        return None


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def environment(threads: int) -> dict:
    """The software and machine of the run. Float arithmetic differs across BLAS builds and CPUs, so a retraining on
    other ones can land a little away from the card's figures (issue 2 allows half a point)."""
    import numpy
    import onnx
    import PIL
    import torch
    import torchvision
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "onnx": onnx.__version__,
        "numpy": numpy.__version__,
        "pillow": PIL.__version__,
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "threads": threads,
    }
