#!/usr/bin/env bash
# Browser tests drive Debian's chromium (Playwright cannot download its own
# browser here) and need CJK fonts, or Chinese renders as empty boxes; the
# accessibility checks inject axe-core, pinned in tests/web/node/package-lock.json.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
install_axe() {
    local node_dir="$here/tests/web/node"
    [ -f "$node_dir/node_modules/axe-core/axe.min.js" ] && return 0
    if ! command -v npm >/dev/null; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "Browser tests need npm (for axe-core). Install it with: sudo apt-get install npm" >&2
            exit 1
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    fi
    npm ci --prefix "$node_dir" --no-audit --no-fund --silent
}
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then install_axe; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Browser tests need: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]} && fc-cache -f" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fc-cache -f >/dev/null
install_axe
