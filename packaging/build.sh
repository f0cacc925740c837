#!/usr/bin/env bash
# Build the lobby-kiosk packages into dist/ (called by `make package`):
#   dist/kiosk/                      the PyInstaller one-folder bundle (dist/kiosk/kiosk ...)
#   dist/kiosk_<version>_<arch>.deb  that bundle as a Debian package (/opt/kiosk, unit, config)
# Needs the project venv (make setup) and dpkg-deb; installs PyInstaller into the venv from
# the `package` extra of pyproject.toml if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
start=$(date +%s)

if ! "$PY" -c 'import PyInstaller' 2>/dev/null; then
  "$VENV/bin/pip" install -q --disable-pip-version-check -e '.[package]'
fi

VERSION=$("$PY" -c 'import kiosk; print(kiosk.__version__)')
# The changelog's latest entry must be this version (apt upgrades by version), and its
# trailer names the maintainer: one place each.
CHANGELOG=packaging/debian/changelog
CHANGELOG_VERSION=$(dpkg-parsechangelog -l "$CHANGELOG" -S Version)
if [ "$CHANGELOG_VERSION" != "$VERSION" ]; then
  echo "build: kiosk/__init__.py says $VERSION but $CHANGELOG starts with $CHANGELOG_VERSION;" \
    "add a changelog entry for $VERSION" >&2
  exit 1
fi
MAINTAINER=$(dpkg-parsechangelog -l "$CHANGELOG" -S Maintainer)
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
DEB="dist/kiosk_${VERSION}_${ARCH}.deb"

echo "build: PyInstaller one-folder bundle -> dist/kiosk/"
rm -rf dist/kiosk build/pyinstaller
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/kiosk.spec
test -x dist/kiosk/kiosk

echo "build: Debian package -> $DEB"
STAGE=build/deb/root
rm -rf build/deb
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/etc/kiosk" \
  "$STAGE/lib/systemd/system" "$STAGE/usr/share/doc/kiosk" "$STAGE/var/lib/kiosk" \
  "$STAGE/var/log/kiosk"
cp -a dist/kiosk "$STAGE/opt/kiosk"
ln -s /opt/kiosk/kiosk "$STAGE/usr/bin/kiosk"
mkdir -p "$STAGE/opt/kiosk/xsession"
install -m 0755 packaging/xsession/kiosk-xsession "$STAGE/opt/kiosk/xsession/kiosk-xsession"
install -m 0755 packaging/check-restart.sh "$STAGE/opt/kiosk/check-restart.sh"
install -m 0755 packaging/systemd/kiosk-cage-run "$STAGE/opt/kiosk/kiosk-cage-run"
install -m 0644 packaging/kiosk.toml "$STAGE/etc/kiosk/kiosk.toml"
install -m 0644 packaging/studio.toml "$STAGE/etc/kiosk/studio.toml"
install -m 0644 packaging/systemd/kiosk-studio.service \
  "$STAGE/lib/systemd/system/kiosk-studio.service"
install -m 0644 packaging/systemd/kiosk.service "$STAGE/lib/systemd/system/kiosk.service"
install -m 0644 packaging/systemd/kiosk-cage.service \
  "$STAGE/lib/systemd/system/kiosk-cage.service"
install -m 0644 README.md "$STAGE/usr/share/doc/kiosk/README.md"
install -m 0644 assets/fonts/OFL.txt "$STAGE/usr/share/doc/kiosk/OFL-NotoSans.txt"
install -m 0644 packaging/debian/copyright "$STAGE/usr/share/doc/kiosk/copyright"
gzip -9n < "$CHANGELOG" > "$STAGE/usr/share/doc/kiosk/changelog.Debian.gz"
chmod 0644 "$STAGE/usr/share/doc/kiosk/changelog.Debian.gz"
for script in postinst prerm postrm; do
  install -m 0755 "packaging/debian/$script" "$STAGE/DEBIAN/$script"
done
install -m 0644 packaging/debian/conffiles "$STAGE/DEBIAN/conffiles"
# Runtime libraries: the same list `make run` installs (Qt's xcb platform needs them).
DEPENDS=$(bash packaging/system-deps.sh depends)
SIZE_KB=$(du -sk "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@DEPENDS@/$DEPENDS/" \
  -e "s|@MAINTAINER@|$MAINTAINER|" \
  -e "s/@SIZE@/$SIZE_KB/" packaging/debian/control.in > "$STAGE/DEBIAN/control"
# Everything root-owned and not group/world-writable; the kiosk user gets its folders in
# postinst (the user does not exist at build time).
chmod -R u+rwX,go+rX,go-w "$STAGE"
# zstd: seconds instead of minutes for ~200 MB (xz took 1-3 min on 2 cores) at ~35% more
# size; dpkg reads it since Debian 12 and Ubuntu 21.10, the targets of this package.
dpkg-deb --root-owner-group -Zzstd --build "$STAGE" "$DEB" >/dev/null
echo "build: done in $(( $(date +%s) - start )) s: $ROOT/$DEB ($(du -h "$DEB" | cut -f1))," \
  "bundle $(du -sh dist/kiosk | cut -f1)"
