/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: every difference between the kernels we build for (6.1 to
 * 6.12) lives here, and nowhere else (Kbuild only probes the headers for
 * the VA_HAVE_* symbols used below).
 */
#ifndef _VIRTIO_ALT_COMPAT_H
#define _VIRTIO_ALT_COMPAT_H

#include <linux/platform_device.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

/* get_unaligned_le32() and friends moved to linux/unaligned.h in 6.12. */
#ifdef VA_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#include <linux/virtio_pci.h>

/*
 * find_vqs() took parallel arrays of callbacks, names and ctx flags until
 * 6.11, then one array of struct virtqueue_info. Inside the module we use
 * the new shape everywhere; on older kernels struct va_vq_info stands in.
 * Kbuild defines VA_HAVE_VIRTQUEUE_INFO by looking at the kernel's header,
 * so a backport is found as well as a new version.
 *
 * A transport declares its find_vqs as fn(VA_FIND_VQS_ARGS) and forwards
 * with VA_FIND_VQS_CALL(handler), handler taking struct va_vq_info[].
 */
#ifdef VA_HAVE_VIRTQUEUE_INFO
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
#define VA_FIND_VQS_CALL(fn)						\
	va_find_vqs_arrays(vdev, nvqs, vqs, callbacks, names, ctx, desc, fn)

typedef int va_find_vqs_fn(struct virtio_device *vdev, unsigned int nvqs,
			   struct virtqueue *vqs[],
			   struct va_vq_info vqs_info[],
			   struct irq_affinity *desc);

/* Convert the old parallel arrays into struct va_vq_info, call @fn. */
static inline int va_find_vqs_arrays(struct virtio_device *vdev,
				     unsigned int nvqs,
				     struct virtqueue *vqs[],
				     vq_callback_t *callbacks[],
				     const char * const names[],
				     const bool *ctx,
				     struct irq_affinity *desc,
				     va_find_vqs_fn *fn)
{
	struct va_vq_info *info;
	unsigned int i;
	int err;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
		info[i].ctx = ctx ? ctx[i] : false;
	}
	err = fn(vdev, nvqs, vqs, info, desc);
	kfree(info);
	return err;
}

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

/*
 * struct platform_driver's remove returned int until 6.11, with a void
 * remove_new beside it (from 6.3, and in Debian's 6.1); since 6.11 remove
 * returns void and remove_new is on its way out. Kbuild defines
 * VA_HAVE_VOID_PLATFORM_REMOVE from the header.
 */
static inline void va_platform_set_remove(struct platform_driver *drv,
					  void (*remove)(struct platform_device *))
{
#ifdef VA_HAVE_VOID_PLATFORM_REMOVE
	drv->remove = remove;
#else
	drv->remove_new = remove;
#endif
}

/*
 * Resetting one in-tree queue: virtqueue_resize() is in every kernel we
 * build for; virtqueue_reset() (same size) came in 6.6; both gained a
 * recycle_done callback in 6.13, backported to some 6.12 stable kernels.
 */
static inline int va_virtqueue_resize(struct virtqueue *vq, u32 num,
				      void (*recycle)(struct virtqueue *vq,
						      void *buf))
{
#ifdef VA_HAVE_RECYCLE_DONE
	return virtqueue_resize(vq, num, recycle, NULL);
#else
	return virtqueue_resize(vq, num, recycle);
#endif
}

static inline int va_virtqueue_reset(struct virtqueue *vq,
				     void (*recycle)(struct virtqueue *vq,
						     void *buf))
{
#if !defined(VA_HAVE_VIRTQUEUE_RESET)
	dev_err(&vq->vdev->dev,
		"queue %u: this kernel's ring has no virtqueue_reset(); give a new size to resize instead\n",
		vq->index);
	return -EOPNOTSUPP;
#elif defined(VA_HAVE_RECYCLE_DONE)
	return virtqueue_reset(vq, recycle, NULL);
#else
	return virtqueue_reset(vq, recycle);
#endif
}

