#!/usr/bin/env bash
# The upgrade check: install version N of the kiosk from a signed APT repository served by
# nginx, change its content, config and staff PIN as staff would, then upgrade to N+1 from
# the same repository the way unattended-upgrades does, and show all three kept.
#
#   packaging/check-apt-upgrade.sh [dist/kiosk_<version>_<arch>.deb]
#
# N+1 is the .deb given (default: the newest in dist/, from `make package`); N is the same
# package with the version lowered to <version>~previous, so the check needs one build.
# It installs system-wide (/opt/kiosk, /etc/kiosk, /var/lib/kiosk, the kiosk user), so it
# runs only as root with apt, on CI (CI=true) or when KIOSK_APT_CHECK=1, and removes all of
# it again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

skip() { echo "apt-upgrade check skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "needs apt and dpkg"
[ "${CI:-}" = true ] || [ "${KIOSK_APT_CHECK:-}" = 1 ] ||
  skip "it installs the package system-wide; set KIOSK_APT_CHECK=1 on a throwaway machine"
for tool in nginx reprepro gpg; do
  command -v "$tool" >/dev/null || skip "$tool missing (packaging/system-deps.sh package)"
done
if dpkg-query -W -f='${Status}' kiosk 2>/dev/null | grep -q "install ok installed"; then
  skip "a kiosk package is already installed here; not touching it"
fi

DEB=${1:-$(ls -t dist/kiosk_*.deb 2>/dev/null | head -1)}
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "no .deb: run make package first" >&2; exit 1; }
DEB=$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")
VERSION=$(dpkg-deb -f "$DEB" Version)
PREVIOUS="${VERSION}~previous"
WORK=$(mktemp -d /tmp/kiosk-apt-check.XXXXXX)
chmod 0755 "$WORK"
SOURCES=/etc/apt/sources.list.d/kiosk-apt-check.sources
HAD_USER=$(getent passwd kiosk >/dev/null && echo 1 || echo 0)
HAD_DATA=$([ -e /var/lib/kiosk ] && echo 1 || echo 0)
NGINX_PID=""

cleanup() {
  set +e
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq kiosk >/dev/null 2>&1
  rm -f "$SOURCES"
  apt-get update -qq >/dev/null 2>&1
  [ "$HAD_DATA" = 0 ] && rm -rf /var/lib/kiosk
  [ "$HAD_USER" = 0 ] && userdel kiosk 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { echo "apt-upgrade check: $*"; }

step "version N = $PREVIOUS (repacked), N+1 = $VERSION ($DEB)"
dpkg-deb -R "$DEB" "$WORK/prev"
sed -i "s/^Version: .*/Version: $PREVIOUS/" "$WORK/prev/DEBIAN/control"
dpkg-deb --root-owner-group -Zzstd -b "$WORK/prev" "$WORK/kiosk_${PREVIOUS}.deb" >/dev/null
rm -rf "$WORK/prev"

REPO=$WORK/repo
bash packaging/apt-repo.sh --repo "$REPO" --test-key "$WORK/kiosk_${PREVIOUS}.deb" >/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<EOF
user root root;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log $WORK/nginx/access.log;
  client_body_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$PORT; root $REPO/public; }
}
EOF
nginx -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
  sleep 0.1
done
# What each lobby PC gets (README): a .sources entry with Signed-By.
cat > "$SOURCES" <<EOF
Types: deb
URIs: http://127.0.0.1:$PORT/
Suites: bookworm
Components: main
Signed-By: $REPO/public/kiosk-archive-keyring.gpg
EOF
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
step "install N from the repository"
apt-get install -y -qq --no-install-recommends "kiosk=$PREVIOUS" >/dev/null
test "$(dpkg-query -W -f='${Version}' kiosk)" = "$PREVIOUS"
test -s /var/lib/kiosk/content.db

step "staff change the content, IT sets the PIN and a config value"
KIOSK=/opt/kiosk/kiosk
FILES=$WORK/files  # written by the kiosk user, as staff would
install -d -o kiosk -g kiosk "$FILES"
runuser -u kiosk -- "$KIOSK" db export "$FILES/export" >/dev/null
python3 - "$FILES/export/indicators.csv" <<'EOF'
import csv, sys
path = sys.argv[1]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
counts = [r for r in rows if r["kind"] == "count"]
counts[0]["value"] = "4242"
with open(path, "w", encoding="utf-8", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(counts[0])
EOF
runuser -u kiosk -- "$KIOSK" db import --db /var/lib/kiosk/content.db "$FILES/export/indicators.csv"
PIN_HASH=$("$ROOT/.venv/bin/python" -c 'from kiosk.system.pin import hash_pin; print(hash_pin("2468"))')
sed -i "s|^# staff_pin_hash = .*|staff_pin_hash = \"$PIN_HASH\"|; s|^# language = .*|language = \"en\"|" \
  /etc/kiosk/kiosk.toml
grep -q "^staff_pin_hash = \"$PIN_HASH\"" /etc/kiosk/kiosk.toml
runuser -u kiosk -- "$KIOSK" db export "$FILES/before" >/dev/null
CONFIG_SUM=$(sha256sum /etc/kiosk/kiosk.toml | cut -d' ' -f1)

step "publish N+1 and upgrade as unattended-upgrades would (keep changed config files)"
bash packaging/apt-repo.sh --repo "$REPO" --test-key "$DEB" >/dev/null
apt-get update -qq
apt-get install -y -qq --only-upgrade -o Dpkg::Options::=--force-confdef \
  -o Dpkg::Options::=--force-confold kiosk >/dev/null
test "$(dpkg-query -W -f='${Version}' kiosk)" = "$VERSION"
test "$("$KIOSK" --version)" = "kiosk, version $VERSION"

runuser -u kiosk -- "$KIOSK" db export "$FILES/after" >/dev/null
diff -r "$FILES/before" "$FILES/after"
grep -q ',4242,' "$FILES/after/indicators.csv"
test "$(sha256sum /etc/kiosk/kiosk.toml | cut -d' ' -f1)" = "$CONFIG_SUM"
grep -q "^staff_pin_hash = \"$PIN_HASH\"" /etc/kiosk/kiosk.toml
"$ROOT/.venv/bin/python" -c "
from kiosk.system.pin import verify_pin
import tomllib
stored = tomllib.load(open('/etc/kiosk/kiosk.toml', 'rb'))['kiosk']['staff_pin_hash']
assert verify_pin('2468', stored), 'the staff PIN no longer opens the kiosk'
"
step "ok: $PREVIOUS -> $VERSION through the repository; content, config and PIN kept"
