// SPDX-License-Identifier: GPL-2.0-only
/*
 * vdm: the device side of split (virtio 1.3, 2.7) and packed (2.8)
 * virtqueues, for the KUnit suites of virtio_alt.ko. See vdm.h.
 *
 * The model is also a conformance checker of the driver: where the
 * specification says what a driver MUST (NOT) do and the device can see it
 * (chain shapes, indirect tables, in-order descriptor use, suppression
 * flags, notification data), a violation fails the running test.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

#include "vdm.h"

const char * const vdm_order_names[VDM_ORDER_NR] = {
	[VDM_ORDER_IN]		= "fifo",
	[VDM_ORDER_REVERSE]	= "reverse",
	[VDM_ORDER_RANDOM]	= "random",
};

#define VDM_MAX_ELEM	SZ_1M

/* The driver broke a rule of the specification: fail the test, once. */
static __printf(2, 3)
void vdm_violation(struct vdm *m, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (m->c.violations++)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	KUNIT_FAIL(m->test, "driver: %pV", &vaf);
	va_end(args);
}

/* The byte the device writes into every writable part of a buffer. */
u8 vdm_pattern(u64 tag)
{
	return (u8)(tag * 31 + 1);
}

u64 vdm_stat(struct vdm *m, enum vra_stat s)
{
	return READ_ONCE(vra_get_stats(m->vq)->v[s]);
}

u64 vdm_broken(struct vdm *m, enum vra_broken b)
{
	return READ_ONCE(vra_get_stats(m->vq)->broken[b]);
}

/* Pending buffers: a circular deque of m->num entries. */
static struct vdm_buf *vdm_pending_at(struct vdm *m, unsigned int i)
{
	return &m->pending[(m->p_head + i) % m->num];
}

static struct vdm_buf *vdm_push_pending(struct vdm *m)
{
	m->p_count++;
	return vdm_pending_at(m, m->p_count - 1);
}

static struct vdm_buf vdm_pop_head(struct vdm *m)
{
	struct vdm_buf b = m->pending[m->p_head];

	m->p_head = (m->p_head + 1) % m->num;
	m->p_count--;
	return b;
}

static struct vdm_buf vdm_pop_tail(struct vdm *m)
{
	m->p_count--;
	return *vdm_pending_at(m, m->p_count);
}

static struct vdm_buf vdm_pop_random(struct vdm *m)
{
	unsigned int i = prandom_u32_state(&m->rnd) % m->p_count;

	swap(*vdm_pending_at(m, i), m->pending[m->p_head]);
	return vdm_pop_head(m);
}

/* 2.7.10, 2.8.10: ask for a notification at the next available buffer. */
static void vdm_want_kicks(struct vdm *m)
{
	if (m->external)
		return;
	if (m->packed) {
		u16 flags = VRING_PACKED_EVENT_FLAG_ENABLE;

		if (m->event_idx && m->s.honour_suppression) {
			WRITE_ONCE(m->device_event->off_wrap,
				   cpu_to_le16(m->avail_pos |
					       m->avail_wrap <<
					       VRING_PACKED_EVENT_F_WRAP_CTR));
			/* The offset before the flags that point at it. */
			virt_wmb();
			flags = VRING_PACKED_EVENT_FLAG_DESC;
		}
		WRITE_ONCE(m->device_event->flags, cpu_to_le16(flags));
	} else if (m->event_idx) {
		u16 idx = m->last_avail;

		/* Not honouring: every buffer, even those not taken yet. */
		if (!m->s.honour_suppression)
			idx = virtio16_to_cpu(m->vdev, READ_ONCE(m->avail->idx));
		WRITE_ONCE(*(__virtio16 *)&m->used->ring[m->num],
			   cpu_to_virtio16(m->vdev, idx));
	} else {
		WRITE_ONCE(m->used->flags, cpu_to_virtio16(m->vdev, 0));
	}
}

