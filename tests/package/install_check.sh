#!/usr/bin/env bash
# Installs the Debian package built by scripts/package on this machine, checks that the service it
# sets up would start (its config check, then the real command as the `tact` user, answering
# /healthz), then removes it. Changes the system: run as root on a throwaway machine, never in ctest.
#   tests/package/install_check.sh build-package/tact_*.deb
set -euo pipefail
deb=$(realpath "${1:?usage: install_check.sh PATH/TO/tact_VERSION_ARCH.deb}")
[ "$(id -u)" = 0 ] || { echo "install_check: run as root (it installs a package)" >&2; exit 2; }
fail() { echo "install_check: FAILED: $*" >&2; exit 1; }

apt-get install -y "$deb" >/dev/null
trap 'apt-get remove -y tact >/dev/null 2>&1 || true' EXIT
[ -x /usr/bin/tact ] || fail "/usr/bin/tact is not installed"
/usr/bin/tact --version || fail "tact --version"
for f in /usr/lib/systemd/system/tact.service /etc/tact/tact.conf /usr/share/tact/web-widget/index.html; do
  [ -e "$f" ] || fail "$f is missing"
done
dpkg-query --control-show tact conffiles | grep -qx /etc/tact/tact.conf || fail "/etc/tact/tact.conf is not a conffile (an upgrade would overwrite the admin's edits)"
getent passwd tact >/dev/null || fail "the postinst did not create the tact user"
[ "$(stat -c '%U %a' /var/lib/tact)" = "tact 700" ] || fail "/var/lib/tact is not tact's, mode 0700"
if command -v systemd-analyze >/dev/null; then systemd-analyze verify /usr/lib/systemd/system/tact.service || fail "systemd-analyze verify"; fi

# The unit's two commands, as its User= would run them (no systemd in a container).
pre=$(sed -n 's/^ExecStartPre=//p' /usr/lib/systemd/system/tact.service)
start=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/system/tact.service)
export TACT_SECRET=install-check-secret-0123456789abcdef
runuser -u tact -- env TACT_SECRET="$TACT_SECRET" $pre || fail "the unit's ExecStartPre refused the shipped config"
runuser -u tact -- env TACT_SECRET="$TACT_SECRET" $start &
pid=$!
for _ in $(seq 1 50); do
  if curl -fs http://127.0.0.1:8080/healthz >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fs http://127.0.0.1:8080/healthz || { kill "$pid"; fail "the service did not answer /healthz on 127.0.0.1:8080"; }
echo
kill "$pid"; wait "$pid" || true
[ -f /var/lib/tact/tact.db ] || fail "no database under /var/lib/tact"
apt-get remove -y tact >/dev/null
trap - EXIT
[ ! -e /usr/bin/tact ] || fail "apt-get remove left /usr/bin/tact"
echo "install_check: the package installs, its service starts and answers, and it removes cleanly"
