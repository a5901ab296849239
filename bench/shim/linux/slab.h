/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tools/virtio's slab.h defines GFP_KERNEL as 0, which breaks the enum of
 * tools/include/linux/types.h when slab.h comes first: take types first.
 * Plus kcalloc(), over the shim's kzalloc() (malloc, as for the in-tree
 * ring).
 */
#ifndef _BENCH_LINUX_SLAB_H
#define _BENCH_LINUX_SLAB_H

#include <linux/kernel.h>
#include_next <linux/slab.h>

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, gfp);
}

#endif
