// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt: transport code shared by PCI and MMIO.
 *
 * The ring is chosen per device when features are finalized: the alt ring
 * when the bound virtio driver belongs to this module and ring=alt, the
 * in-tree ring (vring_create_virtqueue()) otherwise. In-tree queues go on
 * vdev->vqs as the virtio core expects; alt queues never do. Both kinds are
 * on vtr_device.vqs, where notifications and interrupts are counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>

#include "transport.h"
#include "virtio_ring_alt.h"

/**
 * vtr_is_ours() - tell whether a virtio device belongs to this module
 * @vdev: a device on the virtio bus
 *
 * Drivers of this module bind only devices of its own transports, so that
 * loading it never disturbs devices of the in-tree transports.
 *
 * Context: any.
 * Return: true if @vdev was registered by virtio-alt-pci or virtio-alt-mmio.
 */
bool vtr_is_ours(const struct virtio_device *vdev)
{
	return vdev->dev.parent && vdev->dev.parent->driver &&
	       vdev->dev.parent->driver->owner == THIS_MODULE;
}

/**
 * vtr_init() - initialize the shared part of a transport's device
 * @vd: the device, zeroed
 * @transport: "pci" or "mmio", shown in debugfs
 *
 * Context: process context.
 */
void vtr_init(struct vtr_device *vd, const char *transport)
{
	vd->transport = transport;
	INIT_LIST_HEAD(&vd->vqs);
	spin_lock_init(&vd->lock);
}

/**
 * vtr_finalize_ring() - choose the ring and filter the ring features
 * @vd: the device whose features are being finalized
 *
 * Called from the transport's finalize_features, after the virtio core bound
 * a driver and before its probe. Picks the alt ring when that driver is this
 * module's and ring=alt, and clears the transport-range features the chosen
 * ring does not implement (vra_transport_features() or
 * vring_transport_features()).
 *
 * Context: process context, device probe.
 */
void vtr_finalize_ring(struct vtr_device *vd)
{
	struct device_driver *drv = vd->vdev.dev.driver;

	vd->alt = va_ring_mode == VA_RING_ALT && drv &&
		  drv->owner == THIS_MODULE;
	if (vd->alt)
		vra_transport_features(&vd->vdev);
	else
		vring_transport_features(&vd->vdev);
	dev_dbg(&vd->vdev.dev, "driver %s on the %s ring\n",
		drv ? drv->name : "(none)", vd->alt ? "alt" : "in-tree");
}

/**
 * vtr_create_vq() - create a queue on the ring chosen for the device
 * @vd: the device
 * @index: queue index in the device
 * @num: queue size the device allows
 * @align: used ring alignment, bytes
 * @weak_barriers: false when VIRTIO_F_ORDER_PLATFORM asks for mandatory
 *	barriers
 * @ctx: per-buffer contexts wanted
 * @notify: the transport's available buffer notification hook
 * @callback: the driver's callback, or NULL
 * @name: the queue's name
 * @dma_dev: device for the DMA API
 *
 * The queue's priv points to a new struct vtr_vq, which is put on @vd->vqs
 * and given a debugfs directory.
 *
 * Context: process context, may sleep.
 * Return: the queue or an ERR_PTR (-ENOMEM, -EINVAL, or what the ring
 * returned).
 */
