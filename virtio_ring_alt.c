// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt ring: the driver side of a virtqueue. This file holds the API
 * and what the split (virtio_ring_alt_split.c) and packed
 * (virtio_ring_alt_packed.c) layouts share.
 *
 * The device is untrusted: every value read from the device area is checked
 * before use, and everything needed to unmap or free a buffer comes from
 * driver-private state (struct vra_desc_extra, struct vra_state), never from
 * the ring. A violation marks the queue broken, counts the reason and logs
 * once (ratelimited).
 *
 * Concurrency follows the in-tree API: the caller serializes all operations
 * on one queue, except vra_interrupt(), vra_poll() and the vra_get_*()
 * accessors, which may run beside them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "virtio_ring_alt_internal.h"
#define CREATE_TRACE_POINTS
#include "virtio_alt_trace.h"

const char * const vra_stat_names[VRA_STAT_NR] = {
	[VRA_STAT_bufs_added]		= "bufs_added",
	[VRA_STAT_descs_added]		= "descs_added",
	[VRA_STAT_bufs_used]		= "bufs_used",
	[VRA_STAT_kicks]		= "kicks",
	[VRA_STAT_kicks_suppressed]	= "kicks_suppressed",
	[VRA_STAT_irqs]			= "irqs",
	[VRA_STAT_irqs_spurious]	= "irqs_spurious",
	[VRA_STAT_irqs_suppressed]	= "irqs_suppressed",
	[VRA_STAT_cb_disables]		= "cb_disables",
	[VRA_STAT_cb_enables]		= "cb_enables",
	[VRA_STAT_avail_wraps]		= "avail_wraps",
	[VRA_STAT_used_wraps]		= "used_wraps",
	[VRA_STAT_enospc]		= "enospc",
	[VRA_STAT_used_len_clamped]	= "used_len_clamped",
	[VRA_STAT_resets]		= "resets",
};
EXPORT_SYMBOL_GPL(vra_stat_names);

const char * const vra_broken_names[VRA_BROKEN_NR] = {
	[VRA_BROKEN_used_id_range]	= "used_id_range",
	[VRA_BROKEN_used_id_idle]	= "used_id_idle",
	[VRA_BROKEN_used_len]		= "used_len",
	[VRA_BROKEN_used_idx_jump]	= "used_idx_jump",
	[VRA_BROKEN_packed_flags]	= "packed_flags",
	[VRA_BROKEN_in_order_skip]	= "in_order_skip",
	[VRA_BROKEN_notify_failed]	= "notify_failed",
	[VRA_BROKEN_by_transport]	= "by_transport",
};
EXPORT_SYMBOL_GPL(vra_broken_names);

/*
 * Mark the queue broken for @reason. The caller returns nothing to its own
 * caller after this; the bad value is not used.
 */
void vra_bad(struct vra_virtqueue *vq, enum vra_broken reason,
	     const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	vq->stats.broken[reason]++;
	vra_set_broken(vq, true);
	trace_virtio_alt_broken(&vq->vq, vra_broken_names[reason]);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_err_ratelimited(&vq->vq.vdev->dev, "vq %u (%s) broken: %pV\n",
			    vq->vq.index, vq->vq.name, &vaf);
	va_end(args);
}

/* Undo the first @mapped mappings of the chain of @extra from @head. */
void vra_unmap_chain(struct vra_virtqueue *vq, struct vra_desc_extra *extra,
		     unsigned int head, unsigned int mapped)
{
	unsigned int i;

	for (i = head; mapped; mapped--, i = extra[i].next)
		vra_unmap_one(vq, &extra[i]);
}

/*
 * An indirect table for @total descriptors and the extra entries that
 * unmap them (in table order, unchained), in one allocation (see
 * vra_indir_extra()): a small one from the queue's pool when it has one.
 * The caller fills the table, then maps it; NULL when memory is short (the
 * caller then chains the descriptors in the ring).
 */
static void *vra_alloc_indir(struct vra_virtqueue *vq, unsigned int total,
			     gfp_t gfp)
{
	void *table = vq->indir_pool;

	BUILD_BUG_ON(sizeof(struct vring_desc) != VRA_DESC_SIZE ||
		     sizeof(struct vring_packed_desc) != VRA_DESC_SIZE ||
		     sizeof(struct vra_desc_extra) != VRA_DESC_SIZE);
	if (total <= VRA_INDIR_POOL_DESCS) {
		if (table) {
			vq->indir_pool = *(void **)table;
			vq->indir_pooled--;
			return table;
		}
		total = VRA_INDIR_POOL_DESCS;
	}
	/* total <= 32768: no overflow. */
	return kmalloc_array(total, 2 * VRA_DESC_SIZE, gfp | __GFP_NOWARN);
}

/* Give back a table of @n entries: to the pool if small and it has room. */
static void vra_free_indir(struct vra_virtqueue *vq, void *table,
			   unsigned int n)
{
	if (n > VRA_INDIR_POOL_DESCS || vq->indir_pooled == VRA_INDIR_POOL_MAX) {
		kfree(table);
		return;
	}
	*(void **)table = vq->indir_pool;
	vq->indir_pool = table;
	vq->indir_pooled++;
}

/* Free every table in the pool. */
static void vra_drain_indir_pool(struct vra_virtqueue *vq)
{
	void *table;

	while ((table = vq->indir_pool)) {
		vq->indir_pool = *(void **)table;
		kfree(table);
	}
	vq->indir_pooled = 0;
}

/*
 * Map a buffer's @total entries into the indirect table @table in one
 * pass: the driver's copy after the table, the only one unmapping trusts,
 * and the device's table in the queue's format (2.7.5.3: chained with
 * NEXT and next = i + 1; 2.8.19: in order, only VIRTQ_DESC_F_WRITE set).
 * Sums the device-writable bytes into @in_len. Returns 0, or -ENOMEM with
 * nothing left mapped.
 */
