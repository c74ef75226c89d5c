"""Images, labels and augmentation for training.

Decoding mirrors the serving pipeline (decode.py, after lib/ml/image.ts and
sharp). Evaluation-time geometry mirrors it too: scale the shorter side to the
input size and centre-crop a square (sharp's `fit: 'cover'`). Normalisation is not
done here: it lives inside the exported model (see model.py), so training and
serving share one implementation of it.
"""
from __future__ import annotations

import io
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageFilter, ImageOps
from torch.utils.data import Dataset
from torchvision import transforms

from decode import decode_rgb

CLASSES = ("cat", "dog", "neither")
# Nearest ancestor folder name -> class, the same rule as the TypeScript evaluator.
FOLDER_LABELS = {"cat": 0, "cats": 0, "dog": 1, "dogs": 1, "other": 2, "neither": 2}
# 256, not MobileNet's usual 224: on the validation split it cut the loss from
# 0.102 to 0.091 and the errors from 26 to 20 of 854 (cat/dog detail in
# 500x375 photos), for about 30% more model time per image.
DEFAULT_INPUT_SIZE = 256
# The side the exported model is served at, larger than the training crops
# ("FixRes", Touvron et al., NeurIPS 2019): RandomResizedCrop (scale 0.35-1)
# shows objects about 1.2x larger in training than a centre crop of the same
# side does at test time; serving a little larger matches the object sizes the
# network learnt. The network is fully convolutional up to a global average
# pool, so the same weights run at any side. On the validation split, with the
# weights trained at 256: 20 errors of 854 at 256, 15 at 272 and 288, 14 at
# 304, 18 at 320; 288 is the middle of that plateau and costs less than 304.
DEFAULT_EVAL_SIZE = 288


def cache_short_side(input_size: int) -> int:
    """Images are cached with their shorter side 8/7 of the input size (256 for
    224): headroom for random crops without keeping multi-megapixel originals
    in memory."""
    return round(input_size * 8 / 7)


def label_of(relative_path: str) -> int:
    for folder in reversed(Path(relative_path).parent.parts):
        if folder.lower() in FOLDER_LABELS:
            return FOLDER_LABELS[folder.lower()]
    raise ValueError(f"{relative_path}: no cat/dog/other ancestor folder")


# WordNet ids of the ImageNet-1k classes that are mammals (dogs, wolves, foxes
# and cats are not in ../shared/data/other/imagenet). ImageNet sorts its
# classes by id, and these three ranges hold exactly its mammals; the insects and
# echinoderms that sit between n02165 and n02325 are left out.
MAMMAL_WNID_RANGES = (("n01871265", "n01883070"), ("n02074367", "n02138441"), ("n02325366", "n02510455"))


def is_other_mammal(relative_path: str) -> bool:
    """True for the ImageNet sample photos of mammals that are neither cats nor
    dogs (a bear, a horse, a monkey): the non-pets the classifier confuses most
    with pets, and only about one photo per species in the shared data."""
    parts = Path(relative_path).parts
    if len(parts) < 3 or parts[:2] != ("other", "imagenet"):
        return False
    wnid = parts[2][:9]
    return any(low <= wnid <= high for low, high in MAMMAL_WNID_RANGES)


# Extra "neither" images, from Tux Paint's stamps (Debian's
# tuxpaint-stamps-default, fetched by train.sh): about 430 photos and drawings
# of animals, food, plants, tools, vehicles ... cut out on transparent
# backgrounds, among them about 60 mammals that are neither cats nor dogs (a
# horse, cows, goats, deer, bears, pigs). ../shared/data has about one photo per
# such species, and model 1.4.0 called most of them "dog" or "cat".
EXTRA_STAMPS_SOURCE = "extra/tuxpaint-stamps"
# Left out: the cartoons (drawn for children, often with faces), the flags,
# signs and coins of symbols/, and everything that is or may be a cat or a dog
# (lions and tigers, a dingo, a fox, a husky, a Halloween cat).
EXCLUDED_STAMPS = ("/cartoon/", "symbols/", "animals/mammals/cats/", "animals/mammals/dogs/", "seasonal/halloween/blackcat")


def list_stamps(stamps_dir: Path) -> list[str]:
    """The stamps used as "neither" images, relative to stamps_dir, sorted."""
    files = sorted(str(p.relative_to(stamps_dir)) for p in stamps_dir.rglob("*.png"))
    return [f for f in files if not any(part in "/" + f for part in EXCLUDED_STAMPS)]


