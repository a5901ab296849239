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
#include "virtio_alt_trace.h"
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

/* A descriptor, split (2.7.5) or packed (2.8.13): 16 bytes either way. */
#define VRA_DESC_SIZE	16

/*
 * An indirect table of n entries is one allocation of n * 32 bytes (at
 * least 128, see below): the n descriptors the device reads, in
 * the queue's format, then the driver's copy of them (struct
 * vra_desc_extra), which unmaps them. How many there are and where the
 * table is mapped are not repeated there: the ring's extra entry of the
 * buffer holds them (len n * VRA_DESC_SIZE, addr).
 */
static inline struct vra_desc_extra *vra_indir_extra(void *table,
						     unsigned int n)
{
	return table + n * VRA_DESC_SIZE;
}

/*
 * Tables of up to VRA_INDIR_POOL_DESCS entries are all allocated for that
 * many, so that a freed one serves any later small table: up to
 * VRA_INDIR_POOL_MAX of them (8 KiB) wait in the queue's pool instead of
 * going back to the allocator, linked through their first bytes.
 */
#define VRA_INDIR_POOL_DESCS	4
#define VRA_INDIR_POOL_MAX	64

/* The entries of an indirect table, from its buffer's ring extra entry @e. */
static inline unsigned int vra_indir_n(const struct vra_desc_extra *e)
{
	return e->len / VRA_DESC_SIZE;
}

/* Driver-private state of one buffer, indexed by its head id. */
struct vra_state {
	void *data;		/* token; NULL when the id is not in flight */
	void *indir;		/* indirect table (vra_indir_extra()), or NULL */
	u32 in_len;		/* device-writable bytes posted, for used.len */
	u16 ndescs;		/* ring descriptors (1 when indirect) */
};

struct vra_split {
	struct vring vring;
	u16 avail_idx_shadow;
	u16 avail_flags_shadow;
	u16 last_used_idx;
	u16 used_idx;		/* device's, as last read and checked */
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
	u8 path;		/* VRA_PATH_*: layout, in-order, broken */
	bool weak_barriers;
	bool event;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool strict_len;	/* break, rather than clamp, on long used.len */

	void *ring;
	dma_addr_t ring_dma;
	size_t ring_size;
	size_t avail_off;	/* driver area */
	size_t used_off;	/* device area */
	unsigned int align;
	struct device *dma_dev;

	u16 num_added;		/* since the last vra_kick_prepare() */
	u16 free_head;		/* of the extra[] free list */
	u16 free_tail;		/* freed chains go here: FIFO, ring order */
	u16 in_flight;		/* buffers */
	u16 chains_in_flight;	/* buffers of more than one ring descriptor */

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
	void *indir_pool;	/* freed small indirect tables, a list */
	unsigned int indir_pooled;
	struct vra_stats stats;
	struct vra_stats stats_base;	/* vra_reset_stats(): the zero point */

	union {
		struct vra_split split;
		struct vra_packed packed;
	};
};

#define to_vvq(_vq) container_of(_vq, struct vra_virtqueue, vq)

/*
 * vq->path: the layout (VIRTIO_F_RING_PACKED), VIRTIO_F_IN_ORDER and
 * whether the queue is broken, in one byte, so that vra_add_sgs() and
 * vra_get_buf() reach their function with one load and one compare. The
 * feature bits are set before the queue is used and never change; only
 * VRA_PATH_BROKEN does (vra_set_broken()).
 */
#define VRA_PATH_PACKED		BIT(0)
#define VRA_PATH_IN_ORDER	BIT(1)
#define VRA_PATH_BROKEN		BIT(2)

static inline bool vra_vq_packed(const struct vra_virtqueue *vq)
{
	return READ_ONCE(vq->path) & VRA_PATH_PACKED;
}

static inline bool vra_vq_in_order(const struct vra_virtqueue *vq)
{
	return READ_ONCE(vq->path) & VRA_PATH_IN_ORDER;
}

static inline bool vra_vq_broken(const struct vra_virtqueue *vq)
{
	return READ_ONCE(vq->path) & VRA_PATH_BROKEN;
}

/*
 * Mark the queue broken or not. The read-modify-write is safe against a
 * concurrent vra_set_broken(vq, true): the other bits never change while
 * the queue is in use, so both write the same byte.
 */
static inline void vra_set_broken(struct vra_virtqueue *vq, bool broken)
{
	u8 path = READ_ONCE(vq->path) & ~VRA_PATH_BROKEN;

	WRITE_ONCE(vq->path, path | (broken ? VRA_PATH_BROKEN : 0));
}

