#!/usr/bin/env bash
# The deployment test (tests/test_deploy_nginx.py) runs Debian's nginx on loopback ports.
set -euo pipefail
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "The deployment test needs nginx. Install it with: sudo apt-get install nginx-light" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
