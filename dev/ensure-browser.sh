#!/usr/bin/env bash
# The UI test and the screenshots need Debian's chromium and a CJK font (without one Chinese
# renders as empty boxes). Installs them when missing and this is root (CI), else says how.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "Missing: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "Installing ${missing[*]} from Debian's packages…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
