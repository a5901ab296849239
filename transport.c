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

#include "compat.h"
#include "transport.h"
#include "virtio_ring_alt.h"

/**
 * vtr_next_vq_index() - the queue index of one entry of a find_vqs list
 * @vd: the device whose queues are being set up
 * @entry: position of the entry in the driver's queue list
 * @dense: the next index under the in-tree rule; advanced when it is used
 *
 * Without vtr_find_vqs_at(), named entries take consecutive indexes from 0
 * and unnamed ones take none, as in the in-tree transports. Within
 * vtr_find_vqs_at() the driver's own index for @entry is used.
 *
 * Context: the transport's find_vqs.
 * Return: the queue index (virtio 1.3, 2.6: queues are numbered from 0).
 */
unsigned int vtr_next_vq_index(struct vtr_device *vd, unsigned int entry,
			       unsigned int *dense)
{
	if (vd->vq_index)
		return vd->vq_index[entry];
	return (*dense)++;
}

/**
 * vtr_find_vqs_at() - set up a device's queues at indexes the driver chose
 * @vdev: a device of this module's transports (vtr_is_ours())
 * @nvqs: entries in @vqs, @info and @index
 * @vqs: filled with the queues; NULL where @info has no name
 * @info: name, callback and context flag of each queue; an entry without
 *	a name creates no queue
 * @index: queue index of each named entry
 *
 * The in-tree transports number queues densely over the named entries. A
 * device whose numbering leaves holes (the balloon's queues under the
 * specification's fixed table or when the driver declines an offered
 * feature, 5.5.2) needs the indexes given explicitly. The transport checks
 * each index against what the device has, as for any queue.
 *
 * Context: process context, probe or restore, no other find_vqs running on
 * @vdev.
 * Return: 0, -ENOENT for a queue the device does not have, or the error of
 * the transport's find_vqs.
 */
int vtr_find_vqs_at(struct virtio_device *vdev, unsigned int nvqs,
		    struct virtqueue *vqs[], struct va_vq_info *info,
		    const u16 index[])
{
	struct vtr_device *vd = to_vtr(vdev);
	int err;

	vd->vq_index = index;
	err = va_find_vqs(vdev, nvqs, vqs, info);
	vd->vq_index = NULL;
	return err;
}

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
 * vtr_status_written() - note the device status the driver wrote
 * @vd: the device
 * @status: the value written to device_status (Status on MMIO); 0 for a
 *	reset
 *
 * Each transport calls it from set_status and reset, for
 * vtr_status_read().
 *
 * Context: any; the virtio core serializes status changes of a device.
 */
void vtr_status_written(struct vtr_device *vd, u8 status)
{
	vd->status = status;
	if (!status)
		vd->needs_reset = false;
}

/**
 * vtr_status_read() - check the device status the device shows
 * @vd: the device
 * @status: the value just read from device_status (Status on MMIO)
 *
 * 3.1.1 steps 5 and 6: the driver sets FEATURES_OK and re-reads the
 * status; a device that does not support the features the driver accepted
 * leaves FEATURES_OK clear. The virtio core then fails the probe with
 * -ENODEV and sets FAILED; this says which features and which driver, once
 * per refusal, and counts it in @vd->features_refused (debugfs
 * "transport"). 2.1.2: a device that sets DEVICE_NEEDS_RESET has stopped
 * working until it is reset; that is said once per reset too. Each
 * transport calls it from get_status.
 *
 * Context: any, hard interrupt included; the virtio core serializes status
 * changes of a device.
 * Return: @status, unchanged.
 */
u8 vtr_status_read(struct vtr_device *vd, u8 status)
{
	const struct device_driver *drv = vd->vdev.dev.driver;

	if ((status & VIRTIO_CONFIG_S_NEEDS_RESET) && status != 0xff &&
	    !READ_ONCE(vd->needs_reset)) {
		WRITE_ONCE(vd->needs_reset, true);
		dev_err(&vd->vdev.dev,
			"device set DEVICE_NEEDS_RESET (status 0x%02x): it stopped working; buffers in flight come back only through a reset (driver %s)\n",
			status, drv ? drv->name : "(none)");
	}
	if (!(vd->status & VIRTIO_CONFIG_S_FEATURES_OK) ||
	    (status & VIRTIO_CONFIG_S_FEATURES_OK))
		return status;
	/* Once: the driver now knows the device's answer. */
	vd->status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	vd->features_refused++;
	dev_err(&vd->vdev.dev,
		"device cleared FEATURES_OK (status 0x%02x): it does not accept features 0x%016llx of driver %s; probe fails\n",
		status, vd->vdev.features, drv ? drv->name : "(none)");
	return status;
}

