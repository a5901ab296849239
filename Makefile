# SPDX-License-Identifier: GPL-2.0-only
# Thin wrapper over Kbuild. KDIR selects the kernel to build against.
KDIR ?= /lib/modules/$(shell uname -r)/build
MAKEFLAGS += --no-print-directory

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# modules_install of what `make` built (like the kernel's, install does not
# build: `make && sudo make install`) into
# $(INSTALL_MOD_PATH)/lib/modules/<release>/$(INSTALL_MOD_DIR), then depmod
# when the kernel's System.map is there. virtio_alt is no in-tree name, so
# updates/ shadows nothing.
INSTALL_MOD_DIR ?= updates/virtio-alt
install:
	@test -f virtio_alt.ko || { echo "make install: no virtio_alt.ko here; run make first" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# Extra warnings and sparse; both must print nothing for our files.
w1:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

demo:
	bash scripts/demo.sh

# Every benchmark, written to BENCHMARKS.md: the alt ring against the
# in-tree ring in userspace (bench/), and the balloon in a guest against the
# in-tree virtio_balloon (scripts/bench.sh).
bench:
	bash scripts/bench.sh

check:
	bash scripts/check.sh

.PHONY: all modules install clean w1 sparse demo check bench
