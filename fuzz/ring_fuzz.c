// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for this project's ring (virtio_ring_alt*.c), built in
 * userspace as bench/ builds it. Compiled twice: FUZZ_PACKED=0 drives the
 * split layout, FUZZ_PACKED=1 the packed one.
 *
 * The input is a script. Byte 0 picks the queue size and the features
 * (event index, indirect, in-order, strict used length); every following
 * byte starts one operation, with its arguments in the next bytes:
 *
 *   driver:  add a buffer (1..8 entries, out and in), kick, get_buf,
 *            disable/enable callbacks (plain, delayed, prepare + poll),
 *            interrupt, reset or resize the ring (buffers recycled);
 *   device:  overwrite any device-writable byte of the ring with chosen
 *            values (split: the whole used ring with avail_event; packed:
 *            the descriptor ring and the device event suppression area),
 *            or complete the next available buffer as a correct device
 *            would (so that deep, valid states are reached as well).
 *
 * An add may ask for one of its DMA mappings to fail (shim/linux/
 * dma-mapping.h counts them). At the end every buffer still in the ring is
 * detached. The invariants,
 * checked with abort() so that libFuzzer reports a crash:
 *   - a returned token is one that is in flight (not twice, not foreign);
 *   - a returned length is at most the buffer's device-writable bytes;
 *   - every added buffer comes back exactly once, through get_buf, the
 *     reset/resize recycle callback or detach_unused, broken ring or not;
 *   - an add fails with -ENOMEM exactly when a mapping failed, and then
 *     leaves nothing mapped; nothing is unmapped that was not mapped, and
 *     nothing stays mapped once every buffer is back;
 *   - once broken the queue stays broken until reset, get_buf returns
 *     NULL and adding fails with -EIO;
 *   - get_buf does what the next used element calls for (2.7.8, 2.8.21),
 *     predicted before the call from the ring as the device left it and
 *     the buffers the driver has in flight (not in-order queues, whose
 *     batches span calls): nothing when nothing is used; the queue broken,
 *     nothing returned, when the element breaks a rule (split: the used
 *     index moved past what is in flight; both: an id that is no buffer in
 *     flight, a length over the device-writable bytes on a strict queue);
 *     else exactly that buffer, its length clamped on a lenient queue.
 * AddressSanitizer and UndefinedBehaviorSanitizer report the rest.
 */
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/scatterlist.h>
#include <stdio.h>
#include <stdlib.h>

#include "../virtio_ring_alt.h"
#include "../virtio_ring_alt_internal.h"

#ifndef FUZZ_PACKED
#error "build with -DFUZZ_PACKED=0 (split) or -DFUZZ_PACKED=1 (packed)"
#endif

#define MAX_BUFS	512	/* buffers one input may add (tokens unused again) */
#define MAX_SG		8	/* entries per buffer */
#define DATA_SIZE	8192	/* memory the entries point into */

/* tools/virtio's kmalloc() and kfree() look at these; unused here. */
void *__kmalloc_fake, *__kfree_ignore_start, *__kfree_ignore_end;

unsigned long bench_dev_errors;

/**
 * bench_dev_err() - dev_err() of the ring (bench/shim/linux/device.h)
 * @dev: the device (unused)
 * @fmt: the message (unused)
 *
 * Hostile devices make the ring complain all the time; the fuzzer only
 * counts the messages, printing them would cost most of its speed.
 */
void bench_dev_err(const struct device *dev, const char *fmt, ...)
{
	bench_dev_errors++;
}

/* Streaming DMA mappings outstanding; the countdown to a refused one. */
static long dma_mapped;
static unsigned int dma_fail_in;
static bool dma_failed;

/**
 * fuzz_dma_map() - dma_map_page() and dma_map_single() of the ring
 * @addr: the address to map (the mapping is the identity)
 *
 * Return: @addr, or FUZZ_DMA_ERROR for the mapping the script chose to fail.
 */
dma_addr_t fuzz_dma_map(dma_addr_t addr)
{
	if (dma_fail_in && !--dma_fail_in) {
		dma_failed = true;
		return FUZZ_DMA_ERROR;
	}
	dma_mapped++;
	return addr;
}

/**
 * fuzz_dma_unmap() - dma_unmap_page() and dma_unmap_single() of the ring
 * @addr: an address fuzz_dma_map() returned and did not refuse
 *
 * Aborts on an unmap of a refused address or of more than was mapped.
 */