static int vra_fill_indir(struct vra_virtqueue *vq, struct scatterlist *sgs[],
			  unsigned int out_sgs, unsigned int in_sgs,
			  void *table, unsigned int total, u32 *in_len)
{
	struct vra_desc_extra *extra = vra_indir_extra(table, total);
	struct virtio_device *vdev = vq->vq.vdev;
	struct vring_packed_desc *pt = table;
	struct vring_desc *st = table;
	unsigned int n, i = 0, j;
	struct scatterlist *sg;
	u32 bytes = 0;

	for (n = 0; n < out_sgs + in_sgs; n++) {
		bool write = n >= out_sgs;
		u16 flags = write ? VRING_DESC_F_WRITE : 0;

		for (sg = sgs[n]; sg; sg = sg_next(sg), i++) {
			struct vra_desc_extra *e = &extra[i];
			dma_addr_t addr;

			addr = dma_map_page(vq->dma_dev, sg_page(sg),
					    sg->offset, sg->length,
					    write ? DMA_FROM_DEVICE :
					    DMA_TO_DEVICE);
			if (unlikely(dma_mapping_error(vq->dma_dev, addr))) {
				for (j = 0; j < i; j++)
					vra_unmap_one(vq, &extra[j]);
				return -ENOMEM;
			}
			e->addr = addr;
			e->len = sg->length;
			e->flags = flags;
			if (write)
				bytes += sg->length;
			if (vra_vq_packed(vq)) {
				pt[i].addr = cpu_to_le64(addr);
				pt[i].len = cpu_to_le32(sg->length);
				pt[i].id = 0;
				pt[i].flags = cpu_to_le16(flags);
			} else {
				st[i].addr = cpu_to_virtio64(vdev, addr);
				st[i].len = cpu_to_virtio32(vdev, sg->length);
				st[i].flags = cpu_to_virtio16(vdev, flags |
							      VRING_DESC_F_NEXT);
				st[i].next = cpu_to_virtio16(vdev, i + 1);
			}
		}
	}
	/* The split chain ends at the last entry (i > 1: a table's size). */
	if (!vra_vq_packed(vq))
		st[i - 1].flags = cpu_to_virtio16(vdev, extra[i - 1].flags);
	*in_len = bytes;
	return 0;
}

/*
 * Free an indirect table of @n entries that is not (or no longer) mapped
 * itself; @mapped says whether its entries are.
 */
static void vra_abort_indir(struct vra_virtqueue *vq, void *table,
			    unsigned int n, bool mapped)
{
	struct vra_desc_extra *extra = vra_indir_extra(table, n);
	unsigned int i;

	for (i = 0; mapped && i < n; i++)
		vra_unmap_one(vq, &extra[i]);
	vra_free_indir(vq, table, n);
}

/*
 * Map a buffer into an indirect table, written and mapped; the ring's
 * extra entry at free_head describes it. Returns 1, 0 if no
 * table could be allocated (the caller then chains the buffer in the ring),
 * or -ENOMEM with nothing left mapped.
 */
int vra_map_indirect(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		     unsigned int out_sgs, unsigned int in_sgs,
		     unsigned int total, gfp_t gfp, void **inp, u32 *in_len)
{
	struct vra_desc_extra *e = &vq->extra[vq->free_head];
	dma_addr_t dma;
	void *table;
	int err;

	table = vra_alloc_indir(vq, total, gfp);
	if (!table)
		return 0;
	err = vra_fill_indir(vq, sgs, out_sgs, in_sgs, table, total, in_len);
	if (err) {
		vra_abort_indir(vq, table, total, false);
		return err;
	}
	dma = dma_map_single(vq->dma_dev, table, total * VRA_DESC_SIZE,
			     DMA_TO_DEVICE);
	if (dma_mapping_error(vq->dma_dev, dma)) {
		vra_abort_indir(vq, table, total, true);
		return -ENOMEM;
	}
	e->addr = dma;
	e->len = total * VRA_DESC_SIZE;
	e->flags = VRING_DESC_F_INDIRECT;
	*inp = table;
	return 1;
}

/* Unmap and free an indirect table of a buffer in flight. */
void vra_detach_indir(struct vra_virtqueue *vq, unsigned int id)
{
	const struct vra_desc_extra *e = &vq->extra[id];
	struct vra_state *st = &vq->state[id];

	dma_unmap_single(vq->dma_dev, e->addr, e->len, DMA_TO_DEVICE);
	vra_abort_indir(vq, st->indir, vra_indir_n(e), true);
	st->indir = NULL;
}

/*
 * The checks of vra_check_used() one by one, for an element that failed
 * them: a long length is clamped and counted unless the queue is strict,
 * anything else breaks the queue.
 */
bool vra_check_used_slow(struct vra_virtqueue *vq, u32 id, u32 *len)
{
	if (unlikely(id >= vq->num)) {
		vra_bad(vq, VRA_BROKEN_used_id_range,
			"used id %u out of range (size %u)", id, vq->num);
		return false;
	}
	if (unlikely(!vq->state[id].data)) {
		vra_bad(vq, VRA_BROKEN_used_id_idle,
			"used id %u is not in flight", id);
		return false;
	}
	if (unlikely(*len > vq->state[id].in_len)) {
		if (vq->strict_len) {
			vra_bad(vq, VRA_BROKEN_used_len,
				"used len %u > %u device-writable bytes (id %u)",
				*len, vq->state[id].in_len, id);
			return false;
		}
		dev_dbg_ratelimited(&vq->vq.vdev->dev,
				    "vq %u: used len %u > %u posted, clamped\n",
				    vq->vq.index, *len, vq->state[id].in_len);
		vra_inc(vq, VRA_STAT_used_len_clamped);
		*len = vq->state[id].in_len;
	}
	return true;
}

/*
 * In-order: the device used the buffers from next_in_order up to @id, the
 * last with @len bytes. @bufs > 0 is the most that can be (split: how far
 * the used index moved, which may cover several batches); 0 means any
 * number up to what is in flight (packed, where the batch size is not
 * written). Starts the batch, or breaks the queue when @id is not a buffer
 * in flight within that reach.
 */
