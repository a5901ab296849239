/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tools/virtio's dma-mapping.h with a dma_alloc_coherent() as the
 * kernel's: zeroed whole pages (the shim's is kmalloc(), that is malloc()).
 */
#ifndef _BENCH_LINUX_DMA_MAPPING_H
#define _BENCH_LINUX_DMA_MAPPING_H

#include_next <linux/dma-mapping.h>
#include <linux/kernel.h>

#undef dma_alloc_coherent
#define dma_alloc_coherent(d, s, hp, f) ({				\
	void *__bench_dma_p = bench_alloc_pages_exact((s), (f));	\
	*(hp) = (unsigned long)__bench_dma_p;				\
	__bench_dma_p;							\
})

#endif