static inline void vra_inc(struct vra_virtqueue *vq, enum vra_stat s)
{
	vq->stats.v[s]++;
}

/**
 * vra_add_kick() - notify after an addition that filled the index window
 * @vq: the queue
 *
 * For a layout's _add when the additions since the last kick reach what
 * the 16-bit indexes can tell apart (the split ring's 0xffff, the packed
 * ring's 0x8000): kick now, or the device's suppression state would be
 * compared across a wrap. Out of line, so that the add path tail-calls it
 * and needs no stack frame.
 *
 * Context: as vra_add_sgs().
 * Return: 0, the addition's result (it is made already).
 */
int vra_add_kick(struct vra_virtqueue *vq);

/**
 * vra_bad() - mark a queue broken because the device broke the protocol
 * @vq: the queue
 * @reason: counted in stats.broken[@reason]
 * @fmt: printf format of the message, which names the bad value
 *
 * Logs once per ratelimit interval, naming the queue. The caller returns
 * nothing to its own caller after this and does not use the bad value.
 *
 * Context: any.
 */
void vra_bad(struct vra_virtqueue *vq, enum vra_broken reason,
	     const char *fmt, ...) __printf(3, 4);

/**
 * vra_unmap_chain() - undo the mappings of a partly mapped chain
 * @vq: the queue
 * @extra: the extra entries of the chain (the ring's, or an indirect table's)
 * @head: the chain's first entry
 * @mapped: entries mapped, following extra[].next from @head
 *
 * Context: any; caller serializes operations on @vq.
 */
void vra_unmap_chain(struct vra_virtqueue *vq, struct vra_desc_extra *extra,
		     unsigned int head, unsigned int mapped);

static inline void vra_unmap_one(struct vra_virtqueue *vq,
				 const struct vra_desc_extra *e)
{
	dma_unmap_page(vq->dma_dev, e->addr, e->len,
		       (e->flags & VRING_DESC_F_WRITE) ?
		       DMA_FROM_DEVICE : DMA_TO_DEVICE);
}

/*
 * The entries of a buffer's @nsgs scatterlists, or 0 when there are none or
 * more than the queue size (2.7.5.3.1: no chain, indirect or not, longer
 * than the queue).
 */
static __always_inline unsigned int
vra_count_sgs(const struct vra_virtqueue *vq, struct scatterlist *sgs[],
	      unsigned int nsgs)
{
	struct scatterlist *sg;
	unsigned int total = 0, n;

	for (n = 0; n < nsgs; n++)
		for (sg = sgs[n]; sg; sg = sg_next(sg))
			total++;
	return total <= vq->num ? total : 0;
}

/*
 * Map the buffer's scatterlist entries into the chain of @extra entries
 * that starts at @head and follows extra[].next. Each entry gets its
 * address, length and VRING_DESC_F_NEXT/WRITE flags; the last one has no
 * NEXT. Sums the device-writable bytes into @in_len. Returns 0, or -ENOMEM
 * with nothing left mapped.
 */
static __always_inline int
vra_map_sgs(struct vra_virtqueue *vq, struct scatterlist *sgs[],
	    unsigned int out_sgs, unsigned int in_sgs,
	    struct vra_desc_extra *extra, unsigned int head, u32 *in_len)
{
	unsigned int n, i = head, last = head, mapped = 0;
	struct scatterlist *sg;
	u32 bytes = 0;

	for (n = 0; n < out_sgs + in_sgs; n++) {
		bool write = n >= out_sgs;

		for (sg = sgs[n]; sg; sg = sg_next(sg)) {
			struct vra_desc_extra *e = &extra[i];
			dma_addr_t addr;

			addr = dma_map_page(vq->dma_dev, sg_page(sg),
					    sg->offset, sg->length,
					    write ? DMA_FROM_DEVICE :
					    DMA_TO_DEVICE);
			if (unlikely(dma_mapping_error(vq->dma_dev, addr))) {
				vra_unmap_chain(vq, extra, head, mapped);
				return -ENOMEM;
			}
			e->addr = addr;
			e->len = sg->length;
			e->flags = VRING_DESC_F_NEXT |
				   (write ? VRING_DESC_F_WRITE : 0);
			if (write)
				bytes += sg->length;
			mapped++;
			last = i;
			i = e->next;
		}
	}
	extra[last].flags &= ~VRING_DESC_F_NEXT;
	*in_len = bytes;
	return 0;
}

