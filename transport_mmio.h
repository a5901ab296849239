/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport_mmio.c's helpers exported for the KUnit suites in
 * kunit/mmio_test.c: the devices= parser, the version 1 used ring offset
 * that the seed 004 warning compares against, and (with CONFIG_KUNIT) a
 * device whose registers are in software, to check register sequences.
 */
#ifndef _VIRTIO_ALT_TRANSPORT_MMIO_H
#define _VIRTIO_ALT_TRANSPORT_MMIO_H

#include <linux/kconfig.h>
#include <linux/types.h>

/* At most this many devices= entries in all. */
#define VA_MMIO_DEVICES_MAX	32

/**
 * struct va_mmio_cmdline_dev - one devices= entry
 * @size: register window size, bytes
 * @base: register window physical address
 * @irq: interrupt number, not 0
 * @id: platform device id, or -1 for the next free one
 */
struct va_mmio_cmdline_dev {
	u64 size;
	u64 base;
	unsigned int irq;
	int id;
};

/**
 * enum va_mmio_cmdline_err - why a devices= entry was refused
 * @VA_MMIO_CMDLINE_OK: no error
 * @VA_MMIO_CMDLINE_EMPTY: an empty entry (e.g. two commas in a row)
 * @VA_MMIO_CMDLINE_SIZE: <size> is not a number or not followed by '@'
 * @VA_MMIO_CMDLINE_SIZE_SMALL: <size> is below 0x100, the registers
 * @VA_MMIO_CMDLINE_BASE: <baseaddr> is not a number
 * @VA_MMIO_CMDLINE_WRAP: <baseaddr> + <size> wraps around 2^64
 * @VA_MMIO_CMDLINE_IRQ_MISSING: no ':' and <irq> after <baseaddr>
 * @VA_MMIO_CMDLINE_IRQ: <irq> is not a number, or is 0
 * @VA_MMIO_CMDLINE_ID: <id> is not a number, or is negative
 * @VA_MMIO_CMDLINE_TOO_MANY: more than %VA_MMIO_DEVICES_MAX entries
 * @VA_MMIO_CMDLINE_OVERLAP: the window overlaps an earlier entry's
 * @VA_MMIO_CMDLINE_NR: number of values
 */
enum va_mmio_cmdline_err {
	VA_MMIO_CMDLINE_OK,
	VA_MMIO_CMDLINE_EMPTY,
	VA_MMIO_CMDLINE_SIZE,
	VA_MMIO_CMDLINE_SIZE_SMALL,
	VA_MMIO_CMDLINE_BASE,
	VA_MMIO_CMDLINE_WRAP,
	VA_MMIO_CMDLINE_IRQ_MISSING,
	VA_MMIO_CMDLINE_IRQ,
	VA_MMIO_CMDLINE_ID,
	VA_MMIO_CMDLINE_TOO_MANY,
	VA_MMIO_CMDLINE_OVERLAP,
	VA_MMIO_CMDLINE_NR
};

/**
 * struct va_mmio_cmdline_bad - where and why a devices= value was refused
 * @err: why
 * @off: offset of the refused entry in the value, bytes
 * @len: length of the refused entry, bytes
 */
struct va_mmio_cmdline_bad {
	enum va_mmio_cmdline_err err;
	unsigned int off;
	unsigned int len;
};

const char *va_mmio_cmdline_what(enum va_mmio_cmdline_err err);
int va_mmio_parse_devices(const char *val, struct va_mmio_cmdline_dev *devs,
			  unsigned int max, unsigned int *n,
			  struct va_mmio_cmdline_bad *bad);
size_t va_mmio_used_off_without_event(unsigned int num, unsigned int align);

/**
 * struct va_mmio_regs - a virtio-mmio register window in software, for KUnit
 * @read: return the 32-bit register at byte offset @off (4.2.2)
 * @write: take @val for the 32-bit register at byte offset @off
 *
 * Embedded in the test's own device model, found with container_of().
 */
struct va_mmio_regs {
	u32 (*read)(struct va_mmio_regs *regs, unsigned int off);
	void (*write)(struct va_mmio_regs *regs, unsigned int off, u32 val);
};

#if IS_ENABLED(CONFIG_KUNIT)
struct device;
struct virtio_device;
struct virtqueue;

struct virtio_device *va_mmio_fake_create(struct va_mmio_regs *regs,
					  u32 version, u32 align);
void va_mmio_fake_destroy(struct virtio_device *vdev);
int va_mmio_fake_setup_queue(struct virtio_device *vdev, unsigned int index,
			     dma_addr_t desc, dma_addr_t driver,
			     dma_addr_t device, u32 *num);
struct virtqueue *va_mmio_fake_setup_vq(struct virtio_device *vdev,
					unsigned int index,
					struct device *dma_dev);
void va_mmio_fake_set_queue_reset_ms(struct virtio_device *vdev, u32 ms);
bool va_mmio_fake_ring_reset_param(bool on);
#endif

#endif /* _VIRTIO_ALT_TRANSPORT_MMIO_H */
