#!/usr/bin/env bash
# Installs the tools the test suite needs besides the Python packages:
#   - Debian's Chromium (/usr/bin/chromium), driven by Playwright; we never run
#     `playwright install`, because browser downloads are not reachable here.
#   - a Java runtime for the Nu Html Checker (vnu.jar)
#   - the npm packages vnu-jar and axe-core, pinned below (TOOL_VERSIONS),
#     into .tools/node under the project root.
# Idempotent: does nothing (and says so) when everything is already present.
set -euo pipefail

# Exact npm versions, for reproducible runs. To upgrade: `npm view vnu-jar version`,
# `npm view axe-core version`, change them here and rerun this script.
declare -A TOOL_VERSIONS=(
    [vnu-jar]=26.9.27
    [axe-core]=4.14.1
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PREFIX="$ROOT/.tools/node"

log() { printf 'setup-test-tools: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

# --- Debian packages -------------------------------------------------------
apt_pkgs=()
if [ ! -x /usr/bin/chromium ]; then
    apt_pkgs+=(chromium fonts-dejavu-core)
fi
if ! command -v java >/dev/null 2>&1; then
    apt_pkgs+=(default-jre-headless)
fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
    log "installing Debian packages: ${apt_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${apt_pkgs[@]}"
fi

# --- npm packages ----------------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
    log "npm not found; install Node.js and npm first" >&2
    exit 1
fi

installed_version() { # name -> version installed under .tools/node, or nothing
    local pj="$NODE_PREFIX/node_modules/$1/package.json"
    [ -f "$pj" ] || return 0
    node -p 'require(process.argv[1]).version' "$pj" 2>/dev/null || true
}

npm_specs=()
for name in vnu-jar axe-core; do
    want="${TOOL_VERSIONS[$name]}"
    if [ "$(installed_version "$name")" != "$want" ]; then
        npm_specs+=("$name@$want")
    fi
done
if [ "${#npm_specs[@]}" -gt 0 ]; then
    log "installing npm packages into .tools/node: ${npm_specs[*]}"
    mkdir -p "$NODE_PREFIX"
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java
    # runtime when none is found; we install Debian's instead (above).
    npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --save-exact \
        --ignore-scripts --loglevel=error "${npm_specs[@]}"
fi

if [ "${#apt_pkgs[@]}" -eq 0 ] && [ "${#npm_specs[@]}" -eq 0 ]; then
    log "all test tools present"
fi
