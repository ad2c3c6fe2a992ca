# Thin wrapper over CMake: `make` builds, `make check` runs the whole test suite.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all build check asan check-asan fuzz clean bench accuracy
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
