# SPDX-License-Identifier: GPL-2.0-only
# The kernel source of the userspace builds (bench/, fuzz/): where the
# linux-source-6.12 package is unpacked (once, shared, never changed), the
# preprocessor flags that build our ring against its tools/virtio with our
# shim/ in front, and the rules that unpack it and link it under $(OUT).
# Set OUT before including this file.

bench_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz
CACHE	?= $(HOME)/.cache/virtio-alt/bench
KSRC	?= $(CACHE)/linux-source-6.12
STAMP	:= $(KSRC)/.extracted

# Include order: our additions, then tools/virtio, then tools/include.
# $(OUT)/inc/ksrc links to the kernel source for forwarding headers.
CPPFLAGS := -I$(bench_dir)/shim -I$(OUT)/inc -I$(KSRC)/tools/virtio \
	    -I$(KSRC)/tools/include -include $(KSRC)/include/linux/kconfig.h \
	    -DCONFIG_PHYS_ADDR_T_64BIT -DKBUILD_MODNAME='"virtio_alt"'
# compat.h's probes, answered for the 6.12 shims (see Kbuild).
CPPFLAGS += -DVA_HAVE_VIRTQUEUE_INFO -DVA_HAVE_VOID_PLATFORM_REMOVE \
	    -DVA_HAVE_VIRTQUEUE_RESET -DVA_HAVE_LINUX_UNALIGNED \
	    -DVA_HAVE_RECYCLE_DONE -DVA_HAVE_VIRTIO_ADMIN_CMD_HDR \
	    -DVA_HAVE_SHRINKER_ALLOC

# Unpack what the build needs, once; a lock keeps parallel makes apart.
$(STAMP): $(KSRC_TAR)
	mkdir -p $(CACHE)
	flock $(CACHE)/.lock sh -c 'test -f $@ && test $@ -nt $< || { \
		rm -rf $(CACHE)/tmp && mkdir -p $(CACHE)/tmp && \
		tar -xJf $< -C $(CACHE)/tmp linux-source-6.12/tools \
			linux-source-6.12/include \
			linux-source-6.12/drivers/virtio && \
		rm -rf $(KSRC) && mv $(CACHE)/tmp/linux-source-6.12 $(KSRC) && \
		rmdir $(CACHE)/tmp && touch $@; }'

$(OUT)/inc/ksrc: $(STAMP)
	mkdir -p $(OUT)/inc
	ln -sfn $(KSRC) $@
