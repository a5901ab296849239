/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: the administration virtqueue (VIRTIO_F_ADMIN_VQ), virtio 1.3,
 * 2.12 "Device groups" and 2.13 "Administration Virtqueues".
 *
 * Transport independent: a transport finds where the admin queues are
 * (va_admin_read_range()), makes one of them on the alt ring, whatever ring
 * the device's driver uses, hands it over with va_admin_attach(), calls
 * va_admin_done() from the queue's callback, va_admin_setup() once the
 * device is live (DRIVER_OK), va_admin_recover() after a device reset and
 * va_admin_detach() before deleting the queue.
 *
 * Commands go one at a time (a mutex), each with a bounded wait. Every value
 * the device writes (used length, status, result) is checked before use.
 */
#ifndef _VIRTIO_ALT_ADMIN_H
#define _VIRTIO_ALT_ADMIN_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct dentry;
struct device;
struct seq_file;
struct virtqueue;

/* 2.12.1: status values; they match Linux error numbers on purpose. */
#define VA_ADMIN_STATUS_OK		0
#define VA_ADMIN_STATUS_ENXIO		6
#define VA_ADMIN_STATUS_EAGAIN		11
#define VA_ADMIN_STATUS_ENOMEM		12
#define VA_ADMIN_STATUS_EBUSY		16
#define VA_ADMIN_STATUS_EINVAL		22
#define VA_ADMIN_STATUS_ENOSPC		28

/* 2.12.1: status_qualifier values. */
#define VA_ADMIN_Q_OK			0
#define VA_ADMIN_Q_INVALID_COMMAND	1
#define VA_ADMIN_Q_INVALID_OPCODE	2
#define VA_ADMIN_Q_INVALID_FIELD	3
#define VA_ADMIN_Q_INVALID_GROUP	4
#define VA_ADMIN_Q_INVALID_MEMBER	5
#define VA_ADMIN_Q_NORESOURCE		6
#define VA_ADMIN_Q_TRYAGAIN		7

/* 2.12: group types. */
#define VA_ADMIN_GROUP_SELF		0
#define VA_ADMIN_GROUP_SRIOV		1

/*
 * Opcodes the command bitmaps cover: 0 to VA_ADMIN_OPCODES - 1. Opcodes of
 * struct virtio_admin_cmd end at 0x7fff; 1.3 defines up to 0x11.
 */
#define VA_ADMIN_WORDS			4
#define VA_ADMIN_OPCODES		(VA_ADMIN_WORDS * 64)

/* Largest command_specific_data or command_specific_result, bytes. */
#define VA_ADMIN_MAX_PART		SZ_64K

/**
 * struct va_admin_cmd - one group administration command (2.12.1)
 * @opcode: the command
 * @group_type: VA_ADMIN_GROUP_SELF or VA_ADMIN_GROUP_SRIOV
 * @group_member_id: member of the group; 0 when the command has none
 * @data: command_specific_data, copied; NULL if @data_len is 0
 * @data_len: bytes of @data, up to VA_ADMIN_MAX_PART; padded with zeroes
 *	to a multiple of 8 on the ring (2.13.2)
 * @result: where command_specific_result is copied; NULL if @result_len 0
 * @result_len: room in @result, up to VA_ADMIN_MAX_PART
 * @status: out: status the device wrote
 * @status_qualifier: out: status_qualifier the device wrote
 * @result_got: out: bytes of @result the device wrote (from the used
 *	length); the rest of @result is zeroed (2.13: missing fields are 0)
 */
struct va_admin_cmd {
	u16 opcode;
	u16 group_type;
	u64 group_member_id;
	const void *data;
	size_t data_len;
	void *result;
	size_t result_len;
	u16 status;
	u16 status_qualifier;
	size_t result_got;
};

/* Where the admin queue stands. */
enum va_admin_state {
	VA_ADMIN_NONE,		/* no admin queue */
	VA_ADMIN_ATTACHED,	/* queue made, LIST_QUERY/LIST_USE not done */
	VA_ADMIN_READY,		/* LIST_USE completed with status OK */
	VA_ADMIN_FAILED,	/* setup failed; see @err */
	VA_ADMIN_STOPPED,	/* the queue broke or a command timed out */
};

struct va_admin_req;

/**
 * struct va_admin - the admin queue of one owner device
 * @dev: the virtio device, for messages
 * @vq: the admin queue (alt ring), or NULL
 * @index: its queue index
 * @count: admin queues the device has (admin_queue_num)
 * @group_type: the group type set up (VA_ADMIN_GROUP_SRIOV)
 * @timeout_ms: how long a command may take, milliseconds
 * @state: enum va_admin_state
 * @err: the error that moved @state to VA_ADMIN_FAILED or _STOPPED
 * @supported: LIST_QUERY result, bit n of word n / 64 = opcode n
 * @used: the list sent with LIST_USE and accepted by the device
 * @cmds: commands submitted
 * @errors: commands that completed with a status other than OK
 * @bad_len: commands whose used length was unusable
 * @timeouts: commands the device did not answer in time
 * @recovered: command buffers taken back after a reset
 * @lock: serializes commands; held across the wait
 * @vq_lock: serializes ring operations between submission and callback
 * @cur: the command in flight, or NULL; under @vq_lock
 * @done: completed when @cur is used (or the queue breaks)
 */
struct va_admin {
	struct device *dev;
	struct virtqueue *vq;
	u16 index;
	u16 count;
	u16 group_type;
	unsigned int timeout_ms;
	enum va_admin_state state;
	int err;
	u64 supported[VA_ADMIN_WORDS];
	u64 used[VA_ADMIN_WORDS];
	u64 cmds;
	u64 errors;
	u64 bad_len;
	u64 timeouts;
	u64 recovered;
	struct mutex lock;	/* one command at a time */
	spinlock_t vq_lock;	/* ring operations */
	struct va_admin_req *cur;
	struct completion done;
};

void va_admin_init(struct va_admin *a, struct device *dev,
		   unsigned int timeout_ms);
int va_admin_read_range(struct device *dev, const __le16 __iomem *num_queues,
			const __le16 __iomem *index, const __le16 __iomem *num,
			u16 *first, u16 *count);
int va_admin_attach(struct va_admin *a, struct virtqueue *vq, u16 count);
void va_admin_done(struct va_admin *a);
int va_admin_exec(struct va_admin *a, struct va_admin_cmd *cmd);
int va_admin_setup(struct va_admin *a);
unsigned int va_admin_recover(struct va_admin *a);
void va_admin_detach(struct va_admin *a);
int va_admin_run_serialized(struct va_admin *a,
			    int (*fn)(struct virtqueue *vq, void *arg),
			    void *arg);
void va_admin_show(struct va_admin *a, struct seq_file *s);
void va_admin_debugfs(struct va_admin *a, struct dentry *dir);
const char *va_admin_opcode_name(u16 opcode);

#endif /* _VIRTIO_ALT_ADMIN_H */
