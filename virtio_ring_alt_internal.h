/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt ring internals, shared by virtio_ring_alt.c (API and what both
 * layouts share), virtio_ring_alt_split.c and virtio_ring_alt_packed.c.
 * Nothing outside the ring includes this.
 */
#ifndef _VIRTIO_RING_ALT_INTERNAL_H
#define _VIRTIO_RING_ALT_INTERNAL_H

#include <linux/dma-mapping.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "virtio_ring_alt.h"

/*
 * Driver-private copy of one descriptor: what unmaps it and links it. The
 * entries form the free list and the chains of buffers in flight, indexed by
 * descriptor id: the descriptor table index for split, a buffer id for
 * packed (the ring slot is separate there).
 */
struct vra_desc_extra {
	dma_addr_t addr;
	u32 len;
	u16 flags;		/* VRING_DESC_F_* as written */
	u16 next;		/* next in chain, or in the free list */
};

/* An indirect table and what unmaps its entries. */
struct vra_indir {
	dma_addr_t dma;
	unsigned int n;
	void *table;		/* n descriptors, split or packed format */
	struct vra_desc_extra extra[];
};

/* Driver-private state of one buffer, indexed by its head id. */
struct vra_state {
	void *data;		/* token; NULL when the id is not in flight */
	void *ctx;
	struct vra_indir *indir;	/* indirect table, or NULL */
	u32 in_len;		/* device-writable bytes posted, for used.len */
	u16 ndescs;		/* ring descriptors (1 when indirect) */
};

struct vra_split {
	struct vring vring;
	u16 avail_idx_shadow;
	u16 avail_flags_shadow;
	u16 last_used_idx;
};

struct vra_packed {
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *driver;	/* driver event suppression */
	struct vring_packed_desc_event *device;	/* device event suppression */
	u16 next_avail_idx;
	u16 last_used_idx;
	bool avail_wrap;
	bool used_wrap;
	u16 avail_used_flags;	/* AVAIL/USED bits for the current wrap */
	u16 event_flags_shadow;	/* driver->flags as last written */
};

struct vra_virtqueue {
	struct virtqueue vq;

	unsigned int num;
	bool packed_ring;
	bool weak_barriers;
	bool event;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool in_order;		/* VIRTIO_F_IN_ORDER negotiated */
	bool strict_len;	/* break, rather than clamp, on long used.len */
	bool broken;

	void *ring;
	dma_addr_t ring_dma;
	size_t ring_size;
	size_t avail_off;	/* driver area */
	size_t used_off;	/* device area */
	unsigned int align;
	struct device *dma_dev;

	u16 num_added;		/* since the last vra_kick_prepare() */
	u16 free_head;		/* of the extra[] free list */
	u16 free_tail;		/* in-order: freed chains go here, FIFO */
	u16 in_flight;		/* buffers */

	/*
	 * In-order (2.7.9, 2.8.20): buffers come back in the order they went
	 * out. next_in_order is the head of the oldest in flight; a used
	 * element naming a later one ends a batch of batch_left buffers, the
	 * last one with batch_len bytes.
	 */
	u16 next_in_order;
	u16 batch_left;
	u32 batch_len;

	bool (*notify)(struct virtqueue *vq);

	struct vra_desc_extra *extra;
	struct vra_state *state;
	struct vra_stats stats;

	union {
		struct vra_split split;
		struct vra_packed packed;
	};
};

#define to_vvq(_vq) container_of(_vq, struct vra_virtqueue, vq)

static inline void vra_inc(struct vra_virtqueue *vq, enum vra_stat s)
{
	vq->stats.v[s]++;
}

void vra_bad(struct vra_virtqueue *vq, enum vra_broken reason,
	     const char *fmt, ...) __printf(3, 4);
int vra_map_sgs(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		unsigned int out_sgs, unsigned int in_sgs,
		struct vra_desc_extra *extra, unsigned int head,
		unsigned int total, u32 *in_len);
struct vra_indir *vra_alloc_indir(struct vra_virtqueue *vq,
				  unsigned int total, size_t desc_size,
				  gfp_t gfp);
void vra_abort_indir(struct vra_virtqueue *vq, struct vra_indir *in,
		     bool mapped);
void *vra_detach(struct vra_virtqueue *vq, unsigned int id, void **ctx);
bool vra_check_used(struct vra_virtqueue *vq, u32 id, u32 *len);
bool vra_in_order_batch(struct vra_virtqueue *vq, u32 id, u32 len,
			unsigned int bufs);
void *vra_in_order_next(struct vra_virtqueue *vq, unsigned int *len,
			void **ctx, unsigned int *ndescs);

int vra_split_init(struct vra_virtqueue *vq);
int vra_split_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		  unsigned int out_sgs, unsigned int in_sgs,
		  unsigned int total, void *data, gfp_t gfp);
bool vra_split_kick_prepare(struct vra_virtqueue *vq);
void *vra_split_get_buf(struct vra_virtqueue *vq, unsigned int *len,
			void **ctx);
bool vra_split_more_used(const struct vra_virtqueue *vq);
void vra_split_disable_cb(struct vra_virtqueue *vq);
unsigned int vra_split_enable_cb_prepare(struct vra_virtqueue *vq);
bool vra_split_poll(const struct vra_virtqueue *vq, unsigned int last);
bool vra_split_enable_cb_delayed(struct vra_virtqueue *vq);
void vra_split_unexpose(struct vra_virtqueue *vq);
u32 vra_split_notification_data(const struct vra_virtqueue *vq);

int vra_packed_init(struct vra_virtqueue *vq);
int vra_packed_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		   unsigned int out_sgs, unsigned int in_sgs,
		   unsigned int total, void *data, gfp_t gfp);
bool vra_packed_kick_prepare(struct vra_virtqueue *vq);
void *vra_packed_get_buf(struct vra_virtqueue *vq, unsigned int *len,
			 void **ctx);
bool vra_packed_more_used(const struct vra_virtqueue *vq);
void vra_packed_disable_cb(struct vra_virtqueue *vq);
unsigned int vra_packed_enable_cb_prepare(struct vra_virtqueue *vq);
bool vra_packed_poll(const struct vra_virtqueue *vq, unsigned int last);
bool vra_packed_enable_cb_delayed(struct vra_virtqueue *vq);
u32 vra_packed_notification_data(const struct vra_virtqueue *vq);

#endif /* _VIRTIO_RING_ALT_INTERNAL_H */
