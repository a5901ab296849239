/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rest of the in-tree virtqueue API, as include/linux/virtio.h of
 * 6.12 declares it: tools/virtio's virtio.h declares only a subset of what
 * drivers/virtio/virtio_ring.c defines. The ring includes this too, so the
 * compiler checks the two agree.
 */
#ifndef _BENCH_LINUX_VIRTIO_H
#define _BENCH_LINUX_VIRTIO_H

#include_next <linux/virtio.h>
#include <linux/irqreturn.h>

int virtqueue_add_inbuf_ctx(struct virtqueue *vq, struct scatterlist sg[],
			    unsigned int num, void *data, void *ctx, gfp_t gfp);
bool virtqueue_kick_prepare(struct virtqueue *vq);
bool virtqueue_notify(struct virtqueue *vq);
void *virtqueue_get_buf_ctx(struct virtqueue *vq, unsigned int *len,
			    void **ctx);
unsigned int virtqueue_enable_cb_prepare(struct virtqueue *vq);
bool virtqueue_poll(struct virtqueue *vq, unsigned int last_used_idx);
unsigned int virtqueue_get_vring_size(const struct virtqueue *vq);
bool virtqueue_is_broken(const struct virtqueue *vq);
dma_addr_t virtqueue_get_desc_addr(const struct virtqueue *vq);
dma_addr_t virtqueue_get_avail_addr(const struct virtqueue *vq);
dma_addr_t virtqueue_get_used_addr(const struct virtqueue *vq);
irqreturn_t vring_interrupt(int irq, void *_vq);
int virtqueue_resize(struct virtqueue *vq, u32 num,
		     void (*recycle)(struct virtqueue *vq, void *buf),
		     void (*recycle_done)(struct virtqueue *vq));
int virtqueue_reset(struct virtqueue *vq,
		    void (*recycle)(struct virtqueue *vq, void *buf),
		    void (*recycle_done)(struct virtqueue *vq));

#endif