/* Notification from the driver (2.7.13.4, 2.8.21.3): wake up. */
static bool vdm_notify(struct virtqueue *vq)
{
	struct vdm *m = vq->priv;

	m->c.notifies++;
	if (m->notif_data) {
		u32 data = vra_notification_data(vq), want;

		if (m->packed) {
			/* 2.8: the next descriptor not yet made available. */
			u16 pos = m->avail_pos, flags, k;
			bool wrap = m->avail_wrap;

			for (k = 0; k < m->num; k++) {
				flags = le16_to_cpu(READ_ONCE(m->ring[pos].flags));
				if (!!(flags & BIT(VRING_PACKED_DESC_F_AVAIL)) != wrap ||
				    !!(flags & BIT(VRING_PACKED_DESC_F_USED)) == wrap)
					break;
				if (++pos == m->num) {
					pos = 0;
					wrap = !wrap;
				}
			}
			want = m->index | (u32)pos << 16 | (u32)wrap << 31;
		} else {
			/* Split: the available index, all 16 bits. */
			want = m->index | (u32)virtio16_to_cpu(m->vdev,
					READ_ONCE(m->avail->idx)) << 16;
		}
		if (data != want)
			vdm_violation(m, "notification data %#x, expected %#x",
				      data, want);
	}
	if (m->notify_fails)
		return false;
	m->awake = true;
	/*
	 * Busy now: no more notifications until drained (2.7.10, 2.8.10). With
	 * event index, avail_event / the event offset already lie behind the
	 * driver, which then notifies no more.
	 */
	if (!m->s.honour_suppression) {
		vdm_want_kicks(m);
	} else if (!m->event_idx && !m->external) {
		if (m->packed)
			WRITE_ONCE(m->device_event->flags,
				   cpu_to_le16(VRING_PACKED_EVENT_FLAG_DISABLE));
		else
			WRITE_ONCE(m->used->flags,
				   cpu_to_virtio16(m->vdev,
						   VRING_USED_F_NO_NOTIFY));
	}
	if (m->notified)
		m->notified(m);
	return true;
}

static void vdm_vq_callback(struct virtqueue *vq)
{
	struct vdm *m = vq->priv;

	if (m->callback)
		m->callback(m);
}

/* Send a used buffer notification: the ring's interrupt handler. */
void vdm_interrupt(struct vdm *m)
{
	m->c.irqs++;
	vra_interrupt(0, m->vq);
}

static void vdm_del_vq(void *vq)
{
	vra_del_virtqueue(vq);
}

/**
 * vdm_create() - make a queue on the alt ring and a device model for it
 * @test: the running test; memory and the queue are released with it
 * @num: queue size
 * @features: ring feature bits (VIRTIO_F_VERSION_1 is always added)
 * @s: the device's script, copied
 * @ntags: size of the per-tag used length record
 *
 * Return: the model; the test is aborted if the queue cannot be made or is
 * not of the layout @features asks for.
 */
struct vdm *vdm_create(struct kunit *test, unsigned int num, u64 features,
		       const struct vdm_script *s, unsigned int ntags)
{
	struct vdm *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->test = test;
	m->s = *s;
	m->index = 3;
	prandom_seed_state(&m->rnd, s->seed);
	m->vdev = kunit_kzalloc(test, sizeof(*m->vdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->vdev);
	m->vdev->dev.init_name = "va-kunit";
	m->vdev->features = BIT_ULL(VIRTIO_F_VERSION_1) | features;
	m->packed = features & BIT_ULL(VIRTIO_F_RING_PACKED);
	m->indirect = features & BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	m->event_idx = features & BIT_ULL(VIRTIO_RING_F_EVENT_IDX);
	m->in_order = features & BIT_ULL(VIRTIO_F_IN_ORDER);
	m->notif_data = features & BIT_ULL(VIRTIO_F_NOTIFICATION_DATA);

	m->dma_dev = kunit_device_register(test, "va-kunit-dma");
	KUNIT_ASSERT_FALSE(test, IS_ERR(m->dma_dev));
	m->dma_dev->coherent_dma_mask = DMA_BIT_MASK(64);
	m->dma_dev->dma_mask = &m->dma_dev->coherent_dma_mask;

	m->vq = vra_create_virtqueue(m->index, num, 4096, m->vdev, true, false,
				     false, vdm_notify, vdm_vq_callback, "vdm",
				     m->dma_dev);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(m->vq), "create: %ld",
			       PTR_ERR(m->vq));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vdm_del_vq, m->vq));
	m->vq->priv = m;
	/* A model reading the wrong layout would write through garbage. */
	KUNIT_ASSERT_EQ_MSG(test, vra_is_packed(m->vq), m->packed,
			    "queue layout is not the one negotiated");
	KUNIT_ASSERT_EQ(test, vra_get_vring_size(m->vq), num);

	m->tag_len = kunit_kcalloc(test, ntags, sizeof(*m->tag_len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->tag_len);
	m->ntags = ntags;
	for (i = 0; i < ntags; i++)
		m->tag_len[i] = VDM_NOT_USED;
	vdm_attach(m);
	return m;
}

/**
 * vdm_attach() - (re)start the device on the queue, as after a queue reset
 * @m: the model
 *
 * Reads the queue's size and addresses and forgets all device state: call
 * it after vra_reset_vring() or vra_resize_vring().
 */
