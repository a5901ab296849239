// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt-pci: the virtio over PCI transport, modern interface.
 *
 * Virtio 1.3, 4.1 "Virtio Over PCI Bus". Capabilities (4.1.4) locate the
 * common, notification, ISR and device configuration structures; queues get
 * one MSI-X vector each plus one for configuration changes, or share INTx
 * when MSI-X cannot be had. Devices without the capabilities (transitional
 * devices with the modern interface off, or any transitional device with
 * pci_legacy=1) are driven through the legacy 0.9.5 registers in I/O BAR0
 * (4.1.4.8 "Legacy Interfaces"); the code differs only where the registers
 * do (the vpl_ functions and the vp->legacy branches).
 *
 * The driver binds virtio PCI devices nobody drives. It has no module device
 * table, so it is never autoloaded and never races the in-tree virtio-pci;
 * scripts/va-bind moves a device over with driver_override.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>

#include "admin.h"
#include "compat.h"
#include "pci_caps.h"
#include "transport.h"
#include "transport_pci.h"
#include "vq.h"

#define VP_RESET_TIMEOUT_MS	5000
#define VP_ADMIN_TIMEOUT_MS	5000	/* one admin command */

/* How used buffer notifications arrive, best first (4.1.4.5, 4.1.5.1.2). */
enum vp_irq_mode {
	VP_IRQ_MSIX_PER_VQ,	/* one vector per queue, one for config */
	VP_IRQ_MSIX_SHARED,	/* one vector for all queues, one for config */
	VP_IRQ_INTX,		/* one shared line; the ISR says which */
	VP_IRQ_NONE,
};

static const char * const vp_irq_mode_names[] = {
	[VP_IRQ_MSIX_PER_VQ] = "msix-per-vq",
	[VP_IRQ_MSIX_SHARED] = "msix-shared",
	[VP_IRQ_INTX] = "intx",
	[VP_IRQ_NONE] = "none",
};

/* pci_irq=: a mode forced, or VP_IRQ_NONE for "auto" (best first). */
static enum vp_irq_mode vp_irq_param = VP_IRQ_NONE;

static const char * const vp_irq_param_names[] = {
	[VP_IRQ_MSIX_PER_VQ] = "msix-per-vq",
	[VP_IRQ_MSIX_SHARED] = "msix-shared",
	[VP_IRQ_INTX] = "intx",
	[VP_IRQ_NONE] = "auto",
};

static int vp_irq_param_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(vp_irq_param_names, val);

	if (i < 0) {
		pr_err("pci_irq=%.64s: expected auto, msix-per-vq, msix-shared or intx\n",
		       val);
		return -EINVAL;
	}
	vp_irq_param = i;
	return 0;
}

static int vp_irq_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", vp_irq_param_names[vp_irq_param]);
}

static const struct kernel_param_ops vp_irq_param_ops = {
	.set = vp_irq_param_set,
	.get = vp_irq_param_get,
};
module_param_cb(pci_irq, &vp_irq_param_ops, NULL, 0644);
MODULE_PARM_DESC(pci_irq,
		 "virtio-alt-pci interrupts: auto (default: MSI-X per queue, else one MSI-X vector for all queues, else INTx), or force msix-per-vq, msix-shared or intx (no fallback). Read when a driver sets up its queues.");

static bool vp_window_param;
module_param_named(pci_cfg_window, vp_window_param, bool, 0444);
MODULE_PARM_DESC(pci_cfg_window,
		 "virtio-alt-pci: read and write device configuration through the VIRTIO_PCI_CAP_PCI_CFG access window in PCI configuration space instead of the BAR, to exercise a device's window (default N)");

static bool vp_legacy_param;
module_param_named(pci_legacy, vp_legacy_param, bool, 0444);
MODULE_PARM_DESC(pci_legacy,
		 "virtio-alt-pci: drive transitional devices (PCI device id 0x1000-0x103f) through the legacy 0.9.5 interface even when they offer the modern one (default N: modern when offered, legacy only when it is all the device has)");

/*
 * 4.1.4.3: the common configuration structure as virtio 1.3 has it; the
 * fields after the 1.0 ones exist only if the capability is long enough.
 */
struct vp_common_cfg {
	struct virtio_pci_common_cfg cfg;
	__le16 queue_notif_config_data;	/* read-only for driver */
	__le16 queue_reset;		/* read-write, VIRTIO_F_RING_RESET */
	__le16 admin_queue_index;	/* read-only, VIRTIO_F_ADMIN_VQ */
	__le16 admin_queue_num;		/* read-only, VIRTIO_F_ADMIN_VQ */
};

struct vp_alt_device {
	struct vtr_device vtr;
	struct pci_dev *pdev;
	bool legacy;			/* the 0.9.5 interface, in BAR0 */
	void __iomem *ioaddr;		/* legacy: BAR0 */

	struct vp_caps caps;		/* the modern interface's structures */
	bool window;			/* device config through PCI_CFG */
	spinlock_t window_lock;		/* the PCI_CFG window's registers */
	u64 window_accesses;
	struct vp_common_cfg __iomem *common;
	size_t common_len;
	void __iomem *device;
	size_t device_len;
	u8 __iomem *isr;
	void __iomem *notify_base;
	size_t notify_len;
	u32 notify_off_multiplier;
	int bars;			/* BARs requested, bit per BAR */

	enum vp_irq_mode irq_mode;
	unsigned int nvectors;		/* MSI-X vectors allocated */
	char (*vector_names)[32];
	void **vector_data;		/* per requested vector: its dev_id */
	u64 irqs_config;		/* configuration change notifications */
	u64 irqs_shared;		/* the vector all queues share */
	u64 irqs_intx;			/* INTx with a non-zero ISR */

	/* VIRTIO_F_ADMIN_VQ: the first admin queue, on the alt ring. */
	struct va_admin admin;
	u16 admin_index;
	u16 admin_num;			/* 0: no admin queue to make */
#if IS_ENABLED(CONFIG_KUNIT)
	/* KUnit (va_pci_fake_create()): the device's answer to a status write */
	void (*fake_status)(void *priv, u8 status);
	void *fake_priv;
#endif
};

#define to_vp(_vdev) container_of(to_vtr(_vdev), struct vp_alt_device, vtr)

/* Select queue @index for the per-queue registers. */
static void vp_select(struct vp_alt_device *vp, u16 index)
{
	if (vp->legacy)
		iowrite16(index, vp->ioaddr + VIRTIO_PCI_QUEUE_SEL);
	else
		iowrite16(index, &vp->common->cfg.queue_select);
}

/* Give the configuration change vector; return what the device kept. */
static u16 vp_config_vector(struct vp_alt_device *vp, u16 vector)
{
	void __iomem *r = vp->legacy ? vp->ioaddr + VIRTIO_MSI_CONFIG_VECTOR :
				       (void __iomem *)&vp->common->cfg.msix_config;

	iowrite16(vector, r);
	return ioread16(r);
}

/* The selected queue's vector; return what the device kept. */
static u16 vp_queue_vector(struct vp_alt_device *vp, u16 vector)
{
	void __iomem *r = vp->legacy ? vp->ioaddr + VIRTIO_MSI_QUEUE_VECTOR :
				       (void __iomem *)&vp->common->cfg.queue_msix_vector;

	iowrite16(vector, r);
	return ioread16(r);
}

static void vp_iowrite64(u64 val, __le32 __iomem *lo, __le32 __iomem *hi)
{
	iowrite32(lower_32_bits(val), lo);
	iowrite32(upper_32_bits(val), hi);
}

