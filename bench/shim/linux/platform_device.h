/* SPDX-License-Identifier: GPL-2.0-only */
/* What compat.h needs of a platform driver; no platform bus here. */
#ifndef _BENCH_LINUX_PLATFORM_DEVICE_H
#define _BENCH_LINUX_PLATFORM_DEVICE_H

struct platform_device;

struct platform_driver {
	void (*remove)(struct platform_device *pdev);
};

#endif
