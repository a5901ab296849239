/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vdm: a virtio device model for KUnit, the device side of a virtqueue.
 *
 * Written from the virtio 1.3 specification, 2.7 "Split Virtqueues" and
 * 2.8 "Packed Virtqueues", not from the driver code under test. It reaches
 * the ring only through the DMA addresses the ring hands out, as a device
 * does, and buffers through the addresses in the descriptors. A script says
 * how it behaves: completion order, batch size, event suppression honoured
 * or ignored, in-order batching, the used length it reports, and one
 * hostile act at a time.
 *
 * Every buffer is identified by a tag: the first 8 bytes of its first
 * element. The model records, per tag, the used length it reported, so a
 * test can check that every buffer comes back once with that length. When
 * the first element is device-writable the model reads the tag from it
 * anyway, as a device MAY do "for debugging or diagnostic purposes" (2.7.5).
 */
#ifndef _VIRTIO_ALT_VDM_H
#define _VIRTIO_ALT_VDM_H

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/types.h>
#include <linux/virtio.h>
#include <linux/virtio_ring.h>

#include "../virtio_ring_alt.h"

/* In which order the device uses the buffers it took. */
enum vdm_order {
	VDM_ORDER_IN,		/* as made available */
	VDM_ORDER_REVERSE,	/* newest first */
	VDM_ORDER_RANDOM,	/* seeded pseudo-random */
	VDM_ORDER_NR
};

/* The used length the device reports for a buffer. */
enum vdm_len {
	VDM_LEN_ALL,		/* every device-writable byte */
	VDM_LEN_VARY,		/* 0 up to every device-writable byte */
	VDM_LEN_ZERO,		/* nothing written */
};

/* One protocol violation by the device, see vdm_misbehave(). */
enum vdm_hostile {
	VDM_HOSTILE_ID_RANGE,		/* used id >= queue size */
	VDM_HOSTILE_ID_IDLE,		/* used id of no buffer in flight */
	VDM_HOSTILE_ID_TWICE,		/* used id of a buffer already used */
	VDM_HOSTILE_LEN_OVER,		/* used len > device-writable bytes */
	VDM_HOSTILE_IDX_JUMP,		/* split: used idx moves > queue size */
	VDM_HOSTILE_PACKED_WRAP,	/* packed: USED matches, AVAIL does not */
	VDM_HOSTILE_IN_ORDER_SKIP,	/* in-order: an entry skips a buffer */
	VDM_HOSTILE_NR
};

/**
 * struct vdm_script - how the device behaves
 * @order: completion order of the buffers taken
 * @seed: seed of the pseudo-random order and batch sizes
 * @batch: buffers used per vdm_run(), 0 for all taken
 * @honour_suppression: obey the driver's used buffer notification
 *	suppression, and suppress available buffer notifications while busy;
 *	false: notify the driver after every run, always ask for kicks
 * @in_order_batch: with VIRTIO_F_IN_ORDER, report a batch with one used
 *	entry (split) or one used descriptor (packed); the batch lengths follow
 *	@order: one buffer each, all at once, or seeded random
 * @len: used length to report
 */
struct vdm_script {
	enum vdm_order order;
	u32 seed;
	unsigned int batch;
	bool honour_suppression;
	bool in_order_batch;
	enum vdm_len len;
};

#define VDM_NO_TAG	U64_MAX
#define VDM_NOT_USED	U32_MAX

/* A buffer the device took from the ring and has not used yet. */
struct vdm_buf {
	u64 tag;		/* first 8 bytes of the first element */
	u32 in_len;		/* device-writable bytes */
	u32 len;		/* used length it will report */
	u16 id;			/* split: head index; packed: buffer id */
	u16 ndescs;		/* descriptors it takes in the ring */
};