/*
 * Map the structure @c locates; check it has @minlen bytes. On failure,
 * say which and return NULL, with *@err set (if not set already) to
 * -EINVAL (too short: the device's) or -ENOMEM (not mapped).
 */
static void __iomem *vp_map_cap(struct vp_alt_device *vp,
				const struct vp_cap *c, size_t minlen,
				size_t *len, int *err)
{
	void __iomem *p;

	if (c->length < minlen) {
		dev_err(&vp->pdev->dev,
			"capability at 0x%02x: %llu bytes, fewer than the %zu the structure needs\n",
			c->pos, c->length, minlen);
		*err = *err ?: -EINVAL;
		return NULL;
	}
	if (len)
		*len = c->length;
	p = pci_iomap_range(vp->pdev, c->bar, c->offset, c->length);
	if (!p) {
		dev_err(&vp->pdev->dev,
			"capability at 0x%02x: mapping BAR %u offset 0x%llx, %llu bytes, failed\n",
			c->pos, c->bar, c->offset, c->length);
		*err = *err ?: -ENOMEM;
	}
	return p;
}

/*
 * 4.1.4.9: @len (1, 2 or 4) bytes at @offset of the device configuration
 * through the PCI configuration access capability: BAR, offset and length
 * into the capability, then the data through pci_cfg_data.
 */
static u32 vp_window(struct vp_alt_device *vp, unsigned int offset,
		     unsigned int len, u32 val, bool write)
{
	struct pci_dev *pdev = vp->pdev;
	int pos = vp->caps.pci_cfg.pos;
	int data = pos + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);
	unsigned long flags;
	u16 w = 0;
	u8 b = 0;

	spin_lock_irqsave(&vp->window_lock, flags);
	pci_write_config_byte(pdev, pos + offsetof(struct virtio_pci_cap, bar),
			      vp->caps.device.bar);
	pci_write_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
						    offset),
			       vp->caps.device.offset + offset);
	pci_write_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
						    length), len);
	switch (len) {
	case 1:
		if (write)
			pci_write_config_byte(pdev, data, val);
		else
			pci_read_config_byte(pdev, data, &b);
		val = b;
		break;
	case 2:
		if (write)
			pci_write_config_word(pdev, data, val);
		else
			pci_read_config_word(pdev, data, &w);
		val = w;
		break;
	default:
		if (write)
			pci_write_config_dword(pdev, data, val);
		else
			pci_read_config_dword(pdev, data, &val);
	}
	vp->window_accesses++;
	spin_unlock_irqrestore(&vp->window_lock, flags);
	return val;
}

/* Device configuration through the window: aligned accesses (4.1.4.9.1). */
static void vp_window_get(struct vp_alt_device *vp, unsigned int offset,
			  u8 *buf, unsigned int len)
{
	unsigned int n;

	for (; len; offset += n, buf += n, len -= n) {
		n = len >= 4 && !(offset % 4) ? 4 :
		    len >= 2 && !(offset % 2) ? 2 : 1;
		if (n == 4)
			put_unaligned_le32(vp_window(vp, offset, 4, 0, false), buf);
		else if (n == 2)
			put_unaligned_le16(vp_window(vp, offset, 2, 0, false), buf);
		else
			*buf = vp_window(vp, offset, 1, 0, false);
	}
}

static void vp_window_set(struct vp_alt_device *vp, unsigned int offset,
			  const u8 *buf, unsigned int len)
{
	unsigned int n;

	for (; len; offset += n, buf += n, len -= n) {
		n = len >= 4 && !(offset % 4) ? 4 :
		    len >= 2 && !(offset % 2) ? 2 : 1;
		if (n == 4)
			vp_window(vp, offset, 4, get_unaligned_le32(buf), true);
		else if (n == 2)
			vp_window(vp, offset, 2, get_unaligned_le16(buf), true);
		else
			vp_window(vp, offset, 1, *buf, true);
	}
}

/* 4.1.4.7: a shared memory region, by id. */
static bool vp_get_shm_region(struct virtio_device *vdev,
			      struct virtio_shm_region *region, u8 id)
{
	struct vp_alt_device *vp = to_vp(vdev);
	unsigned int i;

	for (i = 0; i < vp->caps.nshm; i++) {
		const struct vp_cap *c = &vp->caps.shm[i];

		if (c->id != id)
			continue;
		region->addr = pci_resource_start(vp->pdev, c->bar) + c->offset;
		region->len = c->length;
		return true;
	}
	return false;
}

static void vp_get(struct virtio_device *vdev, unsigned int offset,
		   void *buf, unsigned int len)
{
	struct vp_alt_device *vp = to_vp(vdev);
	void __iomem *p = vp->device + offset;
	__le16 w;
	__le32 l;

	if (!vp->device || (u64)offset + len > vp->device_len) {
		dev_err_ratelimited(&vdev->dev,
				    "config read of %u bytes at %u outside the %zu-byte device configuration\n",
				    len, offset, vp->device_len);
		memset(buf, 0, len);
		return;
	}
	if (vp->window) {
		vp_window_get(vp, offset, buf, len);
		return;
	}
	switch (len) {
	case 1:
		*(u8 *)buf = ioread8(p);
		break;
	case 2:
		w = cpu_to_le16(ioread16(p));
		memcpy(buf, &w, sizeof(w));
		break;
	case 4:
		l = cpu_to_le32(ioread32(p));
		memcpy(buf, &l, sizeof(l));
		break;
	case 8:
		l = cpu_to_le32(ioread32(p));
		memcpy(buf, &l, sizeof(l));
		l = cpu_to_le32(ioread32(p + 4));
		memcpy(buf + 4, &l, sizeof(l));
		break;
	default:
		dev_err_ratelimited(&vdev->dev, "config read of %u bytes\n",
				    len);
		memset(buf, 0, len);
	}
}

static void vp_set(struct virtio_device *vdev, unsigned int offset,
		   const void *buf, unsigned int len)
{
	struct vp_alt_device *vp = to_vp(vdev);
	void __iomem *p = vp->device + offset;
	__le16 w;
	__le32 l;

	if (!vp->device || (u64)offset + len > vp->device_len) {
		dev_err_ratelimited(&vdev->dev,
				    "config write of %u bytes at %u outside the %zu-byte device configuration\n",
				    len, offset, vp->device_len);
		return;
	}
	if (vp->window) {
		vp_window_set(vp, offset, buf, len);
		return;
	}
	switch (len) {
	case 1:
		iowrite8(*(const u8 *)buf, p);
		break;
	case 2:
		memcpy(&w, buf, sizeof(w));
		iowrite16(le16_to_cpu(w), p);
		break;
	case 4:
		memcpy(&l, buf, sizeof(l));
		iowrite32(le32_to_cpu(l), p);
		break;
	case 8:
		memcpy(&l, buf, sizeof(l));
		iowrite32(le32_to_cpu(l), p);
		memcpy(&l, buf + 4, sizeof(l));
		iowrite32(le32_to_cpu(l), p + 4);
		break;
	default:
		dev_err_ratelimited(&vdev->dev, "config write of %u bytes\n",
				    len);
	}
}

static u32 vp_generation(struct virtio_device *vdev)
{
	return ioread8(&to_vp(vdev)->common->cfg.config_generation);
}

static u8 vp_get_status(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);

	return vtr_status_read(&vp->vtr,
			       ioread8(&vp->common->cfg.device_status));
}

/* Write device_status (@status 0: reset); a KUnit device may react. */
static void vp_write_status(struct vp_alt_device *vp, u8 status)
{
	vtr_status_written(&vp->vtr, status);
	iowrite8(status, &vp->common->cfg.device_status);
#if IS_ENABLED(CONFIG_KUNIT)
	if (unlikely(vp->fake_status))
		vp->fake_status(vp->fake_priv, status);
#endif
}

