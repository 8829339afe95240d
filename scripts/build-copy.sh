#!/usr/bin/env bash
# Builds a copy of this repository's site with $PARKPRESS_PYTHON (default: .venv's), in a
# temporary folder, and checks it: `make test-floors` runs it on the declared floors.
# A copy, so that another environment never empties the build cache of the checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PARKPRESS_PYTHON:-$ROOT/.venv/bin/python}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for name in parkpress.toml content templates static locales root; do
    if [ -e "$ROOT/$name" ]; then cp -r "$ROOT/$name" "$WORK/"; fi
done
"$PY" -m parkpress --project "$WORK" build
"$PY" -m parkpress --project "$WORK" check --strict
