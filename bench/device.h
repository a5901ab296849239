/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device side of the benchmark: one model of a virtio device's queue,
 * split (2.7) and packed (2.8), that both rings are driven against. It
 * takes every available buffer in ring order, checks its descriptors and
 * "writes" all of its device-writable bytes (it reports them as used
 * length without touching the memory), and follows the driver's event
 * suppression exactly as a device must, so that kicks and interrupts are
 * what the ring asked for.
 */
#ifndef _BENCH_DEVICE_H
#define _BENCH_DEVICE_H

#include <linux/virtio_ring.h>

/**
 * struct bdev_cfg - what the device negotiated
 * @packed: VIRTIO_F_RING_PACKED
 * @event_idx: VIRTIO_RING_F_EVENT_IDX
 * @in_order: VIRTIO_F_IN_ORDER: one used element per batch
 * @num: queue size
 * @desc: descriptor area (driver's DMA address, userspace pointer here)
 * @avail: driver area
 * @used: device area
 */
struct bdev_cfg {
	bool packed;
	bool event_idx;
	bool in_order;
	unsigned int num;
	u64 desc;
	u64 avail;
	u64 used;
};

/**
 * struct bdev - one device queue
 * @cfg: as negotiated
 * @vr: split: the three areas
 * @last_avail: split: next available ring entry to take
 * @used_idx: split: used index as last published
 * @signalled: split: used index at the last interrupt decision
 * @desc: packed: the descriptor ring
 * @drv_evt: packed: driver event suppression (driver area)
 * @dev_evt: packed: device event suppression (device area)
 * @avail_pos: packed: next descriptor to look at
 * @avail_wrap: packed: the device's available wrap counter
 * @used_pos: packed: next used descriptor to write
 * @used_wrap: packed: the device's used wrap counter
 * @since_signal: packed: descriptors used since the last interrupt decision
 * @bufs: buffers used
 * @descs: descriptors read, indirect entries included
 * @in_bytes: device-writable bytes reported
 * @err: first protocol error seen, or NULL
 */
struct bdev {
	struct bdev_cfg cfg;
	struct vring vr;
	u16 last_avail;
	u16 used_idx;
	u16 signalled;
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *drv_evt;
	struct vring_packed_desc_event *dev_evt;
	u16 avail_pos;
	bool avail_wrap;
	u16 used_pos;
	bool used_wrap;
	u16 since_signal;
	u64 bufs;
	u64 descs;
	u64 in_bytes;
	const char *err;
};

void bdev_init(struct bdev *d, const struct bdev_cfg *cfg);
unsigned int bdev_process(struct bdev *d, unsigned int limit);
bool bdev_need_irq(struct bdev *d);
void bdev_enable_kick(struct bdev *d);
void bdev_disable_kick(struct bdev *d);
bool bdev_avail_pending(struct bdev *d);

#endif /* _BENCH_DEVICE_H */
