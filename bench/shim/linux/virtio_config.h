/* SPDX-License-Identifier: GPL-2.0-only */
/* What compat.h names of include/linux/virtio_config.h (6.12). */
#ifndef _BENCH_LINUX_VIRTIO_CONFIG_H
#define _BENCH_LINUX_VIRTIO_CONFIG_H

#include_next <linux/virtio_config.h>

typedef void vq_callback_t(struct virtqueue *vq);
struct irq_affinity;

struct virtqueue_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
		    struct virtqueue *vqs[], struct virtqueue_info vqs_info[],
		    struct irq_affinity *desc);

#endif