/* Feature bits newer than some of the headers we build against (6.1). */
#ifndef VIRTIO_F_NOTIFICATION_DATA
#define VIRTIO_F_NOTIFICATION_DATA	38
#endif
#ifndef VIRTIO_F_ADMIN_VQ
#define VIRTIO_F_ADMIN_VQ		41
#endif

/*
 * Group administration commands (virtio 1.3, 2.12.1): the uapi
 * <linux/virtio_pci.h> has them from 6.8 on. Kbuild defines
 * VA_HAVE_VIRTIO_ADMIN_CMD_HDR when the header has the structures; the
 * fallbacks are the same layout, from the specification.
 */
#ifndef VIRTIO_ADMIN_STATUS_OK
#define VIRTIO_ADMIN_STATUS_OK		0
#endif
#ifndef VIRTIO_ADMIN_CMD_LIST_QUERY
#define VIRTIO_ADMIN_CMD_LIST_QUERY	0x0
#endif
#ifndef VIRTIO_ADMIN_CMD_LIST_USE
#define VIRTIO_ADMIN_CMD_LIST_USE	0x1
#endif
#ifndef VIRTIO_ADMIN_GROUP_TYPE_SRIOV
#define VIRTIO_ADMIN_GROUP_TYPE_SRIOV	0x1
#endif
#ifndef VA_HAVE_VIRTIO_ADMIN_CMD_HDR
struct virtio_admin_cmd_hdr {
	__le16 opcode;
	__le16 group_type;
	__u8 reserved1[12];
	__le64 group_member_id;
};

struct virtio_admin_cmd_status {
	__le16 status;
	__le16 status_qualifier;
	__u8 reserved2[4];
};
#endif

/* virtio-mmio QueueReset (virtio 1.2, 4.2.2); not in 6.1's uapi header. */
#ifndef VIRTIO_MMIO_QUEUE_RESET
#define VIRTIO_MMIO_QUEUE_RESET		0x0c0
#endif

/*
 * Shrinkers: since 6.7 shrinker_alloc() allocates one, shrinker_register()
 * makes it live and shrinker_free() ends it, and private_data leads back
 * to its owner; before, the owner embedded a struct shrinker and called
 * register_shrinker() and unregister_shrinker(). Kbuild defines
 * VA_HAVE_SHRINKER_ALLOC from the header. Callers see only a struct
 * shrinker pointer made by va_shrinker_create() (NULL on failure) and
 * va_shrinker_priv() in the callbacks.
 */
typedef unsigned long va_shrink_fn(struct shrinker *s,
				   struct shrink_control *sc);

#ifdef VA_HAVE_SHRINKER_ALLOC
static inline struct shrinker *va_shrinker_create(va_shrink_fn *count,
						  va_shrink_fn *scan,
						  void *priv, const char *name)
{
	struct shrinker *s = shrinker_alloc(0, "virtio-alt-%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->private_data = priv;
	shrinker_register(s);
	return s;
}

static inline void *va_shrinker_priv(struct shrinker *s)
{
	return s->private_data;
}

static inline void va_shrinker_destroy(struct shrinker *s)
{
	if (s)
		shrinker_free(s);
}
#else
struct va_shrinker_box {
	struct shrinker s;
	void *priv;
};

static inline struct shrinker *va_shrinker_create(va_shrink_fn *count,
						  va_shrink_fn *scan,
						  void *priv, const char *name)
{
	struct va_shrinker_box *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->s.count_objects = count;
	b->s.scan_objects = scan;
	b->s.seeks = DEFAULT_SEEKS;
	b->priv = priv;
	if (register_shrinker(&b->s, "virtio-alt-%s", name)) {
		kfree(b);
		return NULL;
	}
	return &b->s;
}

static inline void *va_shrinker_priv(struct shrinker *s)
{
	return container_of(s, struct va_shrinker_box, s)->priv;
}

static inline void va_shrinker_destroy(struct shrinker *s)
{
	if (!s)
		return;
	unregister_shrinker(s);
	kfree(container_of(s, struct va_shrinker_box, s));
}
#endif

#endif /* _VIRTIO_ALT_COMPAT_H */