bool vra_in_order_batch(struct vra_virtqueue *vq, u32 id, u32 len,
			unsigned int bufs)
{
	unsigned int b = vq->next_in_order, k = 1;

	if (!vra_check_used(vq, id, &len))
		return false;
	/*
	 * Every buffer in flight one descriptor: @id, in flight, is the
	 * buffer as many ids on from the oldest as it is buffers on.
	 */
	if (!vq->chains_in_flight) {
		k = (id >= b ? id - b : id + vq->num - b) + 1;
		b = id;
	}
	while (b != id) {
		if (k == vq->in_flight)
			break;
		b = vra_next_id(vq, b, vq->state[b].ndescs);
		k++;
	}
	if (unlikely(b != id || (bufs && k > bufs))) {
		vra_bad(vq, VRA_BROKEN_in_order_skip,
			"in-order: used id %u is %u buffers on from id %u, device used %u",
			id, k, vq->next_in_order, bufs);
		return false;
	}
	vq->batch_left = k;
	vq->batch_len = len;
	return true;
}

/**
 * vra_transport_features() - clear the transport features this ring lacks
 * @vdev: the device whose driver features are being finalized
 *
 * Called by a transport's finalize_features when the device runs on the alt
 * ring, in place of vring_transport_features(). Keeps the ring features this
 * ring implements (virtio 1.3, 6 "Reserved Feature Bits") and clears every
 * other bit in the transport range.
 *
 * Context: process context, during feature negotiation.
 */
void vra_transport_features(struct virtio_device *vdev)
{
	unsigned int i;

	for (i = VIRTIO_TRANSPORT_F_START; i < VIRTIO_TRANSPORT_F_END; i++) {
		switch (i) {
		case VIRTIO_RING_F_INDIRECT_DESC:
		case VIRTIO_RING_F_EVENT_IDX:
		case VIRTIO_F_VERSION_1:
		case VIRTIO_F_ACCESS_PLATFORM:
		case VIRTIO_F_RING_PACKED:
		case VIRTIO_F_IN_ORDER:
		case VIRTIO_F_ORDER_PLATFORM:
		case VIRTIO_F_NOTIFICATION_DATA:
		case VIRTIO_F_RING_RESET:
			break;
		default:
			__virtio_clear_bit(vdev, i);
		}
	}
}
EXPORT_SYMBOL_GPL(vra_transport_features);

/**
 * vra_add_sgs() - make a buffer available to the device
 * @_vq: the queue
 * @sgs: @out_sgs device-readable scatterlists, then @in_sgs device-writable
 * @out_sgs: number of device-readable scatterlists
 * @in_sgs: number of device-writable scatterlists
 * @data: token returned by vra_get_buf() for this buffer; not NULL
 * @gfp: allocation flags for an indirect table
 *
 * Virtio 1.3, 2.7.13 and 2.8.13 "Supplying Buffers to The Device". With
 * VIRTIO_RING_F_INDIRECT_DESC a buffer of more than one entry takes one
 * ring descriptor pointing to an indirect table (2.7.5.3, 2.8.19). The
 * device is not notified: see vra_kick().
 *
 * Context: any that @gfp allows; caller serializes operations on @_vq.
 * Return: 0; -ENOSPC if fewer free descriptors than needed (counted);
 * -EINVAL if the buffer has no entries or more than the queue size, or
 * @data is NULL; -EIO if the queue
 * is broken; -ENOMEM if DMA mapping failed (nothing stays mapped).
 */
int vra_add_sgs(struct virtqueue *_vq, struct scatterlist *sgs[],
		unsigned int out_sgs, unsigned int in_sgs, void *data,
		gfp_t gfp)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	u8 path = READ_ONCE(vq->path);

	/*
	 * Not broken (one compare, see VRA_PATH_*): the layout counts the
	 * entries and maps them, in one function.
	 */
	if (likely(path <= (VRA_PATH_PACKED | VRA_PATH_IN_ORDER) && data)) {
		if (path & VRA_PATH_PACKED)
			return vra_packed_add(vq, sgs, out_sgs, in_sgs, data,
					      gfp);
		return vra_split_add(vq, sgs, out_sgs, in_sgs, data, gfp);
	}
	return path & VRA_PATH_BROKEN ? -EIO : -EINVAL;
}
EXPORT_SYMBOL_GPL(vra_add_sgs);

/**
 * vra_add_outbuf() - make a device-readable buffer available
 * @vq: the queue
 * @sg: scatterlist of @num entries
 * @num: entries in @sg
 * @data: token returned by vra_get_buf(); not NULL
 * @gfp: allocation flags
 *
 * Context: as vra_add_sgs().
 * Return: as vra_add_sgs().
 */
int vra_add_outbuf(struct virtqueue *vq, struct scatterlist *sg,
		   unsigned int num, void *data, gfp_t gfp)
{
	if (unlikely(sg_nents(sg) < num))
		return -EINVAL;
	if (num)
		sg_mark_end(&sg[num - 1]);
	return vra_add_sgs(vq, &sg, 1, 0, data, gfp);
}
EXPORT_SYMBOL_GPL(vra_add_outbuf);

/**
 * vra_add_inbuf() - make a device-writable buffer available
 * @vq: the queue
 * @sg: scatterlist of @num entries
 * @num: entries in @sg
 * @data: token returned by vra_get_buf(); not NULL
 * @gfp: allocation flags
 *
 * Context: as vra_add_sgs().
 * Return: as vra_add_sgs().
 */
int vra_add_inbuf(struct virtqueue *vq, struct scatterlist *sg,
		  unsigned int num, void *data, gfp_t gfp)
{
	if (unlikely(sg_nents(sg) < num))
		return -EINVAL;
	if (num)
		sg_mark_end(&sg[num - 1]);
	return vra_add_sgs(vq, &sg, 0, 1, data, gfp);
}
EXPORT_SYMBOL_GPL(vra_add_inbuf);

/**
 * vra_kick_prepare() - decide whether the device needs a notification
 * @_vq: the queue
 *
 * Virtio 1.3, 2.7.10 and 2.8.10: the device's event suppression decides.
 * Every call that returns false is counted in kicks_suppressed, so with
 * vra_kick() the calls add up to kicks + kicks_suppressed.
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: true if vra_notify() must be called.
 */
bool vra_kick_prepare(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	/* The layout resets num_added, counts and traces. */
	if (vra_vq_packed(vq))
		return vra_packed_kick_prepare(vq);
	return vra_split_kick_prepare(vq);
}
EXPORT_SYMBOL_GPL(vra_kick_prepare);

