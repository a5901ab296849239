// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt-pci: the virtio over PCI transport, modern interface.
 *
 * Virtio 1.3, 4.1 "Virtio Over PCI Bus". Capabilities (4.1.4) locate the
 * common, notification, ISR and device configuration structures; queues get
 * one MSI-X vector each plus one for configuration changes, or share INTx
 * when MSI-X cannot be had.
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

#include "compat.h"
#include "transport.h"
#include "vq.h"

#define VP_RESET_TIMEOUT_MS	5000

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
};

#define to_vp(_vdev) container_of(to_vtr(_vdev), struct vp_alt_device, vtr)

static void vp_iowrite64(u64 val, __le32 __iomem *lo, __le32 __iomem *hi)
{
	iowrite32(lower_32_bits(val), lo);
	iowrite32(upper_32_bits(val), hi);
}

/* Find the first usable capability of @type; 0 if none. */
static int vp_find_cap(struct pci_dev *pdev, u8 type, int *bars)
{
	int pos;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos > 0;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		u8 cfg_type, bar;

		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  cfg_type), &cfg_type);
		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  bar), &bar);
		/* 4.1.4: BAR values 0x6 to 0xff are reserved; skip them. */
		if (cfg_type == type && bar < PCI_STD_NUM_BARS &&
		    pci_resource_len(pdev, bar)) {
			*bars |= BIT(bar);
			return pos;
		}
	}
	return 0;
}

/* Map the structure a capability points at; check it has @minlen bytes. */
static void __iomem *vp_map_cap(struct vp_alt_device *vp, int pos,
				size_t minlen, size_t *len)
{
	struct pci_dev *pdev = vp->pdev;
	u32 offset, length;
	u8 bar;

	pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap, bar),
			     &bar);
	pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
						   offset), &offset);
	pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
						   length), &length);
	if (length < minlen ||
	    (u64)offset + length > pci_resource_len(pdev, bar)) {
		dev_err(&pdev->dev,
			"capability at 0x%x: %u bytes at 0x%x do not fit BAR%u (%llu bytes) or are fewer than %zu\n",
			pos, length, offset, bar,
			(u64)pci_resource_len(pdev, bar), minlen);
		return NULL;
	}
	if (len)
		*len = length;
	return pci_iomap_range(pdev, bar, offset, length);
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
	return ioread8(&to_vp(vdev)->common->cfg.device_status);
}

static void vp_set_status(struct virtio_device *vdev, u8 status)
{
	iowrite8(status, &to_vp(vdev)->common->cfg.device_status);
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
	iowrite8(0, &vp->common->cfg.device_status);
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

	vtr_finalize_ring(&vp->vtr);
	/*
	 * Queue reset is the transport's, for either ring; the in-tree ring's
	 * filter clears it (the in-tree virtio-pci sets it again the same way).
	 */
	if (ring_reset)
		__virtio_set_bit(vdev, VIRTIO_F_RING_RESET);
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

	virtio_config_changed(&vp->vtr.vdev);
	return IRQ_HANDLED;
}

/* INTx: read (and so acknowledge) the ISR, then dispatch (4.1.4.5). */
static irqreturn_t vp_intx_interrupt(int irq, void *opaque)
{
	struct vp_alt_device *vp = opaque;
	u8 isr = ioread8(vp->isr);

	if (!isr)
		return IRQ_NONE;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		vp_config_interrupt(irq, vp);
	vtr_vqs_interrupt(&vp->vtr);
	return IRQ_HANDLED;
}

static void vp_free_irqs(struct vp_alt_device *vp)
{
	unsigned int i;

	for (i = 0; i < vp->nvectors; i++)
		if (vp->vector_data[i])
			free_irq(pci_irq_vector(vp->pdev, i),
				 vp->vector_data[i]);
	if (vp->irq_mode == VP_IRQ_INTX)
		free_irq(vp->pdev->irq, vp);
	if (vp->nvectors) {
		iowrite16(VIRTIO_MSI_NO_VECTOR, &vp->common->cfg.msix_config);
		/* Flush the write out to the device. */
		ioread16(&vp->common->cfg.msix_config);
		pci_free_irq_vectors(vp->pdev);
	}
	vp->nvectors = 0;
	vp->irq_mode = VP_IRQ_NONE;
	kfree(vp->vector_names);
	kfree(vp->vector_data);
	vp->vector_names = NULL;
	vp->vector_data = NULL;
}