/* What the device counted; a test compares these with the ring's. */
struct vdm_counts {
	u64 bufs_taken;
	u64 ring_descs;		/* descriptors read from the ring itself */
	u64 table_descs;	/* descriptors read from indirect tables */
	u64 indirect;		/* buffers described by an indirect table */
	u64 bufs_used;
	u64 used_entries;	/* used elements / used descriptors written */
	u64 notifies;		/* available buffer notifications received */
	u64 irqs;		/* used buffer notifications sent */
	u64 avail_wraps;	/* split: avail idx; packed: wrap flips */
	u64 used_wraps;
	u64 violations;		/* driver broke a MUST of the spec */
};

/* Elements of a buffer a serving device (vdm.serve) sees, at most this many. */
#define VDM_SERVE_ELEMS	8

/**
 * struct vdm_elem - one element of a buffer, as the device reads it
 * @p: its memory (the device's view of the DMA address)
 * @len: bytes
 * @write: device-writable
 */
struct vdm_elem {
	void *p;
	u32 len;
	bool write;
};

struct vdm {
	struct kunit *test;
	struct virtio_device *vdev;
	struct device *dma_dev;
	struct virtqueue *vq;
	struct vdm_script s;
	bool packed, indirect, event_idx, in_order, notif_data;
	unsigned int num;
	unsigned int index;

	/* Split layout, 2.7. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u16 last_avail;		/* next avail ring entry to read */
	u16 used_idx;		/* next used ring entry to write */
	u16 next_head;		/* in-order: the head the driver must use */

	/* Packed layout, 2.8. */
	struct vring_packed_desc *ring;
	struct vring_packed_desc_event *driver_event;	/* driver area */
	struct vring_packed_desc_event *device_event;	/* device area */
	u16 avail_pos;
	bool avail_wrap;
	u16 used_pos;
	bool used_wrap;

	/* Notified and not yet drained: the device looks at the ring. */
	bool awake;
	/* Another device engine drives the ring (vringh): only count and wake. */
	bool external;
	/* Make the transport's notify fail. */
	bool notify_fails;
	/* Address of the last indirect table read. */
	u64 last_table;

	/* Buffers taken, not yet used, in the order taken (a circular deque). */
	struct vdm_buf *pending;
	unsigned int p_head, p_count;
	struct rnd_state rnd;

	/* Used length reported per tag, VDM_NOT_USED if not (yet) used. */
	u32 *tag_len;
	unsigned int ntags;

	/* Called from the queue's callback (the used buffer notification). */
	void (*callback)(struct vdm *m);
	void *priv;

	/*
	 * A device function: when set, the model writes no pattern; it hands
	 * each buffer it takes to @serve, which reads the device-readable
	 * elements, writes the device-writable ones and returns the used
	 * length to report. @notified runs at the end of every available
	 * buffer notification (in the driver's context: it must not call
	 * back into the driver; a test typically schedules the device's work).
	 */
	u32 (*serve)(struct vdm *m, const struct vdm_elem *e, unsigned int n);
	void (*notified)(struct vdm *m);

	struct vdm_counts c;
};

struct vdm *vdm_create(struct kunit *test, unsigned int num, u64 features,
		       const struct vdm_script *s, unsigned int ntags);
void vdm_attach(struct vdm *m);
unsigned int vdm_take(struct vdm *m);
unsigned int vdm_complete(struct vdm *m, unsigned int max);
void vdm_run(struct vdm *m);
bool vdm_idle(struct vdm *m);
void vdm_interrupt(struct vdm *m);
void vdm_misbehave(struct vdm *m, enum vdm_hostile h);
u64 vdm_stat(struct vdm *m, enum vra_stat s);
u64 vdm_broken(struct vdm *m, enum vra_broken b);
u8 vdm_pattern(u64 tag);
size_t vdm_read(const struct vdm_elem *e, unsigned int n, size_t off,
		void *buf, size_t len);
size_t vdm_write(const struct vdm_elem *e, unsigned int n, size_t off,
		 const void *buf, size_t len);

static inline unsigned int vdm_pending(const struct vdm *m)
{
	return m->p_count;
}

extern const char * const vdm_order_names[VDM_ORDER_NR];

#endif /* _VIRTIO_ALT_VDM_H */
