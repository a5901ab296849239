// SPDX-License-Identifier: GPL-2.0-only
/* The in-tree ring (drivers/virtio/virtio_ring.c of 6.12) for the bench. */
#include <linux/virtio.h>
#include <linux/virtio_ring.h>

#include "ring.h"

/* Weak (SMP) barriers, a 4096-byte-aligned split used ring, no ctx. */
static struct virtqueue *intree_create(struct virtio_device *vdev,
				       unsigned int num,
				       bool (*notify)(struct virtqueue *vq),
				       void (*callback)(struct virtqueue *vq))
{
	return vring_create_virtqueue(0, num, 4096, vdev, true, false, false,
				      notify, callback, "bench");
}

const struct bring_ops bring_intree = {
	.name		= "intree",
	.has_in_order	= false,
	.create		= intree_create,
	.del		= vring_del_virtqueue,
	.add_sgs	= virtqueue_add_sgs,
	.kick_prepare	= virtqueue_kick_prepare,
	.notify		= virtqueue_notify,
	.get_buf	= virtqueue_get_buf,
	.disable_cb	= virtqueue_disable_cb,
	.enable_cb	= virtqueue_enable_cb,
	.interrupt	= vring_interrupt,
	.is_broken	= virtqueue_is_broken,
	.desc_addr	= virtqueue_get_desc_addr,
	.avail_addr	= virtqueue_get_avail_addr,
	.used_addr	= virtqueue_get_used_addr,
};
