/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt tracepoints: what the alt ring does with each buffer and
 * notification, for trace-cmd and perf (events/virtio_alt/). A disabled
 * tracepoint costs a static branch.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM virtio_alt

#if !defined(_VIRTIO_ALT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VIRTIO_ALT_TRACE_H

#include <linux/device.h>
#include <linux/tracepoint.h>
#include <linux/virtio.h>

/* __assign_str() took the source as well until 6.10. */
#ifdef VA_HAVE_ASSIGN_STR_LEN
#define va_assign_str(dst, ...) __assign_str(dst, __VA_ARGS__)
#else
#define va_assign_str(dst, ...) __assign_str(dst)
#endif

/* A buffer made available: its head descriptor and descriptor count. */
TRACE_EVENT(virtio_alt_add,
	    TP_PROTO(const struct virtqueue *vq, unsigned int id,
		     unsigned int ndescs, bool indirect),
	    TP_ARGS(vq, id, ndescs, indirect),
	    TP_STRUCT__entry(__string(dev, dev_name(&vq->vdev->dev))
			     __field(unsigned int, index)
			     __field(unsigned int, head)
			     __field(unsigned int, ndescs)
			     __field(bool, indirect)
	    ),
	    TP_fast_assign(va_assign_str(dev, dev_name(&vq->vdev->dev));
			   __entry->index = vq->index;
			   __entry->head = id;
			   __entry->ndescs = ndescs;
			   __entry->indirect = indirect;
	    ),
	    TP_printk("%s vq %u head %u descs %u%s", __get_str(dev),
		      __entry->index, __entry->head, __entry->ndescs,
		      __entry->indirect ? " indirect" : "")
);

/* An available buffer notification decided: sent, or suppressed. */
TRACE_EVENT(virtio_alt_kick,
	    TP_PROTO(const struct virtqueue *vq, bool sent),
	    TP_ARGS(vq, sent),
	    TP_STRUCT__entry(__string(dev, dev_name(&vq->vdev->dev))
			     __field(unsigned int, index)
			     __field(bool, sent)
	    ),
	    TP_fast_assign(va_assign_str(dev, dev_name(&vq->vdev->dev));
			   __entry->index = vq->index;
			   __entry->sent = sent;
	    ),
	    TP_printk("%s vq %u %s", __get_str(dev), __entry->index,
		      __entry->sent ? "sent" : "suppressed")
);

/* A used buffer taken: the bytes the device wrote. */
TRACE_EVENT(virtio_alt_get_buf,
	    TP_PROTO(const struct virtqueue *vq, unsigned int len),
	    TP_ARGS(vq, len),
	    TP_STRUCT__entry(__string(dev, dev_name(&vq->vdev->dev))
			     __field(unsigned int, index)
			     __field(unsigned int, len)
	    ),
	    TP_fast_assign(va_assign_str(dev, dev_name(&vq->vdev->dev));
			   __entry->index = vq->index;
			   __entry->len = len;
	    ),
	    TP_printk("%s vq %u len %u", __get_str(dev), __entry->index,
		      __entry->len)
);

/* A used buffer notification for the queue; spurious if nothing new. */
TRACE_EVENT(virtio_alt_interrupt,
	    TP_PROTO(const struct virtqueue *vq, bool spurious),
	    TP_ARGS(vq, spurious),
	    TP_STRUCT__entry(__string(dev, dev_name(&vq->vdev->dev))
			     __field(unsigned int, index)
			     __field(bool, spurious)
	    ),
	    TP_fast_assign(va_assign_str(dev, dev_name(&vq->vdev->dev));
			   __entry->index = vq->index;
			   __entry->spurious = spurious;
	    ),
	    TP_printk("%s vq %u%s", __get_str(dev), __entry->index,
		      __entry->spurious ? " spurious" : "")
);

/* The queue broke: the reason's counter name. */
TRACE_EVENT(virtio_alt_broken,
	    TP_PROTO(const struct virtqueue *vq, const char *reason),
	    TP_ARGS(vq, reason),
	    TP_STRUCT__entry(__string(dev, dev_name(&vq->vdev->dev))
			     __field(unsigned int, index)
			     __string(reason, reason)
	    ),
	    TP_fast_assign(va_assign_str(dev, dev_name(&vq->vdev->dev));
			   __entry->index = vq->index;
			   va_assign_str(reason, reason);
	    ),
	    TP_printk("%s vq %u broken_%s", __get_str(dev), __entry->index,
		      __get_str(reason))
);

#endif /* _VIRTIO_ALT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE virtio_alt_trace
#include <trace/define_trace.h>
