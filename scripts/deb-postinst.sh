#!/bin/sh
# .deb post-install: grant capture rights to the capture helper alone (never to the Electron binary,
# whose sandbox and library loading break with file capabilities).
set -e
helper="/opt/NetLab Workbench/resources/native/netlab-capture"
if [ -x "$helper" ] && command -v setcap >/dev/null 2>&1; then
  setcap cap_net_raw,cap_net_admin+eip "$helper" || echo "netlab: could not grant capture rights; the app will offer to do it" >&2
fi
