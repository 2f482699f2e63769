# The two commands of the README: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# glibc gives each server thread its own malloc arena, and memory freed in them is rarely
# returned: after a crowd the server kept ~18 % more instead of ~9 % (bench/README.md).
export MALLOC_ARENA_MAX ?= 2

.PHONY: run test bench soak setup setup-dev browser screenshot clean

run: setup  ## set up, then serve the app on http://localhost:$(PORT)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: setup-dev browser  ## set up, then run the whole suite (browser tests included)
	$(BIN)/python -m pytest

bench: setup-dev browser  ## measure the dashboard against bench/baseline_app.py: bench/RESULTS.md
	$(BIN)/python -m bench.run

soak: setup-dev browser  ## 50 sessions for 2 minutes: no error, memory back within 10 %
	$(BIN)/python -m bench.soak

setup: $(VENV)/.requirements
setup-dev: $(VENV)/.requirements-dev
browser: $(CHROMIUM)

# Stamp files: re-running is instant until a requirements file changes.
$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements-dev.txt $(VENV)/.requirements
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Debian's chromium drives the browser tests; Playwright never downloads a browser.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

screenshot: setup-dev browser  ## refresh docs/screenshot.png from the browser test
	[ -d /usr/share/fonts/opentype/noto ] || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk
	UPDATE_SCREENSHOT=1 $(BIN)/python -m pytest -q tests/test_browser.py -k astana

clean:
	rm -rf $(VENV) static/vendor .pytest_cache
