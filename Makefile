# Dasi — the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
HUB_PORT ?= 8001
# Learners' JupyterLab environment: built with Debian's python3, which other users can run (the
# default python3 may live in root's private home). Outside var/, which is private to Dasi.
SINGLEUSER_ENV ?= $(if $(filter 0,$(shell id -u)),/opt/dasi/singleuser,$(CURDIR)/var/singleuser)
SINGLEUSER_PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,$(PYTHON))
export DASI_SINGLEUSER_ENV := $(SINGLEUSER_ENV)
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

system-packages: ## Install the Debian packages of deploy/apt-packages.txt (as root), or say which to install
	@bash deploy/system-packages.sh

$(BIN)/activate: | system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@

GRADER_RUNTIME := var/grader-runtime

$(GRADER_RUNTIME)/.installed: assessments/grader/runtime-requirements.txt | $(VENV)/.installed
	$(PY) manage.py grader_runtime
	touch $@

# The Learning Record Store the xAPI tests run (Ralph), in its own environment: its FastAPI
# stack stays out of Dasi's.
RALPH_ENV := var/ralph

$(RALPH_ENV)/.installed: tests/xapi/ralph-requirements.txt
	$(PYTHON) -m venv $(RALPH_ENV)
	$(RALPH_ENV)/bin/pip install --quiet --upgrade pip
	$(RALPH_ENV)/bin/pip install --quiet -r tests/xapi/ralph-requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

$(SINGLEUSER_ENV)/.installed: deploy/jupyterhub/singleuser-requirements.txt deploy/jupyterhub/jupyter_server_config.json deploy/jupyterhub/lab-overrides.json deploy/jupyterhub/kernel_language_info.py $(wildcard deploy/jupyterhub/lab-locales/*/labconfig/*.json)
	$(SINGLEUSER_PYTHON) -m venv $(SINGLEUSER_ENV)
	$(SINGLEUSER_ENV)/bin/pip install --quiet --upgrade pip
	$(SINGLEUSER_ENV)/bin/pip install --quiet -r deploy/jupyterhub/singleuser-requirements.txt
	mkdir -p $(SINGLEUSER_ENV)/etc/jupyter
	cp deploy/jupyterhub/jupyter_server_config.json $(SINGLEUSER_ENV)/etc/jupyter/jupyter_server_config.json
	# One labconfig folder per language; the hub points a server's JUPYTER_CONFIG_PATH at one.
	cp -r deploy/jupyterhub/lab-locales $(SINGLEUSER_ENV)/etc/jupyter/
	$(SINGLEUSER_ENV)/bin/python deploy/jupyterhub/kernel_language_info.py
	mkdir -p $(SINGLEUSER_ENV)/share/jupyter/lab/settings
	cp deploy/jupyterhub/lab-overrides.json $(SINGLEUSER_ENV)/share/jupyter/lab/settings/overrides.json
	chmod -R a+rX $(SINGLEUSER_ENV)
	touch $@

singleuser: $(SINGLEUSER_ENV)/.installed ## Build the learners' JupyterLab environment

setup: system-packages $(VENV)/.installed node_modules/.installed $(GRADER_RUNTIME)/.installed $(RALPH_ENV)/.installed $(SINGLEUSER_ENV)/.installed ## Create the virtualenv, install Python and npm packages, compile translations
	mkdir -p var
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v 0
	$(PY) manage.py certificate_font -v 0 >/dev/null

migrate: setup ## Apply database migrations
	$(PY) manage.py migrate --no-input -v 0

taxonomy: migrate ## ESCO skills, roles and the recommender artefact with embeddings (downloads ~91 MB once)
	$(PY) manage.py build_taxonomy

demo: migrate ## Set up, load demo data and serve the platform on $(HOST):$(PORT) with a worker and JupyterHub on $(HUB_PORT)
	$(PY) manage.py build_taxonomy --no-embeddings
	$(PY) manage.py seed_demo --port $(PORT)
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py hub_setup --env-file var/jupyterhub/hub.env --hub-url http://$(HOST):$(HUB_PORT) \
	  --dasi-url http://dongtan.localhost:$(PORT) --internal-url http://127.0.0.1:$(PORT)
	@trap 'kill 0' EXIT INT TERM; set -a; . var/jupyterhub/hub.env; set +a; \
	  (cd var/jupyterhub && $(CURDIR)/$(BIN)/jupyterhub -f $(CURDIR)/deploy/jupyterhub/jupyterhub_config.py \
	    --log-level WARN) & \
	  (sleep 4; $(PY) manage.py demo_banner --port $(PORT)) & \
	  $(BIN)/celery -A lms --quiet worker -Q default,grading --beat --schedule var/celerybeat-schedule --loglevel WARNING --concurrency 1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: setup ## Run the whole suite (DATABASE_URL=postgres://... for PostgreSQL)
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: setup ## ruff, Django checks and missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

messages: setup ## Extract translatable strings into locale/*/LC_MESSAGES/django.po
	$(PY) manage.py makemessages -l ko -l en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'test-artifacts/*' --no-obsolete

bench: setup ## Page benchmark (see docs/benchmarks.md)
	$(PY) benchmarks/pages.py --write

bench-grader: setup ## Grader benchmark against nbgrader (see docs/benchmarks.md)
	test -x /tmp/nbgrader-venv/bin/python || (/usr/bin/python3 -m venv /tmp/nbgrader-venv && \
	  /tmp/nbgrader-venv/bin/pip install -q 'nbgrader>=0.9,<0.10' 'pandas>=2.2,<3' matplotlib scikit-learn)
	$(PY) benchmarks/grader.py

bench-sandboxes: setup ## Notebook launch benchmark: real hub, 10 runs stopped/running, quiet and with 2 busy cores (as root)
	$(PY) benchmarks/sandboxes.py --write

bench-load: setup ## 60 s of mixed traffic at 32 users (locust) on PostgreSQL + Redis (see docs/benchmarks.md)
	$(PY) benchmarks/load.py --write

bench-faults: setup ## Worker killed, Redis and PostgreSQL restarted, hub down: figures (as root, see docs/benchmarks.md)
	$(PY) benchmarks/faults.py --write

bench-counselling: setup ## Counsellor cockpit benchmark, 1,000 learners (see docs/benchmarks.md)
	$(PY) benchmarks/counselling.py --write

bench-recommender: setup ## Recommender benchmarks (see docs/benchmarks-recommender.md)
	$(PY) manage.py build_taxonomy
	$(PY) benchmarks/recommender_planted.py
	$(PY) benchmarks/recommender_paths.py
	$(PY) benchmarks/recommender_latency.py
	$(PY) benchmarks/recommender_batch.py
	$(PY) benchmarks/recommender_matching.py
	$(PY) benchmarks/recommender_roles.py

clean: ## Remove the local database, media and virtualenv
	rm -rf var $(VENV) node_modules

.PHONY: help system-packages setup singleuser migrate demo test lint messages bench bench-grader bench-sandboxes bench-counselling bench-recommender taxonomy clean
