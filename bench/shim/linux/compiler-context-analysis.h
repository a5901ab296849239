/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 6.12.117's compiler_types.h includes this, and tools/virtio has no copy:
 * forward to the kernel source's (the Makefile links it as ksrc/).
 */
#include <ksrc/include/linux/compiler-context-analysis.h>
