/* SPDX-License-Identifier: GPL-2.0-only */
/* tools/virtio's kernel.h, plus ALIGN() of include/linux/align.h and min_t(). */
#ifndef _BENCH_LINUX_KERNEL_H
#define _BENCH_LINUX_KERNEL_H

#include_next <linux/kernel.h>

#ifndef ALIGN
#define ALIGN(x, a)	(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#endif

#ifndef min_t
#define min_t(type, x, y)	min((type)(x), (type)(y))
#endif

#endif
