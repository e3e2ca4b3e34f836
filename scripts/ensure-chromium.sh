#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium and its matching ChromeDriver are installed:
# /usr/bin/chromium and /usr/bin/chromedriver, from the packages chromium and chromium-driver.
# wallet-stream's browser test (DashboardBrowserTest) drives them; the build runs this script
# before the tests (exec-maven-plugin, phase process-test-classes).
#
# Idempotent: when both binaries are there it does nothing. Otherwise it runs apt-get, as root
# directly or through sudo. It never downloads a browser build of its own.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM or $CHROMEDRIVER is missing and there is no apt-get here;" \
         "install Chromium and a matching ChromeDriver at those paths" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    # Without a terminal nobody can type a password: fail at once rather than hang the build.
    if [ -t 0 ]; then SUDO=(sudo); else SUDO=(sudo -n); fi
else
    echo "ensure-chromium: not root and no sudo; run as root: apt-get install chromium chromium-driver" >&2
    exit 1
fi

echo "ensure-chromium: installing chromium and chromium-driver with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (say a second build on the same machine) instead of failing on its lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends \
    chromium chromium-driver

for binary in "$CHROMIUM" "$CHROMEDRIVER"; do
    if [ ! -x "$binary" ]; then
        echo "ensure-chromium: $binary is still missing after apt-get install" >&2
        exit 1
    fi
done
"$CHROMIUM" --version >&2 || true
"$CHROMEDRIVER" --version >&2 || true
