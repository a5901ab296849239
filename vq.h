/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: one driver-facing call per virtqueue operation, for alt-ring
 * and in-tree queues alike. A driver of this module uses only these, so the
 * ring= parameter can move it between rings without a code change. Valid
 * only for queues of this module's transports (vq->priv is a struct vtr_vq).
 */
#ifndef _VIRTIO_ALT_VQ_H
#define _VIRTIO_ALT_VQ_H

#include <linux/virtio.h>

#include "transport.h"
#include "virtio_ring_alt.h"

static inline bool vaq_is_alt(const struct virtqueue *vq)
{
	return to_vtr_vq(vq)->alt;
}

static inline int vaq_add_outbuf(struct virtqueue *vq, struct scatterlist *sg,
				 unsigned int num, void *data, gfp_t gfp)
{
	return vaq_is_alt(vq) ? vra_add_outbuf(vq, sg, num, data, gfp) :
				virtqueue_add_outbuf(vq, sg, num, data, gfp);
}

static inline int vaq_add_inbuf(struct virtqueue *vq, struct scatterlist *sg,
				unsigned int num, void *data, gfp_t gfp)
{
	return vaq_is_alt(vq) ? vra_add_inbuf(vq, sg, num, data, gfp) :
				virtqueue_add_inbuf(vq, sg, num, data, gfp);
}

static inline bool vaq_kick(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_kick(vq) : virtqueue_kick(vq);
}

static inline void *vaq_get_buf(struct virtqueue *vq, unsigned int *len)
{
	return vaq_is_alt(vq) ? vra_get_buf(vq, len) : virtqueue_get_buf(vq, len);
}

static inline void *vaq_detach_unused_buf(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_detach_unused_buf(vq) :
				virtqueue_detach_unused_buf(vq);
}

static inline void vaq_disable_cb(struct virtqueue *vq)
{
	if (vaq_is_alt(vq))
		vra_disable_cb(vq);
	else
		virtqueue_disable_cb(vq);
}

static inline bool vaq_enable_cb(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_enable_cb(vq) : virtqueue_enable_cb(vq);
}

static inline bool vaq_is_broken(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_is_broken(vq) : virtqueue_is_broken(vq);
}

/* Mark the queue broken: no more buffers in or out (a transport failure). */
static inline void vaq_break(struct virtqueue *vq)
{
	if (vaq_is_alt(vq))
		vra_break(vq);
	else
		__virtqueue_break(vq);
}

static inline unsigned int vaq_vring_size(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_get_vring_size(vq) :
				virtqueue_get_vring_size(vq);
}

static inline dma_addr_t vaq_desc_addr(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_get_desc_addr(vq) :
				virtqueue_get_desc_addr(vq);
}

static inline dma_addr_t vaq_avail_addr(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_get_avail_addr(vq) :
				virtqueue_get_avail_addr(vq);
}

static inline dma_addr_t vaq_used_addr(struct virtqueue *vq)
{
	return vaq_is_alt(vq) ? vra_get_used_addr(vq) :
				virtqueue_get_used_addr(vq);
}

/* Reset (num 0) or resize the queue; see vtr_reset_vq(). */
static inline int vaq_reset(struct virtqueue *vq, unsigned int num,
			    void (*recycle)(struct virtqueue *vq, void *buf))
{
	return vtr_reset_vq(vq, num, recycle);
}

#endif /* _VIRTIO_ALT_VQ_H */
