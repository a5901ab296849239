// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt debugfs: /sys/kernel/debug/virtio_alt/<device>/
 *
 *   transport   transport name and its details
 *   features    device (offered), driver (accepted) and negotiated bits
 *   status      device status byte, decoded
 *   queue_reset write "INDEX [SIZE]": reset queue INDEX (VIRTIO_F_RING_RESET)
 *               and re-enable it with SIZE entries (default: the same)
 *   vq<N>/info      queue name, ring, size
 *   vq<N>/counters  "name value" lines: the ring's counters (alt), or the
 *                   transport's kicks, irqs and resets (in-tree ring)
 *
 * Return values of debugfs calls are ignored, as debugfs wants.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/virtio_config.h>

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

static int features_show(struct seq_file *s, void *unused)
{
	struct vtr_device *vd = s->private;
	u64 device = vd->vdev.config->get_features(&vd->vdev);
	u64 driver = vd->vdev.features;

	seq_printf(s, "device 0x%016llx\n", device);
	seq_printf(s, "driver 0x%016llx\n", driver);
	seq_printf(s, "negotiated 0x%016llx\n", device & driver);
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

/* Take "INDEX [SIZE]"; name the bad token in the log and fail with -EINVAL. */
static ssize_t queue_reset_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct vtr_device *vd = file->private_data;
	struct device *dev = &vd->vdev.dev;
	unsigned int index, num = 0;
	char buf[32], *p, *tok;
	int err;

	if (count >= sizeof(buf)) {
		dev_err(dev, "queue_reset: %zu bytes written; expected \"INDEX [SIZE]\"\n",
			count);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	p = strim(buf);
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

static int counters_show(struct seq_file *s, void *unused)
{
	struct vtr_vq *info = s->private;
	const struct vra_stats *st;
	unsigned int i;

	if (!info->alt) {
		/* The in-tree ring counts nothing; the transport does. */
		seq_printf(s, "kicks %llu\n", READ_ONCE(info->notifies));
		seq_printf(s, "irqs %llu\n", READ_ONCE(info->irqs));
		seq_printf(s, "resets %llu\n", READ_ONCE(info->resets));
		return 0;
	}
	st = vra_get_stats(info->vq);
	for (i = 0; i < VRA_STAT_NR; i++)
		seq_printf(s, "%s %llu\n", vra_stat_names[i],
			   READ_ONCE(st->v[i]));
	for (i = 0; i < VRA_BROKEN_NR; i++)
		seq_printf(s, "broken_%s %llu\n", vra_broken_names[i],
			   READ_ONCE(st->broken[i]));
	seq_printf(s, "broken %u\n", vra_is_broken(info->vq));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counters);

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
	debugfs_create_file("queue_reset", 0200, dir, vd, &queue_reset_fops);
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
	debugfs_create_file("counters", 0444, info->debugfs, info,
			    &counters_fops);
}
