# Sourced by the build scripts. `go install module/cmd@version` refuses modules whose go.mod has
# replace directives, so each build happens in a throwaway wrapper module that requires the module
# and repeats its replace directives.
#
#   wrapper_module <module path> <version> <wrapper name>
#
# leaves the shell in the wrapper module's directory (removed on exit), with GOFLAGS set for it.
wrapper_module() {
  local module="$1" version="$2" name="$3"
  command -v go >/dev/null || { echo "$name: Go is not installed and no cached build was found" >&2; exit 1; }
  wrapper_dir="$(mktemp -d)"
  trap 'rm -rf "$wrapper_dir"' EXIT
  cd "$wrapper_dir"
  printf 'module caty.local/%s\n\ngo 1.25\n\nrequire %s %s\n' "$name" "$module" "$version" > go.mod
  export GOFLAGS="-mod=mod -buildvcs=false"
  go mod download "$module" >&2
  local modfile
  modfile="$(go env GOMODCACHE)/cache/download/$module/@v/$version.mod"
  if grep -q '^replace' "$modfile"; then
    sed -n '/^replace/,$p' "$modfile" >> go.mod
  fi
}
