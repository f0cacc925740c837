"""How the kiosk runs on its machine: settings, file locations, logs, the staff PIN, memory
given back to the OS, and systemd's notify protocol. No Qt, no SQL, no subsystem above it."""
