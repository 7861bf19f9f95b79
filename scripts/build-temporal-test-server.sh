#!/usr/bin/env bash
# Fetches Temporal's time-skipping test server (the Java one the SDKs' TestWorkflowEnvironment
# runs) and its libraries from Maven Central, caches them outside the repo, and writes a small
# launcher. The SDK would download a native build of it at run time, which needs the internet.
# Prints the launcher's path on stdout; everything else goes to stderr.
set -euo pipefail

version="${TEMPORAL_TEST_SERVER_VERSION:-1.32.1}"
cache_dir="${CATY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/caty}"
out="$cache_dir/temporal-test-server-$version"
bin="$out/temporal-test-server"

# The launcher is written last, so its presence means a complete download.
if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi
command -v java >/dev/null || { echo "build-temporal-test-server: Java (17 or newer) is not installed" >&2; exit 1; }
command -v mvn >/dev/null || { echo "build-temporal-test-server: Maven is not installed" >&2; exit 1; }
echo "build-temporal-test-server: fetching the Temporal test server $version from Maven Central (first run only)" >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.caty</groupId>
  <artifactId>temporal-test-server-launcher</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
POM
rm -rf "$out"
mkdir -p "$out"
mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies -DoutputDirectory="$out/lib" >&2
# The SDK starts it as `<launcher> <port> [extra args]`.
cat > "$bin.tmp" <<'LAUNCHER'
#!/bin/sh
exec java -Xss1m -XX:+UseSerialGC -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCHER
chmod +x "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