/**
 * vra_map_indirect() - map a buffer into an indirect table
 * @vq: the queue, VIRTIO_RING_F_INDIRECT_DESC negotiated
 * @sgs: the scatterlists, device-readable ones first
 * @out_sgs: number of device-readable scatterlists
 * @in_sgs: number of device-writable scatterlists
 * @total: entries in @sgs, more than 1
 * @gfp: for the table
 * @inp: set to the table on success
 * @in_len: set to the device-writable bytes on success
 *
 * The table, in the queue's format, is written in the same pass as the
 * driver's copy of its entries, then mapped and described by the ring's
 * extra entry at free_head.
 *
 * Context: as vra_add_sgs().
 * Return: 1 (the ring descriptors taken); 0 if no table could be allocated,
 * the caller then chains the buffer in the ring; -ENOMEM with nothing left
 * mapped.
 */
int vra_map_indirect(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		     unsigned int out_sgs, unsigned int in_sgs,
		     unsigned int total, gfp_t gfp, void **inp,
		     u32 *in_len);

/*
 * The common buffer, one scatterlist of one entry (a balloon's page
 * numbers, a request or a response of one piece): true when @sgs is one.
 * An empty list (NULL) goes the counting way, to -EINVAL.
 */
static __always_inline bool vra_one_entry(struct scatterlist *sgs[],
					  unsigned int nsgs)
{
	return nsgs == 1 && sgs[0] && sg_is_last(sgs[0]);
}

/*
 * The start of a layout's _add for a buffer of one entry (vra_one_entry()),
 * without loops: map @sg, device-writable if @write, as the buffer of the
 * free id at free_head, with no VRING_DESC_F_NEXT, and record it in flight
 * with token @data. *@d gets the descriptor to write (address, length,
 * flags), for the layout to write without reading it back. Returns 0, or
 * -ENOSPC (counted) or -ENOMEM with nothing left mapped.
 */
static __always_inline int
vra_add_one(struct vra_virtqueue *vq, struct scatterlist *sg, bool write,
	    void *data, struct vra_desc_extra *d)
{
	unsigned int id = vq->free_head;
	struct vra_desc_extra *e = &vq->extra[id];
	struct vra_state *st = &vq->state[id];

	if (unlikely(!vq->vq.num_free)) {
		vra_inc(vq, VRA_STAT_enospc);
		return -ENOSPC;
	}
	/* The state first: fewer values live across the mapping. */
	st->data = data;
	st->indir = NULL;
	st->in_len = write ? sg->length : 0;
	st->ndescs = 1;
	d->addr = dma_map_page(vq->dma_dev, sg_page(sg), sg->offset,
			       sg->length,
			       write ? DMA_FROM_DEVICE : DMA_TO_DEVICE);
	if (unlikely(dma_mapping_error(vq->dma_dev, d->addr))) {
		st->data = NULL;	/* the id is not in flight */
		return -ENOMEM;
	}
	d->len = sg->length;
	d->flags = write ? VRING_DESC_F_WRITE : 0;
	d->next = e->next;
	*e = *d;

	vq->free_head = d->next;
	vq->vq.num_free--;
	vq->in_flight++;
	vra_inc(vq, VRA_STAT_bufs_added);
	vra_inc(vq, VRA_STAT_descs_added);
	return 0;
}

/*
 * Map a buffer for either layout, when it is not one entry (vra_add_one()):
 * into an indirect table when the queue has them, else into the ring's
 * chain of extra entries at free_head.
 * Returns the ring descriptors it takes (1 or the entries), or -EINVAL (no
 * entries, or more than the queue size), -ENOSPC (counted) or -ENOMEM,
 * with nothing left mapped; *@inp is the indirect table or NULL.
 */
static __always_inline int
vra_map_buffer(struct vra_virtqueue *vq, struct scatterlist *sgs[],
	       unsigned int out_sgs, unsigned int in_sgs, gfp_t gfp,
	       void **inp, u32 *in_len)
{
	unsigned int total;
	int err;

	*inp = NULL;
	total = vra_count_sgs(vq, sgs, out_sgs + in_sgs);
	if (unlikely(!total))
		return -EINVAL;
	if (vq->indirect && total > 1 && vq->vq.num_free) {
		err = vra_map_indirect(vq, sgs, out_sgs, in_sgs, total, gfp,
				       inp, in_len);
		if (err)
			return err;
	}
	if (unlikely(total > vq->vq.num_free)) {
		vra_inc(vq, VRA_STAT_enospc);
		return -ENOSPC;
	}
	err = vra_map_sgs(vq, sgs, out_sgs, in_sgs, vq->extra, vq->free_head,
			  in_len);
	return err ? err : total;
}