void vdm_attach(struct vdm *m)
{
	struct kunit *test = m->test;
	void *dev_area;

	m->num = vra_get_vring_size(m->vq);
	dev_area = phys_to_virt(vra_get_used_addr(m->vq));
	if (m->packed) {
		m->ring = phys_to_virt(vra_get_desc_addr(m->vq));
		m->driver_event = phys_to_virt(vra_get_avail_addr(m->vq));
		m->device_event = dev_area;
	} else {
		m->desc = phys_to_virt(vra_get_desc_addr(m->vq));
		m->avail = phys_to_virt(vra_get_avail_addr(m->vq));
		m->used = dev_area;
	}
	m->pending = kunit_kcalloc(test, m->num, sizeof(*m->pending),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->pending);
	m->p_head = 0;
	m->p_count = 0;
	m->last_avail = 0;
	m->used_idx = 0;
	m->next_head = 0;
	m->avail_pos = 0;
	m->used_pos = 0;
	/* 2.8.1: both wrap counters start at 1. */
	m->avail_wrap = true;
	m->used_wrap = true;
	m->awake = false;
}

static bool vdm_addr_ok(u64 addr, u32 len)
{
	return len && len <= VDM_MAX_ELEM &&
	       virt_addr_valid(phys_to_virt(addr)) &&
	       virt_addr_valid(phys_to_virt(addr + len - 1));
}

/* The walk of one buffer's elements. */
struct vdm_walk {
	struct vdm_buf *b;
	unsigned int elems;
	bool writing;
	struct vdm_elem el[VDM_SERVE_ELEMS];	/* for vdm.serve */
};

/* One element of a buffer: read the tag, or write the pattern. */
static bool vdm_elem(struct vdm *m, struct vdm_walk *w, u64 addr, u32 len,
		     bool write)
{
	u8 *p;

	if (!vdm_addr_ok(addr, len)) {
		vdm_violation(m, "element %#llx+%u is not in memory", addr, len);
		return false;
	}
	p = phys_to_virt(addr);
	if (m->serve) {
		if (w->elems >= VDM_SERVE_ELEMS) {
			vdm_violation(m, "more than %u elements for a serving device",
				      VDM_SERVE_ELEMS);
			return false;
		}
		w->el[w->elems] = (struct vdm_elem){ p, len, write };
	}
	if (!w->elems++ && len >= sizeof(u64))
		memcpy(&w->b->tag, p, sizeof(u64));
	if (!write) {
		/* 2.7.4.2, 2.8.14: readable elements before writable ones. */
		if (w->writing) {
			vdm_violation(m, "device-readable element after a writable one");
			return false;
		}
		return true;
	}
	w->writing = true;
	if (!m->serve)
		memset(p, vdm_pattern(w->b->tag), len);
	w->b->in_len += len;
	return true;
}

/**
 * vdm_read() - read device-readable bytes of a buffer, as a device does
 * @e: the buffer's elements
 * @n: how many
 * @off: offset in the device-readable bytes (the readable elements one
 *	after the other)
 * @buf: where to copy
 * @len: bytes wanted
 *
 * Bytes beyond the readable part read as zero (2.13.1: a device acts as if
 * data outside the device-readable buffers were zero).
 *
 * Return: the bytes that were in the buffer.
 */
size_t vdm_read(const struct vdm_elem *e, unsigned int n, size_t off,
		void *buf, size_t len)
{
	size_t got = 0, pos = 0;
	unsigned int i;

	memset(buf, 0, len);
	for (i = 0; i < n && got < len; i++) {
		size_t a, k;

		if (e[i].write)
			continue;
		if (off + got < pos + e[i].len) {
			a = off + got - pos;
			k = min_t(size_t, e[i].len - a, len - got);
			memcpy(buf + got, e[i].p + a, k);
			got += k;
		}
		pos += e[i].len;
	}
	return got;
}

/**
 * vdm_write() - write device-writable bytes of a buffer, as a device does
 * @e: the buffer's elements
 * @n: how many
 * @off: offset in the device-writable bytes
 * @buf: what to write
 * @len: bytes
 *
 * What does not fit is dropped (2.13.1: data outside the device-writable
 * buffers is discarded).
 *
 * Return: the bytes written.
 */
size_t vdm_write(const struct vdm_elem *e, unsigned int n, size_t off,
		 const void *buf, size_t len)
{
	size_t put = 0, pos = 0;
	unsigned int i;

	for (i = 0; i < n && put < len; i++) {
		size_t a, k;

		if (!e[i].write)
			continue;
		if (off + put < pos + e[i].len) {
			a = off + put - pos;
			k = min_t(size_t, e[i].len - a, len - put);
			memcpy(e[i].p + a, buf + put, k);
			put += k;
		}
		pos += e[i].len;
	}
	return put;
}

