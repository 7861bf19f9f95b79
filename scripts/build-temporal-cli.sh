#!/usr/bin/env bash
# Builds the Temporal CLI (dev server + Web UI) from the Go module proxy and caches it outside
# the repo. Prints the binary's path on stdout; everything else goes to stderr. With --cached it
# builds nothing: it prints the path of a finished build, or exits 3 when there is none yet.
#
# `go install github.com/temporalio/cli/cmd/temporal@VERSION` refuses modules whose go.mod has
# replace directives, so a throwaway wrapper module requires the CLI and builds its command.
# v1.5.1 is the newest release whose dependencies all resolve through the module proxy: later
# releases replace `github.com/temporalio/cli/cliext` with a directory that is not part of the
# published module zip and is not published as a module of its own.
set -euo pipefail

version="${TEMPORAL_CLI_VERSION:-v1.5.1}"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
bin="$cache_dir/temporal-cli-$version/temporal"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
[[ "${1:-}" == --cached ]] && exit 3
echo "build-temporal-cli: building temporal $version (first run only, takes a few minutes)" >&2
source "$(dirname "$0")/go-wrapper-module.sh"
wrapper_module github.com/temporalio/cli "$version" temporal-cli-wrapper
go get "github.com/temporalio/cli/cmd/temporal@$version" >&2
mkdir -p "$(dirname "$bin")"
go build -trimpath -ldflags "-s -w" -o "$bin.tmp" github.com/temporalio/cli/cmd/temporal >&2
mv "$bin.tmp" "$bin"
echo "$bin"
