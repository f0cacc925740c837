# Quick start: `make run` (set up, build the default content, start the kiosk) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KIOSK  := $(VENV)/bin/kiosk
DB     ?= var/content.db
# Xvfb screen for the GUI tests: a real X server, as on a lobby PC without a window manager.
XVFB_SCREEN ?= 1920x1080x24

.PHONY: studio run test setup system-deps lint format db render bench package clean fuzz soak

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

system-deps:
	bash packaging/system-deps.sh run

# The checkout's DB follows db/: rebuilt when db/ changes. `--force` because it replaces the
# DB; its previous content is kept in var/backups/ (`kiosk db restore` puts it back).
$(DB): $(VENV)/.installed $(wildcard db/*.csv db/*.json)
	$(KIOSK) db build --db $(DB) --force

db: $(DB)

run: system-deps $(DB)
	$(KIOSK) run --db $(DB)

test: $(VENV)/.installed
	bash packaging/system-deps.sh test
	bash packaging/system-deps.sh web
	$(VENV)/bin/ruff check kiosk tests benchmarks packaging
	$(VENV)/bin/ruff format --check kiosk tests benchmarks packaging
	$(VENV)/bin/lint-imports --no-cache
	PYTHONFAULTHANDLER=1 xvfb-run -a -s "-screen 0 $(XVFB_SCREEN) -nolisten tcp" \
		$(PY) -m pytest $(PYTEST_ARGS)

# The staff studio on http://127.0.0.1:8470/ with its data in var/studio (the draft made
# from db/); the first start creates the user "admin" and prints its password once.
studio: $(VENV)/.installed
	$(KIOSK) studio serve --data var/studio --first-admin admin

lint:
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check kiosk tests benchmarks packaging

format:
	$(VENV)/bin/ruff format kiosk tests benchmarks packaging
	$(VENV)/bin/ruff check --fix kiosk tests benchmarks packaging

render: system-deps $(DB)
	QT_QPA_PLATFORM=offscreen $(KIOSK) render --db $(DB) --out render \
		--size 1920x1080 --size 3840x2160 --size 1080x1920 --lang vi --lang en

# Hostile and damaged content DBs through validate, the reload path and start-up
# (benchmarks/fuzz.py); make test runs a short version.
FUZZ_VARIANTS ?= 500
fuzz: $(VENV)/.installed
	bash packaging/system-deps.sh test
	PYTHONFAULTHANDLER=1 xvfb-run -a -s "-screen 0 $(XVFB_SCREEN) -nolisten tcp" \
		$(PY) -m benchmarks.fuzz --variants $(FUZZ_VARIANTS)

# The real kiosk on a private Xvfb with xdotool visitors and short slides
# (benchmarks/soak.py); make test runs a short version. SOAK_ARGS="--minutes 5" to shorten.
SOAK_ARGS ?=
soak: $(VENV)/.installed
	bash packaging/system-deps.sh test
	$(PY) -m benchmarks.soak $(SOAK_ARGS)

bench: $(DB)
	bash packaging/system-deps.sh test
	$(PY) benchmarks/run.py --db $(DB)

package: $(VENV)/.installed
	bash packaging/system-deps.sh package
	bash packaging/build.sh

clean:
	rm -rf build dist render var .pytest_cache
