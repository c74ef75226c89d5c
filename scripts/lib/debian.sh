# Sourced by training/train.sh and scripts/evaluate-outside.sh.
#
# download_deb DIR SPEC: fetch one Debian package (SPEC is `name` or
# `name=version`) into DIR with apt-get download, without installing it.
# Debian's mirrors are reachable wherever npm's registry is; a machine that has
# never run `apt-get update` has no package lists yet, so that is tried once
# when the first download fails.
download_deb() {
  local dir=$1 spec=$2
  mkdir -p "$dir"
  chmod 777 "$dir"  # apt-get download runs as the _apt user where it can
  (cd "$dir" && { apt-get download -qq "$spec" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$spec"; }; })
}