static void vp_set_status(struct virtio_device *vdev, u8 status)
{
	struct vp_alt_device *vp = to_vp(vdev);

	vp_write_status(vp, status);
	/* 2.12.1: once the device is live, LIST_QUERY then LIST_USE. */
	if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    vp->admin.state == VA_ADMIN_ATTACHED)
		va_admin_setup(&vp->admin);
}

static void vp_synchronize_vectors(struct vp_alt_device *vp)
{
	unsigned int i;

	if (vp->irq_mode == VP_IRQ_INTX)
		synchronize_irq(vp->pdev->irq);
	for (i = 0; i < vp->nvectors; i++)
		if (vp->vector_data[i])
			synchronize_irq(pci_irq_vector(vp->pdev, i));
}

static void vp_reset(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	unsigned long deadline = jiffies + msecs_to_jiffies(VP_RESET_TIMEOUT_MS);

	/* 4.1.4.3.2: after writing 0, wait until device_status reads 0. */
	vp_write_status(vp, 0);
	while (ioread8(&vp->common->cfg.device_status)) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vdev->dev,
				"device did not complete reset within %u ms\n",
				VP_RESET_TIMEOUT_MS);
			break;
		}
		usleep_range(1000, 2000);
	}
	/* No interrupt of the old configuration runs after this. */
	vp_synchronize_vectors(vp);
	/* The device dropped the admin queue's buffers: take them back. */
	va_admin_recover(&vp->admin);
}

static u64 vp_get_features(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	u64 features;

	iowrite32(0, &vp->common->cfg.device_feature_select);
	features = ioread32(&vp->common->cfg.device_feature);
	iowrite32(1, &vp->common->cfg.device_feature_select);
	features |= (u64)ioread32(&vp->common->cfg.device_feature) << 32;
	return features;
}

static int vp_finalize_features(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	bool ring_reset = __virtio_test_bit(vdev, VIRTIO_F_RING_RESET);
	bool admin_vq = __virtio_test_bit(vdev, VIRTIO_F_ADMIN_VQ);

	vtr_finalize_ring(&vp->vtr);
	/*
	 * Queue reset is the transport's, for either ring; the in-tree ring's
	 * filter clears it (the in-tree virtio-pci sets it again the same way).
	 * So is the admin queue (always on the alt ring): both rings' filters
	 * clear bit 41, a transport that has admin queues sets it again.
	 */
	if (ring_reset)
		__virtio_set_bit(vdev, VIRTIO_F_RING_RESET);
	if (admin_vq)
		__virtio_set_bit(vdev, VIRTIO_F_ADMIN_VQ);
	/* The in-tree ring's notification data is not written here. */
	if (!vp->vtr.alt)
		__virtio_clear_bit(vdev, VIRTIO_F_NOTIFICATION_DATA);
	/* queue_reset must be inside the common configuration structure. */
	if (__virtio_test_bit(vdev, VIRTIO_F_RING_RESET) &&
	    vp->common_len < offsetofend(struct vp_common_cfg, queue_reset)) {
		dev_warn(&vdev->dev,
			 "device offers VIRTIO_F_RING_RESET but its common configuration is %zu bytes, without queue_reset (%zu); not accepting the feature\n",
			 vp->common_len,
			 offsetofend(struct vp_common_cfg, queue_reset));
		__virtio_clear_bit(vdev, VIRTIO_F_RING_RESET);
	}
	/* So must admin_queue_index and admin_queue_num (4.1.4.3). */
	if (__virtio_test_bit(vdev, VIRTIO_F_ADMIN_VQ) &&
	    vp->common_len < offsetofend(struct vp_common_cfg,
					 admin_queue_num)) {
		dev_warn(&vdev->dev,
			 "device offers VIRTIO_F_ADMIN_VQ but its common configuration is %zu bytes, without admin_queue_num (%zu); not accepting the feature\n",
			 vp->common_len,
			 offsetofend(struct vp_common_cfg, admin_queue_num));
		__virtio_clear_bit(vdev, VIRTIO_F_ADMIN_VQ);
	}
	/* 4.1.4.1 / 6.1: a modern driver must accept VIRTIO_F_VERSION_1. */
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev,
			"device does not offer VIRTIO_F_VERSION_1, which the modern interface requires\n");
		return -EINVAL;
	}
	iowrite32(0, &vp->common->cfg.guest_feature_select);
	iowrite32(lower_32_bits(vdev->features), &vp->common->cfg.guest_feature);
	iowrite32(1, &vp->common->cfg.guest_feature_select);
	iowrite32(upper_32_bits(vdev->features), &vp->common->cfg.guest_feature);
	return 0;
}

static bool vp_notify(struct virtqueue *vq)
{
	struct vtr_vq *info = to_vtr_vq(vq);

	info->notifies++;
	/*
	 * 4.1.5.2: the queue index is the notification value, or with
	 * VIRTIO_F_NOTIFICATION_DATA (alt ring only) the 32-bit value the ring
	 * computes (2.9).
	 */
	if (info->alt && virtio_has_feature(vq->vdev,
					    VIRTIO_F_NOTIFICATION_DATA))
		iowrite32(vra_notification_data(vq), info->notify_addr);
	else
		iowrite16(vq->index, info->notify_addr);
	return true;
}

static irqreturn_t vp_config_interrupt(int irq, void *opaque)
{
	struct vp_alt_device *vp = opaque;

	vp->irqs_config++;
	vtr_config_changed(&vp->vtr);
	return IRQ_HANDLED;
}

/* INTx: read (and so acknowledge) the ISR, then dispatch (4.1.4.5). */
static irqreturn_t vp_intx_interrupt(int irq, void *opaque)
{
	struct vp_alt_device *vp = opaque;
	u8 isr = ioread8(vp->isr);

	if (!isr)
		return IRQ_NONE;
	vp->irqs_intx++;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		vp_config_interrupt(irq, vp);
	vtr_vqs_interrupt(&vp->vtr);
	return IRQ_HANDLED;
}

static void vp_free_irqs(struct vp_alt_device *vp)
{
	char (*names)[32] = vp->vector_names;
	void **data = vp->vector_data;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < vp->nvectors; i++)
		if (vp->vector_data[i])
			free_irq(pci_irq_vector(vp->pdev, i),
				 vp->vector_data[i]);
	if (vp->irq_mode == VP_IRQ_INTX)
		free_irq(vp->pdev->irq, vp);
	if (vp->nvectors) {
		vp_config_vector(vp, VIRTIO_MSI_NO_VECTOR);
		pci_free_irq_vectors(vp->pdev);
	}
	/* debugfs reads these under the lock (vp_show()). */
	spin_lock_irqsave(&vp->vtr.lock, flags);
	vp->nvectors = 0;
	vp->irq_mode = VP_IRQ_NONE;
	vp->vector_names = NULL;
	vp->vector_data = NULL;
	spin_unlock_irqrestore(&vp->vtr.lock, flags);
	kfree(names);
	kfree(data);
}

static void vp_del_vqs(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	struct vtr_vq *info, *tmp;

	va_admin_detach(&vp->admin);
	list_for_each_entry_safe(info, tmp, &vp->vtr.vqs, node) {
		vp_select(vp, info->vq->index);
		if (vp->nvectors)
			vp_queue_vector(vp, VIRTIO_MSI_NO_VECTOR);
		/* Legacy: a zero page number takes the ring away (4.1.4.8). */
		if (vp->legacy)
			iowrite32(0, vp->ioaddr + VIRTIO_PCI_QUEUE_PFN);
		if (vp->irq_mode == VP_IRQ_MSIX_PER_VQ &&
		    info->vector != VIRTIO_MSI_NO_VECTOR) {
			free_irq(pci_irq_vector(vp->pdev, info->vector), info);
			vp->vector_data[info->vector] = NULL;
		}
		vtr_del_vq(&vp->vtr, info->vq);
	}
	vp_free_irqs(vp);
}

