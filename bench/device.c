// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's device model, split and packed. Both rings negotiate
 * VIRTIO_F_VERSION_1, so everything in the ring is little-endian; the
 * benchmark builds for little-endian hosts only (x86-64, arm64: the
 * tools/virtio barriers), so values are read as they lie.
 *
 * Barriers are the SMP ones of tools/virtio (virt_*()): the driver thread
 * runs on the other CPU.
 */
#include <linux/virtio.h>
#include <linux/virtio_ring.h>

#include "device.h"

#define PACKED_AVAIL	BIT(VRING_PACKED_DESC_F_AVAIL)
#define PACKED_USED	BIT(VRING_PACKED_DESC_F_USED)
#define WRAP_SHIFT	VRING_PACKED_EVENT_F_WRAP_CTR

static void bdev_fail(struct bdev *d, const char *why)
{
	if (!d->err)
		d->err = why;
}

/* True if @len bytes at @addr are all zero. */
static bool bdev_zeroed(u64 addr, size_t len)
{
	const u8 *p = (const void *)(unsigned long)addr;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/**
 * bdev_init() - set a device queue up over a driver's fresh ring
 * @d: the device queue
 * @cfg: features, size and the driver's ring addresses
 *
 * Notifications start enabled both ways, as after a reset. A ring whose
 * areas are not all zero fails the queue (@d->err): a kernel ring is
 * allocated zeroed, and a stale descriptor left by an earlier run reads as
 * a used one to the packed ring.
 */
void bdev_init(struct bdev *d, const struct bdev_cfg *cfg)
{
	size_t n = cfg->num;

	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	if (cfg->packed) {
		d->desc = (void *)(unsigned long)cfg->desc;
		d->drv_evt = (void *)(unsigned long)cfg->avail;
		d->dev_evt = (void *)(unsigned long)cfg->used;
		d->avail_wrap = true;
		d->used_wrap = true;
		if (!bdev_zeroed(cfg->desc, n * sizeof(*d->desc)) ||
		    !bdev_zeroed(cfg->avail, sizeof(*d->drv_evt)) ||
		    !bdev_zeroed(cfg->used, sizeof(*d->dev_evt)))
			bdev_fail(d, "packed: ring not zeroed at setup");
		return;
	}
	d->vr.num = cfg->num;
	d->vr.desc = (void *)(unsigned long)cfg->desc;
	d->vr.avail = (void *)(unsigned long)cfg->avail;
	d->vr.used = (void *)(unsigned long)cfg->used;
	/* 2.7: flags, idx, the ring and the event word of each area. */
	if (!bdev_zeroed(cfg->desc, n * sizeof(struct vring_desc)) ||
	    !bdev_zeroed(cfg->avail, 6 + 2 * n) ||
	    !bdev_zeroed(cfg->used, 6 + 8 * n))
		bdev_fail(d, "split: ring not zeroed at setup");
}

/*
 * Walk an indirect table of @n entries: all but the last chained, none
 * indirect (2.7.5.3.1, 2.8.18). Adds the device-writable bytes to @in.
 */
static bool bdev_split_table(struct bdev *d, const struct vring_desc *t,
			     unsigned int n, u32 *in)
{
	unsigned int i = 0, k;

	for (k = 0; k < n; k++) {
		if (i >= n || (t[i].flags & VRING_DESC_F_INDIRECT))
			return false;
		if (t[i].flags & VRING_DESC_F_WRITE)
			*in += t[i].len;
		d->descs++;
		if (!(t[i].flags & VRING_DESC_F_NEXT))
			return k == n - 1;
		i = t[i].next;
	}
	return false;
}

/* One split chain from @head; its device-writable bytes, or -1. */
static s64 bdev_split_chain(struct bdev *d, u16 head)
{
	const struct vring_desc *desc = d->vr.desc;
	unsigned int i = head, k;
	u32 in = 0;

	for (k = 0; k < d->cfg.num; k++) {
		if (i >= d->cfg.num)
			return -1;
		if (desc[i].flags & VRING_DESC_F_INDIRECT) {
			if (k || (desc[i].flags & VRING_DESC_F_NEXT) ||
			    !desc[i].len || desc[i].len % sizeof(*desc))
				return -1;
			if (!bdev_split_table(d, (void *)(unsigned long)desc[i].addr,
					      desc[i].len / sizeof(*desc), &in))
				return -1;
			return in;
		}
		if (desc[i].flags & VRING_DESC_F_WRITE)
			in += desc[i].len;
		d->descs++;
		if (!(desc[i].flags & VRING_DESC_F_NEXT))
			return in;
		i = desc[i].next;
	}
	return -1;
}

static unsigned int bdev_split_process(struct bdev *d, unsigned int limit)
{
	struct vring *vr = &d->vr;
	u16 avail_idx, head = 0, start = d->used_idx;
	unsigned int n = 0, slot;
	s64 in = 0;

	avail_idx = READ_ONCE(vr->avail->idx);
	/* Read the entries only after the index that covers them. */
	virt_rmb();
	while (d->last_avail != avail_idx && n < limit) {
		head = vr->avail->ring[d->last_avail & (d->cfg.num - 1)];
		in = bdev_split_chain(d, head);
		if (in < 0) {
			bdev_fail(d, "split: bad descriptor chain");
			return n;
		}
		d->in_bytes += in;
		if (!d->cfg.in_order) {
			slot = d->used_idx & (d->cfg.num - 1);
			vr->used->ring[slot].id = head;
			vr->used->ring[slot].len = in;
			d->used_idx++;
		}
		d->last_avail++;
		n++;
	}
	if (!n)
		return 0;
	if (d->cfg.in_order) {
		/* 2.7.9: one element, the batch's last buffer. */
		slot = start & (d->cfg.num - 1);
		vr->used->ring[slot].id = head;
		vr->used->ring[slot].len = in;
		d->used_idx = start + n;
	}
	/* The elements before the index that exposes them. */
	virt_wmb();
	WRITE_ONCE(vr->used->idx, d->used_idx);
	d->bufs += n;
	return n;
}

static bool bdev_packed_is_avail(const struct bdev *d, u16 flags)
{
	return !!(flags & PACKED_AVAIL) == d->avail_wrap &&
	       !!(flags & PACKED_USED) != d->avail_wrap;
}

static void bdev_packed_advance(struct bdev *d, u16 *pos, bool *wrap)
{
	if (++*pos == d->cfg.num) {
		*pos = 0;
		*wrap = !*wrap;
	}
}

/*
 * One packed buffer at avail_pos: its id, device-writable bytes and ring
 * descriptors. False on a protocol error.
 */
static bool bdev_packed_chain(struct bdev *d, u16 *id, u32 *in, u16 *n)
{
	const struct vring_packed_desc *t;
	struct vring_packed_desc *desc;
	unsigned int k, j;
	u16 flags;

	*in = 0;
	for (k = 0; k < d->cfg.num; k++) {
		desc = &d->desc[d->avail_pos];
		flags = READ_ONCE(desc->flags);
		/* Every descriptor of a chain is made available together. */
		if (k && !bdev_packed_is_avail(d, flags))
			return false;
		if (flags & VRING_DESC_F_INDIRECT) {
			if (k || (flags & VRING_DESC_F_NEXT) || !desc->len ||
			    desc->len % sizeof(*t))
				return false;
			t = (void *)(unsigned long)desc->addr;
			for (j = 0; j < desc->len / sizeof(*t); j++) {
				if (t[j].flags & VRING_DESC_F_WRITE)
					*in += t[j].len;
				d->descs++;
			}
		} else {
			if (flags & VRING_DESC_F_WRITE)
				*in += desc->len;
			d->descs++;
		}
		*id = desc->id;
		bdev_packed_advance(d, &d->avail_pos, &d->avail_wrap);
		if (!(flags & VRING_DESC_F_NEXT)) {
			*n = k + 1;
			return true;
		}
	}
	return false;
}

/*
 * Write one used descriptor at used_pos and step over @n slots; its flags
 * too, unless @hold (the caller writes them later). Returns the flags.
 */
static u16 bdev_packed_use(struct bdev *d, u16 id, u32 len, u16 n, bool hold)
{
	struct vring_packed_desc *desc = &d->desc[d->used_pos];
	u16 flags = d->used_wrap ? PACKED_AVAIL | PACKED_USED : 0;

	desc->id = id;
	desc->len = len;
	if (!hold) {
		/* Id and length before the flags that say they are there. */
		virt_wmb();
		WRITE_ONCE(desc->flags, flags);
	}
	d->since_signal += n;
	d->used_pos += n;
	if (d->used_pos >= d->cfg.num) {
		d->used_pos -= d->cfg.num;
		d->used_wrap = !d->used_wrap;
	}
	return flags;
}

/*
 * The used descriptors of one call are published together, as QEMU's
 * virtqueue_packed_flush() does and as the split side's one used index
 * update does: the first one's flags last, so the driver sees none of
 * them, then all.
 */
static unsigned int bdev_packed_process(struct bdev *d, unsigned int limit)
{
	struct vring_packed_desc *first = NULL;
	unsigned int n = 0;
	u16 id = 0, ndescs, batch_descs = 0, first_flags = 0;
	u32 in = 0;

	while (n < limit &&
	       bdev_packed_is_avail(d, READ_ONCE(d->desc[d->avail_pos].flags))) {
		/* The descriptor only after its flags. */
		virt_rmb();
		if (!bdev_packed_chain(d, &id, &in, &ndescs)) {
			bdev_fail(d, "packed: bad descriptor chain");
			break;
		}
		d->in_bytes += in;
		if (d->cfg.in_order) {
			batch_descs += ndescs;
		} else if (!first) {
			first = &d->desc[d->used_pos];
			first_flags = bdev_packed_use(d, id, in, ndescs, true);
		} else {
			bdev_packed_use(d, id, in, ndescs, false);
		}
		n++;
	}
	if (first) {
		/* Everything else of the call before the first's flags. */
		virt_wmb();
		WRITE_ONCE(first->flags, first_flags);
	}
	/* 2.8.20: one used descriptor, at the batch's first slot. */
	if (n && d->cfg.in_order && !d->err)
		bdev_packed_use(d, id, in, batch_descs, false);
	d->bufs += n;
	return n;
}

/**
 * bdev_process() - use available buffers, in ring order
 * @d: the device queue
 * @limit: most buffers to take
 *
 * Publishes the used elements together (split: one used index update;
 * packed: the first used descriptor's flags last; in-order: one element
 * for all of them) but makes no interrupt decision.
 *
 * Context: the device's thread.
 * Return: buffers used; on a protocol error @d->err is set.
 */
unsigned int bdev_process(struct bdev *d, unsigned int limit)
{
	if (d->err)
		return 0;
	if (d->cfg.packed)
		return bdev_packed_process(d, limit);
	return bdev_split_process(d, limit);
}

/**
 * bdev_need_irq() - decide whether the driver wants a used buffer
 *	notification for what was used since the last decision
 * @d: the device queue
 *
 * Split: VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX (2.7.10).
 * Packed: the driver event suppression structure (2.8.10).
 *
 * Context: the device's thread, after bdev_process().
 * Return: true if an interrupt must be sent.
 */
bool bdev_need_irq(struct bdev *d)
{
	u16 flags, off_wrap, off, old, new;
	bool wrap;

	/* Used state published before the driver's wish is read. */
	virt_mb();
	if (!d->cfg.packed) {
		old = d->signalled;
		new = d->used_idx;
		d->signalled = new;
		if (d->cfg.event_idx)
			return vring_need_event(READ_ONCE(vring_used_event(&d->vr)),
						new, old);
		return old != new &&
		       !(READ_ONCE(d->vr.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (!d->since_signal)
		return false;
	new = d->used_pos;
	old = new - d->since_signal;
	d->since_signal = 0;
	flags = READ_ONCE(d->drv_evt->flags);
	if (flags == VRING_PACKED_EVENT_FLAG_ENABLE)
		return true;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC)
		return false;
	/* The offset the DESC flag refers to, read after the flag. */
	virt_rmb();
	off_wrap = READ_ONCE(d->drv_evt->off_wrap);
	off = off_wrap & ~(1 << WRAP_SHIFT);
	wrap = off_wrap >> WRAP_SHIFT;
	/* As vhost: an event in the previous lap counts one ring back. */
	if (wrap != d->used_wrap)
		off -= d->cfg.num;
	return vring_need_event(off, new, old);
}

/**
 * bdev_enable_kick() - ask for available buffer notifications
 * @d: the device queue
 *
 * Split: clear VRING_USED_F_NO_NOTIFY, or with EVENT_IDX set avail_event
 * to the next entry. Packed: ENABLE, or DESC at the next descriptor.
 * The caller checks bdev_avail_pending() afterwards.
 *
 * Context: the device's thread, before it goes to sleep.
 */
void bdev_enable_kick(struct bdev *d)
{
	if (!d->cfg.packed) {
		if (d->cfg.event_idx)
			WRITE_ONCE(vring_avail_event(&d->vr), d->last_avail);
		else
			WRITE_ONCE(d->vr.used->flags, 0);
	} else if (d->cfg.event_idx) {
		WRITE_ONCE(d->dev_evt->off_wrap,
			   d->avail_pos | d->avail_wrap << WRAP_SHIFT);
		/* The offset before the flag that points the driver at it. */
		virt_wmb();
		WRITE_ONCE(d->dev_evt->flags, VRING_PACKED_EVENT_FLAG_DESC);
	} else {
		WRITE_ONCE(d->dev_evt->flags, VRING_PACKED_EVENT_FLAG_ENABLE);
	}
	/* The wish is visible before the ring is checked again. */
	virt_mb();
}

/**
 * bdev_disable_kick() - ask for no available buffer notifications
 * @d: the device queue
 *
 * With EVENT_IDX nothing is written: avail_event (or off_wrap) stays
 * behind, and the driver notifies no more once past it (as vhost).
 *
 * Context: the device's thread, when it wakes up.
 */
void bdev_disable_kick(struct bdev *d)
{
	if (d->cfg.event_idx)
		return;
	if (!d->cfg.packed)
		WRITE_ONCE(d->vr.used->flags, VRING_USED_F_NO_NOTIFY);
	else
		WRITE_ONCE(d->dev_evt->flags, VRING_PACKED_EVENT_FLAG_DISABLE);
}

/**
 * bdev_avail_pending() - tell whether a buffer is available
 * @d: the device queue
 *
 * Context: the device's thread.
 * Return: true if bdev_process() has something to take.
 */
bool bdev_avail_pending(struct bdev *d)
{
	if (d->cfg.packed)
		return bdev_packed_is_avail(d, READ_ONCE(d->desc[d->avail_pos].flags));
	return READ_ONCE(d->vr.avail->idx) != d->last_avail;
}
