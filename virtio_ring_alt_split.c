// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt ring, split layout: virtio 1.3, 2.7 "Split Virtqueues".
 * Called through virtio_ring_alt.c, which checks the queue is not broken
 * and keeps the counters that do not depend on the layout.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "virtio_ring_alt_internal.h"

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
 * whenever @align is 2 or 4 bytes (seed thread 004).
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

void vra_split_init(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;

	s->vring.num = vq->num;
	s->vring.desc = vq->ring;
	s->vring.avail = vq->ring + vq->avail_off;
	s->vring.used = vq->ring + vq->used_off;
	s->avail_idx_shadow = 0;
	s->last_used_idx = 0;
	s->used_idx = 0;
	s->avail_flags_shadow = 0;
	/* No callback, no interrupts wanted. */
	if (!vq->vq.callback) {
		s->avail_flags_shadow = VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			s->vring.avail->flags =
				cpu_to_virtio16(vq->vq.vdev,
						s->avail_flags_shadow);
	}
}

static void vra_split_write_desc(struct virtio_device *vdev,
				 struct vring_desc *d,
				 const struct vra_desc_extra *e, u16 next)
{
	d->addr = cpu_to_virtio64(vdev, e->addr);
	d->len = cpu_to_virtio32(vdev, e->len);
	d->flags = cpu_to_virtio16(vdev, e->flags);
	d->next = cpu_to_virtio16(vdev, next);
}

/*
 * The end of vra_split_add(): make the buffer at @head available; returns
 * the addition's result. The fields are read into locals first: without
 * strict aliasing, every store to the ring would make the compiler read
 * them again.
 */
static __always_inline int vra_split_publish(struct vra_virtqueue *vq,
					     unsigned int head)
{
	struct virtio_device *vdev = vq->vq.vdev;
	struct vra_split *s = &vq->split;
	struct vring_avail *avail = s->vring.avail;
	u16 idx = s->avail_idx_shadow, mask = vq->num - 1;
	u16 added = vq->num_added + 1;

	/*
	 * An entry that already names @head is left as it is: the device's
	 * copy of its cache line stays valid. With ids in ring order (see
	 * vra_detach()) that is every entry after the first lap.
	 */
	if (avail->ring[idx & mask] != cpu_to_virtio16(vdev, head))
		avail->ring[idx & mask] = cpu_to_virtio16(vdev, head);
	idx++;
	s->avail_idx_shadow = idx;
	vq->num_added = added;
	/*
	 * Descriptors and the available ring entry must be visible before the
	 * new available index that exposes them. Pairs with the device's read
	 * barrier after it reads avail->idx.
	 */
	virtio_wmb(vq->weak_barriers);
	avail->idx = cpu_to_virtio16(vdev, idx);
	if (unlikely(!(idx & mask)))
		vra_inc(vq, VRA_STAT_avail_wraps);

	/* A 16-bit index cannot tell 65536 pending additions from none. */
	if (unlikely(added == 0xffff))
		return vra_add_kick(vq);
	return 0;
}

/*
 * vra_split_add() for a buffer of more than one entry, or an odd list:
 * out of line, so that the one-entry path keeps few registers.
 */
static noinline int vra_split_add_chain(struct vra_virtqueue *vq,
					struct scatterlist *sgs[],
					unsigned int out_sgs,
					unsigned int in_sgs, void *data,
					gfp_t gfp)
{
	struct virtio_device *vdev = vq->vq.vdev;
	struct vra_split *s = &vq->split;
	unsigned int head = vq->free_head, i, n, last = head;
	void *in;
	u32 in_len;
	int ndescs;

	ndescs = vra_map_buffer(vq, sgs, out_sgs, in_sgs, gfp, &in, &in_len);
	if (ndescs < 0)
		return ndescs;
	/* One descriptor (an indirect table): no chain walk. */
	if (ndescs == 1)
		vra_split_write_desc(vdev, &s->vring.desc[head],
				     &vq->extra[head], vq->extra[head].next);
	for (n = 0, i = head; ndescs > 1 && n < ndescs; n++) {
		vra_split_write_desc(vdev, &s->vring.desc[i], &vq->extra[i],
				     vq->extra[i].next);
		last = i;
		i = vq->extra[i].next;
	}

	vra_track_buffer(vq, head, last, ndescs, data, in, in_len);
	trace_virtio_alt_add(&vq->vq, head, ndescs, !!in);
	return vra_split_publish(vq, head);
}

