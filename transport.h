/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: what the PCI and MMIO transports share: the ring choice, the
 * list of queues (alt queues are never on vdev->vqs), and the notification
 * and interrupt accounting that exists for both kinds of queue.
 */
#ifndef _VIRTIO_ALT_TRANSPORT_H
#define _VIRTIO_ALT_TRANSPORT_H

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>

struct dentry;
struct va_vq_info;

/**
 * struct vtr_vq - the transport's view of one queue, alt or in-tree
 * @node: entry in &vtr_device.vqs
 * @vq: the queue; @vq->priv points back here for both ring kinds
 * @alt: true if @vq is an alt-ring queue
 * @notify_addr: where the PCI transport writes available buffer
 *	notifications (MMIO writes QueueNotify through its register accessors)
 * @vector: MSI-X vector of the queue, or VIRTIO_MSI_NO_VECTOR
 * @notifies: available buffer notifications written by the transport
 * @irqs: used buffer notifications the transport dispatched to the queue
 * @resets: queue resets completed (VIRTIO_F_RING_RESET)
 * @internal: the transport's own queue (the admin queue), not the driver's
 * @debugfs: the queue's debugfs directory
 * @align: used ring alignment given to the ring at creation, bytes
 * @notifies_base: @notifies at the last write to debugfs "counters"
 * @irqs_base: @irqs at the last write to debugfs "counters"
 * @resets_base: @resets at the last write to debugfs "counters"
 */
struct vtr_vq {
	struct list_head node;
	struct virtqueue *vq;
	bool alt;
	void __iomem *notify_addr;
	u16 vector;
	u64 notifies;
	u64 irqs;
	u64 resets;
	bool internal;
	struct dentry *debugfs;
	unsigned int align;
	u64 notifies_base;
	u64 irqs_base;
	u64 resets_base;
};

/**
 * struct vtr_device - a virtio device of one of this module's transports
 * @vdev: the device registered on the virtio bus
 * @transport: "pci" or "mmio"
 * @alt: the queues of this device run on the alt ring; decided in
 *	finalize_features from the bound driver and the ring= parameter
 * @vqs: every queue of the device, alt or in-tree (struct vtr_vq)
 * @lock: protects @vqs against the interrupt path
 * @debugfs: the device's debugfs directory
 * @show: transport hook printing its details into debugfs "transport"
 * @run_internal: transport hook running @fn on one of its own queues
 *	(&vtr_vq.internal: the admin queue) under the serialization it uses
 *	for that queue; see vtr_run_serialized(). NULL: the transport has none
 * @vq_index: during vtr_find_vqs_at() only, the queue index of each entry
 *	of the queue list; NULL otherwise: named entries take consecutive
 *	indexes from 0, as in the in-tree transports
 * @status: the device status the driver last wrote, 0 after a reset
 *	(vtr_status_written())
 * @features_refused: times the device cleared FEATURES_OK after the driver
 *	set it (vtr_status_read())
 * @needs_reset: the device showed DEVICE_NEEDS_RESET since the last reset
 *	(vtr_status_read(); said once)
 */
struct vtr_device {
	struct virtio_device vdev;
	const char *transport;
	bool alt;
	struct list_head vqs;
	spinlock_t lock;	/* protects @vqs against the interrupt path */
	struct dentry *debugfs;
	void (*show)(struct vtr_device *vd, struct seq_file *s);
	int (*run_internal)(struct vtr_device *vd, struct virtqueue *vq,
			    int (*fn)(struct virtqueue *vq, void *arg),
			    void *arg);
	const u16 *vq_index;
	u8 status;
	u64 features_refused;
	bool needs_reset;
};

#define to_vtr(_vdev) container_of(_vdev, struct vtr_device, vdev)

static inline struct vtr_vq *to_vtr_vq(const struct virtqueue *vq)
{
	return vq->priv;
}

