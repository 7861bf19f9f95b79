#!/usr/bin/env bash
# Builds gofakes3 (an S3-compatible server, in memory) from the Go module proxy and caches it
# outside the repo, for the tests of MEDIA_STORE=s3. Prints the binary's path on stdout;
# everything else goes to stderr.
set -euo pipefail

version="${GOFAKES3_VERSION:-v1.2.0}"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
bin="$cache_dir/gofakes3-$version/gofakes3"

if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
echo "build-gofakes3: building gofakes3 $version (first run only)" >&2
source "$(dirname "$0")/go-wrapper-module.sh"
wrapper_module github.com/johannesboyne/gofakes3 "$version" gofakes3-wrapper
go get "github.com/johannesboyne/gofakes3/cmd/gofakes3@$version" >&2
mkdir -p "$(dirname "$bin")"
go build -trimpath -ldflags "-s -w" -o "$bin.tmp" github.com/johannesboyne/gofakes3/cmd/gofakes3 >&2
mv "$bin.tmp" "$bin"
echo "$bin"
