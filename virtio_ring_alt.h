/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: an alternative virtqueue ring (driver side).
 *
 * The API mirrors the in-tree virtqueue API (include/linux/virtio.h) with the
 * prefix vra_, so a driver can switch rings through vq.h alone. A queue made
 * here embeds struct virtqueue but is never on vdev->vqs: the virtio core
 * treats every entry of that list as its own struct vring_virtqueue.
 */
#ifndef _VIRTIO_RING_ALT_H
#define _VIRTIO_RING_ALT_H

#include <linux/types.h>
#include <linux/interrupt.h>
#include <linux/scatterlist.h>
#include <linux/virtio.h>

/*
 * Per-queue counters, in the order debugfs prints them. Each is a plain u64
 * written by the queue's single writer (the caller's serialization for the
 * add/kick/get_buf side, the interrupt handler for irqs) and read with
 * READ_ONCE(). Names are in vra_stat_names[].
 */
enum vra_stat {
	VRA_STAT_bufs_added,		/* buffers made available */
	VRA_STAT_descs_added,		/* descriptors made available */
	VRA_STAT_bufs_used,		/* used buffers returned to the driver */
	VRA_STAT_kicks,			/* available buffer notifications sent */
	VRA_STAT_kicks_suppressed,	/* vra_kick_prepare() said no need */
	VRA_STAT_irqs,			/* used buffer notifications taken */
	VRA_STAT_irqs_spurious,		/* ... that found no used buffer */
	VRA_STAT_irqs_suppressed,	/* used buffers taken with callbacks off */
	VRA_STAT_cb_disables,		/* vra_disable_cb() calls */
	VRA_STAT_cb_enables,		/* vra_enable_cb*() calls */
	VRA_STAT_avail_wraps,		/* driver position wrapped to slot 0 */
	VRA_STAT_used_wraps,		/* used position wrapped to slot 0 */
	VRA_STAT_enospc,		/* vra_add_sgs() returning -ENOSPC */
	VRA_STAT_used_len_clamped,	/* used len > posted, clamped (not strict) */
	VRA_STAT_resets,		/* vra_reset_vring()/vra_resize_vring() */
	VRA_STAT_NR
};

/* Why a queue was marked broken; one counter each, vra_broken_names[]. */
enum vra_broken {
	VRA_BROKEN_used_id_range,	/* used id >= queue size */
	VRA_BROKEN_used_id_idle,	/* used id not in flight */
	VRA_BROKEN_used_len,		/* used length > device-writable bytes */
	VRA_BROKEN_used_idx_jump,	/* used index past what is in flight */
	VRA_BROKEN_packed_flags,	/* packed used flags: AVAIL != USED bit */
	VRA_BROKEN_in_order_skip,	/* in-order: used id not the next batch */
	VRA_BROKEN_notify_failed,	/* transport notify returned false */
	VRA_BROKEN_by_transport,	/* vra_break() from the transport */
	VRA_BROKEN_NR
};

/**
 * struct vra_stats - counters of one alt virtqueue
 * @v: counters indexed by enum vra_stat
 * @broken: one counter per enum vra_broken reason
 */
struct vra_stats {
	u64 v[VRA_STAT_NR];
	u64 broken[VRA_BROKEN_NR];
};

extern const char * const vra_stat_names[VRA_STAT_NR];

struct seq_file;

/*
 * Most entries vra_dump_ring() prints per section (descriptor table,
 * available ring, used ring, buffers in flight, indirect entries); the
 * rest of a section is summarized in one "... N more" line.
 */
#define VRA_DUMP_MAX_ENTRIES 1024
extern const char * const vra_broken_names[VRA_BROKEN_NR];

/**
 * struct vra_split_layout - where the parts of a split ring lie
 * @desc: offset of the descriptor table, bytes (always 0)
 * @avail: offset of the driver area (available ring), bytes
 * @used: offset of the device area (used ring), bytes
 * @size: total size, bytes
 */
struct vra_split_layout {
	size_t desc;
	size_t avail;
	size_t used;
	size_t size;
};

int vra_split_layout(unsigned int num, unsigned int align,
		     struct vra_split_layout *l);

struct virtqueue *vra_create_virtqueue(unsigned int index, unsigned int num,
				       unsigned int vring_align,
				       struct virtio_device *vdev,
				       bool weak_barriers, bool may_reduce_num,
				       bool ctx,
				       bool (*notify)(struct virtqueue *vq),
				       void (*callback)(struct virtqueue *vq),
				       const char *name,
				       struct device *dma_dev);
void vra_del_virtqueue(struct virtqueue *vq);
void vra_transport_features(struct virtio_device *vdev);

int vra_add_sgs(struct virtqueue *vq, struct scatterlist *sgs[],
		unsigned int out_sgs, unsigned int in_sgs, void *data,
		gfp_t gfp);
int vra_add_outbuf(struct virtqueue *vq, struct scatterlist *sg,
		   unsigned int num, void *data, gfp_t gfp);
int vra_add_inbuf(struct virtqueue *vq, struct scatterlist *sg,
		  unsigned int num, void *data, gfp_t gfp);
bool vra_kick_prepare(struct virtqueue *vq);
bool vra_notify(struct virtqueue *vq);
bool vra_kick(struct virtqueue *vq);
void *vra_get_buf_ctx(struct virtqueue *vq, unsigned int *len, void **ctx);
void *vra_get_buf(struct virtqueue *vq, unsigned int *len);
void vra_disable_cb(struct virtqueue *vq);
unsigned int vra_enable_cb_prepare(struct virtqueue *vq);
bool vra_poll(struct virtqueue *vq, unsigned int last_used_idx);
bool vra_enable_cb(struct virtqueue *vq);
bool vra_enable_cb_delayed(struct virtqueue *vq);
void *vra_detach_unused_buf(struct virtqueue *vq);
irqreturn_t vra_interrupt(int irq, void *_vq);
bool vra_is_broken(const struct virtqueue *vq);
void vra_break(struct virtqueue *vq);
unsigned int vra_get_vring_size(const struct virtqueue *vq);
dma_addr_t vra_get_desc_addr(const struct virtqueue *vq);
dma_addr_t vra_get_avail_addr(const struct virtqueue *vq);
dma_addr_t vra_get_used_addr(const struct virtqueue *vq);
const struct vra_stats *vra_get_stats(const struct virtqueue *vq);
void vra_read_stats(const struct virtqueue *vq, struct vra_stats *out);
void vra_reset_stats(struct virtqueue *vq);
int vra_dump_ring(struct virtqueue *vq, struct seq_file *s);
size_t vra_dump_size(const struct virtqueue *vq);
bool vra_is_packed(const struct virtqueue *vq);
void vra_set_strict_len(struct virtqueue *vq, bool strict);
u32 vra_notification_data(const struct virtqueue *vq);
int vra_reset_vring(struct virtqueue *vq,
		    void (*recycle)(struct virtqueue *vq, void *buf));
int vra_resize_vring(struct virtqueue *vq, unsigned int num,
		     void (*recycle)(struct virtqueue *vq, void *buf));

#endif /* _VIRTIO_RING_ALT_H */
