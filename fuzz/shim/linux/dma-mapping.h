/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fuzzer's DMA mapping: bench's (addresses are pointers), with every
 * streaming mapping counted and any one of them made to fail when the
 * script asks (ring_fuzz.c, op_add()), so that the ring's way back from a
 * failed mapping runs and is checked: nothing left mapped, nothing
 * unmapped twice, no refused address unmapped.
 */
#ifndef _FUZZ_LINUX_DMA_MAPPING_H
#define _FUZZ_LINUX_DMA_MAPPING_H

#include_next <linux/dma-mapping.h>

/* What a refused mapping returns, as the kernel's DMA_MAPPING_ERROR. */
#define FUZZ_DMA_ERROR	(~(dma_addr_t)0)

dma_addr_t fuzz_dma_map(dma_addr_t addr);
void fuzz_dma_unmap(dma_addr_t addr);

#undef dma_map_page
#define dma_map_page(d, p, o, s, dir) ({				\
	(void)(d); (void)(s); (void)(dir);				\
	fuzz_dma_map(page_to_phys(p) + (o));				\
})
#undef dma_map_single
#define dma_map_single(d, p, s, dir) ({					\
	(void)(d); (void)(s); (void)(dir);				\
	fuzz_dma_map(virt_to_phys(p));					\
})
#undef dma_mapping_error
#define dma_mapping_error(d, a)		((void)(d), (a) == FUZZ_DMA_ERROR)
#undef dma_unmap_page
#define dma_unmap_page(d, a, s, r) do {					\
	(void)(d); (void)(s); (void)(r);				\
	fuzz_dma_unmap(a);						\
} while (0)
#undef dma_unmap_single
#define dma_unmap_single(d, a, s, r)	dma_unmap_page(d, a, s, r)

#endif
