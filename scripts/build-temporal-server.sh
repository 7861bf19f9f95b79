#!/usr/bin/env bash
# Builds a production Temporal server (`temporal-server`) and its schema tool (`temporal-sql-tool`)
# from the Go module proxy and caches them, with the PostgreSQL schema files the tool applies,
# outside the repo. Prints the directory on stdout; everything else goes to stderr.
#
# Like scripts/build-temporal-cli.sh: `go install go.temporal.io/server/cmd/server@VERSION` refuses
# modules whose go.mod has replace directives, so a throwaway wrapper module requires the server
# and builds its commands. v1.29.1 is the server the pinned CLI (v1.5.1) embeds, so its
# dependencies are already in the module cache after the CLI build.
set -euo pipefail

version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
out="$cache_dir/temporal-server-$version"

# The schema directories are copied last, so their presence means a complete build.
if [[ -x "$out/temporal-server" && -x "$out/temporal-sql-tool" && -d "$out/schema/postgresql/v12/visibility/versioned" ]]; then
  echo "$out"
  exit 0
fi
echo "build-temporal-server: building temporal-server $version (first run only, takes a few minutes)" >&2
source "$(dirname "$0")/go-wrapper-module.sh"
wrapper_module go.temporal.io/server "$version" temporal-server-wrapper
go get "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version" >&2
mkdir -p "$out"
go build -trimpath -ldflags "-s -w" -o "$out/temporal-server.tmp" go.temporal.io/server/cmd/server >&2
go build -trimpath -ldflags "-s -w" -o "$out/temporal-sql-tool.tmp" go.temporal.io/server/cmd/tools/sql >&2
mv "$out/temporal-server.tmp" "$out/temporal-server"
mv "$out/temporal-sql-tool.tmp" "$out/temporal-sql-tool"

module_dir="$(go list -m -f '{{.Dir}}' go.temporal.io/server)"
rm -rf "$out/schema"
for store in temporal visibility; do
  mkdir -p "$out/schema/postgresql/v12/$store"
  cp -R "$module_dir/schema/postgresql/v12/$store/versioned" "$out/schema/postgresql/v12/$store/versioned.tmp"
  # The module cache is read-only; the copy must not be, or the cache could not be cleared.
  chmod -R u+w "$out/schema/postgresql/v12/$store/versioned.tmp"
  mv "$out/schema/postgresql/v12/$store/versioned.tmp" "$out/schema/postgresql/v12/$store/versioned"
done
echo "$out"
