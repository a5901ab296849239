// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt ring: the driver side of a virtqueue, split layout.
 *
 * Virtio 1.3, 2.7 "Split Virtqueues". The device is untrusted: every value
 * read from the device area is checked before use, and everything needed to
 * unmap or free a buffer comes from driver-private state (struct
 * vra_desc_extra, struct vra_state), never from the ring. A violation marks
 * the queue broken, counts the reason and logs once (ratelimited).
 *
 * Concurrency follows the in-tree API: the caller serializes all operations
 * on one queue, except vra_interrupt(), vra_poll() and the vra_get_*()
 * accessors, which may run beside them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "virtio_ring_alt.h"

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
};
EXPORT_SYMBOL_GPL(vra_stat_names);

const char * const vra_broken_names[VRA_BROKEN_NR] = {
	[VRA_BROKEN_used_id_range]	= "used_id_range",
	[VRA_BROKEN_used_id_idle]	= "used_id_idle",
	[VRA_BROKEN_used_len]		= "used_len",
	[VRA_BROKEN_used_idx_jump]	= "used_idx_jump",
	[VRA_BROKEN_notify_failed]	= "notify_failed",
	[VRA_BROKEN_by_transport]	= "by_transport",
};
EXPORT_SYMBOL_GPL(vra_broken_names);

/* Driver-private copy of one descriptor: what unmaps it and links it. */
struct vra_desc_extra {
	dma_addr_t addr;
	u32 len;
	u16 flags;		/* VRING_DESC_F_* as written */
	u16 next;		/* next in chain, or in the free list */
};

/* Driver-private state of one buffer, indexed by its head descriptor. */
struct vra_state {
	void *data;		/* token; NULL when the head is not in flight */
	void *ctx;
	u32 in_len;		/* device-writable bytes posted, for used.len */
	u16 ndescs;		/* descriptors in the chain */
};

struct vra_virtqueue {
	struct virtqueue vq;

	/* Ring memory, split layout (2.7). */
	struct vring vring;
	void *ring;
	dma_addr_t ring_dma;
	struct vra_split_layout layout;
	struct device *dma_dev;

	bool weak_barriers;
	bool event;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool broken;

	/* Driver position; only the caller's serialized path writes these. */
	u16 avail_idx_shadow;
	u16 avail_flags_shadow;
	u16 num_added;		/* since the last vra_kick_prepare() */
	u16 free_head;
	u16 last_used_idx;
	u16 in_flight;		/* buffers */

	bool (*notify)(struct virtqueue *vq);

	struct vra_desc_extra *extra;
	struct vra_state *state;
	struct vra_stats stats;
};

#define to_vvq(_vq) container_of(_vq, struct vra_virtqueue, vq)

static inline void vra_inc(struct vra_virtqueue *vq, enum vra_stat s)
{
	vq->stats.v[s]++;
}

static inline void vra_add(struct vra_virtqueue *vq, enum vra_stat s, u64 n)
{
	vq->stats.v[s] += n;
}

/*
 * Mark the queue broken for @reason. The caller returns nothing to its own
 * caller after this; the bad value is not used.
 */
static __printf(3, 4)
void vra_bad(struct vra_virtqueue *vq, enum vra_broken reason,
	     const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	vq->stats.broken[reason]++;
	WRITE_ONCE(vq->broken, true);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_err_ratelimited(&vq->vq.vdev->dev, "vq %u (%s) broken: %pV\n",
			    vq->vq.index, vq->vq.name, &vaf);
	va_end(args);
}

/**
 * vra_split_layout() - compute where the parts of a split ring lie
 * @num: queue size in descriptors, a power of two from 1 to 32768
 * @align: alignment of the used ring in bytes, a power of two
 * @l: filled with offsets and total size, in bytes
 *
 * Virtio 1.3, 2.7 "Split Virtqueues" and 2.7.6-2.7.8: the descriptor table
 * (16 bytes each), then the available ring (flags, idx, ring[num],
 * used_event), then, at the next multiple of @align, the used ring (flags,
 * idx, ring[num] of 8 bytes, avail_event). The used_event word is counted
 * whether or not VIRTIO_RING_F_EVENT_IDX is negotiated, as the legacy
 * interface's formula does; leaving it out puts the used ring too early
 * when @align is smaller than 4 bytes past the avail ring.
 *
 * Context: any.
 * Return: 0, or -EINVAL if @num or @align is not a power of two or @num is
 * out of range.
 */