void fuzz_dma_unmap(dma_addr_t addr)
{
	if (addr == FUZZ_DMA_ERROR || dma_mapped <= 0) {
		fprintf(stderr, "ring_fuzz: invariant: unmap of %s\n",
			addr == FUZZ_DMA_ERROR ? "a refused mapping" :
			"more than was mapped");
		abort();
	}
	dma_mapped--;
}

/* One buffer the script added; its address is the token. */
struct fbuf {
	bool in_flight;
	u32 in_bytes;		/* device-writable bytes posted */
};

/* The device side: where a correct device would read and write next. */
struct fdev {
	u16 last_avail;		/* split: next avail entry */
	u16 used_idx;		/* split: next used entry */
	u16 avail_pos;		/* packed: next descriptor to read */
	bool avail_wrap;
	u16 used_pos;		/* packed: next descriptor to write */
	bool used_wrap;
};

/* One input's whole state. */
struct fstate {
	const u8 *in;
	size_t len, pos;
	struct virtio_device vdev;
	struct virtqueue *vq;
	unsigned int num;
	struct fbuf bufs[MAX_BUFS];
	unsigned int nbufs;
	unsigned int in_flight;
	bool notify_ok;
	struct fdev dev;
};

static u8 data_area[DATA_SIZE];
static struct fstate *cur;	/* for the recycle callback */

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "ring_fuzz: invariant: " __VA_ARGS__);	\
		fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);	\
		abort();						\
	}								\
} while (0)

/* Next script byte; zeros once the input is used up. */
static u8 next_u8(struct fstate *s)
{
	return s->pos < s->len ? s->in[s->pos++] : 0;
}

static u16 next_u16(struct fstate *s)
{
	return next_u8(s) | next_u8(s) << 8;
}

static u32 next_u32(struct fstate *s)
{
	return next_u16(s) | (u32)next_u16(s) << 16;
}

static bool notify(struct virtqueue *vq)
{
	return cur->notify_ok;
}

static void callback(struct virtqueue *vq)
{
}

/* A buffer came back from the ring by any route: check and retire it. */
static void take_back(struct fstate *s, void *token, const char *how)
{
	struct fbuf *b = token;
	uintptr_t off = (uintptr_t)b - (uintptr_t)s->bufs;

	CHECK(off < sizeof(s->bufs) && off % sizeof(*b) == 0,
	      "%s returned foreign token %p", how, token);
	CHECK(b->in_flight, "%s returned buffer %zu not in flight (twice?)",
	      how, (size_t)(b - s->bufs));
	b->in_flight = false;
	s->in_flight--;
}

static void recycle(struct virtqueue *vq, void *buf)
{
	take_back(cur, buf, "recycle");
}

/* The ring's device area, as the device sees it (DMA address = pointer). */
static u8 *dev_area(struct fstate *s, size_t *size)
{
#if FUZZ_PACKED
	*size = s->num * sizeof(struct vring_packed_desc);
	return (u8 *)(uintptr_t)vra_get_desc_addr(s->vq);
#else
	*size = sizeof(struct vring_used) +
		s->num * sizeof(struct vring_used_elem) + sizeof(__virtio16);
	return (u8 *)(uintptr_t)vra_get_used_addr(s->vq);
#endif
}

/* The device resets its view along with the ring. */
static void dev_reset(struct fstate *s)
{
	memset(&s->dev, 0, sizeof(s->dev));
	s->dev.avail_wrap = true;
	s->dev.used_wrap = true;
}

/* Overwrite 1..8 device-writable bytes at a chosen offset. */
static void op_dev_write(struct fstate *s)
{
	size_t size, off;
	u8 *area;
	unsigned int n, i;

	off = next_u16(s);
	n = next_u8(s) % 8 + 1;
#if FUZZ_PACKED
	/* The descriptor ring, then the 4-byte device event area. */
	area = dev_area(s, &size);
	off %= size + sizeof(struct vring_packed_desc_event);
	if (off >= size) {
		area = (u8 *)(uintptr_t)vra_get_used_addr(s->vq);
		off -= size;
		size = sizeof(struct vring_packed_desc_event);
	}
#else
	area = dev_area(s, &size);
	off %= size;
#endif
	for (i = 0; i < n && off + i < size; i++)
		WRITE_ONCE(area[off + i], next_u8(s));
}