/* Request MSI-X vector @v for @handler; record it for freeing. */
static int vp_request_vector(struct vp_alt_device *vp, unsigned int v,
			     irq_handler_t handler, void *data,
			     const char *what)
{
	int err;

	snprintf(vp->vector_names[v], sizeof(*vp->vector_names), "%s-%s",
		 dev_name(&vp->vtr.vdev.dev), what);
	err = request_irq(pci_irq_vector(vp->pdev, v), handler, 0,
			  vp->vector_names[v], data);
	if (!err)
		vp->vector_data[v] = data;
	return err;
}

static irqreturn_t vp_vqs_interrupt(int irq, void *opaque)
{
	struct vp_alt_device *vp = opaque;

	vp->irqs_shared++;
	return vtr_vqs_interrupt(&vp->vtr);
}

/* Set up interrupts for @mode; vp_free_irqs() undoes a partial setup. */
static int vp_setup_irqs(struct vp_alt_device *vp, enum vp_irq_mode mode,
			 unsigned int ncallbacks)
{
	unsigned long flags;
	unsigned int nvec;
	int err;

	vp->irq_mode = mode;
	if (mode == VP_IRQ_INTX) {
		err = request_irq(vp->pdev->irq, vp_intx_interrupt,
				  IRQF_SHARED, dev_name(&vp->vtr.vdev.dev), vp);
		if (err) {
			/*
			 * -EINVAL: no such interrupt; the firmware's routing
			 * failed ("PCI INT A: no GSI"), irq is 0 or stale.
			 */
			dev_err(&vp->vtr.vdev.dev, "INTx: requesting irq %u: %pe%s\n",
				vp->pdev->irq, ERR_PTR(err),
				!vp->pdev->irq || err == -EINVAL ?
				" (no usable interrupt line routed to the function)" : "");
			vp->irq_mode = VP_IRQ_NONE;
		}
		return err;
	}

	nvec = mode == VP_IRQ_MSIX_PER_VQ ? 1 + ncallbacks : 2;
	vp->vector_names = kcalloc(nvec, sizeof(*vp->vector_names),
				   GFP_KERNEL);
	vp->vector_data = kcalloc(nvec, sizeof(*vp->vector_data), GFP_KERNEL);
	if (!vp->vector_names || !vp->vector_data)
		return -ENOMEM;
	err = pci_alloc_irq_vectors(vp->pdev, nvec, nvec, PCI_IRQ_MSIX);
	if (err < 0)
		return err;
	spin_lock_irqsave(&vp->vtr.lock, flags);
	vp->nvectors = nvec;
	spin_unlock_irqrestore(&vp->vtr.lock, flags);
	err = vp_request_vector(vp, 0, vp_config_interrupt, vp, "config");
	if (err)
		return err;
	if (vp_config_vector(vp, 0) != 0) {
		dev_err(&vp->vtr.vdev.dev,
			"device refused MSI-X vector 0 for configuration changes\n");
		return -EBUSY;
	}
	if (mode == VP_IRQ_MSIX_SHARED)
		err = vp_request_vector(vp, 1, vp_vqs_interrupt, vp,
					"virtqueues");
	return err;
}

/*
 * 4.1.5.1.3: give the device queue @vq's size, ring addresses and MSI-X
 * vector (the queue selected). Enabling it is the caller's last step.
 */
static int vp_activate_vq(struct vp_alt_device *vp, struct virtqueue *vq)
{
	struct vp_common_cfg __iomem *c = vp->common;
	u16 vector = to_vtr_vq(vq)->vector;
	dma_addr_t ring = vaq_desc_addr(vq);

	vp_select(vp, vq->index);
	if (vp->legacy) {
		/*
		 * 4.1.4.8: one page number for the whole ring, laid out with
		 * 4096-byte alignment; 32 bits of it, so below 2^44 bytes.
		 */
		if ((u64)ring >> VIRTIO_PCI_QUEUE_ADDR_SHIFT > U32_MAX) {
			dev_err(&vp->vtr.vdev.dev,
				"queue %u: ring at %pad is beyond what a legacy device can address (2^44 bytes)\n",
				vq->index, &ring);
			return -E2BIG;
		}
		iowrite32((u64)ring >> VIRTIO_PCI_QUEUE_ADDR_SHIFT,
			  vp->ioaddr + VIRTIO_PCI_QUEUE_PFN);
		goto vector;
	}
	/* The ring may be smaller than the device's maximum. */
	iowrite16(vaq_vring_size(vq), &c->cfg.queue_size);
	vp_iowrite64(ring, &c->cfg.queue_desc_lo,
		     &c->cfg.queue_desc_hi);
	vp_iowrite64(vaq_avail_addr(vq), &c->cfg.queue_avail_lo,
		     &c->cfg.queue_avail_hi);
	vp_iowrite64(vaq_used_addr(vq), &c->cfg.queue_used_lo,
		     &c->cfg.queue_used_hi);
vector:
	if (vector == VIRTIO_MSI_NO_VECTOR)
		return 0;
	if (vp_queue_vector(vp, vector) != vector) {
		dev_err(&vp->vtr.vdev.dev,
			"device refused MSI-X vector %u for queue %u\n",
			vector, vq->index);
		return -EBUSY;
	}
	return 0;
}

/* Give the device the ring of a new queue, and its interrupt. */
static struct virtqueue *vp_start_vq(struct vp_alt_device *vp,
				     struct virtqueue *vq,
				     const struct va_vq_info *qi,
				     void __iomem *notify_addr, u16 vector)
{
	struct vtr_vq *info = to_vtr_vq(vq);
	int err;

	info->notify_addr = notify_addr;
	info->vector = vector;
	err = vp_activate_vq(vp, vq);
	if (err) {
		vtr_del_vq(&vp->vtr, vq);
		return ERR_PTR(err);
	}
	if (vp->irq_mode == VP_IRQ_MSIX_PER_VQ && qi->callback) {
		err = vp_request_vector(vp, vector, vtr_vq_interrupt, info,
					qi->name);
		if (err) {
			vtr_del_vq(&vp->vtr, vq);
			return ERR_PTR(err);
		}
	}
	return vq;
}

/*
 * 4.1.4.8: a legacy queue has the device's size, no notify offset (one
 * notification register for all) and a ring laid out with 4096-byte
 * alignment, contiguous.
 */
static struct virtqueue *vpl_setup_vq(struct vp_alt_device *vp,
				      unsigned int index,
				      const struct va_vq_info *qi,
				      u16 vector, bool alt)
{
	struct virtio_device *vdev = &vp->vtr.vdev;
	struct virtqueue *vq;
	u16 num;

	num = ioread16(vp->ioaddr + VIRTIO_PCI_QUEUE_NUM);
	if (!num || ioread32(vp->ioaddr + VIRTIO_PCI_QUEUE_PFN)) {
		dev_err(&vdev->dev, "legacy queue %u (%s) is %s\n", index,
			qi->name, num ? "already active" : "not available");
		return ERR_PTR(-ENOENT);
	}
	if (!is_power_of_2(num)) {
		dev_err(&vdev->dev,
			"legacy queue %u (%s): size %u is not a power of two\n",
			index, qi->name, num);
		return ERR_PTR(-EINVAL);
	}
	vq = vtr_create_vq_ring(&vp->vtr, alt, index, num,
				VIRTIO_PCI_VRING_ALIGN, true, qi->ctx,
				vp_notify, qi->callback, qi->name,
				&vp->pdev->dev);
	if (IS_ERR(vq)) {
		dev_err(&vdev->dev, "legacy queue %u (%s): ring of %u: %pe\n",
			index, qi->name, num, vq);
		return vq;
	}
	/* The size is the device's: a ring made smaller will not do. */
	if (vaq_vring_size(vq) != num) {
		dev_err(&vdev->dev,
			"legacy queue %u (%s) needs %u entries; memory for only %u\n",
			index, qi->name, num, vaq_vring_size(vq));
		vtr_del_vq(&vp->vtr, vq);
		return ERR_PTR(-ENOMEM);
	}
	return vp_start_vq(vp, vq, qi,
			   vp->ioaddr + VIRTIO_PCI_QUEUE_NOTIFY, vector);
}

