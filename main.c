// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt: module init and exit, and the parameters all parts share.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "transport.h"

enum va_ring_mode va_ring_mode = VA_RING_ALT;
bool va_strict_len;
struct dentry *va_debugfs_root;

static const char * const va_ring_names[] = {
	[VA_RING_ALT] = "alt",
	[VA_RING_INTREE] = "intree",
};

static int va_ring_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(va_ring_names, val);

	if (i < 0) {
		pr_err("ring=%.64s: expected 'alt' or 'intree'\n", val);
		return -EINVAL;
	}
	va_ring_mode = i;
	return 0;
}

static int va_ring_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", va_ring_names[va_ring_mode]);
}

static const struct kernel_param_ops va_ring_ops = {
	.set = va_ring_set,
	.get = va_ring_get,
};
module_param_cb(ring, &va_ring_ops, NULL, 0444);
MODULE_PARM_DESC(ring,
		 "Ring for this module's drivers: alt (default) or intree. Drivers of other modules always use the in-tree ring.");

module_param_named(strict_len, va_strict_len, bool, 0444);
MODULE_PARM_DESC(strict_len,
		 "Alt ring: a used length beyond the device-writable bytes posted breaks the queue (Y) or is clamped and counted in used_len_clamped (N, default; some legacy devices report total lengths)");

static int __init va_init(void)
{
	int err;

	va_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = va_balloon_init();
	if (err)
		goto debugfs;
	err = vp_alt_init();
	if (err)
		goto balloon;
	err = vm_alt_init();
	if (err)
		goto pci;
	return 0;

pci:
	vp_alt_exit();
balloon:
	va_balloon_exit();
debugfs:
	debugfs_remove_recursive(va_debugfs_root);
	return err;
}

static void __exit va_exit(void)
{
	vm_alt_exit();
	vp_alt_exit();
	va_balloon_exit();
	debugfs_remove_recursive(va_debugfs_root);
}

module_init(va_init);
module_exit(va_exit);

MODULE_DESCRIPTION("virtio-alt: alternative virtqueue ring, virtio-pci and virtio-mmio transports and balloon");
MODULE_LICENSE("GPL");
