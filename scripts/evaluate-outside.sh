#!/usr/bin/env bash
# npm run model:outside [-- evaluate options, e.g. --json]
#
# Evaluates the committed model on photos from outside ../shared: images that
# ship in Debian packages (wallpapers, user pictures, library test images, an
# animal picture book, an educational game's photos), listed with their labels
# in training/outside-photos.tsv. Nothing in this set is trained on or was
# chosen for training. A path `BUNDLE!/MEMBER` names a file inside a Qt
# resource bundle (.rcc) of the package. Fetches each package with apt-get
# download (Debian's mirrors are reachable where npm is),
# keeps only the listed files whose sha256 still matches, then runs
# `npm run evaluate -- --by-source` once: the figures for all of them, then per
# kind and label (pet/cat, pet/dog, mammal/other, other/other).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/debian.sh

LIST=training/outside-photos.tsv
CACHE=.cache/outside-photos
SET=$CACHE/set
PACKAGES=$(grep -v '^#' "$LIST" | cut -f1 | sort -u)

rm -rf "$SET" "$CACHE/files"
for package in $PACKAGES; do
  if ! ls "$CACHE/debs/${package}_"*.deb >/dev/null 2>&1; then
    echo "fetching $package" >&2
    download_deb "$CACHE/debs" "$package"
  fi
  deb=$(ls "$CACHE/debs/${package}_"*.deb | head -n 1)
  mkdir -p "$CACHE/files/$package"
  # One pass over each package, extracting only its listed files (or the
  # resource bundles they are in).
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$CACHE/files/$package" \
    -T <(awk -F'\t' -v p="$package" '$1 == p { sub(/!.*/, "", $2); print "." $2 }' "$LIST" | sort -u)
  # Members of a bundle go to BUNDLE!/MEMBER, the path the list gives.
  for bundle in $(awk -F'\t' -v p="$package" '$1 == p && $2 ~ /!/ { sub(/!.*/, "", $2); print $2 }' "$LIST" | sort -u); do
    awk -F'\t' -v p="$package" -v b="$bundle!" '$1 == p && index($2, b) == 1 { print substr($2, length(b) + 1) }' "$LIST" |
      xargs -d '\n' npx tsx scripts/extract-qt-resources.ts "$CACHE/files/$package$bundle" "$CACHE/files/$package$bundle!"
  done
done
changed=0
while IFS=$'\t' read -r package path label kind sha256; do
  [[ $package == \#* || -z $package ]] && continue
  file="$CACHE/files/$package$path"
  if [ ! -f "$file" ] || [ "$(sha256sum "$file" | cut -c1-64)" != "$sha256" ]; then
    echo "left out: $package $path is not the listed file (a newer package?)" >&2
    changed=$((changed + 1))
    continue
  fi
  mkdir -p "$SET/$kind/$label"
  target="$SET/$kind/$label/$package--$(basename "$path")"
  if [ -e "$target" ]; then
    echo "$LIST: two files would both be $target" >&2
    exit 1
  fi
  cp "$file" "$target"
done < "$LIST"
[ "$changed" = 0 ] || echo "$changed listed files left out" >&2

npm run -s evaluate -- --data "$SET" --by-source "$@"
