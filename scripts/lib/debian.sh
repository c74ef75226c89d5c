# Sourced by scripts/test.sh, training/train.sh, scripts/evaluate-outside.sh and scripts/reference-server/serve.sh.
#
# What Debian's PyTorch computes its convolutions and matrix products through, when libopenblas0-openmp is installed:
# it calls whatever provides libblas.so.3, and Debian's default, the reference BLAS, is about 4x slower on a
# MobileNetV3-Small (22 ms against 6 ms an image on one thread, measured on 2026-11-23). Training and the reference
# server check for this file.
OPENBLAS_LIBBLAS=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3

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

# ensure_packages WHAT CHECK PACKAGE...: when the shell command CHECK fails,
# installs the Debian PACKAGEs (as root) and checks again, or else says what WHAT needs and fails.
# apt-get options (--no-install-recommends) may stand among the PACKAGEs.
ensure_packages() {
  local what=$1 check=$2
  shift 2
  if eval "$check" >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $what from Debian: $*" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    # The check again: a CHECK on another interpreter (PYTHON=…) is not mended by installing Debian's packages.
    eval "$check" >/dev/null 2>&1 || { echo "$what: installed $*, but this still fails: $check" >&2; return 1; }
  else
    echo "$what needs: apt-get install -y $*" >&2
    return 1
  fi
}