static void vp_del_vqs(struct virtio_device *vdev)
{
	struct vp_alt_device *vp = to_vp(vdev);
	struct vtr_vq *info, *tmp;

	list_for_each_entry_safe(info, tmp, &vp->vtr.vqs, node) {
		if (vp->nvectors) {
			iowrite16(info->vq->index, &vp->common->cfg.queue_select);
			iowrite16(VIRTIO_MSI_NO_VECTOR,
				  &vp->common->cfg.queue_msix_vector);
			/* Flush the write out to the device. */
			ioread16(&vp->common->cfg.queue_msix_vector);
		}
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

	return vtr_vqs_interrupt(&vp->vtr);
}

/* Set up interrupts for @mode; vp_free_irqs() undoes a partial setup. */
static int vp_setup_irqs(struct vp_alt_device *vp, enum vp_irq_mode mode,
			 unsigned int ncallbacks)
{
	unsigned int nvec;
	int err;

	vp->irq_mode = mode;
	if (mode == VP_IRQ_INTX) {
		err = request_irq(vp->pdev->irq, vp_intx_interrupt,
				  IRQF_SHARED, dev_name(&vp->vtr.vdev.dev), vp);
		if (err)
			vp->irq_mode = VP_IRQ_NONE;
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
	vp->nvectors = nvec;
	err = vp_request_vector(vp, 0, vp_config_interrupt, vp, "config");
	if (err)
		return err;
	iowrite16(0, &vp->common->cfg.msix_config);
	if (ioread16(&vp->common->cfg.msix_config) != 0) {
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

	iowrite16(vq->index, &c->cfg.queue_select);
	/* The ring may be smaller than the device's maximum. */
	iowrite16(vaq_vring_size(vq), &c->cfg.queue_size);
	vp_iowrite64(vaq_desc_addr(vq), &c->cfg.queue_desc_lo,
		     &c->cfg.queue_desc_hi);
	vp_iowrite64(vaq_avail_addr(vq), &c->cfg.queue_avail_lo,
		     &c->cfg.queue_avail_hi);
	vp_iowrite64(vaq_used_addr(vq), &c->cfg.queue_used_lo,
		     &c->cfg.queue_used_hi);
	if (vector == VIRTIO_MSI_NO_VECTOR)
		return 0;
	iowrite16(vector, &c->cfg.queue_msix_vector);
	if (ioread16(&c->cfg.queue_msix_vector) != vector) {
		dev_err(&vp->vtr.vdev.dev,
			"device refused MSI-X vector %u for queue %u\n",
			vector, vq->index);
		return -EBUSY;
	}
	return 0;
}

static struct virtqueue *vp_setup_vq(struct vp_alt_device *vp,
				     unsigned int index,
				     const struct va_vq_info *qi,
				     u16 vector)
{
	struct virtio_device *vdev = &vp->vtr.vdev;
	struct virtqueue *vq;
	struct vtr_vq *info;
	u16 num, off;
	u64 offset;

	iowrite16(index, &vp->common->cfg.queue_select);
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

	vq = vtr_create_vq(&vp->vtr, index, num, SMP_CACHE_BYTES,
			   !virtio_has_feature(vdev, VIRTIO_F_ORDER_PLATFORM),
			   qi->ctx, vp_notify, qi->callback, qi->name,
			   &vp->pdev->dev);
	if (IS_ERR(vq)) {
		dev_err(&vdev->dev, "queue %u (%s): ring of %u: %pe\n", index,
			qi->name, num, vq);
		return vq;
	}
	info = to_vtr_vq(vq);
	info->notify_addr = vp->notify_base + offset;
	info->vector = vector;
	if (vp_activate_vq(vp, vq)) {
		vtr_del_vq(&vp->vtr, vq);
		return ERR_PTR(-EBUSY);
	}
	if (vp->irq_mode == VP_IRQ_MSIX_PER_VQ && qi->callback) {
		int err = vp_request_vector(vp, vector, vtr_vq_interrupt, info,
					    qi->name);

		if (err) {
			vtr_del_vq(&vp->vtr, vq);
			return ERR_PTR(err);
		}
	}
	return vq;
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
	err = vp_setup_irqs(vp, mode, ncallbacks);
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
		vqs[i] = vp_setup_vq(vp, index++, qi, v);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			goto fail;
		}
	}

	/*
	 * 4.1.5.1.3: enable the queues last; from here on the device may use
	 * them, and only a reset takes that back.
	 */
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
 */
static int vp_find_vqs_info(struct virtio_device *vdev, unsigned int nvqs,
			    struct virtqueue *vqs[],
			    struct va_vq_info vqs_info[],
			    struct irq_affinity *desc)
{
	struct vp_alt_device *vp = to_vp(vdev);
	enum vp_irq_mode mode = VP_IRQ_MSIX_PER_VQ;
	int err;

	if (!vp->pdev->msix_cap)
		mode = VP_IRQ_INTX;
	for (;; mode++) {
		err = vp_find_vqs_mode(vp, mode, nvqs, vqs, vqs_info);
		if (!err || mode == VP_IRQ_INTX)
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

static void vp_show(struct vtr_device *vd, struct seq_file *s)
{
	struct vp_alt_device *vp = container_of(vd, struct vp_alt_device, vtr);

	seq_printf(s, "pci %s\n", pci_name(vp->pdev));
	seq_printf(s, "interrupts %s\n", vp_irq_mode_names[vp->irq_mode]);
	seq_printf(s, "vectors %u\n", vp->nvectors);
	seq_printf(s, "notify_off_multiplier %u\n", vp->notify_off_multiplier);
	seq_printf(s, "device_cfg_len %zu\n", vp->device_len);
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
};

static void vp_release(struct device *dev)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	kfree(to_vp(vdev));
}

static void vp_unmap(struct vp_alt_device *vp)
{
	if (vp->device)
		pci_iounmap(vp->pdev, vp->device);
	if (vp->notify_base)
		pci_iounmap(vp->pdev, vp->notify_base);
	if (vp->isr)
		pci_iounmap(vp->pdev, vp->isr);
	if (vp->common)
		pci_iounmap(vp->pdev, vp->common);
}

static int vp_map(struct vp_alt_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	int common, isr, notify, device;
	int err;

	common = vp_find_cap(pdev, VIRTIO_PCI_CAP_COMMON_CFG, &vp->bars);
	isr = vp_find_cap(pdev, VIRTIO_PCI_CAP_ISR_CFG, &vp->bars);
	notify = vp_find_cap(pdev, VIRTIO_PCI_CAP_NOTIFY_CFG, &vp->bars);
	device = vp_find_cap(pdev, VIRTIO_PCI_CAP_DEVICE_CFG, &vp->bars);
	if (!common || !isr || !notify) {
		dev_err(&pdev->dev,
			"no modern virtio capabilities (common %d, isr %d, notify %d); legacy-only devices are not supported\n",
			common, isr, notify);
		return -ENODEV;
	}
	err = pci_request_selected_regions(pdev, vp->bars, "virtio-alt-pci");
	if (err)
		return err;

	pci_read_config_dword(pdev, notify +
			      offsetof(struct virtio_pci_notify_cap,
				       notify_off_multiplier),
			      &vp->notify_off_multiplier);
	vp->common = vp_map_cap(vp, common,
				sizeof(struct virtio_pci_common_cfg),
				&vp->common_len);
	vp->isr = vp_map_cap(vp, isr, 1, NULL);
	vp->notify_base = vp_map_cap(vp, notify, sizeof(u16), &vp->notify_len);
	if (device)
		vp->device = vp_map_cap(vp, device, 0, &vp->device_len);
	if (!vp->common || !vp->isr || !vp->notify_base ||
	    (device && !vp->device)) {
		vp_unmap(vp);
		pci_release_selected_regions(pdev, vp->bars);
		return -EINVAL;
	}
	return 0;
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
	vtr_init(&vp->vtr, "pci");
	vp->vtr.show = vp_show;
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
	dev_info(&pdev->dev, "virtio device %u as %s\n", vp->vtr.vdev.id.device,
		 dev_name(&vp->vtr.vdev.dev));
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

static const struct pci_device_id vp_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_ANY_ID) },
	{ }
};

static struct pci_driver vp_driver = {
	.name		= "virtio-alt-pci",
	.id_table	= vp_ids,
	.probe		= vp_probe,
	.remove		= vp_remove,
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
