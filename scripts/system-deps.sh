#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing:
#   always:      gettext (compilemessages), postgresql (a local cluster when DATABASE_URL is unset)
#   --browser:   chromium (browser tests drive the system Chromium through Playwright)
#   --bench:     wrk (the load generator of bench/run.py)
# Does nothing when everything is there. Needs root (or sudo) only when something is missing.
set -euo pipefail

need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ -z "${DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need+=(postgresql postgresql-contrib)
fi
case "${1:-}" in
    --browser) [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium) ;;
    --bench) command -v wrk >/dev/null 2>&1 || need+=(wrk) ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${need[*]}"
sudo=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "error: need root to install ${need[*]}" >&2; exit 1; }
    sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
