/* SPDX-License-Identifier: GPL-2.0-only */
/* tools/virtio's module.h has MODULE_LICENSE() only. */
#ifndef _BENCH_LINUX_MODULE_H
#define _BENCH_LINUX_MODULE_H

#include_next <linux/module.h>

#define MODULE_DESCRIPTION(desc)
#define MODULE_AUTHOR(author)

#endif