int vra_split_layout(unsigned int num, unsigned int align,
		     struct vra_split_layout *l)
{
	if (!num || num > 32768 || !is_power_of_2(num) ||
	    !align || !is_power_of_2(align))
		return -EINVAL;
	l->desc = 0;
	l->avail = sizeof(struct vring_desc) * num;
	/* flags, idx, ring[num], used_event */
	l->used = ALIGN(l->avail + sizeof(__virtio16) * (3 + num), align);
	/* flags, idx, ring[num], avail_event */
	l->size = l->used + sizeof(__virtio16) * 3 +
		  sizeof(struct vring_used_elem) * num;
	return 0;
}
EXPORT_SYMBOL_GPL(vra_split_layout);

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
		case VIRTIO_RING_F_EVENT_IDX:
		case VIRTIO_F_VERSION_1:
		case VIRTIO_F_ACCESS_PLATFORM:
		case VIRTIO_F_ORDER_PLATFORM:
			break;
		default:
			__virtio_clear_bit(vdev, i);
		}
	}
}
EXPORT_SYMBOL_GPL(vra_transport_features);

static void vra_unmap_one(struct vra_virtqueue *vq, unsigned int i)
{
	const struct vra_desc_extra *e = &vq->extra[i];

	dma_unmap_page(vq->dma_dev, e->addr, e->len,
		       (e->flags & VRING_DESC_F_WRITE) ?
		       DMA_FROM_DEVICE : DMA_TO_DEVICE);
}

/* Unmap and free the chain at @head; return its token. */
static void *vra_detach(struct vra_virtqueue *vq, unsigned int head,
			void **ctx)
{
	struct vra_state *st = &vq->state[head];
	unsigned int i = head, n;
	void *data = st->data;

	for (n = 1; n < st->ndescs; n++) {
		vra_unmap_one(vq, i);
		i = vq->extra[i].next;
	}
	vra_unmap_one(vq, i);
	vq->extra[i].next = vq->free_head;
	vq->free_head = head;
	vq->vq.num_free += st->ndescs;
	vq->in_flight--;
	if (ctx)
		*ctx = st->ctx;
	st->data = NULL;
	st->ctx = NULL;
	return data;
}

/**
 * vra_add_sgs() - make a buffer available to the device
 * @_vq: the queue
 * @sgs: @out_sgs device-readable scatterlists, then @in_sgs device-writable
 * @out_sgs: number of device-readable scatterlists
 * @in_sgs: number of device-writable scatterlists
 * @data: token returned by vra_get_buf() for this buffer; not NULL
 * @gfp: allocation flags (unused: the split layout here allocates nothing
 *	per buffer)
 *
 * Writes one descriptor per scatterlist entry, chained, and publishes the
 * head in the available ring (virtio 1.3, 2.7.13 "Supplying Buffers to The
 * Device"). The device is not notified: see vra_kick().
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: 0; -ENOSPC if fewer free descriptors than entries (counted);
 * -EINVAL if the buffer has no entries or @data is NULL; -EIO if the queue
 * is broken; -ENOMEM if DMA mapping failed (nothing stays mapped).
 */