#if FUZZ_PACKED
/* Complete the next available buffer in ring order with a chosen length. */
static void op_dev_complete(struct fstate *s)
{
	struct vring_packed_desc *desc = (void *)(uintptr_t)vra_get_desc_addr(s->vq);
	struct fdev *d = &s->dev;
	u32 len = next_u32(s);
	u16 pos = d->avail_pos, flags, id, n = 0;
	bool wrap = d->avail_wrap, avail, used;

	do {
		flags = READ_ONCE(desc[pos].flags);
		avail = flags & BIT(VRING_PACKED_DESC_F_AVAIL);
		used = flags & BIT(VRING_PACKED_DESC_F_USED);
		if (avail != wrap || used == wrap)
			return;		/* nothing (more) available */
		id = READ_ONCE(desc[pos].id);
		n++;
		if (++pos >= s->num) {
			pos = 0;
			wrap = !wrap;
		}
	} while ((flags & VRING_DESC_F_NEXT) && n < s->num);
	d->avail_pos = pos;
	d->avail_wrap = wrap;

	desc[d->used_pos].id = id;
	desc[d->used_pos].len = len;
	flags = d->used_wrap ? BIT(VRING_PACKED_DESC_F_AVAIL) |
			       BIT(VRING_PACKED_DESC_F_USED) : 0;
	/* The id and len are in memory before the flags make them used. */
	virt_wmb();
	WRITE_ONCE(desc[d->used_pos].flags, flags);
	d->used_pos += n;
	if (d->used_pos >= s->num) {
		d->used_pos -= s->num;
		d->used_wrap = !d->used_wrap;
	}
}
#else
/* Complete the next available buffer in ring order with a chosen length. */
static void op_dev_complete(struct fstate *s)
{
	struct vring_avail *avail = (void *)(uintptr_t)vra_get_avail_addr(s->vq);
	struct vring_used *used = (void *)(uintptr_t)vra_get_used_addr(s->vq);
	struct fdev *d = &s->dev;
	u32 len = next_u32(s);
	u16 head;

	if (d->last_avail == READ_ONCE(avail->idx))
		return;
	/* Read the entry only after the index that published it. */
	virt_rmb();
	head = avail->ring[d->last_avail++ & (s->num - 1)];
	used->ring[d->used_idx & (s->num - 1)].id = head;
	used->ring[d->used_idx & (s->num - 1)].len = len;
	/* The entry is in memory before the index that publishes it. */
	virt_wmb();
	WRITE_ONCE(used->idx, ++d->used_idx);
}
#endif

/* Add one buffer of 1..MAX_SG entries, some device-readable, some writable. */
static void op_add(struct fstate *s)
{
	struct scatterlist sg[MAX_SG], *sgs[MAX_SG];
	u8 shape = next_u8(s);
	unsigned int nout = shape & 7, nin = (shape >> 3) & 7, i;
	bool was_broken = vra_is_broken(s->vq);
	long mapped = dma_mapped;
	struct fbuf *b;
	u32 in_bytes = 0;
	int err;

	if (nout + nin == 0)
		nin = 1;
	if (nout + nin > MAX_SG)
		nout = MAX_SG - nin;
	if (s->nbufs >= MAX_BUFS)
		return;
	for (i = 0; i < nout + nin; i++) {
		unsigned int off = next_u8(s) * 16, len = next_u8(s) * 8 + 1;

		sg_init_table(&sg[i], 1);
		sg_set_buf(&sg[i], data_area + off, len);
		sgs[i] = &sg[i];
		if (i >= nout)
			in_bytes += len;
	}
	b = &s->bufs[s->nbufs];
	b->in_bytes = in_bytes;
	b->in_flight = true;
	/* The top two bits: fail the first, second or third mapping. */
	dma_fail_in = shape >> 6;
	dma_failed = false;
	err = vra_add_sgs(s->vq, sgs, nout, nin, b, GFP_ATOMIC);
	dma_fail_in = 0;
	if (was_broken)
		CHECK(err == -EIO, "add on a broken queue gave %d", err);
	CHECK((err == -ENOMEM) == dma_failed, "add gave %d, %s mapping failed",
	      err, dma_failed ? "a" : "no");
	if (err) {
		CHECK(dma_mapped == mapped, "failed add left %ld mapped",
		      dma_mapped - mapped);
		b->in_flight = false;
		/* -EINVAL: more entries than the queue size (documented). */
		CHECK(err == -ENOSPC || err == -EIO || err == -ENOMEM ||
		      (err == -EINVAL && nout + nin > s->num),
		      "add of %u entries gave %d", nout + nin, err);
		return;
	}
	s->nbufs++;
	s->in_flight++;
}

