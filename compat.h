/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: every difference between the kernels we build for (6.1 to
 * 6.12) lives here, and nowhere else.
 */
#ifndef _VIRTIO_ALT_COMPAT_H
#define _VIRTIO_ALT_COMPAT_H

#include <linux/version.h>
#include <linux/virtio_config.h>

/*
 * find_vqs() took parallel arrays of callbacks, names and ctx flags until
 * 6.11, then one array of struct virtqueue_info. Inside the module we use
 * the new shape everywhere; on older kernels struct va_vq_info stands in.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define va_vq_info virtqueue_info

#define VA_FIND_VQS_ARGS						\
	struct virtio_device *vdev, unsigned int nvqs,			\
	struct virtqueue *vqs[], struct virtqueue_info vqs_info[],	\
	struct irq_affinity *desc
#define VA_FIND_VQS_CALL(fn) fn(vdev, nvqs, vqs, vqs_info, desc)

static inline int va_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			      struct virtqueue *vqs[],
			      struct va_vq_info vqs_info[])
{
	return virtio_find_vqs(vdev, nvqs, vqs, vqs_info, NULL);
}
#else
struct va_vq_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

#define VA_FIND_VQS_ARGS						\
	struct virtio_device *vdev, unsigned int nvqs,			\
	struct virtqueue *vqs[], vq_callback_t *callbacks[],		\
	const char * const names[], const bool *ctx,			\
	struct irq_affinity *desc

/* Convert the old arrays, then call @fn with the new shape. */
#define VA_FIND_VQS_CALL(fn) ({						\
	struct va_vq_info *_info;					\
	unsigned int _i;						\
	int _err;							\
									\
	_info = kcalloc(nvqs, sizeof(*_info), GFP_KERNEL);		\
	if (!_info)							\
		return -ENOMEM;						\
	for (_i = 0; _i < nvqs; _i++) {					\
		_info[_i].name = names[_i];				\
		_info[_i].callback = callbacks[_i];			\
		_info[_i].ctx = ctx ? ctx[_i] : false;			\
	}								\
	_err = fn(vdev, nvqs, vqs, _info, desc);			\
	kfree(_info);							\
	_err;								\
})

static inline int va_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			      struct virtqueue *vqs[],
			      struct va_vq_info vqs_info[])
{
	vq_callback_t *callbacks[8];
	const char *names[8];
	unsigned int i;

	if (nvqs > ARRAY_SIZE(names))
		return -EINVAL;
	for (i = 0; i < nvqs; i++) {
		callbacks[i] = vqs_info[i].callback;
		names[i] = vqs_info[i].name;
	}
	return virtio_find_vqs(vdev, nvqs, vqs, callbacks, names, NULL);
}
#endif

#endif /* _VIRTIO_ALT_COMPAT_H */