/* The used length a buffer will get, chosen when it is taken. */
static void vdm_choose_len(struct vdm *m, struct vdm_buf *b)
{
	switch (m->s.len) {
	case VDM_LEN_ALL:
		b->len = b->in_len;
		break;
	case VDM_LEN_VARY:
		b->len = prandom_u32_state(&m->rnd) % (b->in_len + 1);
		break;
	case VDM_LEN_ZERO:
		b->len = 0;
		break;
	}
}

/* A serving device answers the buffer; otherwise the script's length. */
static void vdm_answer(struct vdm *m, struct vdm_walk *w)
{
	if (m->serve)
		w->b->len = m->serve(m, w->el, w->elems);
	else
		vdm_choose_len(m, w->b);
}

/* 2.7.5.3: an indirect table of the split layout. */
static bool vdm_split_table(struct vdm *m, struct vdm_walk *w, u64 addr,
			    u32 len)
{
	const struct vring_desc *t;
	unsigned int n = len / sizeof(*t), i = 0, count = 0;

	if (!m->indirect) {
		vdm_violation(m, "INDIRECT without VIRTIO_F_INDIRECT_DESC");
		return false;
	}
	if (len % sizeof(*t) || !vdm_addr_ok(addr, len)) {
		vdm_violation(m, "indirect table %#llx+%u", addr, len);
		return false;
	}
	t = phys_to_virt(addr);
	m->c.indirect++;
	m->last_table = addr;
	for (;;) {
		u16 flags = virtio16_to_cpu(m->vdev, t[i].flags);
		u16 next = virtio16_to_cpu(m->vdev, t[i].next);

		m->c.table_descs++;
		if (++count > n) {
			vdm_violation(m, "indirect chain longer than its table");
			return false;
		}
		/* 2.7.5.3.1: no chain longer than the queue, tables too. */
		if (count > m->num) {
			vdm_violation(m, "indirect chain longer than the queue size %u",
				      m->num);
			return false;
		}
		if (flags & VRING_DESC_F_INDIRECT) {
			vdm_violation(m, "INDIRECT inside an indirect table");
			return false;
		}
		if (!vdm_elem(m, w, virtio64_to_cpu(m->vdev, t[i].addr),
			      virtio32_to_cpu(m->vdev, t[i].len),
			      flags & VRING_DESC_F_WRITE))
			return false;
		if (!(flags & VRING_DESC_F_NEXT))
			return true;
		if (next >= n || (m->in_order && next != i + 1)) {
			vdm_violation(m, "indirect next %u after %u (table of %u)",
				      next, i, n);
			return false;
		}
		i = next;
	}
}

/* 2.7.13: take the next available buffer of a split ring. */
static bool vdm_split_take_one(struct vdm *m)
{
	u16 idx = virtio16_to_cpu(m->vdev, READ_ONCE(m->avail->idx));
	struct vdm_walk w = { };
	unsigned int i, n = 0;
	struct vdm_buf *b;
	u16 head, flags;

	if (idx == m->last_avail)
		return false;
	if ((u16)(idx - m->last_avail) > m->num) {
		vdm_violation(m, "avail idx %u is %u past %u, queue size %u",
			      idx, (u16)(idx - m->last_avail), m->last_avail,
			      m->num);
		return false;
	}
	/* The entry after the index that exposes it; pairs with the driver's
	 * write barrier before it writes avail->idx.
	 */
	virt_rmb();
	head = virtio16_to_cpu(m->vdev,
			       READ_ONCE(m->avail->ring[m->last_avail % m->num]));
	if (head >= m->num) {
		vdm_violation(m, "avail head %u >= queue size %u", head, m->num);
		return false;
	}
	/* 2.7.5: in order, descriptors are used in ring order. */
	if (m->in_order && head != m->next_head) {
		vdm_violation(m, "in-order: head %u, expected %u", head,
			      m->next_head);
		return false;
	}
	b = vdm_push_pending(m);
	memset(b, 0, sizeof(*b));
	b->tag = VDM_NO_TAG;
	w.b = b;
	i = head;
	for (;;) {
		const struct vring_desc *d = &m->desc[i];
		u16 next = virtio16_to_cpu(m->vdev, d->next);

		flags = virtio16_to_cpu(m->vdev, d->flags);
		m->c.ring_descs++;
		if (++n > m->num) {
			vdm_violation(m, "chain at %u longer than the queue", head);
			goto bad;
		}
		if (flags & VRING_DESC_F_INDIRECT) {
			if (flags & VRING_DESC_F_NEXT) {
				vdm_violation(m, "INDIRECT with NEXT at %u", i);
				goto bad;
			}
			if (!vdm_split_table(m, &w,
					     virtio64_to_cpu(m->vdev, d->addr),
					     virtio32_to_cpu(m->vdev, d->len)))
				goto bad;
			break;
		}
		if (!vdm_elem(m, &w, virtio64_to_cpu(m->vdev, d->addr),
			      virtio32_to_cpu(m->vdev, d->len),
			      flags & VRING_DESC_F_WRITE))
			goto bad;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		/* 2.7.5: in order, next is x + 1, or 0 after the last. */
		if (next >= m->num ||
		    (m->in_order && next != (i + 1) % m->num)) {
			vdm_violation(m, "next %u after %u", next, i);
			goto bad;
		}
		i = next;
	}
	b->id = head;
	b->ndescs = n;
	vdm_answer(m, &w);
	m->last_avail++;
	if (!(m->last_avail % m->num))
		m->c.avail_wraps++;
	if (m->in_order)
		m->next_head = (head + n) % m->num;
	m->c.bufs_taken++;
	return true;
bad:
	m->p_count--;
	return false;
}