/**
 * vra_notify() - send an available buffer notification
 * @_vq: the queue
 *
 * Calls the transport's notify. A transport that cannot reach the device
 * returns false, and the queue is then broken.
 *
 * Context: any; may be called without the caller's serialization.
 * Return: false if the queue is or became broken.
 */
bool vra_notify(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	if (unlikely(vra_vq_broken(vq)))
		return false;
	if (unlikely(!vq->notify(_vq))) {
		vra_bad(vq, VRA_BROKEN_notify_failed, "notify failed");
		return false;
	}
	vra_inc(vq, VRA_STAT_kicks);
	return true;
}
EXPORT_SYMBOL_GPL(vra_notify);

int vra_add_kick(struct vra_virtqueue *vq)
{
	vra_kick(&vq->vq);
	return 0;
}

/**
 * vra_kick() - notify the device if it needs it
 * @vq: the queue
 *
 * vra_kick_prepare() then, if needed, vra_notify().
 *
 * Context: any; caller serializes operations on @vq.
 * Return: false if the queue is broken.
 */
bool vra_kick(struct virtqueue *vq)
{
	if (vra_kick_prepare(vq))
		return vra_notify(vq);
	return !vra_vq_broken(to_vvq(vq));
}
EXPORT_SYMBOL_GPL(vra_kick);

/*
 * The layout's get_buf, straight to the variant for the queue's features,
 * or nothing from a broken queue; one load and a compare for the common
 * case (VRA_PATH_*). The layout traces what it returns.
 */
static __always_inline void *vra_take(struct vra_virtqueue *vq,
				      unsigned int *len)
{
	switch (READ_ONCE(vq->path)) {
	case 0:
		return vra_split_get_buf(vq, len);
	case VRA_PATH_IN_ORDER:
		return vra_split_get_buf_in_order(vq, len);
	case VRA_PATH_PACKED:
		return vra_packed_get_buf(vq, len);
	case VRA_PATH_PACKED | VRA_PATH_IN_ORDER:
		return vra_packed_get_buf_in_order(vq, len);
	default:	/* broken */
		return NULL;
	}
}

/**
 * vra_get_buf_ctx() - take the next used buffer
 * @_vq: the queue
 * @len: set to the number of bytes the device wrote into the buffer
 * @ctx: if not NULL, set to NULL: buffers are added without a context
 *
 * Virtio 1.3, 2.7.8 and 2.8.21. The used element is checked before use:
 * its id must name a buffer in flight, its length must not exceed the
 * device-writable bytes of that buffer (clamped and counted, or broken with
 * vra_set_strict_len()), and the split used index must not have moved past
 * what is in flight, the packed flags must be consistent. Otherwise the
 * queue is broken and nothing is returned.
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: the token given to vra_add_sgs(), or NULL if no buffer is used or
 * the queue is broken.
 */
void *vra_get_buf_ctx(struct virtqueue *_vq, unsigned int *len, void **ctx)
{
	/* Buffers are added without a context (vra_create_virtqueue()). */
	if (ctx)
		*ctx = NULL;
	return vra_take(to_vvq(_vq), len);
}
EXPORT_SYMBOL_GPL(vra_get_buf_ctx);

/**
 * vra_get_buf() - take the next used buffer
 * @_vq: the queue
 * @len: set to the number of bytes the device wrote
 *
 * Context: as vra_get_buf_ctx().
 * Return: as vra_get_buf_ctx().
 */
void *vra_get_buf(struct virtqueue *_vq, unsigned int *len)
{
	return vra_take(to_vvq(_vq), len);
}
EXPORT_SYMBOL_GPL(vra_get_buf);

/**
 * vra_disable_cb() - ask the device not to send used buffer notifications
 * @_vq: the queue
 *
 * Virtio 1.3, 2.7.7 and 2.8.10. A hint only: the device may still notify,
 * and callbacks may still run.
 *
 * Context: any; caller serializes operations on @_vq.
 */
void vra_disable_cb(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	vra_inc(vq, VRA_STAT_cb_disables);
	if (vra_vq_packed(vq))
		vra_packed_disable_cb(vq);
	else
		vra_split_disable_cb(vq);
}
EXPORT_SYMBOL_GPL(vra_disable_cb);

/* vra_enable_cb_prepare(), inline in vra_enable_cb() too. */
static __always_inline unsigned int
__vra_enable_cb_prepare(struct vra_virtqueue *vq)
{
	vra_inc(vq, VRA_STAT_cb_enables);
	if (vra_vq_packed(vq))
		return vra_packed_enable_cb_prepare(vq);
	return vra_split_enable_cb_prepare(vq);
}

/**
 * vra_enable_cb_prepare() - re-enable used buffer notifications
 * @_vq: the queue
 *
 * Re-enables notifications and returns the position to pass to vra_poll(),
 * which tells whether buffers were used meanwhile.
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: an opaque used position for vra_poll().
 */
unsigned int vra_enable_cb_prepare(struct virtqueue *_vq)
{
	return __vra_enable_cb_prepare(to_vvq(_vq));
}
EXPORT_SYMBOL_GPL(vra_enable_cb_prepare);

/* vra_poll(), inline in vra_enable_cb() too. */
static __always_inline bool __vra_poll(struct vra_virtqueue *vq,
				       unsigned int last_used_idx)
{
	if (unlikely(vra_vq_broken(vq)))
		return false;
	/*
	 * The re-enabled notification state must be visible before we read
	 * the used state; pairs with the device's barrier between publishing
	 * a used buffer and reading the driver's event suppression.
	 */
	virtio_mb(vq->weak_barriers);
	if (vra_vq_packed(vq))
		return vra_packed_poll(vq, last_used_idx);
	return vra_split_poll(vq, last_used_idx);
}

/**
 * vra_poll() - tell whether buffers were used since a position
 * @_vq: the queue
 * @last_used_idx: value returned by vra_enable_cb_prepare()
 *
 * Context: any; may run beside the caller's other operations.
 * Return: true if the device used buffers past @last_used_idx; false if
 * not, or if the queue is broken.
 */
