#!/usr/bin/env bash
# Installs a PyPI package into a virtualenv cached outside the repo and prints the path of one of
# its commands on stdout; everything else goes to stderr.
# Usage: ensure-pypi-tool.sh <package> <version> <command>
set -euo pipefail

package="$1"
version="$2"
command="$3"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
venv="$cache_dir/$package-$version"
bin="$venv/bin/$command"

# The marker is written last, so an install cut off halfway is redone rather than trusted.
if [[ -f "$venv/.installed" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
command -v python3 >/dev/null || { echo "ensure-pypi-tool: python3 is not installed" >&2; exit 1; }

rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version" >&2
touch "$venv/.installed"
echo "$bin"
