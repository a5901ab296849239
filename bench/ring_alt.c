// SPDX-License-Identifier: GPL-2.0-only
/* This project's ring (virtio_ring_alt*.c) for the bench. */
#include <linux/virtio.h>

#include "../virtio_ring_alt.h"
#include "ring.h"

/* As intree_create(): weak barriers, 4096-byte alignment, no ctx. */
static struct virtqueue *alt_create(struct virtio_device *vdev,
				    unsigned int num,
				    bool (*notify)(struct virtqueue *vq),
				    void (*callback)(struct virtqueue *vq))
{
	return vra_create_virtqueue(0, num, 4096, vdev, true, false, false,
				    notify, callback, "bench", &vdev->dev);
}

const struct bring_ops bring_alt = {
	.name		= "alt",
	.has_in_order	= true,
	.create		= alt_create,
	.del		= vra_del_virtqueue,
	.add_sgs	= vra_add_sgs,
	.kick_prepare	= vra_kick_prepare,
	.notify		= vra_notify,
	.get_buf	= vra_get_buf,
	.disable_cb	= vra_disable_cb,
	.enable_cb	= vra_enable_cb,
	.interrupt	= vra_interrupt,
	.is_broken	= vra_is_broken,
	.desc_addr	= vra_get_desc_addr,
	.avail_addr	= vra_get_avail_addr,
	.used_addr	= vra_get_used_addr,
};