bool vra_poll(struct virtqueue *_vq, unsigned int last_used_idx)
{
	return __vra_poll(to_vvq(_vq), last_used_idx);
}
EXPORT_SYMBOL_GPL(vra_poll);

/**
 * vra_enable_cb() - re-enable used buffer notifications, check for races
 * @vq: the queue
 *
 * Context: any; caller serializes operations on @vq.
 * Return: false if buffers were used meanwhile (the caller must process
 * them; it may not get a callback for them), true otherwise.
 */
bool vra_enable_cb(struct virtqueue *vq)
{
	struct vra_virtqueue *vvq = to_vvq(vq);

	return !__vra_poll(vvq, __vra_enable_cb_prepare(vvq));
}
EXPORT_SYMBOL_GPL(vra_enable_cb);

/**
 * vra_enable_cb_delayed() - re-enable notifications after most buffers
 * @_vq: the queue
 *
 * With VIRTIO_RING_F_EVENT_IDX, asks for the notification only once about
 * three quarters of the buffers in flight are used; without it, as
 * vra_enable_cb().
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: false if that many buffers are already used, true otherwise.
 */
bool vra_enable_cb_delayed(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	if (!vq->event)
		return vra_enable_cb(_vq);
	vra_inc(vq, VRA_STAT_cb_enables);
	if (unlikely(vra_vq_broken(vq)))
		return true;
	if (vra_vq_packed(vq))
		return vra_packed_enable_cb_delayed(vq);
	return vra_split_enable_cb_delayed(vq);
}
EXPORT_SYMBOL_GPL(vra_enable_cb_delayed);

/**
 * vra_detach_unused_buf() - take back a buffer the device did not use
 * @_vq: the queue, after the device was reset or the queue stopped
 *
 * Returns available buffers one at a time, unmapped; for the split layout
 * they are also withdrawn from the available ring.
 *
 * Context: process context; caller serializes operations on @_vq.
 * Return: a token, or NULL when none is left.
 */
void *vra_detach_unused_buf(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	unsigned int i;

	for (i = 0; i < vq->num; i++) {
		if (!vq->state[i].data)
			continue;
		if (!vra_vq_packed(vq))
			vra_split_unexpose(vq);
		return vra_detach(vq, i);
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(vra_detach_unused_buf);

/**
 * vra_interrupt() - handle a used buffer notification for one queue
 * @irq: the interrupt number (unused)
 * @_vq: the queue (struct virtqueue *)
 *
 * Calls the queue's callback when the device used a buffer. Counts every
 * call in irqs and those that found nothing in irqs_spurious.
 *
 * Context: hard interrupt, or any context that the transport calls it from.
 * Return: IRQ_NONE if no buffer was used, IRQ_HANDLED otherwise.
 */
irqreturn_t vra_interrupt(int irq, void *_vq)
{
	struct vra_virtqueue *vq = to_vvq((struct virtqueue *)_vq);
	bool more;

	vra_inc(vq, VRA_STAT_irqs);
	more = vra_vq_packed(vq) ? vra_packed_more_used(vq) : vra_split_more_used(vq);
	trace_virtio_alt_interrupt(&vq->vq, !more);
	if (!more) {
		vra_inc(vq, VRA_STAT_irqs_spurious);
		return IRQ_NONE;
	}
	if (unlikely(vra_vq_broken(vq)))
		return IRQ_HANDLED;
	if (vq->vq.callback)
		vq->vq.callback(&vq->vq);
	return IRQ_HANDLED;
}
EXPORT_SYMBOL_GPL(vra_interrupt);

/* Ring memory for @num entries; 0 or -ENOMEM, -EINVAL. */
static int vra_alloc_ring(struct vra_virtqueue *vq, unsigned int num,
			  bool may_reduce_num)
{
	struct vra_split_layout l;
	size_t size;

	for (;;) {
		if (vra_vq_packed(vq)) {
			if (!num || num > 32768)
				return -EINVAL;
			/* 2.8.10: descriptors, then driver and device areas. */
			size = sizeof(struct vring_packed_desc) * num;
			vq->avail_off = size;
			vq->used_off = size + sizeof(struct vring_packed_desc_event);
			size = vq->used_off + sizeof(struct vring_packed_desc_event);
		} else {
			if (vra_split_layout(num, vq->align, &l))
				return -EINVAL;
			vq->avail_off = l.avail;
			vq->used_off = l.used;
			size = l.size;
		}
		vq->ring = dma_alloc_coherent(vq->dma_dev, size, &vq->ring_dma,
					      GFP_KERNEL | __GFP_NOWARN);
		if (vq->ring)
			break;
		if (!may_reduce_num || num == 1)
			return -ENOMEM;
		num /= 2;
	}
	vq->ring_size = size;
	vq->extra = kcalloc(num, sizeof(*vq->extra), GFP_KERNEL);
	vq->state = kcalloc(num, sizeof(*vq->state), GFP_KERNEL);
	if (!vq->extra || !vq->state) {
		kfree(vq->extra);
		kfree(vq->state);
		dma_free_coherent(vq->dma_dev, size, vq->ring, vq->ring_dma);
		return -ENOMEM;
	}
	vq->num = num;
	return 0;
}

static void vra_free_ring(struct vra_virtqueue *vq)
{
	dma_free_coherent(vq->dma_dev, vq->ring_size, vq->ring, vq->ring_dma);
	kfree(vq->state);
	kfree(vq->extra);
}

/* The ring as new: zeroed, every descriptor free, nothing in flight. */
static void vra_init_ring(struct vra_virtqueue *vq)
{
	unsigned int i;

	memset(vq->ring, 0, vq->ring_size);
	for (i = 0; i < vq->num; i++)
		vq->extra[i].next = i + 1;
	vq->free_head = 0;
	vq->free_tail = vq->num - 1;
	vq->next_in_order = 0;
	vq->batch_left = 0;
	vq->num_added = 0;
	vq->in_flight = 0;
	vq->chains_in_flight = 0;
	vq->vq.num_free = vq->num;
	if (vra_vq_packed(vq))
		vra_packed_init(vq);
	else
		vra_split_init(vq);
}

/**
 * vra_create_virtqueue() - create a virtqueue on the alt ring
 * @index: the queue's index in the device
 * @num: queue size the device allows: a power of two up to 32768 for the
 *	split layout, 1 to 32768 for packed
 * @vring_align: split used ring alignment, bytes, a power of two
 * @vdev: the device; its negotiated features select the layout
 *	(VIRTIO_F_RING_PACKED) and the ring features
 * @weak_barriers: true to use SMP barriers, false for mandatory ones
 *	(VIRTIO_F_ORDER_PLATFORM)
 * @may_reduce_num: halve @num until the ring memory can be allocated
 * @ctx: per-buffer contexts wanted (accepted for API parity; buffers are
 *	added without one, so vra_get_buf_ctx() returns NULL contexts)
 * @notify: transport hook that sends an available buffer notification
 * @callback: called on a used buffer notification, or NULL
 * @name: the queue's name, kept by reference
 * @dma_dev: device for the DMA API (the transport's DMA device)
 *
 * Allocates the ring (virtio 1.3, 2.7 or 2.8) in DMA-coherent memory and
 * the driver-private state. The queue is not put on @vdev->vqs.
 *
 * Context: process context, may sleep.
 * Return: the queue, or an ERR_PTR: -EINVAL for a bad @num or
 * @vring_align, -ENOMEM when memory cannot be had.
 */
struct virtqueue *vra_create_virtqueue(unsigned int index, unsigned int num,
				       unsigned int vring_align,
				       struct virtio_device *vdev,
				       bool weak_barriers, bool may_reduce_num,
				       bool ctx,
				       bool (*notify)(struct virtqueue *vq),
				       void (*callback)(struct virtqueue *vq),
				       const char *name,
				       struct device *dma_dev)
{
	struct vra_virtqueue *vq;
	int err;

	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&vq->vq.list);
	vq->vq.callback = callback;
	vq->vq.vdev = vdev;
	vq->vq.name = name;
	vq->vq.index = index;
	vq->path = (virtio_has_feature(vdev, VIRTIO_F_RING_PACKED) ?
		    VRA_PATH_PACKED : 0) |
		   (virtio_has_feature(vdev, VIRTIO_F_IN_ORDER) ?
		    VRA_PATH_IN_ORDER : 0);
	vq->event = virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);
	vq->indirect = virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	vq->weak_barriers = weak_barriers;
	vq->align = vring_align;
	vq->dma_dev = dma_dev;
	vq->notify = notify;

	err = vra_alloc_ring(vq, num, may_reduce_num);
	if (err) {
		kfree(vq);
		return ERR_PTR(err);
	}
	vra_init_ring(vq);
	/* The transport may raise it to the device's maximum. */
	vq->vq.num_max = vq->num;
	return &vq->vq;
}
EXPORT_SYMBOL_GPL(vra_create_virtqueue);

