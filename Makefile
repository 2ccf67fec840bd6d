# Stockroom developer entry points. `make test` is what CI runs (.ci/run).
# Non-trivial logic lives in scripts/; CMake configuration lives in CMakePresets.json.
SHELL := /bin/bash
.DEFAULT_GOAL := native
.NOTPARALLEL:                       # layers must run in order; cmake/ninja parallelise the builds

# (No trailing comments on these lines: make would keep the spaces before '#' in the value.)
# Debian's acorn, for emcc's JS optimizer (-O2 and up):
export NODE_PATH := /usr/share/nodejs
# the emcc/emcmake wrappers run $${EMSDK_PYTHON:-python3}:
export EMSDK_PYTHON := /usr/bin/python3
# node-gyp (better-sqlite3 builds SQLite from source) finds the node headers in /usr/include/node:
export npm_config_nodedir := /usr
export DEBIAN_FRONTEND := noninteractive
# one test process per core (each wasm test is its own node process, ~0.1 s to start)
export CTEST_PARALLEL_LEVEL ?= $(shell nproc)

.PHONY: deps native asan wasm fuzz bench test test-native test-asan test-fuzz test-wasm test-node start \
        fuzz-long format \
        format-check lint clean

# configure + build one preset
build_preset = cmake --preset $(1) && cmake --build --preset $(1)
# configure + build + ctest one preset, all teed into build/logs/<preset>.log
test_layer = scripts/run-layer.sh $(1) bash -c '$(call build_preset,$(1)) && ctest --preset $(1)'

deps:
	scripts/install-deps.sh

native:
	$(call build_preset,native)
asan:
	$(call build_preset,asan)
wasm:
	$(call build_preset,wasm)
fuzz:
	$(call build_preset,fuzz)

test-native:
	$(call test_layer,native)
test-asan:
	$(call test_layer,asan)
test-fuzz:
	$(call test_layer,fuzz)
test-wasm:
	$(call test_layer,wasm)
test-node:
	@if [ -f package.json ] && node -e 'process.exit(require("./package.json").scripts?.test ? 0 : 1)'; \
	then scripts/run-layer.sh node npm test; \
	else echo "test-node: package.json has no test script, skipped"; fi

# Every layer in order, stopping at the first failure; the aggregate line is printed either way.
test: deps
	@rm -rf build/logs; rc=0; \
	{ $(MAKE) --no-print-directory test-native && $(MAKE) --no-print-directory test-asan && \
	  $(MAKE) --no-print-directory test-fuzz && $(MAKE) --no-print-directory test-wasm && \
	  $(MAKE) --no-print-directory test-node; } || rc=$$?; \
	scripts/summarize-tests.sh; exit $$rc

start:
	@test -f host-node/server.js || { echo "start: host-node/server.js does not exist yet" >&2; exit 1; }
	$(MAKE) --no-print-directory deps wasm
	node host-node/server.js

# Every benchmark (native core, wasm package, SQLite baseline, HTTP service) and BENCHMARKS.md regenerated.
# Not part of CI (minutes); tests/node/bench-smoke.test.js runs the same scripts at tiny sizes.
bench: deps
	scripts/bench-all.sh

# Long fuzzing runs (not CI): FUZZ_SECONDS per harness, corpora kept in build/fuzz/.
FUZZ_SECONDS ?= 600
fuzz-long: deps fuzz
	scripts/fuzz-long.sh $(FUZZ_SECONDS)

format:
	scripts/format.sh
format-check:
	scripts/format.sh --check
lint:
	scripts/lint.sh

clean:
	rm -rf build dist
