/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tools/virtio's kernel.h, plus ALIGN() of include/linux/align.h, min_t(),
 * and an alloc_pages_exact() as the kernel's: zeroed, as the in-tree
 * ring's __GFP_ZERO asks (the shim's is malloc() with __GFP_ZERO defined
 * as 0, so a ring allocated where the last run's ring was freed started
 * with that run's used descriptors in it, and the in-tree packed ring took
 * a stale one for a used buffer, "id N is not a head!", when its driver
 * thread ran ahead of the device thread), and in whole pages of its own
 * (malloc() put a ring's first and last cache lines beside the queue's
 * own state, which the device then took away from the driver).
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
	void *p;

	s = ALIGN(s, PAGE_SIZE);
	if (posix_memalign(&p, PAGE_SIZE, s))
		return NULL;
	return memset(p, 0, s);
}

#define alloc_pages_exact(s, gfp)	bench_alloc_pages_exact(s, gfp)

#endif