int vra_add_sgs(struct virtqueue *_vq, struct scatterlist *sgs[],
		unsigned int out_sgs, unsigned int in_sgs, void *data,
		gfp_t gfp)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	struct virtio_device *vdev = _vq->vdev;
	unsigned int total = 0, n, i, head, prev = 0, mapped = 0, slot;
	struct scatterlist *sg;
	u32 in_len = 0;

	if (unlikely(READ_ONCE(vq->broken)))
		return -EIO;
	if (unlikely(!data))
		return -EINVAL;
	for (n = 0; n < out_sgs + in_sgs; n++)
		for (sg = sgs[n]; sg; sg = sg_next(sg))
			total++;
	if (unlikely(!total))
		return -EINVAL;
	if (unlikely(total > vq->vq.num_free)) {
		vra_inc(vq, VRA_STAT_enospc);
		return -ENOSPC;
	}

	head = vq->free_head;
	i = head;
	for (n = 0; n < out_sgs + in_sgs; n++) {
		bool write = n >= out_sgs;

		for (sg = sgs[n]; sg; sg = sg_next(sg)) {
			struct vra_desc_extra *e = &vq->extra[i];
			dma_addr_t addr;

			addr = dma_map_page(vq->dma_dev, sg_page(sg), sg->offset,
					    sg->length, write ? DMA_FROM_DEVICE :
					    DMA_TO_DEVICE);
			if (unlikely(dma_mapping_error(vq->dma_dev, addr)))
				goto unmap;
			e->addr = addr;
			e->len = sg->length;
			e->flags = VRING_DESC_F_NEXT |
				   (write ? VRING_DESC_F_WRITE : 0);
			if (write)
				in_len += sg->length;
			vq->vring.desc[i].addr = cpu_to_virtio64(vdev, addr);
			vq->vring.desc[i].len = cpu_to_virtio32(vdev, e->len);
			vq->vring.desc[i].flags = cpu_to_virtio16(vdev, e->flags);
			vq->vring.desc[i].next = cpu_to_virtio16(vdev, e->next);
			mapped++;
			prev = i;
			i = e->next;
		}
	}
	/* The last descriptor ends the chain. */
	vq->extra[prev].flags &= ~VRING_DESC_F_NEXT;
	vq->vring.desc[prev].flags = cpu_to_virtio16(vdev, vq->extra[prev].flags);

	vq->free_head = i;
	vq->vq.num_free -= total;
	vq->in_flight++;
	vq->state[head].data = data;
	vq->state[head].ctx = NULL;
	vq->state[head].in_len = in_len;
	vq->state[head].ndescs = total;

	slot = vq->avail_idx_shadow & (vq->vring.num - 1);
	vq->vring.avail->ring[slot] = cpu_to_virtio16(vdev, head);

	/*
	 * Descriptors and the available ring entry must be visible before the
	 * new available index that exposes them. Pairs with the device's read
	 * barrier after it reads avail->idx.
	 */
	virtio_wmb(vq->weak_barriers);
	vq->avail_idx_shadow++;
	vq->vring.avail->idx = cpu_to_virtio16(vdev, vq->avail_idx_shadow);
	vq->num_added++;
	if (unlikely(!(vq->avail_idx_shadow & (vq->vring.num - 1))))
		vra_inc(vq, VRA_STAT_avail_wraps);
	vra_inc(vq, VRA_STAT_bufs_added);
	vra_add(vq, VRA_STAT_descs_added, total);

	/* A 16-bit index cannot tell 65536 pending additions from none. */
	if (unlikely(vq->num_added == 0xffff))
		vra_kick(_vq);
	return 0;

unmap:
	for (i = head; mapped; mapped--) {
		vra_unmap_one(vq, i);
		i = vq->extra[i].next;
	}
	return -ENOMEM;
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
 * Context and return: as vra_add_sgs().
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
 * Context and return: as vra_add_sgs().
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
 * Virtio 1.3, 2.7.10 "Available Buffer Notification Suppression": with
 * VIRTIO_RING_F_EVENT_IDX the device's avail_event index decides, otherwise
 * the VRING_USED_F_NO_NOTIFY flag. Buffers added since the last call that
 * need no notification are counted in kicks_suppressed.
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: true if vra_notify() must be called.
 */
bool vra_kick_prepare(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	u16 new = vq->avail_idx_shadow, old = new - vq->num_added;
	bool needs;

	/*
	 * The new available index must be visible before we read the
	 * device's suppression state; pairs with the device's barrier between
	 * writing that state and reading avail->idx.
	 */
	virtio_mb(vq->weak_barriers);
	vq->num_added = 0;

	if (vq->event) {
		u16 event = virtio16_to_cpu(_vq->vdev,
					    vring_avail_event(&vq->vring));

		needs = vring_need_event(event, new, old);
	} else {
		needs = !(vq->vring.used->flags &
			  cpu_to_virtio16(_vq->vdev, VRING_USED_F_NO_NOTIFY));
	}
	if (!needs && new != old)
		vra_inc(vq, VRA_STAT_kicks_suppressed);
	return needs;
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

	if (unlikely(READ_ONCE(vq->broken)))
		return false;
	if (unlikely(!vq->notify(_vq))) {
		vra_bad(vq, VRA_BROKEN_notify_failed, "notify failed");
		return false;
	}
	vra_inc(vq, VRA_STAT_kicks);
	return true;
}
EXPORT_SYMBOL_GPL(vra_notify);

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
	return !READ_ONCE(to_vvq(vq)->broken);
}
EXPORT_SYMBOL_GPL(vra_kick);

