// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt ring, packed layout: virtio 1.3, 2.8 "Packed Virtqueues".
 * Called through virtio_ring_alt.c, which checks the queue is not broken
 * and keeps the counters that do not depend on the layout.
 *
 * The driver writes descriptors at next_avail_idx with AVAIL/USED bits set
 * from its wrap counter, the head's flags last (2.8.13). The device writes
 * used descriptors over them; the driver reads them at last_used_idx and
 * skips ahead by the buffer's descriptor count, known from driver-private
 * state. Everything is little-endian.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <linux/slab.h>

#include "virtio_ring_alt_internal.h"

void vra_packed_init(struct vra_virtqueue *vq)
{
	struct vra_packed *p = &vq->packed;

	p->desc = vq->ring;
	p->driver = vq->ring + vq->avail_off;
	p->device = vq->ring + vq->used_off;
	p->next_avail_idx = 0;
	p->last_used_idx = 0;
	/* 2.8.1: both wrap counters start at 1. */
	p->avail_wrap = true;
	p->used_wrap = true;
	p->avail_used_flags = VRA_F_AVAIL;
	p->event_flags_shadow = VRING_PACKED_EVENT_FLAG_ENABLE;
	/* No callback, no interrupts wanted. */
	if (!vq->vq.callback) {
		p->event_flags_shadow = VRING_PACKED_EVENT_FLAG_DISABLE;
		p->driver->flags = cpu_to_le16(p->event_flags_shadow);
	}
}

/* Step to the next ring slot, flipping the wrap counter at the end. */
static void vra_packed_advance(struct vra_virtqueue *vq, u16 *pos)
{
	struct vra_packed *p = &vq->packed;

	if (++*pos < vq->num)
		return;
	*pos = 0;
	p->avail_wrap = !p->avail_wrap;
	p->avail_used_flags ^= VRA_F_AVAIL | VRA_F_USED;
	vra_inc(vq, VRA_STAT_avail_wraps);
}

/*
 * The end of vra_packed_add(): make the buffer whose head descriptor is at
 * @head available with @head_flags, the ring's next free slot now @pos,
 * @ndescs more descriptors since the last kick.
 */
static __always_inline int vra_packed_publish(struct vra_virtqueue *vq,
					      u16 head, u16 head_flags,
					      u16 pos, unsigned int ndescs)
{
	struct vra_packed *p = &vq->packed;

	/*
	 * The rest of the chain must be visible before the head's flags make
	 * the buffer available (2.8.13); pairs with the device's read barrier
	 * after it sees the head's AVAIL bit.
	 */
	virtio_wmb(vq->weak_barriers);
	p->desc[head].flags = cpu_to_le16(head_flags);
	p->next_avail_idx = pos;
	vq->num_added += ndescs;

	/* Offsets are compared in 16 bits: notify before they overflow. */
	if (unlikely(vq->num_added >= 0x8000))
		return vra_add_kick(vq);
	return 0;
}

/*
 * vra_packed_add() for a buffer of more than one entry, or an odd list:
 * out of line, so that the one-entry path keeps few registers.
 */