/*
 * Record a buffer written to the ring as in flight, and count it: @id its
 * head id, @last its last extra entry (the free list continues after it).
 * The layout traces it.
 */
static __always_inline void
vra_track_buffer(struct vra_virtqueue *vq, unsigned int id, unsigned int last,
		 unsigned int ndescs, void *data, void *in,
		 u32 in_len)
{
	struct vra_state *st = &vq->state[id];

	vq->free_head = vq->extra[last].next;
	vq->vq.num_free -= ndescs;
	vq->in_flight++;
	if (ndescs > 1)
		vq->chains_in_flight++;
	st->data = data;
	st->indir = in;
	st->in_len = in_len;
	st->ndescs = ndescs;
	vra_inc(vq, VRA_STAT_bufs_added);
	vq->stats.v[VRA_STAT_descs_added] += ndescs;
}

/**
 * vra_detach_indir() - unmap and free the indirect table of a buffer
 * @vq: the queue
 * @id: the buffer's head id; its state has an indirect table, which is
 *	cleared, and its ring extra entry describes the table's mapping
 *
 * Context: any; caller serializes operations on @vq.
 */
void vra_detach_indir(struct vra_virtqueue *vq, unsigned int id);

/*
 * Return the descriptors of a buffer, @id first and @last last, to the
 * tail of the free list (see vra_detach()), and count it out of flight.
 */
static __always_inline void vra_free_descs(struct vra_virtqueue *vq,
					   unsigned int id, unsigned int last,
					   unsigned int ndescs)
{
	if (vq->vq.num_free)
		vq->extra[vq->free_tail].next = id;
	else
		vq->free_head = id;
	vq->free_tail = last;
	vq->vq.num_free += ndescs;
	vq->in_flight--;
}

/*
 * Unmap and free one buffer in flight, with head @id (the caller checked it
 * is in flight); return its token. Everything comes from driver-private
 * state. Its descriptors go to the tail of the free list, in-order or not:
 * with buffers used in the order they were made available, ids then follow
 * the ring (2.7.5.3 for in-order), and a split ring's available entries
 * read the same every lap (vra_split_publish() leaves those unwritten).
 */
static __always_inline void *vra_detach(struct vra_virtqueue *vq,
					unsigned int id)
{
	struct vra_state *st = &vq->state[id];
	unsigned int i = id, last = id, n, ndescs = st->ndescs;
	void *data = st->data;

	if (likely(ndescs == 1)) {
		/* An indirect buffer's one ring descriptor is the table. */
		if (unlikely(st->indir))
			vra_detach_indir(vq, id);
		else
			vra_unmap_one(vq, &vq->extra[id]);
	} else {
		for (n = 0; n < ndescs; n++) {
			vra_unmap_one(vq, &vq->extra[i]);
			last = i;
			i = vq->extra[i].next;
		}
		vq->chains_in_flight--;
	}
	vra_free_descs(vq, id, last, ndescs);
	st->data = NULL;
	return data;
}

/*
 * vra_detach() for a buffer the caller saw has one ring descriptor and no
 * indirect table: no branch on them, no call but the unmap.
 */
static __always_inline void *vra_detach_one(struct vra_virtqueue *vq,
					    unsigned int id)
{
	struct vra_state *st = &vq->state[id];
	void *data = st->data;

	vra_unmap_one(vq, &vq->extra[id]);
	vra_free_descs(vq, id, id, 1);
	st->data = NULL;
	return data;
}

/**
 * vra_check_used_slow() - check a used element that failed the fast check
 * @vq: the queue
 * @id: the id the device wrote
 * @len: the length the device wrote; clamped to the device-writable bytes
 *	posted unless the queue is strict
 *
 * Context: any; caller serializes operations on @vq.
 * Return: as vra_check_used().
 */
bool vra_check_used_slow(struct vra_virtqueue *vq, u32 id, u32 *len);

/*
 * Check a used element's id and length (virtio 1.3, 2.7.8 and 2.8.21): the
 * id must name a buffer in flight, the length must not exceed what the
 * device may write. Returns true if the element may be used (*@len clamped
 * to the device-writable bytes posted unless the queue is strict), false if
 * the queue is broken. One combined test on the fast path; the slow path
 * repeats the checks one by one to tell which failed.
 */