static struct virtqueue *vp_setup_vq(struct vp_alt_device *vp,
				     unsigned int index,
				     const struct va_vq_info *qi,
				     u16 vector, bool alt)
{
	struct virtio_device *vdev = &vp->vtr.vdev;
	struct virtqueue *vq;
		u16 num, off;
	u64 offset;

	vp_select(vp, index);
	if (vp->legacy)
		return vpl_setup_vq(vp, index, qi, vector, alt);
	num = ioread16(&vp->common->cfg.queue_size);
	if (!num || ioread16(&vp->common->cfg.queue_enable)) {
		dev_err(&vdev->dev, "queue %u (%s) is %s\n", index, qi->name,
			num ? "already enabled" : "not available");
		return ERR_PTR(-ENOENT);
	}
	off = ioread16(&vp->common->cfg.queue_notify_off);
	offset = (u64)off * vp->notify_off_multiplier;
	if (offset + (virtio_has_feature(vdev, VIRTIO_F_NOTIFICATION_DATA) ?
		      sizeof(u32) : sizeof(u16)) > vp->notify_len) {
		dev_err(&vdev->dev,
			"queue %u notify offset %u * %u is outside the %zu-byte notification area\n",
			index, off, vp->notify_off_multiplier, vp->notify_len);
		return ERR_PTR(-EINVAL);
	}

	vq = vtr_create_vq_ring(&vp->vtr, alt, index, num, SMP_CACHE_BYTES,
				!virtio_has_feature(vdev,
						    VIRTIO_F_ORDER_PLATFORM),
				qi->ctx, vp_notify, qi->callback, qi->name,
				&vp->pdev->dev);
	if (IS_ERR(vq)) {
		dev_err(&vdev->dev, "queue %u (%s): ring of %u: %pe\n", index,
			qi->name, num, vq);
		return vq;
	}
	return vp_start_vq(vp, vq, qi, vp->notify_base + offset, vector);
}

static void vp_admin_done(struct virtqueue *vq)
{
	va_admin_done(&to_vp(vq->vdev)->admin);
}

/*
 * 2.13, 4.1.4.3: the first admin queue, on the alt ring whatever ring the
 * driver's queues use; LIST_QUERY/LIST_USE follow at DRIVER_OK. A device
 * whose admin queue cannot be had keeps working without it.
 */
static void vp_setup_admin_vq(struct vp_alt_device *vp, u16 vector)
{
	static const struct va_vq_info qi = {
		.name = "admin",
		.callback = vp_admin_done,
	};
	struct virtqueue *vq;

	vq = vp_setup_vq(vp, vp->admin_index, &qi, vector, true);
	if (IS_ERR(vq)) {
		dev_err(&vp->vtr.vdev.dev,
			"admin queue %u: %pe; continuing without it\n",
			vp->admin_index, vq);
		return;
	}
	to_vtr_vq(vq)->internal = true;
	va_admin_attach(&vp->admin, vq, vp->admin_num);
}

static int vp_find_vqs_mode(struct vp_alt_device *vp, enum vp_irq_mode mode,
			    unsigned int nvqs, struct virtqueue *vqs[],
			    struct va_vq_info vqs_info[])
{
	unsigned int i, index = 0, ncallbacks = 0;
	u16 next_vector = 1;
	struct vtr_vq *info;
	int err;

	for (i = 0; i < nvqs; i++)
		if (vqs_info[i].name && vqs_info[i].callback)
			ncallbacks++;
	err = vp_setup_irqs(vp, mode, ncallbacks + !!vp->admin_num);
	if (err)
		goto fail;

	for (i = 0; i < nvqs; i++) {
		const struct va_vq_info *qi = &vqs_info[i];
		u16 v = VIRTIO_MSI_NO_VECTOR;

		if (!qi->name) {
			vqs[i] = NULL;
			continue;
		}
		if (qi->callback && mode == VP_IRQ_MSIX_PER_VQ)
			v = next_vector++;
		else if (qi->callback && mode == VP_IRQ_MSIX_SHARED)
			v = 1;
		vqs[i] = vp_setup_vq(vp, vtr_next_vq_index(&vp->vtr, i, &index),
				     qi, v, vp->vtr.alt);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			goto fail;
		}
	}
	if (vp->admin_num)
		vp_setup_admin_vq(vp, mode == VP_IRQ_MSIX_PER_VQ ? next_vector :
				  mode == VP_IRQ_MSIX_SHARED ? 1 :
				  VIRTIO_MSI_NO_VECTOR);

	/*
	 * 4.1.5.1.3: enable the queues last; from here on the device may use
	 * them, and only a reset takes that back.
	 */
	if (vp->legacy)
		return 0;	/* the page number enabled each legacy queue */
	list_for_each_entry(info, &vp->vtr.vqs, node) {
		iowrite16(info->vq->index, &vp->common->cfg.queue_select);
		iowrite16(1, &vp->common->cfg.queue_enable);
	}
	return 0;

fail:
	vp_del_vqs(&vp->vtr.vdev);
	return err;
}

/*
 * Try one MSI-X vector per queue, then one vector shared by all queues,
 * then INTx, as the in-tree transport does; say which one failed and why.
 * pci_irq= forces one mode, without falling back.
 */
static int vp_find_vqs_info(struct virtio_device *vdev, unsigned int nvqs,
			    struct virtqueue *vqs[],
			    struct va_vq_info vqs_info[],
			    struct irq_affinity *desc)
{
	struct vp_alt_device *vp = to_vp(vdev);
	enum vp_irq_mode forced = READ_ONCE(vp_irq_param);
	enum vp_irq_mode mode = VP_IRQ_MSIX_PER_VQ;
	int err;

	vp->admin_num = 0;
	if (virtio_has_feature(vdev, VIRTIO_F_ADMIN_VQ) &&
	    va_admin_read_range(&vdev->dev, &vp->common->cfg.num_queues,
				&vp->common->admin_queue_index,
				&vp->common->admin_queue_num,
				&vp->admin_index, &vp->admin_num))
		vp->admin_num = 0;
	if (forced != VP_IRQ_NONE) {
		mode = forced;
		if (mode != VP_IRQ_INTX && !vp->pdev->msix_cap) {
			dev_err(&vdev->dev,
				"pci_irq=%s, but the device has no MSI-X capability\n",
				vp_irq_mode_names[mode]);
			return -ENODEV;
		}
	} else if (!vp->pdev->msix_cap) {
		mode = VP_IRQ_INTX;
	}
	for (;; mode++) {
		err = vp_find_vqs_mode(vp, mode, nvqs, vqs, vqs_info);
		if (!err || mode == VP_IRQ_INTX || forced != VP_IRQ_NONE)
			break;
		dev_info(&vdev->dev, "interrupts %s unavailable (%pe); trying %s\n",
			 vp_irq_mode_names[mode], ERR_PTR(err),
			 vp_irq_mode_names[mode + 1]);
	}
	if (err)
		dev_err(&vdev->dev, "setting up %u queues: %pe\n", nvqs,
			ERR_PTR(err));
	return err;
}

