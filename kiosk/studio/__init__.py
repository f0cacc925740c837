"""The staff studio: a web app where office staff edit, check, preview and publish content.

Flask views are thin: every content rule lives in ``kiosk.store`` and ``kiosk.content``.
"""