static __always_inline bool vra_check_used(struct vra_virtqueue *vq, u32 id,
					   u32 *len)
{
	if (likely(id < vq->num && vq->state[id].data &&
		   *len <= vq->state[id].in_len))
		return true;
	return vra_check_used_slow(vq, id, len);
}

/**
 * vra_in_order_batch() - start an in-order batch (2.7.9, 2.8.20)
 * @vq: the queue, VIRTIO_F_IN_ORDER negotiated
 * @id: the id of the batch's last buffer, as the device wrote it
 * @len: its length, as the device wrote it
 * @bufs: most buffers the batch may hold (split: how far the used index
 *	moved), or 0 for up to what is in flight (packed)
 *
 * Context: any; caller serializes operations on @vq.
 * Return: true with the batch set up; false if the queue is broken
 * (in_order_skip when @id is not a buffer in flight within reach).
 */
bool vra_in_order_batch(struct vra_virtqueue *vq, u32 id, u32 len,
			unsigned int bufs);

/*
 * In-order: the head id of the buffer after the one at @id of @ndescs
 * descriptors. Packed rings need not be a power of 2 in size, so no mask.
 */
static __always_inline u16 vra_next_id(const struct vra_virtqueue *vq,
				       unsigned int id, unsigned int ndescs)
{
	id += ndescs;
	return id >= vq->num ? id - vq->num : id;
}

/*
 * In-order: return the next buffer of the current batch, with *@len the
 * length as posted, or the device's for the batch's last buffer. Sets
 * *@ndescs to its ring descriptors, for the layout to step over.
 */
static __always_inline void *vra_in_order_next(struct vra_virtqueue *vq,
					       unsigned int *len,
					       unsigned int *ndescs)
{
	unsigned int head = vq->next_in_order;

	*ndescs = vq->state[head].ndescs;
	*len = --vq->batch_left ? vq->state[head].in_len : vq->batch_len;
	vq->next_in_order = vra_next_id(vq, head, *ndescs);
	return vra_detach(vq, head);
}

/*
 * vra_in_order_next() for a buffer the caller saw has one ring descriptor
 * and no indirect table.
 */
static __always_inline void *vra_in_order_next_one(struct vra_virtqueue *vq,
						   unsigned int *len)
{
	unsigned int head = vq->next_in_order, left = vq->batch_left - 1;

	*len = left ? vq->state[head].in_len : vq->batch_len;
	vq->batch_left = left;
	vq->next_in_order = vra_next_id(vq, head, 1);
	return vra_detach_one(vq, head);
}

/*
 * The end of a layout's _kick_prepare: the additions are accounted for,
 * a suppressed kick counted, the decision traced.
 */
static __always_inline bool vra_kick_done(struct vra_virtqueue *vq,
					  bool needs)
{
	vq->num_added = 0;
	if (!needs)
		vra_inc(vq, VRA_STAT_kicks_suppressed);
	trace_virtio_alt_kick(&vq->vq, needs);
	return needs;
}

/*
 * The layouts. Each function is the layout's half of the vra_ call of the
 * same name in virtio_ring_alt.c (see its kernel-doc for the API, the
 * context and the locking): _init sets up a zeroed ring, _add makes a
 * checked buffer available (2.7.13, 2.8.13), _kick_prepare reads the
 * device's event suppression (2.7.10, 2.8.10), _get_buf checks and takes a
 * used element (2.7.8, 2.8.21), _more_used peeks for one, the _cb
 * functions write the driver's event suppression, _unexpose withdraws a
 * split available entry, _notification_data gives bits 16-31 of the
 * VIRTIO_F_NOTIFICATION_DATA value (2.9). Those on the interrupt path
 * (_more_used, _enable_cb_prepare, _poll) are inline here, so that
 * vra_interrupt() and vra_enable_cb() pay no call for them.
 */

/**
 * vra_split_init() - set up a zeroed split ring (2.7)
 * @vq: the queue, its ring memory allocated and zeroed
 *
 * Context: process context.
 */
void vra_split_init(struct vra_virtqueue *vq);

/**
 * vra_split_add() - make a buffer available, split layout (2.7.13)
 * @vq: the queue, not broken
 * @sgs: the scatterlists
 * @out_sgs: device-readable scatterlists
 * @in_sgs: device-writable scatterlists
 * @data: the token, not NULL
 * @gfp: for an indirect table
 *
 * Context: as vra_add_sgs().
 * Return: 0, -EINVAL if the buffer has no entries or more than the queue
 * size, -ENOSPC (counted) or -ENOMEM.
 */
int vra_split_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		  unsigned int out_sgs, unsigned int in_sgs, void *data,
		  gfp_t gfp);

