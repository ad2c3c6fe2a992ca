# Thin wrapper over CMake: `make` builds, `make check` runs the whole test suite.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all build check asan check-asan fuzz fuzz-smoke clean
all: build

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCORDON_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)

check-asan: asan
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

fuzz:
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCORDON_FUZZ=ON -DCORDON_SANITIZE=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

clean:
	rm -rf $(BUILD) build-asan build-fuzz

# Each libFuzzer target for a short time over its seed corpus (CI).
FUZZ_SECONDS ?= 20
fuzz-smoke: fuzz
	@set -e; for f in build-fuzz/fuzz_*; do \
	  name=$${f#build-fuzz/fuzz_}; corpus=tests/fuzz/corpus/$$name; \
	  work=$$(mktemp -d); cp -r $$corpus/. $$work/ 2>/dev/null || true; \
	  echo "fuzz $$name for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 $$work >/dev/null 2>$$work.log || { tail -40 $$work.log; exit 1; }; \
	  rm -rf $$work $$work.log; \
	done