static noinline int vra_packed_add_chain(struct vra_virtqueue *vq,
					 struct scatterlist *sgs[],
					 unsigned int out_sgs,
					 unsigned int in_sgs, void *data,
					 gfp_t gfp)
{
	struct vra_packed *p = &vq->packed;
	unsigned int id = vq->free_head, i, n, last = id;
	u16 head = p->next_avail_idx, pos = head, head_flags = 0;
	void *in;
	u32 in_len;
	int ndescs;

	ndescs = vra_map_buffer(vq, sgs, out_sgs, in_sgs, gfp, &in, &in_len);
	if (ndescs < 0)
		return ndescs;
	/* One descriptor (an indirect table): no chain walk. */
	if (ndescs == 1) {
		struct vring_packed_desc *d = &p->desc[pos];
		const struct vra_desc_extra *e = &vq->extra[id];

		d->addr = cpu_to_le64(e->addr);
		d->len = cpu_to_le32(e->len);
		d->id = cpu_to_le16(id);
		head_flags = e->flags | p->avail_used_flags;
		vra_packed_advance(vq, &pos);
	}
	for (n = 0, i = id; ndescs > 1 && n < ndescs; n++) {
		struct vring_packed_desc *d = &p->desc[pos];
		const struct vra_desc_extra *e = &vq->extra[i];
		u16 flags = e->flags | p->avail_used_flags;

		d->addr = cpu_to_le64(e->addr);
		d->len = cpu_to_le32(e->len);
		d->id = cpu_to_le16(id);
		if (n)
			d->flags = cpu_to_le16(flags);
		else
			head_flags = flags;
		last = i;
		i = e->next;
		vra_packed_advance(vq, &pos);
	}

	vra_track_buffer(vq, id, last, ndescs, data, in, in_len);
	trace_virtio_alt_add(&vq->vq, id, ndescs, !!in);
	return vra_packed_publish(vq, head, head_flags, pos, ndescs);
}

int vra_packed_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		   unsigned int out_sgs, unsigned int in_sgs, void *data,
		   gfp_t gfp)
{
	struct vra_packed *p = &vq->packed;
	unsigned int id = vq->free_head;
	u16 head = p->next_avail_idx, pos = head;
	struct vring_packed_desc *d = &p->desc[head];
	struct vra_desc_extra e;
	int err;

	if (unlikely(!vra_one_entry(sgs, out_sgs + in_sgs)))
		return vra_packed_add_chain(vq, sgs, out_sgs, in_sgs, data,
					    gfp);
	err = vra_add_one(vq, sgs[0], in_sgs, data, &e);
	if (unlikely(err))
		return err;
	d->addr = cpu_to_le64(e.addr);
	d->len = cpu_to_le32(e.len);
	d->id = cpu_to_le16(id);
	/* This lap's AVAIL/USED bits, before the step may flip them. */
	e.flags |= p->avail_used_flags;
	vra_packed_advance(vq, &pos);
	trace_virtio_alt_add(&vq->vq, id, 1, false);
	return vra_packed_publish(vq, head, e.flags, pos, 1);
}

bool vra_packed_kick_prepare(struct vra_virtqueue *vq)
{
	struct vra_packed *p = &vq->packed;
	u16 new = p->next_avail_idx, old = new - vq->num_added;
	u16 off_wrap, flags, event;

	/*
	 * The head flags that made buffers available must be visible before
	 * we read the device's event suppression; pairs with the device's
	 * barrier between writing it and reading descriptors.
	 */
	virtio_mb(vq->weak_barriers);
	flags = le16_to_cpu(READ_ONCE(p->device->flags));
	if (!vq->event || flags != VRING_PACKED_EVENT_FLAG_DESC)
		return vra_kick_done(vq,
				     flags != VRING_PACKED_EVENT_FLAG_DISABLE);

	off_wrap = le16_to_cpu(READ_ONCE(p->device->off_wrap));
	event = off_wrap & ~BIT(VRA_WRAP_SHIFT);
	/* An offset in the previous lap lies num slots back. */
	if (!!(off_wrap >> VRA_WRAP_SHIFT) != p->avail_wrap)
		event -= vq->num;
	return vra_kick_done(vq, vring_need_event(event, new, old));
}

/*
 * False when the slot at last_used_idx holds our own available descriptor
 * (or nothing is in flight): nothing used. True otherwise, also for flags
 * that are neither ours nor used, which vra_packed_next_used() breaks on.
 */
static __always_inline bool
vra_packed_used_pending(const struct vra_virtqueue *vq)
{
	const struct vra_packed *p = &vq->packed;
	u16 flags;

	if (!vq->in_flight)
		return false;
	flags = le16_to_cpu(READ_ONCE(p->desc[p->last_used_idx].flags));
	return !(!!(flags & VRA_F_AVAIL) == p->used_wrap &&
		 !!(flags & VRA_F_USED) != p->used_wrap);
}

