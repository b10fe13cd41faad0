# `make report` and `make test` do all the set-up on a fresh Debian bookworm machine with Swift.
PACKAGES := libopenblas-dev zlib1g-dev libssl-dev libcairo2-dev libpango1.0-dev \
	libcmark-gfm-dev libcmark-gfm-extensions-dev fonts-dejavu-core pkg-config poppler-utils
SWIFT_FLAGS := -c release
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: report test bench setup

report: setup
	swift build $(SWIFT_FLAGS) --product report
	.build/release/report $(ARGS)

# Tests run optimized: the engine's loops are far too slow unoptimized. -enable-testing keeps
# @testable imports working; a scratch folder of its own keeps `make report`'s build intact.
test: setup
	swift build $(SWIFT_FLAGS) -Xswiftc -enable-testing --scratch-path .build-test
	swift test $(SWIFT_FLAGS) -Xswiftc -enable-testing --scratch-path .build-test

bench: setup
	swift build $(SWIFT_FLAGS) --product report
	.build/release/report bench $(ARGS)

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
