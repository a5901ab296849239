# SPDX-License-Identifier: GPL-2.0-only
# Thin wrapper over Kbuild. KDIR selects the kernel to build against.
KDIR ?= /lib/modules/$(shell uname -r)/build
MAKEFLAGS += --no-print-directory

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# Extra warnings and sparse; both must print nothing for our files.
w1:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

demo:
	bash scripts/demo.sh

check:
	bash scripts/check.sh

.PHONY: all modules clean w1 sparse demo check