static inline bool vra_more_used(const struct vra_virtqueue *vq)
{
	return vq->last_used_idx !=
	       virtio16_to_cpu(vq->vq.vdev, READ_ONCE(vq->vring.used->idx));
}

/**
 * vra_get_buf_ctx() - take the next used buffer
 * @_vq: the queue
 * @len: set to the number of bytes the device wrote into the buffer
 * @ctx: if not NULL, set to the buffer's context
 *
 * Virtio 1.3, 2.7.8 "The Virtqueue Used Ring". The used element is checked
 * before use: its id must name a buffer in flight, its length must not
 * exceed the device-writable bytes of that buffer, and the used index must
 * not have moved past what is in flight. Otherwise the queue is broken and
 * nothing is returned.
 *
 * Context: any; caller serializes operations on @_vq.
 * Return: the token given to vra_add_sgs(), or NULL if no buffer is used or
 * the queue is broken.
 */
void *vra_get_buf_ctx(struct virtqueue *_vq, unsigned int *len, void **ctx)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	struct virtio_device *vdev = _vq->vdev;
	u16 used_idx, slot;
	u32 id, ulen;
	void *data;

	if (unlikely(READ_ONCE(vq->broken)))
		return NULL;
	used_idx = virtio16_to_cpu(vdev, READ_ONCE(vq->vring.used->idx));
	if (used_idx == vq->last_used_idx)
		return NULL;
	if (unlikely((u16)(used_idx - vq->last_used_idx) > vq->in_flight)) {
		vra_bad(vq, VRA_BROKEN_used_idx_jump,
			"used idx %u is %u past %u, only %u in flight",
			used_idx, (u16)(used_idx - vq->last_used_idx),
			vq->last_used_idx, vq->in_flight);
		return NULL;
	}

	/*
	 * Read the used element only after the used index that covers it;
	 * pairs with the device's write barrier before it updates used->idx.
	 */
	virtio_rmb(vq->weak_barriers);

	slot = vq->last_used_idx & (vq->vring.num - 1);
	id = virtio32_to_cpu(vdev, READ_ONCE(vq->vring.used->ring[slot].id));
	ulen = virtio32_to_cpu(vdev, READ_ONCE(vq->vring.used->ring[slot].len));
	if (unlikely(id >= vq->vring.num)) {
		vra_bad(vq, VRA_BROKEN_used_id_range,
			"used id %u out of range (size %u)", id, vq->vring.num);
		return NULL;
	}
	if (unlikely(!vq->state[id].data)) {
		vra_bad(vq, VRA_BROKEN_used_id_idle,
			"used id %u is not in flight", id);
		return NULL;
	}
	if (unlikely(ulen > vq->state[id].in_len)) {
		vra_bad(vq, VRA_BROKEN_used_len,
			"used len %u > %u device-writable bytes (id %u)",
			ulen, vq->state[id].in_len, id);
		return NULL;
	}

	data = vra_detach(vq, id, ctx);
	*len = ulen;
	vq->last_used_idx++;
	if (unlikely(!(vq->last_used_idx & (vq->vring.num - 1))))
		vra_inc(vq, VRA_STAT_used_wraps);
	vra_inc(vq, VRA_STAT_bufs_used);

	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		vra_inc(vq, VRA_STAT_irqs_suppressed);
	} else if (vq->event) {
		/*
		 * Ask for an interrupt at the next entry; the store must be
		 * visible before the next read of used->idx, or a used buffer
		 * arriving in between would raise none.
		 */
		virtio_store_mb(vq->weak_barriers,
				&vring_used_event(&vq->vring),
				cpu_to_virtio16(vdev, vq->last_used_idx));
	}
	return data;
}
EXPORT_SYMBOL_GPL(vra_get_buf_ctx);

/**
 * vra_get_buf() - take the next used buffer
 * @vq: the queue
 * @len: set to the number of bytes the device wrote
 *
 * Context and return: as vra_get_buf_ctx().
 */
void *vra_get_buf(struct virtqueue *vq, unsigned int *len)
{
	return vra_get_buf_ctx(vq, len, NULL);
}
EXPORT_SYMBOL_GPL(vra_get_buf);

/**
 * vra_disable_cb() - ask the device not to send used buffer notifications
 * @_vq: the queue
 *
 * Virtio 1.3, 2.7.7 "Used Buffer Notification Suppression". A hint only:
 * the device may still notify, and callbacks may still run.
 *
 * Context: any; caller serializes operations on @_vq.
 */
