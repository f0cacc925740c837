"""``kiosk doctor``: the deployment checks (``checks``), what they ask the machine
(``probes``) and which glyphs the shipped fonts have (``fonts``). The Qt half, which asks Qt
for the screens in a forked child, is ``kiosk/ui/doctor_screens.py``."""
