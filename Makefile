# The two commands of the README: `make run` and `make test`.
# Both set up .venv/ first; nothing is downloaded at run time.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: run test index browser nginx bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The local CPU build of torch first: otherwise sentence-transformers pulls a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

index: $(STAMP)
	$(VENV)/bin/policykb build

run: index
	$(VENV)/bin/policykb serve --host $(HOST) --port $(PORT)

browser:
	bash scripts/install-browser.sh

nginx:
	bash scripts/install-nginx.sh

test: $(STAMP) browser nginx
	$(PY) -m pytest $(PYTEST_ARGS)

bench: index
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) var
