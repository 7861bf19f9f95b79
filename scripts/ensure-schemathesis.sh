#!/usr/bin/env bash
# Installs schemathesis (PyPI) into a virtualenv cached outside the repo, for the OpenAPI fuzz
# test. Prints the `st` binary's path on stdout; everything else goes to stderr.
set -euo pipefail
exec bash "$(dirname "$0")/ensure-pypi-tool.sh" schemathesis "${SCHEMATHESIS_VERSION:-4.32.5}" st