void vra_disable_cb(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	vra_inc(vq, VRA_STAT_cb_disables);
	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
	if (vq->event)
		/* As far from the device's next used index as can be. */
		vring_used_event(&vq->vring) =
			cpu_to_virtio16(_vq->vdev, vq->last_used_idx + 0x8000);
	else
		vq->vring.avail->flags =
			cpu_to_virtio16(_vq->vdev, vq->avail_flags_shadow);
}
EXPORT_SYMBOL_GPL(vra_disable_cb);

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
	struct vra_virtqueue *vq = to_vvq(_vq);

	vra_inc(vq, VRA_STAT_cb_enables);
	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		vq->avail_flags_shadow &= ~VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			vq->vring.avail->flags =
				cpu_to_virtio16(_vq->vdev,
						vq->avail_flags_shadow);
	}
	if (vq->event)
		vring_used_event(&vq->vring) =
			cpu_to_virtio16(_vq->vdev, vq->last_used_idx);
	return vq->last_used_idx;
}
EXPORT_SYMBOL_GPL(vra_enable_cb_prepare);

/**
 * vra_poll() - tell whether buffers were used since a position
 * @_vq: the queue
 * @last_used_idx: value returned by vra_enable_cb_prepare()
 *
 * Context: any; may run beside the caller's other operations.
 * Return: true if the device used buffers past @last_used_idx, or the queue
 * is broken (so the caller looks, and finds nothing).
 */
bool vra_poll(struct virtqueue *_vq, unsigned int last_used_idx)
{
	struct vra_virtqueue *vq = to_vvq(_vq);

	if (unlikely(READ_ONCE(vq->broken)))
		return false;
	/*
	 * The re-enabled notification state must be visible before we read
	 * used->idx; pairs with the device's barrier between writing used->idx
	 * and reading the driver's suppression state.
	 */
	virtio_mb(vq->weak_barriers);
	return (u16)last_used_idx !=
	       virtio16_to_cpu(_vq->vdev, READ_ONCE(vq->vring.used->idx));
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
	return !vra_poll(vq, vra_enable_cb_prepare(vq));
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
	u16 bufs;

	if (!vq->event)
		return vra_enable_cb(_vq);
	vra_inc(vq, VRA_STAT_cb_enables);
	vq->avail_flags_shadow &= ~VRING_AVAIL_F_NO_INTERRUPT;
	bufs = (u16)(vq->avail_idx_shadow - vq->last_used_idx) * 3 / 4;
	/*
	 * Publish the later used_event before reading used->idx; pairs as in
	 * vra_poll().
	 */
	virtio_store_mb(vq->weak_barriers, &vring_used_event(&vq->vring),
			cpu_to_virtio16(_vq->vdev, vq->last_used_idx + bufs));
	if (unlikely(READ_ONCE(vq->broken)))
		return true;
	return (u16)(virtio16_to_cpu(_vq->vdev,
				     READ_ONCE(vq->vring.used->idx)) -
		     vq->last_used_idx) <= bufs;
}
EXPORT_SYMBOL_GPL(vra_enable_cb_delayed);

/**
 * vra_detach_unused_buf() - take back a buffer the device did not use
 * @_vq: the queue, after the device was reset or the queue stopped
 *
 * Returns available buffers one at a time, unmapped, and withdraws them
 * from the available ring.
 *
 * Context: process context; caller serializes operations on @_vq.
 * Return: a token, or NULL when none is left.
 */