static int vp_find_vqs(VA_FIND_VQS_ARGS)
{
	return VA_FIND_VQS_CALL(vp_find_vqs_info);
}

/*
 * 2.6.1, 4.1.4.3.2: stop queue @vq in the device. Interrupts for it stop
 * first, so no callback runs while the ring is reset; then 1 goes to
 * queue_reset and the device has VP_RESET_TIMEOUT_MS to show 0 there and
 * in queue_enable.
 */
static int vp_disable_vq_and_reset(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	struct vp_alt_device *vp = to_vp(vdev);
	struct vtr_vq *info = to_vtr_vq(vq);
	unsigned long deadline;

	if (!virtio_has_feature(vdev, VIRTIO_F_RING_RESET))
		return -EOPNOTSUPP;
	if (vq->reset)
		return -EBUSY;
	vtr_vq_stop(&vp->vtr, vq);
	if (vp->irq_mode == VP_IRQ_MSIX_PER_VQ &&
	    info->vector != VIRTIO_MSI_NO_VECTOR)
		synchronize_irq(pci_irq_vector(vp->pdev, info->vector));

	deadline = jiffies + msecs_to_jiffies(VP_RESET_TIMEOUT_MS);
	iowrite16(vq->index, &vp->common->cfg.queue_select);
	iowrite16(1, &vp->common->queue_reset);
	while (ioread16(&vp->common->queue_reset)) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vdev->dev,
				"queue %u: queue_reset still reads 1 after %u ms; the device did not finish the reset, the queue stays stopped\n",
				vq->index, VP_RESET_TIMEOUT_MS);
			vaq_break(vq);
			return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
	if (ioread16(&vp->common->cfg.queue_enable)) {
		dev_err(&vdev->dev,
			"queue %u: queue_enable reads 1 after the reset completed (4.1.4.3.1: it must read 0); the queue stays stopped\n",
			vq->index);
		vaq_break(vq);
		return -EIO;
	}
	return 0;
}

/* 2.6.1.2: give the reset queue its (maybe new) ring and enable it. */
static int vp_enable_vq_after_reset(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	struct vp_alt_device *vp = to_vp(vdev);
	int err;

	if (!vq->reset)
		return -EBUSY;
	iowrite16(vq->index, &vp->common->cfg.queue_select);
	if (ioread16(&vp->common->queue_reset) ||
	    ioread16(&vp->common->cfg.queue_enable)) {
		dev_err(&vdev->dev,
			"queue %u: not in reset state (queue_reset %u, queue_enable %u); not re-enabling it\n",
			vq->index, ioread16(&vp->common->queue_reset),
			ioread16(&vp->common->cfg.queue_enable));
		return -EBUSY;
	}
	err = vp_activate_vq(vp, vq);
	if (err)
		return err;
	vtr_vq_restart(&vp->vtr, vq);
	iowrite16(1, &vp->common->cfg.queue_enable);
	return 0;
}

static void vp_synchronize_cbs(struct virtio_device *vdev)
{
	vp_synchronize_vectors(to_vp(vdev));
}

static const char *vp_bus_name(struct virtio_device *vdev)
{
	return pci_name(to_vp(vdev)->pdev);
}

/*
 * One virtio PCI capability (virtio 1.3, 4.1.4) as parsed at probe: its
 * position in configuration space, the BAR, offset and length of the
 * structure it points at (bytes); "none" when the device has none.
 */
static void vp_show_cap(struct seq_file *s, const char *name,
			const struct vp_cap *c)
{
	if (!c->pos) {
		seq_printf(s, "cap_%s none\n", name);
		return;
	}
	seq_printf(s, "cap_%s pos 0x%02x bar %u offset 0x%llx length 0x%llx\n",
		   name, c->pos, c->bar, c->offset, c->length);
}

static void vp_show(struct vtr_device *vd, struct seq_file *s)
{
	struct vp_alt_device *vp = container_of(vd, struct vp_alt_device, vtr);

	struct vtr_vq *info;
	unsigned long flags;
	unsigned int v;
	u64 n;

	seq_printf(s, "pci %s\n", pci_name(vp->pdev));
	seq_printf(s, "interface %s\n", vp->legacy ? "legacy" : "modern");
	spin_lock_irqsave(&vd->lock, flags);
	seq_printf(s, "interrupts %s\n", vp_irq_mode_names[vp->irq_mode]);
	seq_printf(s, "vectors %u\n", vp->nvectors);
	seq_printf(s, "irqs_config %llu\n", READ_ONCE(vp->irqs_config));
	if (vp->irq_mode == VP_IRQ_INTX)
		seq_printf(s, "irqs_intx %llu\n", READ_ONCE(vp->irqs_intx));
	/* One line per MSI-X vector: number, name, interrupts taken. */
	for (v = 0; v < vp->nvectors && vp->vector_names; v++) {
		n = 0;
		if (v == 0)
			n = READ_ONCE(vp->irqs_config);
		else if (vp->irq_mode == VP_IRQ_MSIX_SHARED)
			n = READ_ONCE(vp->irqs_shared);
		else
			list_for_each_entry(info, &vd->vqs, node)
				if (info->vector == v)
					n = READ_ONCE(info->irqs);
		seq_printf(s, "vector%u %s %llu\n", v, vp->vector_names[v][0] ?
			   vp->vector_names[v] : "-", n);
	}
	spin_unlock_irqrestore(&vd->lock, flags);
	if (vp->legacy)
		return;
	vp_show_cap(s, "common", &vp->caps.common);
	vp_show_cap(s, "notify", &vp->caps.notify);
	vp_show_cap(s, "isr", &vp->caps.isr);
	vp_show_cap(s, "device", &vp->caps.device);
	if (vp->caps.pci_cfg.pos)
		seq_printf(s, "cap_pci_cfg pos 0x%02x\n", vp->caps.pci_cfg.pos);
	else
		seq_puts(s, "cap_pci_cfg none\n");
	seq_printf(s, "caps_rejected %u\n", vp->caps.rejected);
	seq_printf(s, "notify_off_multiplier %u\n", vp->notify_off_multiplier);
	seq_printf(s, "device_cfg_len %zu\n", vp->device_len);
	seq_printf(s, "config_access %s\n", vp->window ? "window" : "bar");
	if (vp->window)
		seq_printf(s, "window_accesses %llu\n",
			   READ_ONCE(vp->window_accesses));
	for (v = 0; v < vp->caps.nshm; v++)
		seq_printf(s, "shm %u bar %u offset 0x%llx length 0x%llx\n",
			   vp->caps.shm[v].id, vp->caps.shm[v].bar,
			   vp->caps.shm[v].offset, vp->caps.shm[v].length);
}

static const struct virtio_config_ops vp_config_ops = {
	.get			= vp_get,
	.set			= vp_set,
	.generation		= vp_generation,
	.get_status		= vp_get_status,
	.set_status		= vp_set_status,
	.reset			= vp_reset,
	.find_vqs		= vp_find_vqs,
	.del_vqs		= vp_del_vqs,
	.synchronize_cbs	= vp_synchronize_cbs,
	.disable_vq_and_reset	= vp_disable_vq_and_reset,
	.enable_vq_after_reset	= vp_enable_vq_after_reset,
	.get_features		= vp_get_features,
	.finalize_features	= vp_finalize_features,
	.bus_name		= vp_bus_name,
	.get_shm_region		= vp_get_shm_region,
};