/* What get_buf must do next, by the rules; see the top of the file. */
enum expect { EXPECT_ANY, EXPECT_NOTHING, EXPECT_BROKEN, EXPECT_BUF };

/* The used element's id and length against the buffers in flight. */
static enum expect expect_elem(struct vra_virtqueue *vq, u32 id, u32 len,
			       void **token, u32 *elen)
{
	if (id >= vq->num || !vq->state[id].data)
		return EXPECT_BROKEN;
	if (len > vq->state[id].in_len) {
		if (vq->strict_len)
			return EXPECT_BROKEN;
		len = vq->state[id].in_len;
	}
	*token = vq->state[id].data;
	*elen = len;
	return EXPECT_BUF;
}

static enum expect predict(struct fstate *s, void **token, u32 *elen)
{
	struct vra_virtqueue *vq = to_vvq(s->vq);

	if (vra_is_broken(s->vq))
		return EXPECT_NOTHING;
	if (vra_vq_in_order(vq) || vq->batch_left)
		return EXPECT_ANY;
#if FUZZ_PACKED
	{
		struct vra_packed *p = &vq->packed;
		u16 flags = READ_ONCE(p->desc[p->last_used_idx].flags);
		bool avail = flags & BIT(VRING_PACKED_DESC_F_AVAIL);
		bool used = flags & BIT(VRING_PACKED_DESC_F_USED);

		if (!vq->in_flight)
			return EXPECT_NOTHING;
		/* Other flag combinations: the ring's own policy. */
		if (avail != p->used_wrap || used != p->used_wrap)
			return EXPECT_ANY;
		return expect_elem(vq, p->desc[p->last_used_idx].id,
				   p->desc[p->last_used_idx].len, token, elen);
	}
#else
	{
		struct vra_split *sp = &vq->split;
		struct vring_used_elem *e;
		u16 idx = sp->used_idx;

		/*
		 * The driver reads the device's used index again only once it
		 * has taken every element the index it checked last covered.
		 */
		if (idx == sp->last_used_idx)
			idx = READ_ONCE(sp->vring.used->idx);
		if (idx == sp->last_used_idx)
			return EXPECT_NOTHING;
		if ((u16)(idx - sp->last_used_idx) > vq->in_flight)
			return EXPECT_BROKEN;
		e = &sp->vring.used->ring[sp->last_used_idx & (vq->num - 1)];
		return expect_elem(vq, e->id, e->len, token, elen);
	}
#endif
}

static void op_get_buf(struct fstate *s)
{
	bool was_broken = vra_is_broken(s->vq);
	unsigned int len = 0xdeadbeef;
	void *want = NULL;
	u32 want_len = 0;
	enum expect e = predict(s, &want, &want_len);
	struct fbuf *b;

	b = vra_get_buf(s->vq, &len);
	if (was_broken)
		CHECK(!b, "get_buf on a broken queue returned a buffer");
	switch (e) {
	case EXPECT_NOTHING:
		CHECK(!b && vra_is_broken(s->vq) == was_broken,
		      "nothing used, but get_buf gave %p, broken %d", (void *)b,
		      vra_is_broken(s->vq));
		break;
	case EXPECT_BROKEN:
		CHECK(!b && vra_is_broken(s->vq),
		      "a used element breaking a rule gave %p, broken %d",
		      (void *)b, vra_is_broken(s->vq));
		break;
	case EXPECT_BUF:
		CHECK(b == want && len == want_len && !vra_is_broken(s->vq),
		      "a valid used element gave %p len %u (wanted %p len %u), broken %d",
		      (void *)b, len, want, want_len, vra_is_broken(s->vq));
		break;
	case EXPECT_ANY:
		break;
	}
	if (!b)
		return;
	take_back(s, b, "get_buf");
	CHECK(len <= b->in_bytes, "used len %u > %u device-writable bytes",
	      len, b->in_bytes);
}