int vra_split_add(struct vra_virtqueue *vq, struct scatterlist *sgs[],
		  unsigned int out_sgs, unsigned int in_sgs, void *data,
		  gfp_t gfp)
{
	struct virtio_device *vdev = vq->vq.vdev;
	unsigned int head = vq->free_head;
	struct vra_desc_extra e;
	struct vring_desc *d;
	int err;

	if (unlikely(!vra_one_entry(sgs, out_sgs + in_sgs)))
		return vra_split_add_chain(vq, sgs, out_sgs, in_sgs, data,
					   gfp);
	err = vra_add_one(vq, sgs[0], in_sgs, data, &e);
	if (unlikely(err))
		return err;
	/* No VRING_DESC_F_NEXT: the device does not read next (2.7.5). */
	d = &vq->split.vring.desc[head];
	d->addr = cpu_to_virtio64(vdev, e.addr);
	d->len = cpu_to_virtio32(vdev, e.len);
	d->flags = cpu_to_virtio16(vdev, e.flags);
	trace_virtio_alt_add(&vq->vq, head, 1, false);
	return vra_split_publish(vq, head);
}

bool vra_split_kick_prepare(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;
	u16 new = s->avail_idx_shadow, old = new - vq->num_added;

	/*
	 * The new available index must be visible before we read the
	 * device's suppression state; pairs with the device's barrier between
	 * writing that state and reading avail->idx.
	 */
	virtio_mb(vq->weak_barriers);
	if (vq->event) {
		u16 event = virtio16_to_cpu(vq->vq.vdev,
					    vring_avail_event(&s->vring));

		return vra_kick_done(vq, vring_need_event(event, new, old));
	}
	return vra_kick_done(vq, !(s->vring.used->flags &
				   cpu_to_virtio16(vq->vq.vdev,
						   VRING_USED_F_NO_NOTIFY)));
}

/*
 * Read the device's used index, when every buffer it covered at the last
 * read has been taken: false if it has not moved or if it moved past what
 * is in flight (the queue is then broken). The checked value is kept in
 * used_idx, so that a batch costs one read of the device's cache line and
 * one check, not one per buffer.
 */
static bool vra_split_read_used_idx(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;
	u16 used_idx = virtio16_to_cpu(vq->vq.vdev,
				       READ_ONCE(s->vring.used->idx));

	if (used_idx == s->last_used_idx)
		return false;
	if (unlikely((u16)(used_idx - s->last_used_idx) > vq->in_flight)) {
		vra_bad(vq, VRA_BROKEN_used_idx_jump,
			"used idx %u is %u past %u, only %u in flight",
			used_idx, (u16)(used_idx - s->last_used_idx),
			s->last_used_idx, vq->in_flight);
		return false;
	}
	/*
	 * Read the used elements only after the used index that covers them;
	 * pairs with the device's write barrier before it updates used->idx.
	 */
	virtio_rmb(vq->weak_barriers);
	s->used_idx = used_idx;
	return true;
}

/*
 * The used element at last_used_idx, if the device's used index covers
 * it: true with its id and length in *@id and *@len; false if there is
 * none yet or the queue broke.
 */