/*
 * The used descriptor at last_used_idx, if there is one: true with its id
 * and length in *@id and *@len; false if the device has not used it yet,
 * or if the queue broke on flags that are neither ours nor used.
 */
static __always_inline bool vra_packed_next_used(struct vra_virtqueue *vq,
						 u16 *id, u32 *len)
{
	struct vra_packed *p = &vq->packed;
	u16 pos = p->last_used_idx, flags;
	bool avail, used;

	if (!vq->in_flight)
		return false;
	flags = le16_to_cpu(READ_ONCE(p->desc[pos].flags));
	avail = flags & VRA_F_AVAIL;
	used = flags & VRA_F_USED;
	if (avail == p->used_wrap && used != p->used_wrap)
		return false;
	if (unlikely(avail != p->used_wrap || used != p->used_wrap)) {
		vra_bad(vq, VRA_BROKEN_packed_flags,
			"descriptor %u flags 0x%04x (AVAIL %u, USED %u): neither ours nor used for wrap counter %u",
			pos, flags, avail, used, p->used_wrap);
		return false;
	}
	/*
	 * Read id and length only after the flags that say the descriptor is
	 * used; pairs with the device's write barrier before it writes them.
	 */
	virtio_rmb(vq->weak_barriers);
	*id = le16_to_cpu(READ_ONCE(p->desc[pos].id));
	*len = le32_to_cpu(READ_ONCE(p->desc[pos].len));
	return true;
}

/*
 * A buffer of @ndescs descriptors was taken: step over them, as the driver
 * counted them, count it, re-arm the event.
 */
static __always_inline void vra_packed_taken(struct vra_virtqueue *vq,
					     unsigned int ndescs)
{
	struct vra_packed *p = &vq->packed;
	u16 pos = p->last_used_idx + ndescs;

	if (pos >= vq->num) {
		pos -= vq->num;
		p->used_wrap = !p->used_wrap;
		vra_inc(vq, VRA_STAT_used_wraps);
	}
	p->last_used_idx = pos;
	vra_inc(vq, VRA_STAT_bufs_used);

	if (p->event_flags_shadow == VRING_PACKED_EVENT_FLAG_DISABLE) {
		vra_inc(vq, VRA_STAT_irqs_suppressed);
	} else if (p->event_flags_shadow == VRING_PACKED_EVENT_FLAG_DESC) {
		/*
		 * Ask for an interrupt at the next used descriptor; visible
		 * before the next read of the ring, as in the split layout.
		 */
		virtio_store_mb(vq->weak_barriers, &p->driver->off_wrap,
				cpu_to_le16(pos | p->used_wrap << VRA_WRAP_SHIFT));
	}
}

/*
 * Take the buffer a used descriptor names, @id and @ulen as the device
 * wrote them, the flags already checked: any buffer, any check failing.
 */
