/* SPDX-License-Identifier: GPL-2.0-only */
/* tools/virtio's scatterlist.h, plus sg_nents() of lib/scatterlist.c. */
#ifndef _BENCH_LINUX_SCATTERLIST_H
#define _BENCH_LINUX_SCATTERLIST_H

#include_next <linux/scatterlist.h>

static inline int sg_nents(struct scatterlist *sg)
{
	int nents;

	for (nents = 0; sg; sg = sg_next(sg))
		nents++;
	return nents;
}

#endif