/**
 * vtr_config_changed() - pass on a configuration change notification
 * @vd: the device
 *
 * Virtio 1.3, 2.1.2 and 4.1.4.5 / 4.2.3.4: a device that sets
 * DEVICE_NEEDS_RESET tells the driver through a configuration change
 * notification, so the status is read first (vtr_status_read() says so
 * once), then the driver hears of the change (virtio_config_changed()).
 *
 * Context: the transport's configuration change interrupt.
 */
void vtr_config_changed(struct vtr_device *vd)
{
	vd->vdev.config->get_status(&vd->vdev);
	virtio_config_changed(&vd->vdev);
}
EXPORT_SYMBOL_GPL(vtr_config_changed);

/**
 * vtr_create_vq_ring() - create a queue on a given ring
 * @vd: the device
 * @alt: true: the alt ring; false: the in-tree ring
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
 * and given a debugfs directory. A transport's own queues (the admin
 * queue) are on the alt ring whatever ring the device's driver uses.
 *
 * Context: process context, may sleep.
 * Return: the queue or an ERR_PTR (-ENOMEM, -EINVAL, or what the ring
 * returned).
 */
struct virtqueue *vtr_create_vq_ring(struct vtr_device *vd, bool alt,
				     unsigned int index, unsigned int num,
				     unsigned int align, bool weak_barriers,
				     bool ctx,
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
	if (alt)
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
	if (alt)
		vra_set_strict_len(vq, va_strict_len);
	/* The device's maximum: the bound for resizing (both rings). */
	vq->num_max = num;
	info->vq = vq;
	info->alt = alt;
	info->align = align;
	info->vector = VIRTIO_MSI_NO_VECTOR;
	vq->priv = info;
	spin_lock_irqsave(&vd->lock, flags);
	list_add_tail(&info->node, &vd->vqs);
	spin_unlock_irqrestore(&vd->lock, flags);
	va_debugfs_add_vq(vd, info);
	return vq;
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
 * vtr_create_vq_ring() on @vd->alt's ring.
 *
 * Context: process context, may sleep.
 * Return: as vtr_create_vq_ring().
 */
struct virtqueue *vtr_create_vq(struct vtr_device *vd, unsigned int index,
				unsigned int num, unsigned int align,
				bool weak_barriers, bool ctx,
				bool (*notify)(struct virtqueue *vq),
				void (*callback)(struct virtqueue *vq),
				const char *name, struct device *dma_dev)
{
	return vtr_create_vq_ring(vd, vd->alt, index, num, align,
				  weak_barriers, ctx, notify, callback, name,
				  dma_dev);
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
 * vtr_vq_stop() - take a queue off the interrupt path for a queue reset
 * @vd: the device
 * @vq: the queue; its own interrupt vector, if any, is synchronized by the
 *	caller
 *
 * Sets @vq->reset under @vd->lock, which vtr_vqs_interrupt() holds while it
 * dispatches: once this returns, no shared interrupt handler calls the
 * queue's ring or callback until vtr_vq_restart().
 *
 * Context: process context; the transport's disable_vq_and_reset.
 */
void vtr_vq_stop(struct vtr_device *vd, struct virtqueue *vq)
{
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	vq->reset = true;
	spin_unlock_irqrestore(&vd->lock, flags);
}

/**
 * vtr_vq_restart() - put a queue back on the interrupt path
 * @vd: the device
 * @vq: the queue, stopped by vtr_vq_stop() and set up again in the device
 *
 * Context: process context; the transport's enable_vq_after_reset, before
 * it enables the queue in the device.
 */
void vtr_vq_restart(struct vtr_device *vd, struct virtqueue *vq)
{
	unsigned long flags;

	spin_lock_irqsave(&vd->lock, flags);
	vq->reset = false;
	spin_unlock_irqrestore(&vd->lock, flags);
	to_vtr_vq(vq)->resets++;
}

/* Reset (same size) or resize an in-tree queue through the in-tree ring. */
static int vtr_reset_intree(struct virtqueue *vq, unsigned int num,
			    void (*recycle)(struct virtqueue *vq, void *buf))
{
	if (num != virtqueue_get_vring_size(vq))
		return va_virtqueue_resize(vq, num, recycle);
	return va_virtqueue_reset(vq, recycle);
}

/**
 * vtr_reset_vq() - reset one queue and re-enable it, maybe with a new size
 * @vq: a queue of this module's transports, alt or in-tree
 * @num: the new size, descriptors: a power of two (split) or any number
 *	(packed) up to the device's maximum; 0 keeps the current size
 * @recycle: called with each buffer the queue held, or NULL
 *
 * Virtio 1.3, 2.6.1 "Virtqueue Reset": the transport stops the queue in the
 * device (disable_vq_and_reset), every buffer in flight goes back through
 * @recycle, the ring starts afresh (at new addresses if resized), and the
 * transport gives the device the ring and enables the queue again
 * (enable_vq_after_reset). The device keeps running throughout. Needs
 * VIRTIO_F_RING_RESET. If the resize cannot get memory the queue is
 * re-enabled with its old size, and the error is returned.
 *
 * Context: process context, may sleep. The caller serializes this with
 * every other operation on @vq (the driver's lock).
 * Return: 0; -EOPNOTSUPP without VIRTIO_F_RING_RESET or transport support
 * (or, for an in-tree queue, a same-size reset on a kernel without
 * virtqueue_reset()); -E2BIG if @num exceeds the device's maximum; -EINVAL
 * for a size the layout cannot have; -ENOMEM; or the transport's error
 * (-ETIMEDOUT when the device does not finish the reset).
 */
int vtr_reset_vq(struct virtqueue *vq, unsigned int num,
		 void (*recycle)(struct virtqueue *vq, void *buf))
{
	struct virtio_device *vdev = vq->vdev;
	const struct virtio_config_ops *ops = vdev->config;
	struct vtr_vq *info = to_vtr_vq(vq);
	int err, err2;

	if (!virtio_has_feature(vdev, VIRTIO_F_RING_RESET) ||
	    !ops->disable_vq_and_reset || !ops->enable_vq_after_reset) {
		dev_err(&vdev->dev,
			"queue %u: VIRTIO_F_RING_RESET not negotiated; the device cannot reset one queue\n",
			vq->index);
		return -EOPNOTSUPP;
	}
	if (!num)
		num = info->alt ? vra_get_vring_size(vq) :
				  virtqueue_get_vring_size(vq);
	if (num > vq->num_max) {
		dev_err(&vdev->dev,
			"queue %u: size %u exceeds the device's maximum %u\n",
			vq->index, num, vq->num_max);
		return -E2BIG;
	}
	if (!virtio_has_feature(vdev, VIRTIO_F_RING_PACKED) &&
	    !is_power_of_2(num)) {
		dev_err(&vdev->dev,
			"queue %u: size %u is not a power of two, as the split layout needs\n",
			vq->index, num);
		return -EINVAL;
	}
	if (!info->alt)
		return vtr_reset_intree(vq, num, recycle);

	err = ops->disable_vq_and_reset(vq);
	if (err)
		return err;
	if (num != vra_get_vring_size(vq))
		err = vra_resize_vring(vq, num, recycle);
	else
		err = vra_reset_vring(vq, recycle);
	if (err)
		dev_err(&vdev->dev,
			"queue %u: resizing to %u: %pe; keeping %u entries\n",
			vq->index, num, ERR_PTR(err), vra_get_vring_size(vq));
	err2 = ops->enable_vq_after_reset(vq);
	return err ?: err2;
}
EXPORT_SYMBOL_GPL(vtr_reset_vq);

/**
 * vtr_reset_vq_index() - reset a queue for the debugfs action queue_reset
 * @vd: the device
 * @index: the queue's index in the device
 * @num: new size in descriptors, or 0 for the same size
 *
 * Takes the device lock, so the bound driver cannot go away, and asks it to
 * reset the queue (struct vtr_driver.reset_vq): only the driver can take
 * its buffers back and keep its own state right.
 *
 * Context: process context, may sleep; takes the device lock.
 * Return: 0; -ENODEV without a driver; -EOPNOTSUPP if the driver is not
 * this module's; -EINVAL if the device has no queue @index of the driver's
 * (the admin queue is the transport's); or what vtr_reset_vq() returned.
 */
int vtr_reset_vq_index(struct vtr_device *vd, unsigned int index,
		       unsigned int num)
{
	struct device *dev = &vd->vdev.dev;
	struct virtqueue *vq = NULL;
	struct vtr_driver *drv;
	struct vtr_vq *info;
	unsigned long flags;
	int err;

	device_lock(dev);
	if (!dev->driver) {
		dev_err(dev, "queue_reset: no driver is bound\n");
		err = -ENODEV;
		goto out;
	}
	drv = container_of(dev->driver, struct vtr_driver, driver.driver);
	if (dev->driver->owner != THIS_MODULE || !drv->reset_vq) {
		dev_err(dev,
			"queue_reset: driver %s is not this module's; it resets its queues itself (virtqueue_reset())\n",
			dev->driver->name);
		err = -EOPNOTSUPP;
		goto out;
	}
	spin_lock_irqsave(&vd->lock, flags);
	list_for_each_entry(info, &vd->vqs, node)
		if (info->vq->index == index && !info->internal)
			vq = info->vq;
	spin_unlock_irqrestore(&vd->lock, flags);
	if (!vq) {
		dev_err(dev,
			"queue_reset: the device has no queue %u of the driver's\n",
			index);
		err = -EINVAL;
		goto out;
	}
	err = drv->reset_vq(&vd->vdev, vq, num);
out:
	device_unlock(dev);
	return err;
}

/**
 * vtr_run_serialized() - run @fn on a queue under its driver's serialization
 * @vd: the device
 * @info: one of its queues, from a file of the queue's debugfs directory
 * @fn: what to run; its return value is returned
 * @arg: for @fn
 *
 * The driver's own serialization of the queue (struct
 * vtr_driver.run_serialized): the balloon's vb->lock, or vb->report_lock
 * for reporting_vq; for the transport's own queues, the transport's
 * (vtr_device.run_internal; PCI: the admin queue's lock, with interrupts
 * off, va_admin_run_serialized()). No device lock is taken: the queue's debugfs directory
 * is removed (waiting for readers) before the queue is deleted, so the
 * queue and its bound driver outlive the call, and a reader blocked on the
 * device lock would deadlock with a remove that holds it while deleting
 * the queues.
 *
 * Context: process context, may sleep (in the driver's lock).
 * Return: what @fn returned; -EINTR if interrupted while waiting for the
 * lock; -ENODEV if the admin queue is no longer attached; -EOPNOTSUPP for
 * queues of drivers that do not provide the hook (other modules' drivers,
 * on the in-tree ring anyway) and of transports without run_internal.
 */
int vtr_run_serialized(struct vtr_device *vd, struct vtr_vq *info,
		       int (*fn)(struct virtqueue *vq, void *arg), void *arg)
{
	struct device_driver *d = READ_ONCE(vd->vdev.dev.driver);
	struct vtr_driver *drv;

	if (info->internal)
		return vd->run_internal ?
		       vd->run_internal(vd, info->vq, fn, arg) : -EOPNOTSUPP;
	if (!d || d->owner != THIS_MODULE)
		return -EOPNOTSUPP;
	drv = container_of(d, struct vtr_driver, driver.driver);
	if (!drv->run_serialized)
		return -EOPNOTSUPP;
	return drv->run_serialized(&vd->vdev, info->vq, fn, arg);
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

	/* Stopped for a queue reset (vtr_vq_stop()): not ours to look at. */
	if (READ_ONCE(info->vq->reset))
		return IRQ_NONE;
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