/**
 * vra_split_kick_prepare() - read the split device's notification wish
 * @vq: the queue
 *
 * Resets num_added, counts kicks_suppressed and traces, for
 * vra_kick_prepare().
 *
 * Context: as vra_kick_prepare().
 * Return: true if the device needs a notification (2.7.10).
 */
bool vra_split_kick_prepare(struct vra_virtqueue *vq);

/**
 * vra_split_get_buf() - take the next used buffer, split layout (2.7.8)
 * @vq: the queue, not broken
 * @len: set to the bytes the device wrote
 *
 * Context: as vra_get_buf_ctx().
 * Return: the token, or NULL (nothing used, or the queue broke).
 */
void *vra_split_get_buf(struct vra_virtqueue *vq, unsigned int *len);

/**
 * vra_split_get_buf_in_order() - vra_split_get_buf() with VIRTIO_F_IN_ORDER
 * @vq: the queue, not broken, VIRTIO_F_IN_ORDER negotiated
 * @len: set to the bytes the device wrote (as posted for a buffer a batch
 *	covers without an element of its own)
 *
 * Virtio 1.3, 2.7.9: one used element may stand for a batch of buffers.
 *
 * Context: as vra_get_buf_ctx().
 * Return: the token, or NULL (nothing used, or the queue broke).
 */
void *vra_split_get_buf_in_order(struct vra_virtqueue *vq, unsigned int *len);

/**
 * vra_split_more_used() - tell whether a used buffer is waiting
 * @vq: the queue
 *
 * Context: any, including hard interrupt.
 * Return: true if vra_split_get_buf() has something to look at.
 */
static inline bool vra_split_more_used(const struct vra_virtqueue *vq)
{
	return READ_ONCE(vq->batch_left) || vq->split.last_used_idx !=
	       virtio16_to_cpu(vq->vq.vdev,
			       READ_ONCE(vq->split.vring.used->idx));
}

/**
 * vra_split_disable_cb() - ask for no used buffer notifications (2.7.7)
 * @vq: the queue
 *
 * Context: as vra_disable_cb().
 */
void vra_split_disable_cb(struct vra_virtqueue *vq);

/**
 * vra_split_enable_cb_prepare() - ask for used buffer notifications again
 * @vq: the queue
 *
 * Context: as vra_enable_cb_prepare().
 * Return: the used index to give vra_split_poll().
 */
static inline unsigned int
vra_split_enable_cb_prepare(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;

	if (s->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		s->avail_flags_shadow &= ~VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			s->vring.avail->flags =
				cpu_to_virtio16(vq->vq.vdev,
						s->avail_flags_shadow);
	}
	if (vq->event)
		vring_used_event(&s->vring) =
			cpu_to_virtio16(vq->vq.vdev, s->last_used_idx);
	return s->last_used_idx;
}

/**
 * vra_split_poll() - tell whether the used index moved past @last
 * @vq: the queue
 * @last: from vra_split_enable_cb_prepare()
 *
 * Context: any; the caller issued the barrier.
 * Return: true if buffers were used since.
 */
static inline bool vra_split_poll(const struct vra_virtqueue *vq,
				  unsigned int last)
{
	return (u16)last !=
	       virtio16_to_cpu(vq->vq.vdev,
			       READ_ONCE(vq->split.vring.used->idx));
}

/**
 * vra_split_enable_cb_delayed() - ask for a notification later (2.7.10)
 * @vq: the queue, VIRTIO_RING_F_EVENT_IDX negotiated
 *
 * Context: as vra_enable_cb_delayed().
 * Return: false if three quarters of the buffers are already used.
 */
bool vra_split_enable_cb_delayed(struct vra_virtqueue *vq);

/**
 * vra_split_unexpose() - withdraw one available entry
 * @vq: the queue, the device not using it
 *
 * Context: process context; caller serializes operations on @vq.
 */
void vra_split_unexpose(struct vra_virtqueue *vq);

/**
 * vra_split_notification_data() - the split half of the notification value
 * @vq: the queue
 *
 * Context: as vra_notification_data().
 * Return: the available index (2.9).
 */
u32 vra_split_notification_data(const struct vra_virtqueue *vq);

/* Packed descriptor flags and the event suppression wrap bit. */
#define VRA_F_AVAIL	BIT(VRING_PACKED_DESC_F_AVAIL)
#define VRA_F_USED	BIT(VRING_PACKED_DESC_F_USED)
#define VRA_WRAP_SHIFT	VRING_PACKED_EVENT_F_WRAP_CTR