/*
 * 4.1.4.8: the legacy registers. Device configuration follows them, 4
 * bytes further while MSI-X is enabled, in the guest's byte order (the
 * virtio core converts); read and written a byte at a time.
 */
static void __iomem *vpl_config(struct vp_alt_device *vp, unsigned int offset,
				unsigned int len)
{
	unsigned int start = VIRTIO_PCI_CONFIG_OFF(vp->pdev->msix_enabled);
	u64 bar = pci_resource_len(vp->pdev, 0);

	if ((u64)start + offset + len > bar) {
		dev_err_ratelimited(&vp->vtr.vdev.dev,
				    "legacy config access of %u bytes at %u beyond the %llu-byte BAR0\n",
				    len, offset, bar);
		return NULL;
	}
	return vp->ioaddr + start + offset;
}

static void vpl_get(struct virtio_device *vdev, unsigned int offset,
		    void *buf, unsigned int len)
{
	void __iomem *p = vpl_config(to_vp(vdev), offset, len);
	u8 *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = p ? ioread8(p + i) : 0;
}

static void vpl_set(struct virtio_device *vdev, unsigned int offset,
		    const void *buf, unsigned int len)
{
	void __iomem *p = vpl_config(to_vp(vdev), offset, len);
	const u8 *b = buf;
	unsigned int i;

	for (i = 0; p && i < len; i++)
		iowrite8(b[i], p + i);
}

static u8 vpl_get_status(struct virtio_device *vdev)
{
	return ioread8(to_vp(vdev)->ioaddr + VIRTIO_PCI_STATUS);
}

static void vpl_set_status(struct virtio_device *vdev, u8 status)
{
	iowrite8(status, to_vp(vdev)->ioaddr + VIRTIO_PCI_STATUS);
}

/* As vp_reset(): 0 to the status, then wait until it reads 0. */
static void vpl_reset(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	unsigned long deadline = jiffies + msecs_to_jiffies(VP_RESET_TIMEOUT_MS);

	iowrite8(0, vp->ioaddr + VIRTIO_PCI_STATUS);
	while (ioread8(vp->ioaddr + VIRTIO_PCI_STATUS)) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vdev->dev,
				"legacy device did not complete reset within %u ms\n",
				VP_RESET_TIMEOUT_MS);
			break;
		}
		usleep_range(1000, 2000);
	}
	vp_synchronize_vectors(vp);
}

/* Legacy devices have 32 feature bits. */
static u64 vpl_get_features(struct virtio_device *vdev)
{
	return ioread32(to_vp(vdev)->ioaddr + VIRTIO_PCI_HOST_FEATURES);
}

static int vpl_finalize_features(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);

	vtr_finalize_ring(&vp->vtr);
	iowrite32(lower_32_bits(vdev->features),
		  vp->ioaddr + VIRTIO_PCI_GUEST_FEATURES);
	return 0;
}

static const struct virtio_config_ops vpl_config_ops = {
	.get			= vpl_get,
	.set			= vpl_set,
	.get_status		= vpl_get_status,
	.set_status		= vpl_set_status,
	.reset			= vpl_reset,
	.find_vqs		= vp_find_vqs,
	.del_vqs		= vp_del_vqs,
	.synchronize_cbs	= vp_synchronize_cbs,
	.get_features		= vpl_get_features,
	.finalize_features	= vpl_finalize_features,
	.bus_name		= vp_bus_name,
};

static void vp_release(struct device *dev)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	kfree(to_vp(vdev));
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * va_pci_fake_create() - a modern virtio-pci device whose common
 *	configuration structure is in memory
 * @common: the common configuration structure (4.1.4.3) in normal memory,
 *	@len bytes; it must outlive the device
 * @len: its length, at least sizeof(struct virtio_pci_common_cfg)
 * @device_id: the virtio device id (5.)
 * @status_written: the device's answer to a write of device_status,
 *	called after each with the value written (0 for a reset); it may
 *	change @common, e.g. clear FEATURES_OK. NULL: plain memory.
 * @priv: passed to @status_written
 *
 * The KUnit seam of this transport: the device has the modern interface's
 * virtio_config_ops over @common, but no PCI function, no interrupt, no
 * notification, ISR or device-specific structure, so it takes no queues.
 * Memory has no side effects: device_feature reads the same word whatever
 * device_feature_select says. Register it with register_virtio_device()
 * (a driver matching @device_id probes it); then drop it with
 * unregister_virtio_device(), or put_device() if registering failed:
 * release frees it.
 *
 * Context: process context, may sleep.
 * Return: the device, or NULL if @len is too short or out of memory.
 */
struct virtio_device *va_pci_fake_create(void *common, size_t len,
					 u32 device_id,
					 void (*status_written)(void *priv,
								u8 status),
					 void *priv)
{
	struct vp_alt_device *vp;

	if (len < sizeof(struct virtio_pci_common_cfg))
		return NULL;
	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return NULL;
	vp->irq_mode = VP_IRQ_NONE;
	spin_lock_init(&vp->window_lock);
	va_admin_init(&vp->admin, &vp->vtr.vdev.dev, VP_ADMIN_TIMEOUT_MS);
	vtr_init(&vp->vtr, "pci");
	vp->vtr.vdev.dev.release = vp_release;
	vp->vtr.vdev.config = &vp_config_ops;
	vp->vtr.vdev.id.vendor = PCI_VENDOR_ID_REDHAT_QUMRANET;
	vp->vtr.vdev.id.device = device_id;
	vp->common = (__force struct vp_common_cfg __iomem *)common;
	vp->common_len = len;
	vp->fake_status = status_written;
	vp->fake_priv = priv;
	return &vp->vtr.vdev;
}
EXPORT_SYMBOL_GPL(va_pci_fake_create);
#endif /* CONFIG_KUNIT */

static void vp_unmap(struct vp_alt_device *vp)
{
	if (vp->legacy) {
		pci_iounmap(vp->pdev, vp->ioaddr);
		return;
	}
	if (vp->device)
		pci_iounmap(vp->pdev, vp->device);
	if (vp->notify_base)
		pci_iounmap(vp->pdev, vp->notify_base);
	if (vp->isr)
		pci_iounmap(vp->pdev, vp->isr);
	if (vp->common)
		pci_iounmap(vp->pdev, vp->common);
}

/* 4.1.4.8: the legacy registers are BAR0, an I/O port range. */
static int vpl_map(struct vp_alt_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	int err;

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_IO) ||
	    pci_resource_len(pdev, 0) < VIRTIO_PCI_CONFIG_OFF(false)) {
		dev_err(&pdev->dev,
			"legacy interface: BAR0 is not an I/O range of at least %u bytes\n",
			VIRTIO_PCI_CONFIG_OFF(false));
		return -ENODEV;
	}
	/* The ring's page number is 32 bits: rings below 2^44 bytes. */
	err = dma_set_coherent_mask(&pdev->dev,
				    DMA_BIT_MASK(32 + VIRTIO_PCI_QUEUE_ADDR_SHIFT));
	if (err) {
		dev_err(&pdev->dev, "legacy interface: no usable DMA mask\n");
		return err;
	}
	vp->bars = BIT(0);
	err = pci_request_selected_regions(pdev, vp->bars, "virtio-alt-pci");
	if (err)
		return err;
	vp->ioaddr = pci_iomap(pdev, 0, 0);
	if (!vp->ioaddr) {
		pci_release_selected_regions(pdev, vp->bars);
		return -ENOMEM;
	}
	vp->legacy = true;
	vp->isr = vp->ioaddr + VIRTIO_PCI_ISR;
	vp->vtr.vdev.config = &vpl_config_ops;
	return 0;
}