/* 2.8.1: is the descriptor at @pos available in the round of @wrap? */
static bool vdm_packed_avail(struct vdm *m, u16 pos, bool wrap, u16 *flags)
{
	*flags = le16_to_cpu(READ_ONCE(m->ring[pos].flags));
	return !!(*flags & BIT(VRING_PACKED_DESC_F_AVAIL)) == wrap &&
	       !!(*flags & BIT(VRING_PACKED_DESC_F_USED)) != wrap;
}

/* 2.8.19: a packed indirect table; only WRITE may be set in it. */
static bool vdm_packed_table(struct vdm *m, struct vdm_walk *w, u64 addr,
			     u32 len)
{
	const struct vring_packed_desc *t;
	unsigned int n = len / sizeof(*t), i;

	if (!m->indirect) {
		vdm_violation(m, "INDIRECT without VIRTIO_F_INDIRECT_DESC");
		return false;
	}
	if (len % sizeof(*t) || !vdm_addr_ok(addr, len)) {
		vdm_violation(m, "indirect table %#llx+%u", addr, len);
		return false;
	}
	t = phys_to_virt(addr);
	m->c.indirect++;
	m->last_table = addr;
	for (i = 0; i < n; i++) {
		u16 flags = le16_to_cpu(t[i].flags);

		m->c.table_descs++;
		if (flags & ~VRING_DESC_F_WRITE) {
			vdm_violation(m, "flags %#x in an indirect table", flags);
			return false;
		}
		if (!vdm_elem(m, w, le64_to_cpu(t[i].addr),
			      le32_to_cpu(t[i].len),
			      flags & VRING_DESC_F_WRITE))
			return false;
	}
	return true;
}

