/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device log calls. dev_err*() go to bench_dev_err() (bench/shim.c), which
 * counts them: a benchmark run with a device error fails. dev_dbg*() compile
 * to nothing, as with dynamic debug off. %pV is a kernel format: the
 * message is printed unformatted.
 */
#ifndef _BENCH_LINUX_DEVICE_H
#define _BENCH_LINUX_DEVICE_H

#include <stdarg.h>
#include <linux/kernel.h>
#include <linux/err.h>

struct va_format {
	const char *fmt;
	va_list *va;
};

struct device;

void bench_dev_err(const struct device *dev, const char *fmt, ...);
extern unsigned long bench_dev_errors;

#undef dev_err
#undef dev_warn
#define dev_err(dev, fmt, ...)		bench_dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_err_ratelimited(dev, fmt, ...) bench_dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)		bench_dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)		do { } while (0)
#define dev_dbg_ratelimited(dev, fmt, ...) do { } while (0)

#endif