/**
 * vra_del_virtqueue() - free a queue made by vra_create_virtqueue()
 * @_vq: the queue; the device must no longer use it (reset or queue reset)
 *
 * Buffers still in flight are unmapped; their tokens are the caller's
 * (take them back first with vra_detach_unused_buf()).
 *
 * Context: process context.
 */
void vra_del_virtqueue(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	unsigned int i;

	for (i = 0; i < vq->num; i++)
		if (vq->state[i].data)
			vra_detach(vq, i);
	vra_drain_indir_pool(vq);
	vra_free_ring(vq);
	kfree(vq);
}
EXPORT_SYMBOL_GPL(vra_del_virtqueue);

static void vra_recycle_all(struct vra_virtqueue *vq,
			    void (*recycle)(struct virtqueue *vq, void *buf))
{
	unsigned int i;
	void *data;

	for (i = 0; i < vq->num; i++) {
		if (!vq->state[i].data)
			continue;
		data = vra_detach(vq, i);
		if (recycle)
			recycle(&vq->vq, data);
	}
}

/**
 * vra_reset_vring() - return every buffer and start the ring afresh
 * @_vq: the queue; the device must not be using it (device reset, or the
 *	queue stopped by VIRTIO_F_RING_RESET, 2.6.1)
 * @recycle: called with each buffer in flight, or NULL
 *
 * Afterwards the ring is as just created, at the same addresses, and not
 * broken; the transport re-enables it.
 *
 * Context: process context; caller serializes operations on @_vq.
 * Return: 0.
 */
int vra_reset_vring(struct virtqueue *_vq,
		    void (*recycle)(struct virtqueue *vq, void *buf))
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	vra_recycle_all(vq, recycle);
	vra_init_ring(vq);
	vra_set_broken(vq, false);
	vra_inc(vq, VRA_STAT_resets);
	return 0;
}
EXPORT_SYMBOL_GPL(vra_reset_vring);

/**
 * vra_resize_vring() - return every buffer and give the ring a new size
 * @_vq: the queue; the device must not be using it (see vra_reset_vring())
 * @num: the new size, valid for the layout (see vra_create_virtqueue())
 * @recycle: called with each buffer in flight, or NULL
 *
 * The ring memory moves: the transport gives the device the new addresses
 * (vra_get_desc_addr() and friends) before re-enabling the queue. On
 * failure the queue keeps its old size, reset.
 *
 * Context: process context, may sleep; caller serializes operations.
 * Return: 0; -EINVAL for a bad @num; -ENOMEM without memory.
 */
int vra_resize_vring(struct virtqueue *_vq, unsigned int num,
		     void (*recycle)(struct virtqueue *vq, void *buf))
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	struct vra_virtqueue old;
	int err;

	vra_recycle_all(vq, recycle);
	old = *vq;
	err = vra_alloc_ring(vq, num, false);
	if (err)
		*vq = old;	/* the old ring, untouched, comes back */
	else
		vra_free_ring(&old);
	vra_init_ring(vq);
	vra_set_broken(vq, false);
	vra_inc(vq, VRA_STAT_resets);
	return err;
}
EXPORT_SYMBOL_GPL(vra_resize_vring);

/**
 * vra_is_broken() - tell whether the queue is broken
 * @vq: the queue
 *
 * Context: any.
 * Return: true once the device violated the ring protocol or the transport
 * broke the queue.
 */
