"""The fleet: a signed content channel that kiosks follow over HTTP, and their health.

No Qt here, and no SQL: snapshot checks go through ``kiosk.store``.
"""
