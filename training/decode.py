"""Decoding photos for training the way serving decodes them (lib/ml/image.ts, sharp).

Apply the EXIF orientation, keep the first frame, composite transparency onto
white, convert to 8-bit sRGB, scale the shorter side. PIL and numpy only (no
torch), so that tests/ml/python-decode.test.ts can hold it against sharp on
every encoding serving accepts.

Run as a script it writes what serving would feed the model, as near as PIL
gets: `python3 training/decode.py --side 288 --out DIR FILE...` writes
DIR/<n>.rgb (side x side x 3 bytes) for the n-th FILE.
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

_SRGB = ImageCms.createProfile("sRGB")


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """16-bit grayscale ('I', 'I;16'…) to 8 bits by its high byte, as libvips does.

    PIL's own convert("RGB") clips every value above 255 to white instead.
    """
    if image.mode not in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        return image
    values = np.asarray(image, dtype=np.uint32)
    return Image.fromarray((np.clip(values, 0, 65535) >> 8).astype(np.uint8), "L")


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    """CMYK through its embedded ICC profile, as sharp converts it.

    Without a profile sharp falls back on libvips' built-in CMYK profile, which
    PIL does not have; its plain conversion is then the nearest there is (on
    sharp's own profile-less CMYK JPEGs about 9-16 grey levels apart).
    """
    profile = image.info.get("icc_profile")
    if profile:
        try:
            return ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(profile)), _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # a damaged profile: sharp ignores it too
    return image.convert("RGB")


def decode_rgb(path: Path, short_side: int, keep_alpha: bool = False) -> np.ndarray:
    """Decode like sharp does for serving and scale the shorter side to `short_side`.

    keep_alpha keeps transparency (RGBA) instead of flattening it onto white,
    for cut-outs that training composites onto backgrounds (ImageDataset).
    """
    with Image.open(path) as image:
        image.seek(0)  # first frame of animations
        if image.format == "JPEG":
            # Shrink-on-load (DCT scaling), as sharp does for big JPEGs.
            image.draft("RGB", (short_side * 2, short_side * 2))
        image = ImageOps.exif_transpose(image)
        image = _to_eight_bit(image)
        if image.mode == "CMYK":
            image = _cmyk_to_rgb(image)
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            image = image.convert("RGBA")
            if not keep_alpha:
                background = Image.new("RGBA", image.size, (255, 255, 255, 255))
                image = Image.alpha_composite(background, image)
        image = image.convert("RGBA" if keep_alpha and image.mode == "RGBA" else "RGB")
        if min(image.size) != short_side:
            scale = short_side / min(image.size)
            size = (max(short_side, round(image.width * scale)), max(short_side, round(image.height * scale)))
            image = image.resize(size, Image.Resampling.LANCZOS)
        return np.asarray(image, dtype=np.uint8)


def centre_crop(array: np.ndarray, side: int) -> np.ndarray:
    """The centred side x side square, placed as sharp's `fit: 'cover'` places it.

    sharp rounds an odd margin's split up (left = (excess + 1) // 2) where
    torchvision's CenterCrop rounds it half to even; one pixel apart, a
    detailed photo differs by several grey levels on average.
    """
    height, width = array.shape[:2]
    top, left = (height - side + 1) // 2, (width - side + 1) // 2
    return array[top:top + side, left:left + side]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(args.files):
        pixels = centre_crop(decode_rgb(path, args.side), args.side)
        (args.out / f"{index}.rgb").write_bytes(np.ascontiguousarray(pixels).tobytes())


if __name__ == "__main__":
    main()