static __always_inline bool vra_split_next_used(struct vra_virtqueue *vq,
						u32 *id, u32 *len)
{
	struct vra_split *s = &vq->split;
	u16 slot;

	if (s->last_used_idx == s->used_idx && !vra_split_read_used_idx(vq))
		return false;
	slot = s->last_used_idx & (vq->num - 1);
	*id = virtio32_to_cpu(vq->vq.vdev,
			      READ_ONCE(s->vring.used->ring[slot].id));
	*len = virtio32_to_cpu(vq->vq.vdev,
			       READ_ONCE(s->vring.used->ring[slot].len));
	return true;
}

/* A used element was taken: step over it, count it, re-arm the event. */
static __always_inline void vra_split_taken(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;
	u16 last = s->last_used_idx + 1;

	s->last_used_idx = last;
	if (unlikely(!(last & (vq->num - 1))))
		vra_inc(vq, VRA_STAT_used_wraps);
	vra_inc(vq, VRA_STAT_bufs_used);

	if (s->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		vra_inc(vq, VRA_STAT_irqs_suppressed);
	} else if (vq->event) {
		/*
		 * Ask for an interrupt at the next entry; the store must be
		 * visible before the next read of used->idx, or a used buffer
		 * arriving in between would raise none.
		 */
		virtio_store_mb(vq->weak_barriers,
				&vring_used_event(&s->vring),
				cpu_to_virtio16(vq->vq.vdev, last));
	}
}

