/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tools/virtio's kernel.h, plus ALIGN() of include/linux/align.h, min_t(),
 * and an alloc_pages_exact() that zeroes, as the in-tree ring's
 * __GFP_ZERO asks: the shim's is malloc() with __GFP_ZERO defined as 0, so
 * a ring allocated where the last run's ring was freed started with that
 * run's used descriptors in it, and the in-tree packed ring took a stale
 * one for a used buffer ("id N is not a head!") when its driver thread ran
 * ahead of the device thread.
 */
#ifndef _BENCH_LINUX_KERNEL_H
#define _BENCH_LINUX_KERNEL_H

#include_next <linux/kernel.h>

#ifndef ALIGN
#define ALIGN(x, a)	(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#endif

#ifndef min_t
#define min_t(type, x, y)	min((type)(x), (type)(y))
#endif

static inline void *bench_alloc_pages_exact(size_t s, gfp_t gfp)
{
	return kzalloc(s, gfp);
}

#define alloc_pages_exact(s, gfp)	bench_alloc_pages_exact(s, gfp)

#endif
