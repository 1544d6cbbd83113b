#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages NetLab Workbench needs to build, run and test.
# Called by `npm run setup` (and so by both README commands); safe to run again.
#   libpcap-dev, g++, make, python3  build the native capture core (native/)
#   libcap2-bin                      setcap, to grant capture rights to the helper alone
#   tshark, tcpdump, capinfos        reference implementations the tests compare against
#   apache2, wrk                     reference web server and load generator for benchmarks
#   chromium                         the browser that e2e tests and `netlab ui` drive
#   iproute2, ethtool, iputils-ping  network namespaces / veth pairs for integration tests
#   curl                             a real HTTP client for integration tests
set -euo pipefail
PKGS=(libpcap-dev g++ make python3 libcap2-bin tshark tcpdump apache2 wrk chromium
      iproute2 ethtool iputils-ping curl procps psmisc zip unzip)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; answer "no" (we grant our own helper instead).
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian enables apache2 on install; the benchmarks start their own instance on a private port.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now apache2 >/dev/null 2>&1 || true; fi
$SUDO service apache2 stop >/dev/null 2>&1 || true
echo "system packages: done"