/* 2.8.21: take the next available buffer of a packed ring. */
static bool vdm_packed_take_one(struct vdm *m)
{
	u16 pos = m->avail_pos, flags, id = 0;
	bool wrap = m->avail_wrap;
	struct vdm_walk w = { };
	unsigned int n = 0, wraps = 0;
	struct vdm_buf *b;

	if (!vdm_packed_avail(m, pos, wrap, &flags))
		return false;
	if (m->p_count >= m->num) {
		vdm_violation(m, "more buffers available than the queue size");
		return false;
	}
	/* The descriptors after the flags that expose them; pairs with the
	 * driver's write barrier before it writes the first flags.
	 */
	virt_rmb();
	b = vdm_push_pending(m);
	memset(b, 0, sizeof(*b));
	b->tag = VDM_NO_TAG;
	w.b = b;
	for (;;) {
		const struct vring_packed_desc *d = &m->ring[pos];

		if (n && !vdm_packed_avail(m, pos, wrap, &flags)) {
			vdm_violation(m, "list element at %u not available", pos);
			goto bad;
		}
		id = le16_to_cpu(d->id);
		n++;
		m->c.ring_descs++;
		if (flags & VRING_DESC_F_INDIRECT) {
			/* 2.8.19: no INDIRECT in a list linked by NEXT. */
			if (n > 1 || (flags & VRING_DESC_F_NEXT)) {
				vdm_violation(m, "INDIRECT in a list at %u", pos);
				goto bad;
			}
			if (!vdm_packed_table(m, &w, le64_to_cpu(d->addr),
					      le32_to_cpu(d->len)))
				goto bad;
		} else if (!vdm_elem(m, &w, le64_to_cpu(d->addr),
				     le32_to_cpu(d->len),
				     flags & VRING_DESC_F_WRITE)) {
			goto bad;
		}
		if (++pos == m->num) {
			pos = 0;
			wrap = !wrap;
			wraps++;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		if (n >= m->num) {
			vdm_violation(m, "list longer than the queue");
			goto bad;
		}
	}
	/* 2.8.13: the buffer id is in the last descriptor of the list. */
	b->id = id;
	b->ndescs = n;
	vdm_answer(m, &w);
	m->avail_pos = pos;
	m->avail_wrap = wrap;
	m->c.avail_wraps += wraps;
	m->c.bufs_taken++;
	return true;
bad:
	m->p_count--;
	return false;
}

static bool vdm_more_avail(struct vdm *m)
{
	u16 flags;

	if (m->packed)
		return vdm_packed_avail(m, m->avail_pos, m->avail_wrap, &flags);
	return virtio16_to_cpu(m->vdev, READ_ONCE(m->avail->idx)) !=
	       m->last_avail;
}

/**
 * vdm_take() - take every available buffer, if the device is awake
 * @m: the model
 *
 * Return: the number of buffers taken.
 */
unsigned int vdm_take(struct vdm *m)
{
	unsigned int n = 0;

	if (!m->awake)
		return 0;
	while (m->p_count < m->num &&
	       (m->packed ? vdm_packed_take_one(m) : vdm_split_take_one(m)))
		n++;
	return n;
}

/**
 * vdm_idle() - ask for notifications again, look once more
 * @m: the model
 *
 * 2.7.10 and 2.8.10: the device re-enables available buffer notifications,
 * then checks the ring once more, so a buffer made available in between is
 * not missed.
 *
 * Return: true if the device went to sleep (nothing more available).
 */
bool vdm_idle(struct vdm *m)
{
	vdm_want_kicks(m);
	/* Notifications on before looking again; pairs with the driver's
	 * full barrier between exposing buffers and reading our suppression.
	 */
	virt_mb();
	if (vdm_more_avail(m))
		return false;
	m->awake = false;
	return true;
}

static void vdm_record(struct vdm *m, const struct vdm_buf *b, u32 len)
{
	if (b->tag < m->ntags)
		m->tag_len[b->tag] = len;
	m->c.bufs_used++;
}

/* 2.7.8: one used element; the used index moves by @advance buffers. */
static void vdm_split_put(struct vdm *m, u32 id, u32 len, u16 advance)
{
	struct vring_used_elem *e = &m->used->ring[m->used_idx % m->num];

	WRITE_ONCE(e->id, cpu_to_virtio32(m->vdev, id));
	WRITE_ONCE(e->len, cpu_to_virtio32(m->vdev, len));
	/* The element before the index that exposes it; pairs with the
	 * driver's read barrier after it reads used->idx.
	 */
	virt_wmb();
	m->c.used_wraps += (m->used_idx % m->num + advance) / m->num;
	m->used_idx += advance;
	WRITE_ONCE(m->used->idx, cpu_to_virtio16(m->vdev, m->used_idx));
	m->c.used_entries++;
}

/*
 * 2.8.21.2: one used descriptor at the next used position; the device then
 * skips @skip descriptors. @bad_wrap sets AVAIL to the inverse of USED.
 */
static void vdm_packed_put(struct vdm *m, u16 id, u32 len, unsigned int skip,
			   bool bad_wrap)
{
	struct vring_packed_desc *d = &m->ring[m->used_pos];
	u16 flags = 0;

	if (m->used_wrap)
		flags |= BIT(VRING_PACKED_DESC_F_USED);
	if (m->used_wrap != bad_wrap)
		flags |= BIT(VRING_PACKED_DESC_F_AVAIL);
	/* 2.8.4: WRITE in a used descriptor says data was written. */
	if (len)
		flags |= VRING_DESC_F_WRITE;
	WRITE_ONCE(d->id, cpu_to_le16(id));
	WRITE_ONCE(d->len, cpu_to_le32(len));
	/* id and len before the flags that mark it used; pairs with the
	 * driver's read barrier after it reads the flags.
	 */
	virt_wmb();
	WRITE_ONCE(d->flags, cpu_to_le16(flags));
	m->used_pos += skip;
	while (m->used_pos >= m->num) {
		m->used_pos -= m->num;
		m->used_wrap = !m->used_wrap;
		m->c.used_wraps++;
	}
	m->c.used_entries++;
}

/* Position on the ring in units of descriptors, across two rounds. */
static unsigned int vdm_lin(const struct vdm *m, u16 pos, bool wrap)
{
	return pos + (wrap ? m->num : 0);
}

/*
 * 2.7.7 and 2.8.10: does the driver want a used buffer notification for
 * what was used from @old_idx (split) or @old_pos/@old_wrap (packed) on?
 */
static bool vdm_need_irq(struct vdm *m, u16 old_idx, u16 old_pos,
			 bool old_wrap)
{
	if (!m->s.honour_suppression)
		return true;
	/* Our used entries before the driver's suppression state; pairs with
	 * the driver's full barrier in enable_cb / poll.
	 */
	virt_mb();
	if (m->packed) {
		u16 flags = le16_to_cpu(READ_ONCE(m->driver_event->flags));
		unsigned int two = 2 * m->num, ev, old, new;
		u16 off_wrap, off;

		switch (flags & 3) {
		case VRING_PACKED_EVENT_FLAG_ENABLE:
			return true;
		case VRING_PACKED_EVENT_FLAG_DISABLE:
			return false;
		case VRING_PACKED_EVENT_FLAG_DESC:
			if (!m->event_idx) {
				vdm_violation(m, "event DESC without EVENT_IDX");
				return true;
			}
			/* The offset after the flags that say to use it;
			 * pairs with the driver's write barrier between them.
			 */
			virt_rmb();
			off_wrap = le16_to_cpu(READ_ONCE(m->driver_event->off_wrap));
			off = off_wrap & ~BIT(VRING_PACKED_EVENT_F_WRAP_CTR);
			if (off >= m->num) {
				vdm_violation(m, "event offset %u >= %u", off,
					      m->num);
				return true;
			}
			ev = vdm_lin(m, off, off_wrap >>
				     VRING_PACKED_EVENT_F_WRAP_CTR);
			old = vdm_lin(m, old_pos, old_wrap);
			new = vdm_lin(m, m->used_pos, m->used_wrap);
			/* The event descriptor is among those just used. */
			return (ev + two - old) % two < (new + two - old) % two;
		default:
			vdm_violation(m, "reserved event flags %#x", flags);
			return true;
		}
	}
	if (m->event_idx) {
		u16 ev = virtio16_to_cpu(m->vdev,
					 READ_ONCE(*(__virtio16 *)
						   &m->avail->ring[m->num]));

		if (m->avail->flags)
			vdm_violation(m, "avail flags %#x with EVENT_IDX",
				      virtio16_to_cpu(m->vdev, m->avail->flags));
		/* used_event is one of the indexes just written. */
		return (u16)(ev - old_idx) < (u16)(m->used_idx - old_idx);
	}
	if (m->avail->flags & ~cpu_to_virtio16(m->vdev,
					       VRING_AVAIL_F_NO_INTERRUPT))
		vdm_violation(m, "avail flags %#x",
			      virtio16_to_cpu(m->vdev, m->avail->flags));
	return !(m->avail->flags & cpu_to_virtio16(m->vdev,
						   VRING_AVAIL_F_NO_INTERRUPT));
}

/* Write the used entry for a batch of @n buffers ending with @last. */
static void vdm_put(struct vdm *m, const struct vdm_buf *last, u16 n,
		    unsigned int skip)
{
	if (m->packed)
		vdm_packed_put(m, last->id, last->len, skip, false);
	else
		vdm_split_put(m, last->id, last->len, n);
	vdm_record(m, last, last->len);
}

/**
 * vdm_complete() - use buffers taken, in the script's order
 * @m: the model
 * @max: most buffers to use, 0 for all taken
 *
 * Writes the used entries, then sends a used buffer notification unless the
 * driver suppressed it (and the script honours that).
 *
 * Return: the number of buffers used.
 */
unsigned int vdm_complete(struct vdm *m, unsigned int max)
{
	unsigned int k = max ? min(max, m->p_count) : m->p_count, done = k;
	u16 old_idx = m->used_idx, old_pos = m->used_pos;
	bool old_wrap = m->used_wrap;

	if (!k)
		return 0;
	while (k) {
		struct vdm_buf b;
		unsigned int g = 1, skip, i;

		if (!m->in_order) {
			if (m->s.order == VDM_ORDER_IN)
				b = vdm_pop_head(m);
			else if (m->s.order == VDM_ORDER_REVERSE)
				b = vdm_pop_tail(m);
			else
				b = vdm_pop_random(m);
			vdm_put(m, &b, 1, b.ndescs);
			k--;
			continue;
		}
		/*
		 * 2.7.8 / 2.8.17: in order, a batch is reported by one entry
		 * naming its last buffer; the skipped ones count as used
		 * completely (every device-writable byte).
		 */
		if (m->s.in_order_batch) {
			if (m->s.order == VDM_ORDER_REVERSE)
				g = k;
			else if (m->s.order == VDM_ORDER_RANDOM)
				g = 1 + prandom_u32_state(&m->rnd) % k;
		}
		skip = 0;
		for (i = 1; i < g; i++) {
			b = vdm_pop_head(m);
			skip += b.ndescs;
			vdm_record(m, &b, b.in_len);
		}
		b = vdm_pop_head(m);
		vdm_put(m, &b, g, skip + b.ndescs);
		k -= g;
	}
	if (vdm_need_irq(m, old_idx, old_pos, old_wrap))
		vdm_interrupt(m);
	return done;
}

/**
 * vdm_run() - one step of the device
 * @m: the model
 *
 * If awake: take what is available. Use up to the script's batch of what
 * was taken. If nothing more is available: re-enable notifications and
 * sleep.
 */
void vdm_run(struct vdm *m)
{
	vdm_take(m);
	vdm_complete(m, m->s.batch);
	if (m->awake && !m->p_count)
		vdm_idle(m);
}

/* An id no buffer in flight has (the test keeps the queue half empty). */
static u16 vdm_idle_id(struct vdm *m)
{
	unsigned int id, i;

	for (id = 0; id < m->num; id++) {
		for (i = 0; i < m->p_count; i++)
			if (vdm_pending_at(m, i)->id == id)
				break;
		if (i == m->p_count)
			break;
	}
	return id;
}

/**
 * vdm_misbehave() - break the ring protocol once, then notify the driver
 * @m: the model, with buffers taken (two for VDM_HOSTILE_IN_ORDER_SKIP)
 * @h: what to do
 *
 * VDM_HOSTILE_ID_TWICE uses the oldest buffer correctly first, and
 * notifies; the driver is expected to harvest it before the second entry.
 */
void vdm_misbehave(struct vdm *m, enum vdm_hostile h)
{
	struct kunit *test = m->test;
	struct vdm_buf b, *first;

	KUNIT_ASSERT_GT(test, m->p_count, 0);
	first = vdm_pending_at(m, 0);
	switch (h) {
	case VDM_HOSTILE_ID_RANGE:
		b = *first;
		b.id = m->num + first->id;
		b.len = 0;
		vdm_put(m, &b, 1, first->ndescs);
		break;
	case VDM_HOSTILE_ID_IDLE:
		b = *first;
		b.id = vdm_idle_id(m);
		b.len = 0;
		KUNIT_ASSERT_LT(test, b.id, m->num);
		vdm_put(m, &b, 1, first->ndescs);
		break;
	case VDM_HOSTILE_ID_TWICE:
		b = vdm_pop_head(m);
		vdm_put(m, &b, 1, b.ndescs);
		vdm_interrupt(m);
		vdm_put(m, &b, 1, b.ndescs);
		break;
	case VDM_HOSTILE_LEN_OVER:
		b = vdm_pop_head(m);
		b.len = b.in_len + 1;
		vdm_put(m, &b, 1, b.ndescs);
		break;
	case VDM_HOSTILE_IDX_JUMP:
		KUNIT_ASSERT_FALSE(test, m->packed);
		b = vdm_pop_head(m);
		vdm_put(m, &b, 1, b.ndescs);
		m->used_idx += m->num;
		WRITE_ONCE(m->used->idx, cpu_to_virtio16(m->vdev, m->used_idx));
		break;
	case VDM_HOSTILE_PACKED_WRAP:
		KUNIT_ASSERT_TRUE(test, m->packed);
		b = vdm_pop_head(m);
		vdm_packed_put(m, b.id, b.len, b.ndescs, true);
		break;
	case VDM_HOSTILE_IN_ORDER_SKIP:
		/*
		 * Split only: one used entry that moves the used index by one
		 * buffer but names the second buffer in flight. In a packed
		 * ring a used descriptor names only the last buffer of its
		 * batch, so any buffer in flight ends a valid batch there.
		 */
		KUNIT_ASSERT_FALSE(test, m->packed);
		KUNIT_ASSERT_TRUE(test, m->in_order);
		KUNIT_ASSERT_GE(test, m->p_count, 2);
		b = *vdm_pending_at(m, 1);
		vdm_split_put(m, b.id, b.len, 1);
		break;
	default:
		KUNIT_FAIL(test, "no such hostile act %d", h);
		return;
	}
	vdm_interrupt(m);
}
