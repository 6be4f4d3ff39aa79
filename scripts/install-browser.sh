#!/usr/bin/env bash
# Browser tests drive Debian's chromium (Playwright cannot download its own
# browser here) and need CJK fonts, or Chinese renders as empty boxes.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Browser tests need: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]} && fc-cache -f" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fc-cache -f >/dev/null