static void op_reset(struct fstate *s)
{
	vra_reset_vring(s->vq, recycle);
	CHECK(s->in_flight == 0, "reset left %u buffers", s->in_flight);
	CHECK(!vra_is_broken(s->vq), "broken after reset");
	dev_reset(s);
}

static void op_resize(struct fstate *s)
{
	unsigned int num = 1u << (next_u8(s) % 7);

	if (FUZZ_PACKED)
		num = next_u8(s) % 64 + 1;
	if (vra_resize_vring(s->vq, num, recycle) == 0)
		s->num = vra_get_vring_size(s->vq);
	CHECK(s->in_flight == 0, "resize left %u buffers", s->in_flight);
	dev_reset(s);
}

static void run_op(struct fstate *s, u8 op)
{
	bool was_broken = vra_is_broken(s->vq);

	switch (op % 16) {
	case 0: case 1: case 2:
		op_add(s);
		break;
	case 3:
		if (vra_kick_prepare(s->vq))
			vra_notify(s->vq);
		break;
	case 4: case 5:
		op_get_buf(s);
		break;
	case 6:
		vra_disable_cb(s->vq);
		break;
	case 7:
		vra_enable_cb(s->vq);
		break;
	case 8:
		vra_enable_cb_delayed(s->vq);
		break;
	case 9:
		vra_poll(s->vq, vra_enable_cb_prepare(s->vq));
		break;
	case 10:
		vra_interrupt(0, s->vq);
		break;
	case 11: case 12:
		op_dev_write(s);
		break;
	case 13: case 14:
		op_dev_complete(s);
		break;
	case 15:
		switch (next_u8(s) % 4) {
		case 0:
			op_reset(s);
			return;
		case 1:
			op_resize(s);
			return;
		case 2:
			s->notify_ok = !s->notify_ok;
			break;
		default:
			break;
		}
		break;
	}
	if (was_broken)
		CHECK(vra_is_broken(s->vq), "broken queue came back without reset");
}

/**
 * LLVMFuzzerTestOneInput() - run one script against a fresh queue
 * @data: the script
 * @size: its length
 *
 * Return: 0 (libFuzzer's convention); a broken invariant aborts.
 */
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const unsigned int sizes[8] = { 1, 2, 4, 8, 16, 32, 64, 256 };
	struct fstate *s;
	u8 cfg;
	void *token;

	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	cur = s;
	dma_mapped = 0;
	s->in = data;
	s->len = size;
	s->notify_ok = true;
	cfg = next_u8(s);

	s->vdev.features = 1ULL << VIRTIO_F_VERSION_1;
	if (FUZZ_PACKED)
		s->vdev.features |= 1ULL << VIRTIO_F_RING_PACKED;
	if (cfg & 0x08)
		s->vdev.features |= 1ULL << VIRTIO_RING_F_EVENT_IDX;
	if (cfg & 0x10)
		s->vdev.features |= 1ULL << VIRTIO_RING_F_INDIRECT_DESC;
	if (cfg & 0x20)
		s->vdev.features |= 1ULL << VIRTIO_F_IN_ORDER;
	INIT_LIST_HEAD(&s->vdev.vqs);
	spin_lock_init(&s->vdev.vqs_list_lock);
	s->num = sizes[cfg & 7];
	if (FUZZ_PACKED && (cfg & 0x80))
		s->num = 3 + (cfg & 7) * 5;	/* not a power of two */
	s->vq = vra_create_virtqueue(0, s->num, 4096, &s->vdev, true, false,
				     false, notify, callback, "fuzz",
				     &s->vdev.dev);
	CHECK(!IS_ERR_OR_NULL(s->vq), "cannot create a queue of %u", s->num);
	s->num = vra_get_vring_size(s->vq);
	vra_set_strict_len(s->vq, cfg & 0x40);
	dev_reset(s);

	while (s->pos < s->len)
		run_op(s, next_u8(s));

	/* The driver's teardown: the device is reset, then buffers detached. */
	while ((token = vra_detach_unused_buf(s->vq)))
		take_back(s, token, "detach_unused_buf");
	CHECK(s->in_flight == 0, "%u buffers lost", s->in_flight);
	CHECK(dma_mapped == 0, "%ld mappings left", dma_mapped);
	vra_del_virtqueue(s->vq);
	free(s);
	cur = NULL;
	return 0;
}