bool vra_is_broken(const struct virtqueue *vq)
{
	return vra_vq_broken(container_of(vq, struct vra_virtqueue, vq));
}
EXPORT_SYMBOL_GPL(vra_is_broken);

/**
 * vra_break() - mark a queue broken on behalf of the transport
 * @_vq: the queue
 *
 * Used when the device is removed or fails; later operations return
 * nothing and notify nothing.
 *
 * Context: any.
 */
void vra_break(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	if (!vra_vq_broken(vq)) {
		vq->stats.broken[VRA_BROKEN_by_transport]++;
		vra_set_broken(vq, true);
	}
}
EXPORT_SYMBOL_GPL(vra_break);

/**
 * vra_set_strict_len() - choose what a too-long used length does
 * @vq: the queue
 * @strict: true: break the queue (used_len); false (the default): clamp it
 *	to the device-writable bytes posted and count used_len_clamped, as
 *	some legacy devices report total lengths
 *
 * Context: before the queue is used, or under the caller's serialization.
 */
void vra_set_strict_len(struct virtqueue *vq, bool strict)
{
	to_vvq(vq)->strict_len = strict;
}
EXPORT_SYMBOL_GPL(vra_set_strict_len);

/**
 * vra_is_packed() - tell the queue's layout
 * @vq: the queue
 *
 * Context: any.
 * Return: true for the packed layout, false for split.
 */
bool vra_is_packed(const struct virtqueue *vq)
{
	return vra_vq_packed(container_of(vq, struct vra_virtqueue, vq));
}
EXPORT_SYMBOL_GPL(vra_is_packed);

/**
 * vra_notification_data() - the value for VIRTIO_F_NOTIFICATION_DATA
 * @_vq: the queue
 *
 * Virtio 1.3, 2.9 "Driver Notifications": bits 0-15 the queue index, bits
 * 16-30 the offset of the next available descriptor (split: the available
 * index), bit 31 its wrap counter (split: bit 15 of the available index).
 * The transport writes it in place of the queue index.
 *
 * Context: as vra_notify(), under the caller's serialization.
 * Return: the 32-bit value, CPU byte order.
 */
u32 vra_notification_data(const struct virtqueue *_vq)
{
	const struct vra_virtqueue *vq = container_of(_vq, struct vra_virtqueue,
						      vq);
	u32 next = vra_vq_packed(vq) ? vra_packed_notification_data(vq) :
				vra_split_notification_data(vq);

	return next << 16 | _vq->index;
}
EXPORT_SYMBOL_GPL(vra_notification_data);

/**
 * vra_get_vring_size() - the queue size
 * @vq: the queue
 *
 * Context: any.
 * Return: the number of descriptors, possibly fewer than asked for at
 * creation when it had to reduce.
 */
unsigned int vra_get_vring_size(const struct virtqueue *vq)
{
	return container_of(vq, struct vra_virtqueue, vq)->num;
}
EXPORT_SYMBOL_GPL(vra_get_vring_size);

/**
 * vra_get_desc_addr() - DMA address of the descriptor area
 * @vq: the queue
 *
 * Context: any.
 * Return: the address to give the device.
 */
dma_addr_t vra_get_desc_addr(const struct virtqueue *vq)
{
	return container_of(vq, struct vra_virtqueue, vq)->ring_dma;
}
EXPORT_SYMBOL_GPL(vra_get_desc_addr);

/**
 * vra_get_avail_addr() - DMA address of the driver area
 * @vq: the queue
 *
 * Split: the available ring; packed: the driver event suppression area.
 *
 * Context: any.
 * Return: the address to give the device.
 */
dma_addr_t vra_get_avail_addr(const struct virtqueue *vq)
{
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue, vq);

	return v->ring_dma + v->avail_off;
}
EXPORT_SYMBOL_GPL(vra_get_avail_addr);

/**
 * vra_get_used_addr() - DMA address of the device area
 * @vq: the queue
 *
 * Split: the used ring; packed: the device event suppression area.
 *
 * Context: any.
 * Return: the address to give the device.
 */
dma_addr_t vra_get_used_addr(const struct virtqueue *vq)
{
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue, vq);

	return v->ring_dma + v->used_off;
}
EXPORT_SYMBOL_GPL(vra_get_used_addr);

/**
 * vra_get_stats() - the queue's counters
 * @vq: the queue
 *
 * Context: any; read each counter with READ_ONCE().
 * Return: the counters, valid until the queue is deleted.
 */
const struct vra_stats *vra_get_stats(const struct virtqueue *vq)
{
	return &container_of(vq, struct vra_virtqueue, vq)->stats;
}
EXPORT_SYMBOL_GPL(vra_get_stats);

/**
 * vra_read_stats() - the queue's counters since the last vra_reset_stats()
 * @vq: the queue
 * @out: filled with each counter minus its value at the last
 *	vra_reset_stats() (the value since creation if never reset)
 *
 * Context: any; each counter is read once with READ_ONCE(), so counters
 * taken while the queue runs need not be consistent with each other.
 */
void vra_read_stats(const struct virtqueue *vq, struct vra_stats *out)
{
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue,
						     vq);
	unsigned int i;

	for (i = 0; i < VRA_STAT_NR; i++)
		out->v[i] = READ_ONCE(v->stats.v[i]) -
			    READ_ONCE(v->stats_base.v[i]);
	for (i = 0; i < VRA_BROKEN_NR; i++)
		out->broken[i] = READ_ONCE(v->stats.broken[i]) -
				 READ_ONCE(v->stats_base.broken[i]);
}
EXPORT_SYMBOL_GPL(vra_read_stats);

/**
 * vra_reset_stats() - make vra_read_stats() count from zero again
 * @_vq: the queue
 *
 * Records the current counters as the zero point of vra_read_stats(). The
 * counters themselves, which vra_get_stats() returns and the tracepoints
 * follow, keep counting from the queue's creation: nothing the queue's
 * writers (the caller's serialization, the interrupt handler) update is
 * written here, so a reset never races with them. The broken state of the
 * queue is not a counter and stays.
 *
 * Context: any; a vra_read_stats() running at the same time may see some
 * counters reset and others not.
 */
