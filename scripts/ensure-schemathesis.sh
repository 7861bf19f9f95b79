#!/usr/bin/env bash
# Installs schemathesis (PyPI) into a virtualenv cached outside the repo, for the OpenAPI fuzz
# test. Prints the `st` binary's path on stdout; everything else goes to stderr.
set -euo pipefail

version="${SCHEMATHESIS_VERSION:-4.32.5}"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
venv="$cache_dir/schemathesis-$version"
bin="$venv/bin/st"

# The marker is written last, so an install cut off halfway is redone rather than trusted.
if [[ -f "$venv/.installed" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
command -v python3 >/dev/null || { echo "ensure-schemathesis: python3 is not installed" >&2; exit 1; }

rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
touch "$venv/.installed"
echo "$bin"
