/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The two rings under test behind one table of calls. Each entry points
 * straight at the ring's own function (virtqueue_add_sgs(), vra_add_sgs(),
 * ...), so a callgrind profile's inclusive cost of that function is the
 * ring's cost of the call, and both rings pay the same indirect call.
 */
#ifndef _BENCH_RING_H
#define _BENCH_RING_H

#include <linux/virtio.h>

/**
 * struct bring_cfg - one queue's negotiated features and size
 * @packed: VIRTIO_F_RING_PACKED
 * @event_idx: VIRTIO_RING_F_EVENT_IDX
 * @indirect: VIRTIO_RING_F_INDIRECT_DESC
 * @in_order: VIRTIO_F_IN_ORDER (only where the ring has it)
 * @num: queue size
 */
struct bring_cfg {
	bool packed;
	bool event_idx;
	bool indirect;
	bool in_order;
	unsigned int num;
};

/**
 * struct bring_ops - one ring's API
 * @name: "intree" or "alt"
 * @has_in_order: the ring implements VIRTIO_F_IN_ORDER
 * @create: make a queue on @vdev, whose features are set
 * @del: free it
 * @add_sgs: virtqueue_add_sgs()
 * @kick_prepare: virtqueue_kick_prepare()
 * @notify: virtqueue_notify()
 * @get_buf: virtqueue_get_buf()
 * @disable_cb: virtqueue_disable_cb()
 * @enable_cb: virtqueue_enable_cb()
 * @interrupt: vring_interrupt()
 * @is_broken: virtqueue_is_broken()
 * @desc_addr: virtqueue_get_desc_addr()
 * @avail_addr: virtqueue_get_avail_addr()
 * @used_addr: virtqueue_get_used_addr()
 */
struct bring_ops {
	const char *name;
	bool has_in_order;
	struct virtqueue *(*create)(struct virtio_device *vdev,
				    unsigned int num,
				    bool (*notify)(struct virtqueue *vq),
				    void (*callback)(struct virtqueue *vq));
	void (*del)(struct virtqueue *vq);
	int (*add_sgs)(struct virtqueue *vq, struct scatterlist *sgs[],
		       unsigned int out_sgs, unsigned int in_sgs, void *data,
		       gfp_t gfp);
	bool (*kick_prepare)(struct virtqueue *vq);
	bool (*notify)(struct virtqueue *vq);
	void *(*get_buf)(struct virtqueue *vq, unsigned int *len);
	void (*disable_cb)(struct virtqueue *vq);
	bool (*enable_cb)(struct virtqueue *vq);
	irqreturn_t (*interrupt)(int irq, void *vq);
	bool (*is_broken)(const struct virtqueue *vq);
	dma_addr_t (*desc_addr)(const struct virtqueue *vq);
	dma_addr_t (*avail_addr)(const struct virtqueue *vq);
	dma_addr_t (*used_addr)(const struct virtqueue *vq);
};

extern const struct bring_ops bring_intree;
extern const struct bring_ops bring_alt;

#endif /* _BENCH_RING_H */