void vra_reset_stats(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	unsigned int i;

	for (i = 0; i < VRA_STAT_NR; i++)
		WRITE_ONCE(vq->stats_base.v[i], READ_ONCE(vq->stats.v[i]));
	for (i = 0; i < VRA_BROKEN_NR; i++)
		WRITE_ONCE(vq->stats_base.broken[i],
			   READ_ONCE(vq->stats.broken[i]));
}
EXPORT_SYMBOL_GPL(vra_reset_stats);

void vra_dump_desc_flags(struct seq_file *s, u16 flags)
{
	/* By bit number: VRING_DESC_F_NEXT, _WRITE, _INDIRECT are 1, 2, 4. */
	static const char * const names[16] = {
		[0]				= "NEXT",
		[1]				= "WRITE",
		[2]				= "INDIRECT",
		[VRING_PACKED_DESC_F_AVAIL]	= "AVAIL",
		[VRING_PACKED_DESC_F_USED]	= "USED",
	};
	unsigned int bit;
	bool first = true;

	seq_printf(s, " flags 0x%04x ", flags);
	if (!flags)
		seq_putc(s, '-');
	for (bit = 0; bit < 16; bit++) {
		if (!(flags & BIT(bit)))
			continue;
		if (!first)
			seq_putc(s, '|');
		first = false;
		if (names[bit])
			seq_puts(s, names[bit]);
		else
			seq_printf(s, "bit %u", bit);
	}
}

/* One buffer's indirect table, at most *@budget entries of it. */
static void vra_dump_indirect(const struct vra_virtqueue *vq, unsigned int id,
			      unsigned int n, struct seq_file *s,
			      unsigned int *budget)
{
	const struct vring_packed_desc *packed = vq->state[id].indir;
	const struct vring_desc *split = vq->state[id].indir;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!*budget) {
			seq_printf(s, "indirect %u ... %u more\n", id, n - i);
			return;
		}
		--*budget;
		seq_printf(s, "indirect %u %u", id, i);
		if (vra_vq_packed(vq))
			vra_packed_dump_desc(s, &packed[i]);
		else
			vra_split_dump_desc(vq, s, &split[i]);
	}
}

/**
 * vra_dump_size() - a first guess of the size of vra_dump_ring()'s output
 * @vq: the queue
 *
 * For single_open_size(); seq_file grows its buffer when the guess is
 * short. At most about 100 bytes for each of the entries vra_dump_ring()
 * prints (VRA_DUMP_MAX_ENTRIES per section).
 *
 * Context: any.
 * Return: bytes.
 */
size_t vra_dump_size(const struct virtqueue *vq)
{
	unsigned int num = container_of(vq, struct vra_virtqueue, vq)->num;

	return 512 + 100 * 4 * min_t(size_t, num, VRA_DUMP_MAX_ENTRIES);
}
EXPORT_SYMBOL_GPL(vra_dump_size);

/**
 * vra_dump_ring() - print the live ring, readable, into a seq_file
 * @_vq: the queue
 * @s: where to print; for a caller outside seq_file (KUnit), a struct
 *	seq_file whose buf and size are set
 *
 * One "name value ..." line per item: the format, size, ring features,
 * broken state and the driver's free-list position, then the layout's part
 * (virtio 1.3, 2.7 split: "desc" lines of the descriptor table with
 * addr, len, flags decoded and next, the available ring's flags, idx and
 * used_event with one "avail SLOT head ID" line per slot, the used ring's
 * flags, idx and avail_event with one "used SLOT id ID len LEN" line per
 * slot, "new" on those the driver has not taken yet; 2.8 packed: "desc"
 * lines with addr, len, id and AVAIL/USED/WRITE/NEXT/INDIRECT decoded,
 * the driver's wrap counter and the wrap counter the driver expects the
 * device to write next, both event suppression areas), then one
 * "inflight id ID descs N in_len BYTES indirect ENTRIES" line per buffer in
 * flight (from driver-private state) followed by its indirect table's
 * entries. Each section prints at most VRA_DUMP_MAX_ENTRIES entries and
 * ends with "<section> ... N more" when it has more; the output is bounded
 * whatever the queue size. Values the device writes are read once each,
 * as they are, without checking (this is for looking at a device that
 * gets them wrong).
 *
 * Context: any that does not sleep is fine (nothing sleeps here), but the
 * caller must hold the queue's serialization, the same the callers of
 * vra_add_sgs() and vra_get_buf() hold, so that the driver's side is
 * consistent; the device may still write the device area meanwhile.
 * Return: 0. Whether everything fitted is the seq_file's business
 * (seq_has_overflowed()).
 */
int vra_dump_ring(struct virtqueue *_vq, struct seq_file *s)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	unsigned int id, n, shown = 0, more = 0, budget = VRA_DUMP_MAX_ENTRIES;

	seq_printf(s, "format %s\n", vra_vq_packed(vq) ? "packed" : "split");
	seq_printf(s, "size %u\n", vq->num);
	seq_printf(s, "event_idx %u\nindirect %u\nin_order %u\n", vq->event,
		   vq->indirect, vra_vq_in_order(vq));
	seq_printf(s, "broken %u\n", vra_vq_broken(vq));
	seq_printf(s, "in_flight %u\nnum_free %u\nfree_head %u\nnum_added %u\n",
		   vq->in_flight, vq->vq.num_free, vq->free_head,
		   vq->num_added);
	if (vra_vq_packed(vq))
		vra_packed_dump(vq, s);
	else
		vra_split_dump(vq, s);

	for (id = 0; id < vq->num; id++) {
		const struct vra_state *st = &vq->state[id];

		if (!st->data)
			continue;
		if (shown == VRA_DUMP_MAX_ENTRIES) {
			more++;
			continue;
		}
		shown++;
		n = st->indir ? vra_indir_n(&vq->extra[id]) : 0;
		seq_printf(s, "inflight id %u descs %u in_len %u indirect %u\n",
			   id, st->ndescs, st->in_len, n);
		if (n)
			vra_dump_indirect(vq, id, n, s, &budget);
	}
	if (more)
		seq_printf(s, "inflight ... %u more\n", more);
	return 0;
}
EXPORT_SYMBOL_GPL(vra_dump_ring);