/* Read configuration space and the BAR sizes, and parse the capabilities. */
static int vp_read_caps(struct vp_alt_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	u64 bar_len[VP_NUM_BARS];
	unsigned int i;
	u8 *cfg;
	u32 v;
	int err;

	cfg = kzalloc(VP_CFG_SPACE, GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	for (i = 0; i < VP_CFG_SPACE; i += 4) {
		pci_read_config_dword(pdev, i, &v);
		put_unaligned_le32(v, cfg + i);
	}
	for (i = 0; i < VP_NUM_BARS; i++)
		bar_len[i] = pci_resource_len(pdev, i);
	err = vp_parse_caps(&pdev->dev, cfg, bar_len, &vp->caps);
	kfree(cfg);
	return err;
}

static int vp_map(struct vp_alt_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	bool transitional = pdev->device < 0x1040;
	const struct vp_caps *c = &vp->caps;
	int err;

	err = vp_read_caps(vp);
	if (err || (vp_legacy_param && transitional)) {
		if (transitional)
			return vpl_map(vp);
		dev_err(&pdev->dev,
			"no usable modern virtio capabilities (%pe), and device id 0x%04x has no legacy interface\n",
			ERR_PTR(err), pdev->device);
		return -ENODEV;
	}
	vp->bars = BIT(c->common.bar) | BIT(c->isr.bar) | BIT(c->notify.bar);
	if (c->device.pos)
		vp->bars |= BIT(c->device.bar);
	err = pci_request_selected_regions(pdev, vp->bars, "virtio-alt-pci");
	if (err)
		return err;

	vp->notify_off_multiplier = c->notify_off_multiplier;
	vp->common = vp_map_cap(vp, &c->common,
				sizeof(struct virtio_pci_common_cfg),
				&vp->common_len, &err);
	vp->isr = vp_map_cap(vp, &c->isr, 1, NULL, &err);
	vp->notify_base = vp_map_cap(vp, &c->notify, sizeof(u16),
				     &vp->notify_len, &err);
	if (c->device.pos)
		vp->device = vp_map_cap(vp, &c->device, 0, &vp->device_len,
					&err);
	if (err) {
		/* Each failure was logged: -EINVAL too short, -ENOMEM unmapped. */
		vp_unmap(vp);
		pci_release_selected_regions(pdev, vp->bars);
		return err;
	}
	if (vp_window_param && c->pci_cfg.pos && c->device.pos)
		vp->window = true;
	else if (vp_window_param)
		dev_warn(&pdev->dev,
			 "pci_cfg_window=Y, but the device has no %s capability; device configuration goes through the BAR\n",
			 c->pci_cfg.pos ? "device configuration" :
			 "PCI configuration access");
	return 0;
}

/* vtr_device.run_internal: the admin queue is our only own queue. */
static int vp_run_internal(struct vtr_device *vd, struct virtqueue *vq,
			   int (*fn)(struct virtqueue *vq, void *arg),
			   void *arg)
{
	return va_admin_run_serialized(&to_vp(&vd->vdev)->admin, fn, arg);
}

static int vp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vp_alt_device *vp;
	int err;

	/* 4.1.2: 0x1000-0x103f transitional, 0x1040-0x107f modern. */
	if (pdev->device < 0x1000 || pdev->device > 0x107f ||
	    (pdev->device < 0x1040 && !pdev->subsystem_device))
		return -ENODEV;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->pdev = pdev;
	vp->irq_mode = VP_IRQ_NONE;
	spin_lock_init(&vp->window_lock);
	va_admin_init(&vp->admin, &vp->vtr.vdev.dev, VP_ADMIN_TIMEOUT_MS);
	vtr_init(&vp->vtr, "pci");
	vp->vtr.show = vp_show;
	vp->vtr.run_internal = vp_run_internal;
	vp->vtr.vdev.dev.parent = &pdev->dev;
	vp->vtr.vdev.dev.release = vp_release;
	vp->vtr.vdev.config = &vp_config_ops;
	vp->vtr.vdev.id.vendor = pdev->subsystem_vendor;
	vp->vtr.vdev.id.device = pdev->device < 0x1040 ?
				 pdev->subsystem_device : pdev->device - 0x1040;

	err = pci_enable_device(pdev);
	if (err)
		goto free;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA mask\n");
		goto disable;
	}
	err = vp_map(vp);
	if (err)
		goto disable;
	pci_set_master(pdev);
	pci_set_drvdata(pdev, vp);

	err = vtr_register(&vp->vtr);
	if (err) {
		dev_err(&pdev->dev, "registering the virtio device: %d\n", err);
		vp_unmap(vp);
		pci_release_selected_regions(pdev, vp->bars);
		pci_disable_device(pdev);
		/* Registered once: vp_release() frees it. */
		put_device(&vp->vtr.vdev.dev);
		return err;
	}
	if (!vp->legacy &&
	    (vp_get_features(&vp->vtr.vdev) & BIT_ULL(VIRTIO_F_ADMIN_VQ)) &&
	    !IS_ERR_OR_NULL(vp->vtr.debugfs))
		va_admin_debugfs(&vp->admin, vp->vtr.debugfs);
	dev_info(&pdev->dev, "virtio device %u as %s, %s interface\n",
		 vp->vtr.vdev.id.device, dev_name(&vp->vtr.vdev.dev),
		 vp->legacy ? "legacy" : "modern");
	return 0;

disable:
	pci_disable_device(pdev);
free:
	kfree(vp);
	return err;
}

static void vp_remove(struct pci_dev *pdev)
{
	struct vp_alt_device *vp = pci_get_drvdata(pdev);
	struct device *dev = get_device(&vp->vtr.vdev.dev);

	vtr_unregister(&vp->vtr);
	vp_unmap(vp);
	pci_release_selected_regions(pdev, vp->bars);
	pci_disable_device(pdev);
	put_device(dev);
}

#ifdef CONFIG_PM_SLEEP
/* Suspend and hibernation, as the in-tree transport: through the driver. */
static int vp_freeze(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct vp_alt_device *vp = pci_get_drvdata(pdev);
	int err;

	err = virtio_device_freeze(&vp->vtr.vdev);
	if (!err)
		pci_disable_device(pdev);
	return err;
}

static int vp_restore(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct vp_alt_device *vp = pci_get_drvdata(pdev);
	int err;

	err = pci_enable_device(pdev);
	if (err) {
		dev_err(dev, "enabling the device on restore: %d\n", err);
		return err;
	}
	pci_set_master(pdev);
	return virtio_device_restore(&vp->vtr.vdev);
}

static DEFINE_SIMPLE_DEV_PM_OPS(vp_pm_ops, vp_freeze, vp_restore);
#define VP_PM_OPS (&vp_pm_ops)
#else
#define VP_PM_OPS NULL
#endif

static const struct pci_device_id vp_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_ANY_ID) },
	{ }
};

static struct pci_driver vp_driver = {
	.name		= "virtio-alt-pci",
	.id_table	= vp_ids,
	.probe		= vp_probe,
	.remove		= vp_remove,
	.driver.pm	= VP_PM_OPS,
};

/**
 * vp_alt_init() - register the virtio-alt-pci driver
 *
 * Context: module init.
 * Return: 0 or the error of pci_register_driver().
 */
int vp_alt_init(void)
{
	return pci_register_driver(&vp_driver);
}

/**
 * vp_alt_exit() - unregister the virtio-alt-pci driver
 *
 * Context: module exit.
 */
void vp_alt_exit(void)
{
	pci_unregister_driver(&vp_driver);
}
