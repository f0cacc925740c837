#!/usr/bin/env bash
# Publish kiosk .deb files into a signed APT repository (reprepro) that any web server, such
# as the nginx serving the content channel, can publish to the lobby PCs.
#
#   packaging/apt-repo.sh [--repo DIR] [--key KEYID | --test-key] DEB...
#
#   --repo DIR    the repository (default dist/apt): reprepro's conf/ and db/ stay in DIR,
#                 the part to serve goes to DIR/public (dists/, pool/, the public key)
#   --key KEYID   sign with this key from the current GnuPG keyring (the real one, kept on
#                 the publishing machine)
#   --test-key    make (once) a passphrase-less signing key in DIR/gnupg for tests and CI;
#                 never use it for real kiosks
#
# DIR/public/kiosk-archive-keyring.gpg is the public key each PC's .sources entry names in
# Signed-By (README, "Install on a lobby PC"). The Origin below is what unattended-upgrades
# matches. Publishing a version that is already in the repository is refused by reprepro:
# bump kiosk/__init__.py and packaging/debian/changelog for every release.
set -euo pipefail

REPO=dist/apt
KEY=""
TEST_KEY=0
CODENAME=${KIOSK_APT_CODENAME:-bookworm}
ORIGIN="Da Nang lobby kiosk"
debs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) REPO=$2; shift 2 ;;
    --key) KEY=$2; shift 2 ;;
    --test-key) TEST_KEY=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "apt-repo: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) debs+=("$1"); shift ;;
  esac
done
if [ ${#debs[@]} -eq 0 ]; then
  echo "apt-repo: no .deb given; e.g. packaging/apt-repo.sh --test-key dist/kiosk_*.deb" >&2
  exit 2
fi
for tool in reprepro gpg; do
  if ! command -v "$tool" >/dev/null; then
    echo "apt-repo: $tool is missing; sudo apt-get install reprepro gnupg" >&2
    exit 1
  fi
done
mkdir -p "$REPO/conf" "$REPO/public"
REPO=$(cd "$REPO" && pwd)

if [ "$TEST_KEY" = 1 ]; then
  export GNUPGHOME="$REPO/gnupg"
  if [ ! -d "$GNUPGHOME" ]; then
    install -d -m 0700 "$GNUPGHOME"
    gpg --batch --quiet --passphrase '' --quick-generate-key \
      "Kiosk APT test key (not for real kiosks) <apt-test@kiosk.invalid>" ed25519 sign never
  fi
  KEY=$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr:/ { print $10; exit }')
fi
if [ -z "$KEY" ]; then
  echo "apt-repo: give --key KEYID (your signing key) or --test-key" >&2
  exit 2
fi

ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
cat > "$REPO/conf/distributions" <<EOF
Origin: $ORIGIN
Label: $ORIGIN
Codename: $CODENAME
Architectures: $ARCH
Components: main
Description: Packages for the Da Nang lobby kiosks
SignWith: $KEY
EOF
cat > "$REPO/conf/options" <<EOF
outdir $REPO/public
EOF

for deb in "${debs[@]}"; do
  reprepro -b "$REPO" --silent includedeb "$CODENAME" "$deb"
  echo "apt-repo: published $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
done
gpg --batch --yes --export "$KEY" > "$REPO/public/kiosk-archive-keyring.gpg"
echo "apt-repo: serve $REPO/public; Signed-By: kiosk-archive-keyring.gpg; Origin: $ORIGIN"
reprepro -b "$REPO" list "$CODENAME"