/* Tell whether the descriptor at @pos is used in the lap of @wrap. */
static inline bool vra_packed_is_used(const struct vra_virtqueue *vq, u16 pos,
				      bool wrap)
{
	u16 flags = le16_to_cpu(READ_ONCE(vq->packed.desc[pos].flags));

	return !!(flags & VRA_F_AVAIL) == wrap && !!(flags & VRA_F_USED) == wrap;
}

/* Ask for a used buffer notification: at @off_wrap with event index. */
static inline void vra_packed_set_event(struct vra_virtqueue *vq,
					u16 off_wrap)
{
	struct vra_packed *p = &vq->packed;
	u16 flags = vq->event ? VRING_PACKED_EVENT_FLAG_DESC :
				VRING_PACKED_EVENT_FLAG_ENABLE;

	if (vq->event) {
		p->driver->off_wrap = cpu_to_le16(off_wrap);
		/*
		 * The offset must be visible before the flags that make the
		 * device use it; pairs with the device's read of the flags.
		 */
		virtio_wmb(vq->weak_barriers);
	}
	if (p->event_flags_shadow != flags) {
		p->event_flags_shadow = flags;
		p->driver->flags = cpu_to_le16(flags);
	}
}

/**
 * vra_packed_init() - set up a zeroed packed ring (2.8)
 * @vq: the queue, its ring memory allocated and zeroed
 *
 * Context: process context.
 */
void vra_packed_init(struct vra_virtqueue *vq);

/**
 * vra_packed_add() - make a buffer available, packed layout (2.8.13)
 * @vq: the queue, not broken
 * @sgs: the scatterlists
 * @out_sgs: device-readable scatterlists
 * @in_sgs: device-writable scatterlists
 * @data: the token, not NULL
 * @gfp: for an indirect table
 *
 * Context: as vra_add_sgs().
 * Return: 0, -EINVAL if the buffer has no entries or more than the queue
 * size, -ENOSPC (counted) or -ENOMEM.
 */
int vra_packed_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		   unsigned int out_sgs, unsigned int in_sgs, void *data,
		   gfp_t gfp);

/**
 * vra_packed_kick_prepare() - read the packed device's notification wish
 * @vq: the queue
 *
 * Resets num_added, counts kicks_suppressed and traces, for
 * vra_kick_prepare().
 *
 * Context: as vra_kick_prepare().
 * Return: true if the device needs a notification (2.8.10).
 */
bool vra_packed_kick_prepare(struct vra_virtqueue *vq);

/**
 * vra_packed_get_buf() - take the next used buffer, packed layout (2.8.21)
 * @vq: the queue, not broken
 * @len: set to the bytes the device wrote
 *
 * Context: as vra_get_buf_ctx().
 * Return: the token, or NULL (nothing used, or the queue broke).
 */
void *vra_packed_get_buf(struct vra_virtqueue *vq, unsigned int *len);

/**
 * vra_packed_get_buf_in_order() - vra_packed_get_buf() with VIRTIO_F_IN_ORDER
 * @vq: the queue, not broken, VIRTIO_F_IN_ORDER negotiated
 * @len: set to the bytes the device wrote (as posted for a buffer a batch
 *	covers without a used descriptor of its own)
 *
 * Virtio 1.3, 2.8.20: one used descriptor may stand for a batch of buffers.
 *
 * Context: as vra_get_buf_ctx().
 * Return: the token, or NULL (nothing used, or the queue broke).
 */
void *vra_packed_get_buf_in_order(struct vra_virtqueue *vq, unsigned int *len);

/**
 * vra_packed_more_used() - tell whether a used descriptor is waiting
 * @vq: the queue
 *
 * With buffers in flight, the slot at last_used_idx was written by the
 * driver in the current lap: it holds our available descriptor (AVAIL ==
 * used wrap counter, USED != it) until the device writes a used one over it
 * (both == the counter). Anything else is a device error. With nothing in
 * flight the slot may hold a stale descriptor of an earlier lap (the tail
 * of a chain), so it is not looked at.
 *
 * Context: any, including hard interrupt.
 * Return: true if vra_packed_get_buf() has something to look at.
 */
static inline bool vra_packed_more_used(const struct vra_virtqueue *vq)
{
	const struct vra_packed *p = &vq->packed;
	u16 flags;

	if (READ_ONCE(vq->batch_left))
		return true;
	if (!READ_ONCE(vq->in_flight))
		return false;
	flags = le16_to_cpu(READ_ONCE(p->desc[p->last_used_idx].flags));
	/* Inconsistent flags count as used here; get_buf breaks on them. */
	return !(!!(flags & VRA_F_AVAIL) == p->used_wrap &&
		 !!(flags & VRA_F_USED) != p->used_wrap);
}