/**
 * struct vtr_driver - a virtio driver of this module
 * @driver: the driver registered on the virtio bus
 * @reset_vq: reset queue @vq of @vdev and re-enable it with @num entries
 *	(0: the same size), giving every buffer in flight back to the driver;
 *	typically by taking the driver's own lock around vaq_reset(). Called
 *	with the device lock held, after probe and before remove. NULL if the
 *	driver cannot have its queues reset from outside.
 * @run_serialized: call @fn(@vq, @arg) under the serialization the driver
 *	uses around vaq_add_*() and vaq_get_buf() on @vq (its own lock), and
 *	return what @fn returned, or -EINTR if a signal came while waiting
 *	for it. Called without the device lock, only while @vq exists (from
 *	a file in the queue's debugfs directory, which vtr_del_vq() removes
 *	first), so the driver is bound; the driver must not hold that lock
 *	while it deletes its queues. NULL if the driver does not say.
 *
 * The debugfs action queue_reset reaches the driver through @reset_vq, so
 * only drivers of this module take part in it; the ring dump (debugfs
 * vq<N>/ring) goes through @run_serialized.
 */
struct vtr_driver {
	struct virtio_driver driver;
	int (*reset_vq)(struct virtio_device *vdev, struct virtqueue *vq,
			unsigned int num);
	int (*run_serialized)(struct virtio_device *vdev, struct virtqueue *vq,
			      int (*fn)(struct virtqueue *vq, void *arg),
			      void *arg);
};

/* main.c: ring= parameter */
enum va_ring_mode { VA_RING_ALT, VA_RING_INTREE };
extern enum va_ring_mode va_ring_mode;
extern bool va_strict_len;
extern struct dentry *va_debugfs_root;

bool vtr_is_ours(const struct virtio_device *vdev);
void vtr_init(struct vtr_device *vd, const char *transport);
void vtr_finalize_ring(struct vtr_device *vd);
void vtr_status_written(struct vtr_device *vd, u8 status);
u8 vtr_status_read(struct vtr_device *vd, u8 status);
void vtr_config_changed(struct vtr_device *vd);
struct virtqueue *vtr_create_vq(struct vtr_device *vd, unsigned int index,
				unsigned int num, unsigned int align,
				bool weak_barriers, bool ctx,
				bool (*notify)(struct virtqueue *vq),
				void (*callback)(struct virtqueue *vq),
				const char *name, struct device *dma_dev);
struct virtqueue *vtr_create_vq_ring(struct vtr_device *vd, bool alt,
				     unsigned int index, unsigned int num,
				     unsigned int align, bool weak_barriers,
				     bool ctx,
				     bool (*notify)(struct virtqueue *vq),
				     void (*callback)(struct virtqueue *vq),
				     const char *name, struct device *dma_dev);
void vtr_del_vq(struct vtr_device *vd, struct virtqueue *vq);
unsigned int vtr_next_vq_index(struct vtr_device *vd, unsigned int entry,
			       unsigned int *dense);
int vtr_find_vqs_at(struct virtio_device *vdev, unsigned int nvqs,
		    struct virtqueue *vqs[], struct va_vq_info *info,
		    const u16 index[]);
int vtr_reset_vq(struct virtqueue *vq, unsigned int num,
		 void (*recycle)(struct virtqueue *vq, void *buf));
int vtr_reset_vq_index(struct vtr_device *vd, unsigned int index,
		       unsigned int num);
int vtr_run_serialized(struct vtr_device *vd, struct vtr_vq *info,
		       int (*fn)(struct virtqueue *vq, void *arg), void *arg);
void vtr_vq_stop(struct vtr_device *vd, struct virtqueue *vq);
void vtr_vq_restart(struct vtr_device *vd, struct virtqueue *vq);
irqreturn_t vtr_vq_interrupt(int irq, void *opaque);
irqreturn_t vtr_vqs_interrupt(struct vtr_device *vd);
int vtr_register(struct vtr_device *vd);
void vtr_unregister(struct vtr_device *vd);

/* debugfs.c */
void va_debugfs_add_device(struct vtr_device *vd);
void va_debugfs_add_vq(struct vtr_device *vd, struct vtr_vq *info);

/* transport_pci.c, transport_mmio.c, balloon.c */
int vp_alt_init(void);
void vp_alt_exit(void);
int vm_alt_init(void);
void vm_alt_exit(void);
int va_balloon_init(void);
void va_balloon_exit(void);

#endif /* _VIRTIO_ALT_TRANSPORT_H */
