"""Da Nang digital-transformation lobby kiosk."""

# The one place the version lives: pyproject.toml reads it (dynamic version), the .deb is
# named after it (packaging/build.sh), and packaging/debian/changelog must have an entry
# for it (a test checks). Bump it for every release, or apt will not upgrade the kiosks.
__version__ = "0.2.0"
