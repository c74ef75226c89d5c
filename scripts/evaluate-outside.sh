#!/usr/bin/env bash
# npm run model:outside [-- evaluate options, e.g. --json]
#
# Evaluates the committed model on photos from outside ../shared: images that
# ship in Debian packages (wallpapers, user pictures, library test images, an
# animal picture book), listed with their labels in training/outside-photos.tsv.
# Nothing in this set is trained on or was chosen for training. Fetches each
# package with apt-get download (Debian's mirrors are reachable where npm is),
# keeps only the listed files whose sha256 still matches, then runs
# `npm run evaluate` on all of them and once per kind (pet / mammal / other).
set -euo pipefail
cd "$(dirname "$0")/.."

LIST=training/outside-photos.tsv
CACHE=.cache/outside-photos
SET=$CACHE/set
mkdir -p "$CACHE/debs"
chmod 777 "$CACHE/debs"  # apt-get download runs as the _apt user where it can

for package in $(grep -v '^#' "$LIST" | cut -f1 | sort -u); do
  if ! ls "$CACHE/debs/${package}_"*.deb >/dev/null 2>&1; then
    echo "fetching $package" >&2
    (cd "$CACHE/debs" && { apt-get download -qq "$package" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$package"; }; })
  fi
done

rm -rf "$SET" "$CACHE/files"
for package in $(grep -v '^#' "$LIST" | cut -f1 | sort -u); do
  deb=$(ls "$CACHE/debs/${package}_"*.deb | head -n 1)
  mkdir -p "$CACHE/files/$package"
  # One pass over each package, extracting only its listed files.
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$CACHE/files/$package" \
    -T <(awk -F'\t' -v p="$package" '$1 == p { print "." $2 }' "$LIST")
done
changed=0
while IFS=$'\t' read -r package path label kind sha256; do
  [[ $package == \#* || -z $package ]] && continue
  source="$CACHE/files/$package$path"
  if [ ! -f "$source" ] || [ "$(sha256sum "$source" | cut -c1-64)" != "$sha256" ]; then
    echo "left out: $package $path is not the listed file (a newer package?)" >&2
    changed=$((changed + 1))
    continue
  fi
  mkdir -p "$SET/$kind/$label"
  cp "$source" "$SET/$kind/$label/$package--$(basename "$path")"
done < "$LIST"
[ "$changed" = 0 ] || echo "$changed listed files left out" >&2

echo "== all of them" && npm run -s evaluate -- --data "$SET" "$@"
for kind in pet mammal other; do
  echo && echo "== $kind" && npm run -s evaluate -- --data "$SET/$kind" "$@"
done
