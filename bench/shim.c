// SPDX-License-Identifier: GPL-2.0-only
/* What the shim headers declare and tools/virtio leaves to its programs. */
#include <linux/kernel.h>
#include <linux/device.h>

/* tools/virtio's kmalloc() and kfree() look at these; unused here. */
void *__kmalloc_fake, *__kfree_ignore_start, *__kfree_ignore_end;

unsigned long bench_dev_errors;

/**
 * bench_dev_err() - dev_err() and dev_err_ratelimited() of both rings
 * @dev: the device (unused)
 * @fmt: the kernel format, printed as it is (%pV has no libc meaning)
 *
 * Counts the message in bench_dev_errors; a run with any fails.
 */
void bench_dev_err(const struct device *dev, const char *fmt, ...)
{
	bench_dev_errors++;
	fprintf(stderr, "bench: ring error: %s", fmt);
}
