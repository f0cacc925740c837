"""``python -m kiosk``: the same commands as the ``kiosk`` executable."""

from kiosk.cli import main

if __name__ == "__main__":
    main()