def source_of(relative_path: str) -> str:
    """The source group a file belongs to, e.g. pets/kaggle or other/flowers."""
    parts = Path(relative_path).parts
    return "/".join(parts[:2])


def load_images(root: Path, files: list[str], short_side: int, workers: int = 2, keep_alpha: bool = False) -> list[np.ndarray]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(decode_rgb, [root / f for f in files], [short_side] * len(files), [keep_alpha] * len(files), chunksize=32))


class RandomLowResolution:
    """Downscale then upscale: pets must not be recognisable by sharpness alone.

    Some of the non-pet sources are 100-128 px photos; without this, a model
    can learn "blurry means neither" and fail on small pet photos.
    """

    def __init__(self, min_side: int = 56, max_side: int = 128) -> None:
        self.min_side, self.max_side = min_side, max_side

    def __call__(self, image: Image.Image) -> Image.Image:
        side = random.randint(self.min_side, self.max_side)
        scale = side / min(image.size)
        if scale >= 1:
            return image
        small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.Resampling.BILINEAR)
        return small.resize(image.size, Image.Resampling.BICUBIC)


class RandomJpeg:
    """Re-encode as a JPEG of random quality: compression artefacts must not tell pets apart.

    The Kaggle pet photos are small, strongly compressed JPEGs while several
    non-pet sources are cleaner; without this, model 1.2.0 called 11 of 82
    ImageNet-sample test photos a pet once they were re-saved at JPEG quality
    60 (4 of 82 as they are), and 16 at quality 30.
    """

    def __init__(self, min_quality: int = 30, max_quality: int = 90) -> None:
        self.min_quality, self.max_quality = min_quality, max_quality

    def __call__(self, image: Image.Image) -> Image.Image:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=random.randint(self.min_quality, self.max_quality))
        buffer.seek(0)
        with Image.open(buffer) as compressed:
            return compressed.convert("RGB")


def train_transform(input_size: int, crop_scale_min: float = 0.25) -> transforms.Compose:
    return transforms.Compose([
        transforms.RandomResizedCrop(input_size, scale=(crop_scale_min, 1.0), ratio=(3 / 4, 4 / 3)),
        transforms.RandomHorizontalFlip(),
        transforms.RandomApply([RandomLowResolution()], p=0.15),
        transforms.RandomApply([transforms.GaussianBlur(5, sigma=(0.1, 1.5))], p=0.1),
        transforms.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.03),
        transforms.RandomGrayscale(p=0.05),
        transforms.RandomApply([RandomJpeg()], p=0.4),
    ])


def eval_transform(input_size: int) -> transforms.Compose:
    # Shorter side to the input size, centre crop: sharp's resize(s, s, {fit: 'cover'}).
    return transforms.Compose([
        transforms.Resize(input_size, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(input_size),
    ])


def composite(cutout: np.ndarray, background: np.ndarray | None) -> Image.Image:
    """An RGBA cut-out over a background photo scaled to cover it, or over white
    (how serving flattens transparency) when there is none."""
    foreground = Image.fromarray(cutout, "RGBA")
    if background is None:
        base = Image.new("RGBA", foreground.size, (255, 255, 255, 255))
    else:
        base = ImageOps.fit(Image.fromarray(background).convert("RGBA"), foreground.size, Image.Resampling.BILINEAR)
    return Image.alpha_composite(base, foreground).convert("RGB")


class ImageDataset(Dataset):
    """Cached RGB arrays -> uint8 NHWC tensors, the exported model's input format.

    RGBA arrays are cut-outs (objects and animals on a transparent background):
    each time one is drawn it is put on white with probability 1 - background_p,
    otherwise on a random photo from `backgrounds`, so that "on white" does not
    become a sign of "neither" and the cut-out's subject is seen in scenes.
    """

    def __init__(self, images: list[np.ndarray], labels: list[int], transform: transforms.Compose,
                 backgrounds: list[np.ndarray] | None = None, background_p: float = 0.6) -> None:
        self.images, self.labels, self.transform = images, labels, transform
        self.backgrounds, self.background_p = backgrounds or [], background_p

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        array = self.images[index]
        if array.ndim == 3 and array.shape[2] == 4:
            on_photo = self.backgrounds and random.random() < self.background_p
            image = composite(array, random.choice(self.backgrounds) if on_photo else None)
        else:
            image = Image.fromarray(array)
        image = self.transform(image)
        return torch.from_numpy(np.array(image, dtype=np.uint8)), self.labels[index]