static __always_inline void *
__vra_packed_take(struct vra_virtqueue *vq, u32 id, u32 ulen, unsigned int *len)
{
	unsigned int ndescs;
	void *data;

	if (!vra_check_used(vq, id, &ulen))
		return NULL;
	ndescs = vq->state[id].ndescs;
	data = vra_detach(vq, id);
	*len = ulen;
	vra_packed_taken(vq, ndescs);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

/* __vra_packed_take() out of line, for the fast path to jump to. */
static noinline void *vra_packed_take(struct vra_virtqueue *vq, u32 id,
				      u32 ulen, unsigned int *len)
{
	return __vra_packed_take(vq, id, ulen, len);
}

/* vra_packed_get_buf() for flags that are neither ours nor used. */
static noinline void *vra_packed_get_buf_slow(struct vra_virtqueue *vq,
					      unsigned int *len)
{
	u32 ulen;
	u16 id;

	if (!vra_packed_next_used(vq, &id, &ulen))
		return NULL;
	return __vra_packed_take(vq, id, ulen, len);
}

/*
 * The common case inline and without calls, so that it needs no saved
 * registers: nothing used (the slot holds our available descriptor), or
 * a used descriptor naming a buffer of one descriptor that passes the
 * checks. A used descriptor otherwise goes to vra_packed_take(), flags
 * that are neither ours nor used to vra_packed_get_buf_slow().
 */
void *vra_packed_get_buf(struct vra_virtqueue *vq, unsigned int *len)
{
	struct vra_packed *p = &vq->packed;
	struct vring_packed_desc *d = &p->desc[p->last_used_idx];
	u16 flags, used = p->used_wrap ? VRA_F_AVAIL | VRA_F_USED : 0;
	struct vra_state *st;
	void *data;
	u32 ulen;
	u16 id;

	if (!vq->in_flight)
		return NULL;
	flags = le16_to_cpu(READ_ONCE(d->flags)) & (VRA_F_AVAIL | VRA_F_USED);
	if (flags != used) {
		/* Our available descriptor, AVAIL as the wrap counter: none. */
		if (flags == (used ^ VRA_F_USED))
			return NULL;
		return vra_packed_get_buf_slow(vq, len);
	}
	/* Id and length after the flags; as vra_packed_next_used(). */
	virtio_rmb(vq->weak_barriers);
	id = le16_to_cpu(READ_ONCE(d->id));
	ulen = le32_to_cpu(READ_ONCE(d->len));
	if (unlikely(id >= vq->num))
		return vra_packed_take(vq, id, ulen, len);
	st = &vq->state[id];
	if (unlikely(!st->data || ulen > st->in_len || st->ndescs != 1 ||
		     st->indir))
		return vra_packed_take(vq, id, ulen, len);
	data = vra_detach_one(vq, id);
	*len = ulen;
	vra_packed_taken(vq, 1);
	trace_virtio_alt_get_buf(&vq->vq, ulen);
	return data;
}

/* vra_packed_get_buf_in_order() for every case. */
static noinline void *vra_packed_in_order_slow(struct vra_virtqueue *vq,
					       unsigned int *len)
{
	unsigned int ndescs;
	void *data;
	u32 ulen;
	u16 id;

	if (vq->batch_left)
		goto batch;
	if (!vra_packed_next_used(vq, &id, &ulen))
		return NULL;
	if (id == vq->next_in_order) {
		/* 2.8.20: a batch of one buffer. */
		if (!vra_check_used(vq, id, &ulen))
			return NULL;
		ndescs = vq->state[id].ndescs;
		vq->next_in_order = vra_next_id(vq, id, ndescs);
		data = vra_detach(vq, id);
		*len = ulen;
	} else {
		/*
		 * 2.8.20: one used descriptor, at the batch's first slot,
		 * names the batch's last buffer.
		 */
		if (!vra_in_order_batch(vq, id, ulen, 0))
			return NULL;
batch:
		data = vra_in_order_next(vq, len, &ndescs);
	}
	vra_packed_taken(vq, ndescs);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

/*
 * The common cases inline and without calls: nothing used, or the next
 * buffer of a batch already checked, of one descriptor. Anything else
 * goes to vra_packed_in_order_slow().
 */
void *vra_packed_get_buf_in_order(struct vra_virtqueue *vq, unsigned int *len)
{
	const struct vra_state *st = &vq->state[vq->next_in_order];
	void *data;

	if (!vq->batch_left) {
		if (!vra_packed_used_pending(vq))
			return NULL;
		return vra_packed_in_order_slow(vq, len);
	}
	if (unlikely(st->ndescs != 1 || st->indir))
		return vra_packed_in_order_slow(vq, len);
	data = vra_in_order_next_one(vq, len);
	vra_packed_taken(vq, 1);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

void vra_packed_disable_cb(struct vra_virtqueue *vq)
{
	struct vra_packed *p = &vq->packed;

	if (p->event_flags_shadow == VRING_PACKED_EVENT_FLAG_DISABLE)
		return;
	p->event_flags_shadow = VRING_PACKED_EVENT_FLAG_DISABLE;
	p->driver->flags = cpu_to_le16(p->event_flags_shadow);
}

bool vra_packed_enable_cb_delayed(struct vra_virtqueue *vq)
{
	struct vra_packed *p = &vq->packed;
	unsigned int pos = p->last_used_idx +
			   (vq->num - vq->vq.num_free) * 3 / 4;
	bool wrap = p->used_wrap;

	if (pos >= vq->num) {
		pos -= vq->num;
		wrap = !wrap;
	}
	vra_packed_set_event(vq, pos | wrap << VRA_WRAP_SHIFT);
	/*
	 * The event offset must be visible before we look at that slot;
	 * pairs with the device's barrier between using a descriptor and
	 * reading the driver's event suppression.
	 */
	virtio_mb(vq->weak_barriers);
	return !vra_packed_is_used(vq, pos, wrap);
}

u32 vra_packed_notification_data(const struct vra_virtqueue *vq)
{
	return vq->packed.next_avail_idx |
	       vq->packed.avail_wrap << VRA_WRAP_SHIFT;
}

static void vra_packed_dump_event(struct seq_file *s, const char *name,
				  const struct vring_packed_desc_event *e)
{
	static const char * const modes[] = {
		[VRING_PACKED_EVENT_FLAG_ENABLE]	= "ENABLE",
		[VRING_PACKED_EVENT_FLAG_DISABLE]	= "DISABLE",
		[VRING_PACKED_EVENT_FLAG_DESC]		= "DESC",
	};
	u16 flags = le16_to_cpu(READ_ONCE(e->flags));
	u16 off_wrap = le16_to_cpu(READ_ONCE(e->off_wrap));
	u16 off = off_wrap & ~BIT(VRA_WRAP_SHIFT);

	seq_printf(s, "%s flags 0x%04x %s off %u wrap %u\n", name, flags,
		   flags < ARRAY_SIZE(modes) ? modes[flags] : "reserved",
		   off, off_wrap >> VRA_WRAP_SHIFT);
}

void vra_packed_dump_desc(struct seq_file *s, const struct vring_packed_desc *d)
{
	seq_printf(s, " addr 0x%016llx len %u id %u",
		   le64_to_cpu(READ_ONCE(d->addr)),
		   le32_to_cpu(READ_ONCE(d->len)),
		   le16_to_cpu(READ_ONCE(d->id)));
	vra_dump_desc_flags(s, le16_to_cpu(READ_ONCE(d->flags)));
	seq_putc(s, '\n');
}

void vra_packed_dump(const struct vra_virtqueue *vq, struct seq_file *s)
{
	const struct vra_packed *p = &vq->packed;
	unsigned int i, n = min_t(unsigned int, vq->num, VRA_DUMP_MAX_ENTRIES);

	/*
	 * 2.8.1: the driver's ring wrap counter, for what it makes
	 * available, and the one it expects the device to write in the next
	 * used descriptor (at last_used_idx).
	 */
	seq_printf(s, "next_avail_idx %u\ndriver_wrap_counter %u\n",
		   p->next_avail_idx, p->avail_wrap);
	seq_printf(s, "last_used_idx %u\ndevice_wrap_counter %u\n",
		   p->last_used_idx, p->used_wrap);
	for (i = 0; i < n; i++) {
		seq_printf(s, "desc %u", i);
		vra_packed_dump_desc(s, &p->desc[i]);
	}
	if (vq->num > n)
		seq_printf(s, "desc ... %u more\n", vq->num - n);
	/* 2.8.10: the driver area is the driver's, the device area the device's. */
	vra_packed_dump_event(s, "driver_event", p->driver);
	vra_packed_dump_event(s, "device_event", p->device);
}