/* vra_split_get_buf_in_order() for every case. */
static noinline void *vra_split_in_order_slow(struct vra_virtqueue *vq,
					      unsigned int *len)
{
	struct vra_split *s = &vq->split;
	unsigned int ndescs;
	u32 id, ulen;
	void *data;

	if (vq->batch_left)
		goto batch;
	if (!vra_split_next_used(vq, &id, &ulen))
		return NULL;
	if (id == vq->next_in_order) {
		/* 2.7.9: a batch of one buffer. */
		if (!vra_check_used(vq, id, &ulen))
			return NULL;
		vq->next_in_order = vra_next_id(vq, id, vq->state[id].ndescs);
		data = vra_detach(vq, id);
		*len = ulen;
	} else {
		/*
		 * 2.7.9: a batch has one entry, at the next used slot, naming
		 * its last buffer; the used index moves by the number of
		 * buffers in it, past slots the device leaves unwritten.
		 */
		if (!vra_in_order_batch(vq, id, ulen,
					(u16)(s->used_idx - s->last_used_idx)))
			return NULL;
batch:
		data = vra_in_order_next(vq, len, &ndescs);
	}
	vra_split_taken(vq);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

/*
 * The common cases inline and without calls: nothing used, or the next
 * buffer of a batch already checked, of one descriptor. Anything else
 * goes to vra_split_in_order_slow().
 */
void *vra_split_get_buf_in_order(struct vra_virtqueue *vq, unsigned int *len)
{
	struct vra_split *s = &vq->split;
	const struct vra_state *st = &vq->state[vq->next_in_order];
	void *data;

	if (!vq->batch_left) {
		if (s->last_used_idx == s->used_idx &&
		    s->last_used_idx ==
		    virtio16_to_cpu(vq->vq.vdev, READ_ONCE(s->vring.used->idx)))
			return NULL;
		return vra_split_in_order_slow(vq, len);
	}
	if (unlikely(st->ndescs != 1 || st->indir))
		return vra_split_in_order_slow(vq, len);
	data = vra_in_order_next_one(vq, len);
	vra_split_taken(vq);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

/*
 * Take the buffer the used element at last_used_idx names, @id and @ulen
 * as the device wrote them: any buffer, any check failing.
 */
static __always_inline void *
__vra_split_take(struct vra_virtqueue *vq, u32 id, u32 ulen, unsigned int *len)
{
	void *data;

	if (!vra_check_used(vq, id, &ulen))
		return NULL;
	data = vra_detach(vq, id);
	*len = ulen;
	vra_split_taken(vq);
	trace_virtio_alt_get_buf(&vq->vq, *len);
	return data;
}

/* __vra_split_take() out of line, for the fast path to jump to. */
static noinline void *vra_split_take(struct vra_virtqueue *vq, u32 id,
				     u32 ulen, unsigned int *len)
{
	return __vra_split_take(vq, id, ulen, len);
}

/* vra_split_get_buf() when the used index is to be read again. */
static noinline void *vra_split_get_buf_slow(struct vra_virtqueue *vq,
					     unsigned int *len)
{
	u32 id, ulen;

	if (!vra_split_next_used(vq, &id, &ulen))
		return NULL;
	return __vra_split_take(vq, id, ulen, len);
}

/*
 * The common case inline and without calls, so that it needs no saved
 * registers: nothing used (the device's used index read once more), or a
 * used element within the batch last read naming a buffer of one
 * descriptor that passes the checks. Any other element goes to
 * vra_split_take(); a used index that moved, to vra_split_get_buf_slow().
 */
void *vra_split_get_buf(struct vra_virtqueue *vq, unsigned int *len)
{
	struct virtio_device *vdev = vq->vq.vdev;
	struct vra_split *s = &vq->split;
	u16 last = s->last_used_idx;
	struct vring_used_elem *u;
	struct vra_state *st;
	u32 id, ulen;
	void *data;

	if (last == s->used_idx) {
		if (last == virtio16_to_cpu(vdev,
					    READ_ONCE(s->vring.used->idx)))
			return NULL;
		return vra_split_get_buf_slow(vq, len);
	}
	/*
	 * Covered by the used index last read: the read barrier after that
	 * read (vra_split_read_used_idx()) orders this element's read too.
	 */
	u = &s->vring.used->ring[last & (vq->num - 1)];
	id = virtio32_to_cpu(vdev, READ_ONCE(u->id));
	ulen = virtio32_to_cpu(vdev, READ_ONCE(u->len));
	if (unlikely(id >= vq->num))
		return vra_split_take(vq, id, ulen, len);
	st = &vq->state[id];
	if (unlikely(!st->data || ulen > st->in_len || st->ndescs != 1 ||
		     st->indir))
		return vra_split_take(vq, id, ulen, len);
	data = vra_detach_one(vq, id);
	*len = ulen;
	vra_split_taken(vq);
	trace_virtio_alt_get_buf(&vq->vq, ulen);
	return data;
}

void vra_split_disable_cb(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;

	if (s->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	s->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
	if (vq->event)
		/* As far from the device's next used index as can be. */
		vring_used_event(&s->vring) =
			cpu_to_virtio16(vq->vq.vdev, s->last_used_idx + 0x8000);
	else
		s->vring.avail->flags = cpu_to_virtio16(vq->vq.vdev,
							s->avail_flags_shadow);
}

bool vra_split_enable_cb_delayed(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;
	u16 bufs = (u16)(s->avail_idx_shadow - s->last_used_idx) * 3 / 4;

	s->avail_flags_shadow &= ~VRING_AVAIL_F_NO_INTERRUPT;
	/*
	 * Publish the later used_event before reading used->idx; pairs with
	 * the device's barrier between writing used->idx and reading it.
	 */
	virtio_store_mb(vq->weak_barriers, &vring_used_event(&s->vring),
			cpu_to_virtio16(vq->vq.vdev, s->last_used_idx + bufs));
	return (u16)(virtio16_to_cpu(vq->vq.vdev,
				     READ_ONCE(s->vring.used->idx)) -
		     s->last_used_idx) <= bufs;
}

/* Withdraw one entry from the available ring (the device is stopped). */
void vra_split_unexpose(struct vra_virtqueue *vq)
{
	struct vra_split *s = &vq->split;

	s->avail_idx_shadow--;
	s->vring.avail->idx = cpu_to_virtio16(vq->vq.vdev, s->avail_idx_shadow);
}

u32 vra_split_notification_data(const struct vra_virtqueue *vq)
{
	return vq->split.avail_idx_shadow;
}

/* Print at most VRA_DUMP_MAX_ENTRIES lines of a section; say what is left. */
static void vra_split_more(struct seq_file *s, const char *section,
			   unsigned int num)
{
	if (num > VRA_DUMP_MAX_ENTRIES)
		seq_printf(s, "%s ... %u more\n", section,
			   num - VRA_DUMP_MAX_ENTRIES);
}

void vra_split_dump_desc(const struct vra_virtqueue *vq, struct seq_file *s,
			 const struct vring_desc *d)
{
	struct virtio_device *vdev = vq->vq.vdev;

	seq_printf(s, " addr 0x%016llx len %u",
		   virtio64_to_cpu(vdev, READ_ONCE(d->addr)),
		   virtio32_to_cpu(vdev, READ_ONCE(d->len)));
	vra_dump_desc_flags(s, virtio16_to_cpu(vdev, READ_ONCE(d->flags)));
	seq_printf(s, " next %u\n", virtio16_to_cpu(vdev, READ_ONCE(d->next)));
}

void vra_split_dump(const struct vra_virtqueue *vq, struct seq_file *s)
{
	struct virtio_device *vdev = vq->vq.vdev;
	const struct vra_split *sp = &vq->split;
	const struct vring *vr = &sp->vring;
	unsigned int i, n = min_t(unsigned int, vq->num, VRA_DUMP_MAX_ENTRIES);
	u16 flags, idx, pending;

	seq_printf(s, "avail_idx_shadow %u\nlast_used_idx %u\n",
		   sp->avail_idx_shadow, sp->last_used_idx);
	seq_printf(s, "used_idx_checked %u\n", sp->used_idx);

	for (i = 0; i < n; i++) {
		seq_printf(s, "desc %u", i);
		vra_split_dump_desc(vq, s, &vr->desc[i]);
	}
	vra_split_more(s, "desc", vq->num);

	flags = virtio16_to_cpu(vdev, READ_ONCE(vr->avail->flags));
	seq_printf(s, "avail_ring flags 0x%04x %s idx %u used_event %u\n",
		   flags, flags == VRING_AVAIL_F_NO_INTERRUPT ? "NO_INTERRUPT" :
		   flags ? "?" : "-",
		   virtio16_to_cpu(vdev, READ_ONCE(vr->avail->idx)),
		   virtio16_to_cpu(vdev, READ_ONCE(vring_used_event(vr))));
	for (i = 0; i < n; i++)
		seq_printf(s, "avail %u head %u\n", i,
			   virtio16_to_cpu(vdev, READ_ONCE(vr->avail->ring[i])));
	vra_split_more(s, "avail", vq->num);

	/* The device area: read once, shown as the device wrote it. */
	flags = virtio16_to_cpu(vdev, READ_ONCE(vr->used->flags));
	idx = virtio16_to_cpu(vdev, READ_ONCE(vr->used->idx));
	pending = idx - sp->last_used_idx;
	if (pending > vq->num)
		pending = 0;	/* nonsense from the device: mark nothing */
	seq_printf(s, "used_ring flags 0x%04x %s idx %u avail_event %u\n",
		   flags, flags == VRING_USED_F_NO_NOTIFY ? "NO_NOTIFY" :
		   flags ? "?" : "-", idx,
		   virtio16_to_cpu(vdev, READ_ONCE(vring_avail_event(vr))));
	for (i = 0; i < n; i++) {
		/* Slots the device filled since the driver last took one. */
		bool new = (u16)((i - sp->last_used_idx) & (vq->num - 1)) <
			   pending;

		seq_printf(s, "used %u id %u len %u%s\n", i,
			   virtio32_to_cpu(vdev, READ_ONCE(vr->used->ring[i].id)),
			   virtio32_to_cpu(vdev,
					   READ_ONCE(vr->used->ring[i].len)),
			   new ? " new" : "");
	}
	vra_split_more(s, "used", vq->num);
}