/**
 * vra_packed_disable_cb() - write DISABLE to the driver event area
 * @vq: the queue
 *
 * Context: as vra_disable_cb().
 */
void vra_packed_disable_cb(struct vra_virtqueue *vq);

/**
 * vra_packed_enable_cb_prepare() - write ENABLE, or DESC at the next used
 * @vq: the queue
 *
 * Context: as vra_enable_cb_prepare().
 * Return: the used position and wrap counter (bit 15) for vra_packed_poll().
 */
static inline unsigned int
vra_packed_enable_cb_prepare(struct vra_virtqueue *vq)
{
	struct vra_packed *p = &vq->packed;
	u16 off_wrap = p->last_used_idx | p->used_wrap << VRA_WRAP_SHIFT;

	vra_packed_set_event(vq, off_wrap);
	return off_wrap;
}

/**
 * vra_packed_poll() - tell whether the descriptor at @last is used
 * @vq: the queue
 * @last: from vra_packed_enable_cb_prepare()
 *
 * Context: any; the caller issued the barrier.
 * Return: true if it is.
 */
static inline bool vra_packed_poll(const struct vra_virtqueue *vq,
				   unsigned int last)
{
	u16 pos = last & ~BIT(VRA_WRAP_SHIFT);

	if (pos >= vq->num)
		return false;
	return vra_packed_is_used(vq, pos, !!(last >> VRA_WRAP_SHIFT));
}

/**
 * vra_packed_enable_cb_delayed() - ask for a notification later (2.8.10)
 * @vq: the queue, VIRTIO_RING_F_EVENT_IDX negotiated
 *
 * Context: as vra_enable_cb_delayed().
 * Return: false if the descriptor asked about is already used.
 */
bool vra_packed_enable_cb_delayed(struct vra_virtqueue *vq);

/**
 * vra_packed_notification_data() - the packed half of the notification value
 * @vq: the queue
 *
 * Context: as vra_notification_data().
 * Return: next_avail_idx in bits 0-14, the avail wrap counter in bit 15.
 */
u32 vra_packed_notification_data(const struct vra_virtqueue *vq);

/*
 * The layouts' halves of vra_dump_ring() (see its kernel-doc for the
 * format, the bound and the locking). Each prints its own section after
 * the common header; vra_*_dump_desc() print one descriptor, of the ring
 * or of an indirect table.
 */

/**
 * vra_split_dump() - print the split ring: descriptor table, avail, used
 * @vq: the queue, under the caller's serialization
 * @s: where to print
 *
 * Context: as vra_dump_ring().
 */
void vra_split_dump(const struct vra_virtqueue *vq, struct seq_file *s);

/**
 * vra_split_dump_desc() - print one split descriptor (2.7.5)
 * @vq: the queue, for its byte order
 * @s: where to print
 * @d: the descriptor, in the ring or an indirect table
 *
 * Prints " addr A len L flags F NAMES next N" and a newline.
 *
 * Context: as vra_dump_ring().
 */
void vra_split_dump_desc(const struct vra_virtqueue *vq, struct seq_file *s,
			 const struct vring_desc *d);

/**
 * vra_packed_dump() - print the packed ring: descriptors, wrap counters,
 * both event suppression areas
 * @vq: the queue, under the caller's serialization
 * @s: where to print
 *
 * Context: as vra_dump_ring().
 */
void vra_packed_dump(const struct vra_virtqueue *vq, struct seq_file *s);

/**
 * vra_packed_dump_desc() - print one packed descriptor (2.8.13)
 * @s: where to print
 * @d: the descriptor, in the ring or an indirect table
 *
 * Prints " addr A len L id I flags F NAMES" and a newline.
 *
 * Context: as vra_dump_ring().
 */
void vra_packed_dump_desc(struct seq_file *s, const struct vring_packed_desc *d);

/**
 * vra_dump_desc_flags() - print VRING_DESC_F_* / packed flag names
 * @s: where to print
 * @flags: the flags, CPU byte order
 *
 * Prints " flags 0xXXXX NAME|NAME" (or "-" for none); unknown bits as
 * "bit N".
 *
 * Context: any.
 */
void vra_dump_desc_flags(struct seq_file *s, u16 flags);

#endif /* _VIRTIO_RING_ALT_INTERNAL_H */