struct virtqueue *vtr_create_vq(struct vtr_device *vd, unsigned int index,
				unsigned int num, unsigned int align,
				bool weak_barriers, bool ctx,
				bool (*notify)(struct virtqueue *vq),
				void (*callback)(struct virtqueue *vq),
				const char *name, struct device *dma_dev)
{
	struct vtr_vq *info;
	struct virtqueue *vq;
	unsigned long flags;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);
	if (vd->alt)
		vq = vra_create_virtqueue(index, num, align, &vd->vdev,
					  weak_barriers, true, ctx, notify,
					  callback, name, dma_dev);
	else
		vq = vring_create_virtqueue(index, num, align, &vd->vdev,
					    weak_barriers, true, ctx, notify,
					    callback, name);
	if (IS_ERR_OR_NULL(vq)) {
		kfree(info);
		return vq ? vq : ERR_PTR(-ENOMEM);
	}
	if (vd->alt)
		vra_set_strict_len(vq, va_strict_len);
	info->vq = vq;
	info->alt = vd->alt;
	info->vector = VIRTIO_MSI_NO_VECTOR;
	vq->priv = info;
	spin_lock_irqsave(&vd->lock, flags);
	list_add_tail(&info->node, &vd->vqs);
	spin_unlock_irqrestore(&vd->lock, flags);
	va_debugfs_add_vq(vd, info);
	return vq;
}

/**
 * vtr_del_vq() - delete a queue made by vtr_create_vq()
 * @vd: the device
 * @vq: the queue; the device must no longer use it
 *
 * Context: process context; the queue's interrupt must be freed already.
 */
void vtr_del_vq(struct vtr_device *vd, struct virtqueue *vq)
{
	struct vtr_vq *info = to_vtr_vq(vq);
	unsigned long flags;

	debugfs_remove_recursive(info->debugfs);
	spin_lock_irqsave(&vd->lock, flags);
	list_del(&info->node);
	spin_unlock_irqrestore(&vd->lock, flags);
	if (info->alt)
		vra_del_virtqueue(vq);
	else
		vring_del_virtqueue(vq);
	kfree(info);
}

/**
 * vtr_vq_interrupt() - used buffer notification for one queue
 * @irq: interrupt number
 * @opaque: the queue's struct vtr_vq
 *
 * Counts the interrupt and hands it to the queue's ring.
 *
 * Context: hard interrupt.
 * Return: what the ring returned (IRQ_NONE when nothing was used).
 */
irqreturn_t vtr_vq_interrupt(int irq, void *opaque)
{
	struct vtr_vq *info = opaque;

	info->irqs++;
	if (info->alt)
		return vra_interrupt(irq, info->vq);
	return vring_interrupt(irq, info->vq);
}

/**
 * vtr_vqs_interrupt() - used buffer notification for every queue
 * @vd: the device
 *
 * For a shared interrupt (INTx, or one vector for all queues): offers the
 * notification to every queue of the device.
 *
 * Context: hard interrupt.
 * Return: IRQ_HANDLED if any queue had used buffers, IRQ_NONE otherwise.
 */
irqreturn_t vtr_vqs_interrupt(struct vtr_device *vd)
{
	irqreturn_t ret = IRQ_NONE;
	struct vtr_vq *info;
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	list_for_each_entry(info, &vd->vqs, node)
		if (vtr_vq_interrupt(0, info) == IRQ_HANDLED)
			ret = IRQ_HANDLED;
	spin_unlock_irqrestore(&vd->lock, flags);
	return ret;
}

/**
 * vtr_register() - register a transport's device on the virtio bus
 * @vd: the device, with vdev.dev.parent, .release, .config and .id set
 *
 * On failure the device was initialized all the same: the caller undoes its
 * own setup and then drops it with put_device(), which frees it through
 * release; it must not kfree() it.
 *
 * Context: process context, may sleep.
 * Return: 0 or the error of register_virtio_device().
 */
int vtr_register(struct vtr_device *vd)
{
	int err;

	err = register_virtio_device(&vd->vdev);
	if (err)
		return err;
	va_debugfs_add_device(vd);
	return 0;
}

/**
 * vtr_unregister() - take a transport's device off the virtio bus
 * @vd: the device
 *
 * Unregisters (the bound driver's remove runs and deletes the queues, with
 * their debugfs directories), then removes the device's debugfs directory.
 * The device memory is freed by release when the last reference goes.
 *
 * Context: process context, may sleep.
 */
void vtr_unregister(struct vtr_device *vd)
{
	unregister_virtio_device(&vd->vdev);
	debugfs_remove_recursive(vd->debugfs);
	vd->debugfs = NULL;
}