void *vra_detach_unused_buf(struct virtqueue *_vq)
{
	struct vra_virtqueue *vq = to_vvq(_vq);
	unsigned int i;

	for (i = 0; i < vq->vring.num; i++) {
		if (!vq->state[i].data)
			continue;
		vq->avail_idx_shadow--;
		vq->vring.avail->idx = cpu_to_virtio16(_vq->vdev,
						       vq->avail_idx_shadow);
		return vra_detach(vq, i, NULL);
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

	vra_inc(vq, VRA_STAT_irqs);
	if (!vra_more_used(vq)) {
		vra_inc(vq, VRA_STAT_irqs_spurious);
		return IRQ_NONE;
	}
	if (unlikely(READ_ONCE(vq->broken)))
		return IRQ_HANDLED;
	if (vq->vq.callback)
		vq->vq.callback(&vq->vq);
	return IRQ_HANDLED;
}
EXPORT_SYMBOL_GPL(vra_interrupt);

/**
 * vra_create_virtqueue() - create a split virtqueue on the alt ring
 * @index: the queue's index in the device
 * @num: queue size the device allows, a power of two
 * @vring_align: used ring alignment, bytes, a power of two
 * @vdev: the device; its negotiated features select the ring features
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
 * Allocates the ring (virtio 1.3, 2.7) in DMA-coherent memory and the
 * driver-private state. The queue is not put on @vdev->vqs.
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
	struct vra_split_layout l;
	struct vra_virtqueue *vq;
	unsigned int i;
	void *ring = NULL;
	dma_addr_t dma;

	if (vra_split_layout(num, vring_align, &l))
		return ERR_PTR(-EINVAL);
	for (;;) {
		ring = dma_alloc_coherent(dma_dev, l.size, &dma,
					  GFP_KERNEL | __GFP_NOWARN);
		if (ring || !may_reduce_num || num == 1)
			break;
		num /= 2;
		vra_split_layout(num, vring_align, &l);
	}
	if (!ring)
		return ERR_PTR(-ENOMEM);

	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	if (!vq)
		goto free_ring;
	vq->extra = kcalloc(num, sizeof(*vq->extra), GFP_KERNEL);
	vq->state = kcalloc(num, sizeof(*vq->state), GFP_KERNEL);
	if (!vq->extra || !vq->state)
		goto free_vq;

	INIT_LIST_HEAD(&vq->vq.list);
	vq->vq.callback = callback;
	vq->vq.vdev = vdev;
	vq->vq.name = name;
	vq->vq.index = index;
	vq->vq.num_free = num;
	vq->vq.num_max = num;

	vq->ring = ring;
	vq->ring_dma = dma;
	vq->layout = l;
	vq->dma_dev = dma_dev;
	vq->vring.num = num;
	vq->vring.desc = ring + l.desc;
	vq->vring.avail = ring + l.avail;
	vq->vring.used = ring + l.used;
	vq->weak_barriers = weak_barriers;
	vq->event = virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX);
	vq->notify = notify;
	for (i = 0; i < num - 1; i++)
		vq->extra[i].next = i + 1;
	/* No callback, no interrupts wanted. */
	if (!callback) {
		vq->avail_flags_shadow = VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			vq->vring.avail->flags =
				cpu_to_virtio16(vdev, vq->avail_flags_shadow);
	}
	return &vq->vq;

free_vq:
	kfree(vq->state);
	kfree(vq->extra);
	kfree(vq);
free_ring:
	dma_free_coherent(dma_dev, l.size, ring, dma);
	return ERR_PTR(-ENOMEM);
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

	for (i = 0; i < vq->vring.num; i++)
		if (vq->state[i].data)
			vra_detach(vq, i, NULL);
	dma_free_coherent(vq->dma_dev, vq->layout.size, vq->ring, vq->ring_dma);
	kfree(vq->state);
	kfree(vq->extra);
	kfree(vq);
}
EXPORT_SYMBOL_GPL(vra_del_virtqueue);

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
	return READ_ONCE(container_of(vq, struct vra_virtqueue, vq)->broken);
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

	if (!READ_ONCE(vq->broken)) {
		vq->stats.broken[VRA_BROKEN_by_transport]++;
		WRITE_ONCE(vq->broken, true);
	}
}
EXPORT_SYMBOL_GPL(vra_break);

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
	return container_of(vq, struct vra_virtqueue, vq)->vring.num;
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
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue, vq);

	return v->ring_dma + v->layout.desc;
}
EXPORT_SYMBOL_GPL(vra_get_desc_addr);

/**
 * vra_get_avail_addr() - DMA address of the driver area
 * @vq: the queue
 *
 * Context: any.
 * Return: the address to give the device.
 */
dma_addr_t vra_get_avail_addr(const struct virtqueue *vq)
{
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue, vq);

	return v->ring_dma + v->layout.avail;
}
EXPORT_SYMBOL_GPL(vra_get_avail_addr);

/**
 * vra_get_used_addr() - DMA address of the device area
 * @vq: the queue
 *
 * Context: any.
 * Return: the address to give the device.
 */
dma_addr_t vra_get_used_addr(const struct virtqueue *vq)
{
	const struct vra_virtqueue *v = container_of(vq, struct vra_virtqueue, vq);

	return v->ring_dma + v->layout.used;
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
