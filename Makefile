# `make report` and `make test` do all the set-up on a fresh Debian bookworm machine with Swift.
PACKAGES := libopenblas-dev zlib1g-dev libssl-dev libcairo2-dev libpango1.0-dev libpng-dev \
	libcmark-gfm-dev libcmark-gfm-extensions-dev fonts-dejavu-core pkg-config poppler-utils
# What only the tests use: qpdf reads the PDF's incremental update, Chromium runs the explorer and the HTML page,
# Node tests the explorer's computation.
TEST_PACKAGES := qpdf chromium nodejs
SWIFT_FLAGS := -c release
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: report test bench setup fuzz test-sanitized

report: setup
	swift build $(SWIFT_FLAGS) --product report
	.build/release/report $(ARGS)

# The libraries are tested optimized, as they run: the engine's loops are far too slow
# unoptimized. The test modules that only call them build without optimization (Package.swift).
# -enable-testing keeps @testable imports working; a scratch folder of its own keeps `make
# report`'s build intact. One build of everything, products and tests together, keeps both cores
# busy where two builds in turn would each end on one module.
test: PACKAGES += $(TEST_PACKAGES)
# The explorer's computation (Templates/explorer/network.js) first, under Node's own test runner,
# which prints its own summary; the target fails there if any of its tests fails.
NODE ?= node
test: setup
	$(NODE) --test Tests/ExplorerTests/network.test.js
	swift build $(SWIFT_FLAGS) -Xswiftc -enable-testing --scratch-path .build-test --build-tests
	swift test $(SWIFT_FLAGS) -Xswiftc -enable-testing --scratch-path .build-test --skip-build

bench: setup
	swift build $(SWIFT_FLAGS) --product report
	.build/release/report bench $(ARGS)

# libFuzzer targets for the readers: gzip + IDX (FuzzIDX), safetensors and LeNet5(checkpoint:)
# (FuzzSafetensors), Markdown → PDF (FuzzMarkdown). They are targets of the main package (their
# sources in Tests/Fuzz), so an ordinary build compiles them with the modules they fuzz and a
# change that breaks them breaks `make test`; built so, they only say how to build them. Here they
# link with -sanitize=fuzzer (and AddressSanitizer), optimized, as a fuzzer wants executions, with
# bounds checks and preconditions on. Each runs FUZZ_SECONDS from its seeds in
# Tests/Fuzz/Corpus/<name>; what it learns goes to .build-fuzz/corpus, a crashing input to
# .build-fuzz/crashes. The toolchain's backtracer is off so that libFuzzer reports a crash at once;
# fontconfig's memory, unreachable by design when a process ends, is not reported as a leak
# (Tests/lsan.supp). CI runs each for a few seconds (.ci/run).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= idx safetensors markdown
FUZZ_FLAGS := -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
fuzz: setup
	@failed=""; for t in $(FUZZ_TARGETS); do \
		case $$t in idx) exe=FuzzIDX;; safetensors) exe=FuzzSafetensors;; markdown) exe=FuzzMarkdown;; \
			*) echo "error: unknown fuzz target $$t (idx, safetensors, markdown)" >&2; exit 2;; esac; \
		swift build $(FUZZ_FLAGS) --product $$exe || exit 1; \
		mkdir -p .build-fuzz/corpus/$$t .build-fuzz/crashes; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp \
			.build-fuzz/release/$$exe -max_total_time=$(FUZZ_SECONDS) -timeout=30 \
			-print_final_stats=1 -artifact_prefix=.build-fuzz/crashes/$$t- \
			.build-fuzz/corpus/$$t Tests/Fuzz/Corpus/$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "error: fuzz targets that failed:$$failed (crashing inputs are in .build-fuzz/crashes)" >&2; exit 1; fi

# The test suite under AddressSanitizer, then under ThreadSanitizer (the training shards run on
# two threads), each in a scratch folder of its own and optimized, as `make test` is. `swift test`
# alone builds everything the tests need (a `swift build --build-tests` first would be compiled
# again). Leaks that the toolchain's libraries and fontconfig leave at exit are suppressed.
SANITIZED_TEST := LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp swift test $(SWIFT_FLAGS) -Xswiftc -enable-testing
test-sanitized: setup
	$(SANITIZED_TEST) --sanitize=address --scratch-path .build-asan
	$(SANITIZED_TEST) --sanitize=thread --scratch-path .build-tsan

# Installs whichever Debian packages are missing (through sudo when not root).
setup:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		if [ -n "$(SUDO)" ] && ! command -v sudo >/dev/null; then \
			echo "error: not root and no sudo; install these Debian packages first:" $$missing >&2; exit 1; \
		fi; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q --no-install-recommends $$missing || { \
			echo "error: could not install:" $$missing >&2; exit 1; }; \
	fi
