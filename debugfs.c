// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt debugfs: /sys/kernel/debug/virtio_alt/<device>/
 *
 *   transport   transport name and its details
 *   features    device (offered), driver (accepted) and negotiated bits, in
 *               hex and by name
 *   status      device status byte, decoded
 *   generation  configuration generation (the transport's generation op)
 *   queue_reset write "INDEX [SIZE]": reset queue INDEX (VIRTIO_F_RING_RESET)
 *               and re-enable it with SIZE entries (default: the same)
 *   reset       write "1": reset the whole device under its driver, through
 *               the driver's freeze and restore (what a suspend does)
 *   vq<N>/info      queue name, ring, size
 *   vq<N>/layout    format, size, alignment, the three areas' DMA addresses
 *                   and sizes, ring features
 *   vq<N>/ring      the live ring (alt ring only), vra_dump_ring(), taken
 *                   under the driver's serialization of the queue
 *   vq<N>/counters  "name value" lines: the ring's counters (alt), or the
 *                   transport's kicks, irqs and resets (in-tree ring);
 *                   writing "0" or an empty line resets them
 *
 * Return values of debugfs calls are ignored, as debugfs wants.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include "transport.h"
#include "virtio_ring_alt.h"
#include "vq.h"

static struct dentry *va_debugfs_dir(struct vtr_device *vd)
{
	if (!vd->debugfs)
		vd->debugfs = debugfs_create_dir(dev_name(&vd->vdev.dev),
						 va_debugfs_root);
	return vd->debugfs;
}

static int transport_show(struct seq_file *s, void *unused)
{
	struct vtr_device *vd = s->private;

	seq_printf(s, "transport %s\n", vd->transport);
	seq_printf(s, "ring %s\n", vd->alt ? "alt" : "in-tree");
	seq_printf(s, "device_id %u\n", vd->vdev.id.device);
	seq_printf(s, "features_refused %llu\n",
		   READ_ONCE(vd->features_refused));
	if (vd->show)
		vd->show(vd, s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(transport);

/*
 * Feature bits by their names in the virtio 1.3 specification: the
 * reserved (transport) range, 6 "Reserved Feature Bits", and the legacy
 * bits 24 and 27 (6.3); device-specific bits for the devices this module
 * drives (5.5.3 balloon).
 */
static const char * const va_transport_feature_names[64] = {
	[24] = "VIRTIO_F_NOTIFY_ON_EMPTY",
	[27] = "VIRTIO_F_ANY_LAYOUT",
	[28] = "VIRTIO_F_INDIRECT_DESC",
	[29] = "VIRTIO_F_EVENT_IDX",
	[32] = "VIRTIO_F_VERSION_1",
	[33] = "VIRTIO_F_ACCESS_PLATFORM",
	[34] = "VIRTIO_F_RING_PACKED",
	[35] = "VIRTIO_F_IN_ORDER",
	[36] = "VIRTIO_F_ORDER_PLATFORM",
	[37] = "VIRTIO_F_SR_IOV",
	[38] = "VIRTIO_F_NOTIFICATION_DATA",
	[39] = "VIRTIO_F_NOTIF_CONFIG_DATA",
	[40] = "VIRTIO_F_RING_RESET",
	[41] = "VIRTIO_F_ADMIN_VQ",
};

static const char * const va_balloon_feature_names[] = {
	[VIRTIO_BALLOON_F_MUST_TELL_HOST]	= "VIRTIO_BALLOON_F_MUST_TELL_HOST",
	[VIRTIO_BALLOON_F_STATS_VQ]		= "VIRTIO_BALLOON_F_STATS_VQ",
	[VIRTIO_BALLOON_F_DEFLATE_ON_OOM]	= "VIRTIO_BALLOON_F_DEFLATE_ON_OOM",
	[VIRTIO_BALLOON_F_FREE_PAGE_HINT]	= "VIRTIO_BALLOON_F_FREE_PAGE_HINT",
	[VIRTIO_BALLOON_F_PAGE_POISON]		= "VIRTIO_BALLOON_F_PAGE_POISON",
	[VIRTIO_BALLOON_F_REPORTING]		= "VIRTIO_BALLOON_F_PAGE_REPORTING",
};

/* "<what>_names NAME NAME ... bit N" for every bit set in @bits. */
static void va_show_feature_names(struct seq_file *s, const char *what,
				  u32 device_id, u64 bits)
{
	const char *name;
	unsigned int bit;

	seq_printf(s, "%s_names", what);
	if (!bits)
		seq_puts(s, " -");
	for (bit = 0; bit < 64; bit++) {
		if (!(bits & BIT_ULL(bit)))
			continue;
		name = va_transport_feature_names[bit];
		if (device_id == VIRTIO_ID_BALLOON &&
		    bit < ARRAY_SIZE(va_balloon_feature_names))
			name = va_balloon_feature_names[bit];
		if (name)
			seq_printf(s, " %s", name);
		else
			seq_printf(s, " bit %u", bit);
	}
	seq_putc(s, '\n');
}

static int features_show(struct seq_file *s, void *unused)
{
	struct vtr_device *vd = s->private;
	u64 device = vd->vdev.config->get_features(&vd->vdev);
	u64 driver = vd->vdev.features;
	u32 id = vd->vdev.id.device;

	seq_printf(s, "device 0x%016llx\n", device);
	seq_printf(s, "driver 0x%016llx\n", driver);
	seq_printf(s, "negotiated 0x%016llx\n", device & driver);
	va_show_feature_names(s, "device", id, device);
	va_show_feature_names(s, "driver", id, driver);
	va_show_feature_names(s, "negotiated", id, device & driver);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(features);

static int status_show(struct seq_file *s, void *unused)
{
	static const struct { u8 bit; const char *name; } bits[] = {
		{ VIRTIO_CONFIG_S_ACKNOWLEDGE, "ACKNOWLEDGE" },
		{ VIRTIO_CONFIG_S_DRIVER, "DRIVER" },
		{ VIRTIO_CONFIG_S_FEATURES_OK, "FEATURES_OK" },
		{ VIRTIO_CONFIG_S_DRIVER_OK, "DRIVER_OK" },
		{ VIRTIO_CONFIG_S_NEEDS_RESET, "DEVICE_NEEDS_RESET" },
		{ VIRTIO_CONFIG_S_FAILED, "FAILED" },
	};
	struct vtr_device *vd = s->private;
	u8 status = vd->vdev.config->get_status(&vd->vdev);
	unsigned int i;

	seq_printf(s, "0x%02x", status);
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (status & bits[i].bit)
			seq_printf(s, " %s", bits[i].name);
	seq_putc(s, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/* 2.5 / 4.1.4.3 config_generation, 4.2.2 ConfigGeneration. */
static int generation_show(struct seq_file *s, void *unused)
{
	struct vtr_device *vd = s->private;
	const struct virtio_config_ops *ops = vd->vdev.config;

	if (ops->generation)
		seq_printf(s, "%u\n", ops->generation(&vd->vdev));
	else
		seq_puts(s, "none\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(generation);

/*
 * Copy a write of fewer than @size bytes into @buf, NUL-terminated, and
 * return it trimmed; a longer one is refused with a message naming the
 * file @name and what it takes (@hint). ERR_PTR(-EINVAL or -EFAULT).
 */
static char *va_write_line(struct device *dev, const char __user *ubuf,
			   size_t count, char *buf, size_t size,
			   const char *name, const char *hint)
{
	if (count >= size) {
		dev_err(dev, "%s: %zu bytes written; %s\n", name, count, hint);
		return ERR_PTR(-EINVAL);
	}
	if (copy_from_user(buf, ubuf, count))
		return ERR_PTR(-EFAULT);
	buf[count] = '\0';
	return strim(buf);
}

/* Take "INDEX [SIZE]"; name the bad token in the log and fail with -EINVAL. */
static ssize_t queue_reset_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct vtr_device *vd = file->private_data;
	struct device *dev = &vd->vdev.dev;
	unsigned int index, num = 0;
	char buf[32], *p, *tok;
	int err;

	p = va_write_line(dev, ubuf, count, buf, sizeof(buf), "queue_reset",
			  "expected \"INDEX [SIZE]\"");
	if (IS_ERR(p))
		return PTR_ERR(p);
	tok = strsep(&p, " \t");
	if (kstrtouint(tok, 0, &index) || index > U16_MAX) {
		dev_err(dev,
			"queue_reset: '%s' is not a queue index; expected \"INDEX [SIZE]\"\n",
			tok);
		return -EINVAL;
	}
	tok = p ? skip_spaces(p) : NULL;
	if (tok && *tok && (kstrtouint(tok, 0, &num) || !num)) {
		dev_err(dev,
			"queue_reset: '%s' is not a queue size (1 or more descriptors); expected \"INDEX [SIZE]\"\n",
			tok);
		return -EINVAL;
	}
	err = vtr_reset_vq_index(vd, index, num);
	return err ? err : count;
}

/*
 * A device reset (2.1.1, 3.1.1) with its driver bound, as a suspend does
 * it: the driver's freeze lets go of its queues (the balloon first gives
 * its pages back), virtio_device_restore() resets the device, negotiates
 * again and calls the driver's restore. Serialized with probe and remove
 * by the device lock; a driver without freeze and restore is refused,
 * since a reset under its live queues would lose their buffers.
 */
static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct vtr_device *vd = file->private_data;
	struct device *dev = &vd->vdev.dev;
	struct virtio_driver *drv;
	char buf[16], *p;
	int err = 0;

	p = va_write_line(dev, ubuf, count, buf, sizeof(buf), "reset",
			  "write 1 to reset the device");
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (strcmp(p, "1")) {
		dev_err(dev, "reset: '%s' refused; write 1 to reset the device\n",
			p);
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_PM_SLEEP)) {
		dev_err(dev, "reset: needs CONFIG_PM_SLEEP (the driver's freeze and restore)\n");
		return -EOPNOTSUPP;
	}
	device_lock(dev);
	drv = dev->driver ? drv_to_virtio(dev->driver) : NULL;
	if (!drv) {
		dev_err(dev, "reset: no driver is bound\n");
		err = -ENODEV;
	} else if (!drv->freeze || !drv->restore) {
		dev_err(dev, "reset: driver %s has no freeze and restore; not reset under its queues\n",
			drv->driver.name);
		err = -EOPNOTSUPP;
	}
#ifdef CONFIG_PM_SLEEP
	if (!err) {
		err = virtio_device_freeze(&vd->vdev);
		if (!err)
			err = virtio_device_restore(&vd->vdev);
		if (err)
			dev_err(dev, "reset: driver %s: %pe\n", drv->driver.name,
				ERR_PTR(err));
		else
			dev_info(dev, "reset: done; driver %s restored\n",
				 drv->driver.name);
	}
#endif
	device_unlock(dev);
	return err ? err : count;
}

static const struct file_operations reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = reset_write,
	.llseek = noop_llseek,
};

static const struct file_operations queue_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = queue_reset_write,
	.llseek = noop_llseek,
};

static int info_show(struct seq_file *s, void *unused)
{
	struct vtr_vq *info = s->private;
	struct virtqueue *vq = info->vq;

	seq_printf(s, "name %s\n", vq->name);
	seq_printf(s, "index %u\n", vq->index);
	seq_printf(s, "ring %s\n", info->alt ? "alt" : "in-tree");
	if (info->alt)
		seq_printf(s, "layout %s\n",
			   vra_is_packed(vq) ? "packed" : "split");
	seq_printf(s, "size %u\n", vaq_vring_size(vq));
	seq_printf(s, "vector %u\n", info->vector);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

/*
 * Spec sizes of the three areas, bytes: 2.7 (split: 16 * size, 6 + 2 *
 * size, 6 + 8 * size) and 2.8.10 (packed: 16 * size, 4, 4).
 */
static int layout_show(struct seq_file *s, void *unused)
{
	struct vtr_vq *info = s->private;
	struct virtqueue *vq = info->vq;
	struct virtio_device *vdev = vq->vdev;
	unsigned int num = vaq_vring_size(vq);
	bool packed = info->alt ? vra_is_packed(vq) :
			virtio_has_feature(vdev, VIRTIO_F_RING_PACKED);

	seq_printf(s, "format %s\n", packed ? "packed" : "split");
	seq_printf(s, "size %u\n", num);
	seq_printf(s, "align %u\n", info->align);
	seq_printf(s, "desc_addr 0x%016llx\n", (u64)vaq_desc_addr(vq));
	seq_printf(s, "desc_bytes %zu\n", (size_t)16 * num);
	seq_printf(s, "driver_addr 0x%016llx\n", (u64)vaq_avail_addr(vq));
	seq_printf(s, "driver_bytes %zu\n", packed ? 4 : 6 + (size_t)2 * num);
	seq_printf(s, "device_addr 0x%016llx\n", (u64)vaq_used_addr(vq));
	seq_printf(s, "device_bytes %zu\n", packed ? 4 : 6 + (size_t)8 * num);
	seq_printf(s, "event_idx %u\n",
		   virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX));
	seq_printf(s, "indirect %u\n",
		   virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC));
	seq_printf(s, "in_order %u\n",
		   virtio_has_feature(vdev, VIRTIO_F_IN_ORDER));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(layout);

static int va_dump_locked(struct virtqueue *vq, void *s)
{
	return vra_dump_ring(vq, s);
}

/* The dump, under the queue's serialization (vtr_run_serialized()). */
static int ring_show(struct seq_file *s, void *unused)
{
	struct vtr_vq *info = s->private;
	struct vtr_device *vd = to_vtr(info->vq->vdev);
	int err;

	if (!info->alt) {
		seq_puts(s, "in-tree ring: its state is private to virtio_ring.c; see layout\n");
		return 0;
	}
	err = vtr_run_serialized(vd, info, va_dump_locked, s);
	if (err == -EOPNOTSUPP) {
		seq_puts(s, "no serialization known for this queue: not dumped\n");
		return 0;
	}
	if (err == -ENODEV) {
		seq_puts(s, "the admin queue is detached: not dumped\n");
		return 0;
	}
	return err;
}

static int ring_open(struct inode *inode, struct file *file)
{
	struct vtr_vq *info = inode->i_private;
	size_t size = info->alt ? vra_dump_size(info->vq) : PAGE_SIZE;

	return single_open_size(file, ring_show, info, size);
}

static const struct file_operations ring_fops = {
	.owner = THIS_MODULE,
	.open = ring_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int counters_show(struct seq_file *s, void *unused)
{
	struct vtr_vq *info = s->private;
	struct vra_stats st;
	unsigned int i;

	if (!info->alt) {
		/* The in-tree ring counts nothing; the transport does. */
		seq_printf(s, "kicks %llu\n", READ_ONCE(info->notifies) -
			   READ_ONCE(info->notifies_base));
		seq_printf(s, "irqs %llu\n", READ_ONCE(info->irqs) -
			   READ_ONCE(info->irqs_base));
		seq_printf(s, "resets %llu\n", READ_ONCE(info->resets) -
			   READ_ONCE(info->resets_base));
		return 0;
	}
	vra_read_stats(info->vq, &st);
	for (i = 0; i < VRA_STAT_NR; i++)
		seq_printf(s, "%s %llu\n", vra_stat_names[i], st.v[i]);
	for (i = 0; i < VRA_BROKEN_NR; i++)
		seq_printf(s, "broken_%s %llu\n", vra_broken_names[i],
			   st.broken[i]);
	seq_printf(s, "broken %u\n", vra_is_broken(info->vq));
	return 0;
}

/*
 * Any write of "0" or of nothing but white space (echo 0 >, echo >)
 * resets the counters: they count from zero again (vra_reset_stats(); the
 * transport's, for the in-tree ring). Anything else is refused with
 * -EINVAL and named in the log.
 */
static ssize_t counters_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct vtr_vq *info = ((struct seq_file *)file->private_data)->private;
	struct device *dev = &info->vq->vdev->dev;
	char buf[16], name[24], *p;

	snprintf(name, sizeof(name), "vq%u/counters", info->vq->index);
	p = va_write_line(dev, ubuf, count, buf, sizeof(buf), name,
			  "write 0 (or an empty line) to reset");
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (*p && strcmp(p, "0")) {
		dev_err(dev, "vq%u/counters: '%s' refused; write 0 (or an empty line) to reset\n",
			info->vq->index, p);
		return -EINVAL;
	}
	if (info->alt) {
		vra_reset_stats(info->vq);
	} else {
		WRITE_ONCE(info->notifies_base, READ_ONCE(info->notifies));
		WRITE_ONCE(info->irqs_base, READ_ONCE(info->irqs));
		WRITE_ONCE(info->resets_base, READ_ONCE(info->resets));
	}
	return count;
}

static int counters_open(struct inode *inode, struct file *file)
{
	return single_open(file, counters_show, inode->i_private);
}

static const struct file_operations counters_fops = {
	.owner = THIS_MODULE,
	.open = counters_open,
	.read = seq_read,
	.write = counters_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * va_debugfs_add_device() - create a device's debugfs files
 * @vd: the device, registered
 *
 * Context: process context.
 */
void va_debugfs_add_device(struct vtr_device *vd)
{
	struct dentry *dir = va_debugfs_dir(vd);

	debugfs_create_file("transport", 0444, dir, vd, &transport_fops);
	debugfs_create_file("features", 0444, dir, vd, &features_fops);
	debugfs_create_file("status", 0444, dir, vd, &status_fops);
	debugfs_create_file("generation", 0444, dir, vd, &generation_fops);
	debugfs_create_file("queue_reset", 0200, dir, vd, &queue_reset_fops);
	debugfs_create_file("reset", 0200, dir, vd, &reset_fops);
}

/**
 * va_debugfs_add_vq() - create a queue's debugfs directory
 * @vd: the queue's device
 * @info: the queue; @info->debugfs is set, and removed by vtr_del_vq()
 *
 * Context: process context.
 */
void va_debugfs_add_vq(struct vtr_device *vd, struct vtr_vq *info)
{
	char name[16];

	snprintf(name, sizeof(name), "vq%u", info->vq->index);
	info->debugfs = debugfs_create_dir(name, va_debugfs_dir(vd));
	debugfs_create_file("info", 0444, info->debugfs, info, &info_fops);
	debugfs_create_file("layout", 0444, info->debugfs, info, &layout_fops);
	debugfs_create_file("ring", 0444, info->debugfs, info, &ring_fops);
	debugfs_create_file("counters", 0644, info->debugfs, info,
			    &counters_fops);
}
