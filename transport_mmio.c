// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt-mmio: the virtio over MMIO transport, version 2 and legacy
 * version 1.
 *
 * Virtio 1.3, 4.2 "Virtio Over MMIO". One register window (4.2.2) per
 * device, device configuration from offset 0x100, one interrupt line for
 * every queue and for configuration changes. Version 1 (4.2.4) places each
 * queue by page number (QueuePFN) with the used ring at a driver-chosen
 * alignment (QueueAlign, the mmio_align parameter); version 2 gives the
 * device the three areas' addresses.
 *
 * Devices come from ACPI (LNRO0005), the device tree (virtio,mmio) or the
 * devices= parameter. The driver has no module device table, so it is never
 * autoloaded and never races the in-tree virtio-mmio; it binds what nobody
 * drives, and scripts/va-bind moves a device over with driver_override.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <uapi/linux/virtio_mmio.h>

#include "compat.h"
#include "transport.h"
#include "transport_mmio.h"
#include "vq.h"

#define VM_MAGIC		0x74726976	/* "virt", 4.2.2 */
#define VM_RESET_TIMEOUT_MS	5000
#define VM_READY_TIMEOUT_MS	1000
#define VM_GEN_TRIES		16		/* ConfigGeneration retries */
#define VM_IRQ_ROUNDS		16		/* status re-reads per interrupt */
#define VM_INT_MASK		(VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG)
#define VM_CMDLINE_FORM		"<size>@<baseaddr>:<irq>[:<id>]"

struct vm_alt_device {
	struct vtr_device vtr;
	struct platform_device *pdev;
	void __iomem *base;
	resource_size_t len;		/* register window, bytes */
	u32 version;			/* 1 (legacy) or 2 */
	u32 align;			/* version 1: QueueAlign written */
	u32 queue_reset_ms;		/* QueueReset bound; KUnit shortens it */
	int irq;
	bool irq_requested;
	u64 irq_status_config;		/* InterruptStatus config bits seen */
	u64 irq_rounds_max;		/* status re-reads hit VM_IRQ_ROUNDS */
#if IS_ENABLED(CONFIG_KUNIT)
	struct va_mmio_regs *regs;	/* KUnit: registers in software */
#endif
};

#define to_vm(_vdev) container_of(to_vtr(_vdev), struct vm_alt_device, vtr)

/* Version 1 QueueAlign for every queue: a power of two, at least 4. */
static unsigned int vm_legacy_align = PAGE_SIZE;

static int vm_align_set(const char *val, const struct kernel_param *kp)
{
	unsigned int align;

	if (kstrtouint(val, 0, &align) || align < 4 || !is_power_of_2(align)) {
		pr_err("mmio_align=%.64s: expected a power of two from 4 up (bytes), e.g. 4096\n",
		       val);
		return -EINVAL;
	}
	vm_legacy_align = align;
	return 0;
}

static const struct kernel_param_ops vm_align_ops = {
	.set = vm_align_set,
	.get = param_get_uint,
};
module_param_cb(mmio_align, &vm_align_ops, &vm_legacy_align, 0444);
MODULE_PARM_DESC(mmio_align,
		 "virtio-mmio version 1 (legacy): used ring alignment QueueAlign in bytes, a power of two from 4 up (default PAGE_SIZE)");

/*
 * Every access to a 32-bit register (4.2.2, below the configuration space)
 * goes through these two. On a kernel with KUnit a device made by
 * va_mmio_fake_create() has its registers in software instead (struct
 * va_mmio_regs); without KUnit they are readl() and writel().
 */
static u32 vm_rd(struct vm_alt_device *vm, unsigned int off)
{
#if IS_ENABLED(CONFIG_KUNIT)
	if (unlikely(vm->regs))
		return vm->regs->read(vm->regs, off);
#endif
	return readl(vm->base + off);
}

static void vm_wr(struct vm_alt_device *vm, u32 val, unsigned int off)
{
#if IS_ENABLED(CONFIG_KUNIT)
	if (unlikely(vm->regs)) {
		vm->regs->write(vm->regs, off, val);
		return;
	}
#endif
	writel(val, vm->base + off);
}

/* Accept VIRTIO_F_RING_RESET on version 2: see vm_finalize_features(). */
static bool vm_ring_reset;
module_param_named(mmio_ring_reset, vm_ring_reset, bool, 0444);
MODULE_PARM_DESC(mmio_ring_reset,
		 "virtio-mmio version 2: accept VIRTIO_F_RING_RESET and reset single queues with QueueReset (default N: QEMU 7.2's virtio-mmio offers the feature without the QueueReset register)");

static u64 vm_read64(struct vm_alt_device *vm, unsigned int lo,
		     unsigned int hi)
{
	return vm_rd(vm, lo) | (u64)vm_rd(vm, hi) << 32;
}

static void vm_write64(struct vm_alt_device *vm, u64 val, unsigned int lo,
		       unsigned int hi)
{
	vm_wr(vm, lower_32_bits(val), lo);
	vm_wr(vm, upper_32_bits(val), hi);
}

/* Is [@offset, @offset + @len) inside the device configuration space? */
static bool vm_config_ok(struct virtio_device *vdev, unsigned int offset,
			 unsigned int len, const char *what)
{
	struct vm_alt_device *vm = to_vm(vdev);
	u64 room = vm->len - VIRTIO_MMIO_CONFIG;

	if ((u64)offset + len <= room &&
	    (len == 1 || len == 2 || len == 4 || len == 8))
		return true;
	dev_err_ratelimited(&vdev->dev,
			    "config %s of %u bytes at %u: outside the %llu-byte configuration space or not 1, 2, 4 or 8 bytes\n",
			    what, len, offset, room);
	return false;
}

/* One read of 1, 2 or 4 bytes (8: two 4-byte reads), little-endian out. */
static void vm_get_once(void __iomem *p, void *buf, unsigned int len)
{
	__le16 w;
	__le32 l;

	switch (len) {
	case 1:
		*(u8 *)buf = readb(p);
		break;
	case 2:
		w = cpu_to_le16(readw(p));
		memcpy(buf, &w, sizeof(w));
		break;
	case 4:
		l = cpu_to_le32(readl(p));
		memcpy(buf, &l, sizeof(l));
		break;
	default:
		l = cpu_to_le32(readl(p));
		memcpy(buf, &l, sizeof(l));
		l = cpu_to_le32(readl(p + sizeof(l)));
		memcpy(buf + sizeof(l), &l, sizeof(l));
	}
}

static void vm_get(struct virtio_device *vdev, unsigned int offset,
		   void *buf, unsigned int len)
{
	struct vm_alt_device *vm = to_vm(vdev);
	void __iomem *p = vm->base + VIRTIO_MMIO_CONFIG + offset;
	unsigned int i;
	u32 gen;

	if (!vm_config_ok(vdev, offset, len, "read")) {
		memset(buf, 0, len);
		return;
	}
	if (vm->version == 1) {
		/* 4.2.4: legacy configuration is guest-endian bytes. */
		for (i = 0; i < len; i++)
			((u8 *)buf)[i] = readb(p + i);
		return;
	}
	if (len != 8) {
		vm_get_once(p, buf, len);
		return;
	}
	/*
	 * 4.2.2 ConfigGeneration, 2.5.1: a 64-bit field is two accesses;
	 * repeat them until the generation is the same before and after.
	 */
	for (i = 0; i < VM_GEN_TRIES; i++) {
		gen = vm_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION);
		vm_get_once(p, buf, len);
		if (vm_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION) == gen)
			return;
	}
	dev_warn_ratelimited(&vdev->dev,
			     "config read at %u: ConfigGeneration changed on each of %u tries; the device keeps changing its configuration\n",
			     offset, VM_GEN_TRIES);
}

static void vm_set(struct virtio_device *vdev, unsigned int offset,
		   const void *buf, unsigned int len)
{
	struct vm_alt_device *vm = to_vm(vdev);
	void __iomem *p = vm->base + VIRTIO_MMIO_CONFIG + offset;
	unsigned int i;
	__le16 w;
	__le32 l;

	if (!vm_config_ok(vdev, offset, len, "write"))
		return;
	if (vm->version == 1) {
		for (i = 0; i < len; i++)
			writeb(((const u8 *)buf)[i], p + i);
		return;
	}
	switch (len) {
	case 1:
		writeb(*(const u8 *)buf, p);
		break;
	case 2:
		memcpy(&w, buf, sizeof(w));
		writew(le16_to_cpu(w), p);
		break;
	case 4:
		memcpy(&l, buf, sizeof(l));
		writel(le32_to_cpu(l), p);
		break;
	default:
		memcpy(&l, buf, sizeof(l));
		writel(le32_to_cpu(l), p);
		memcpy(&l, buf + sizeof(l), sizeof(l));
		writel(le32_to_cpu(l), p + sizeof(l));
	}
}

static u32 vm_generation(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);

	/* Version 1 has no ConfigGeneration register. */
	if (vm->version == 1)
		return 0;
	return vm_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION);
}

static u8 vm_get_status(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);

	return vtr_status_read(&vm->vtr, vm_rd(vm, VIRTIO_MMIO_STATUS) & 0xff);
}

static void vm_set_status(struct virtio_device *vdev, u8 status)
{
	struct vm_alt_device *vm = to_vm(vdev);

	vtr_status_written(&vm->vtr, status);
	/* Ring memory is coherent; writel() orders it before this write. */
	vm_wr(vm, status, VIRTIO_MMIO_STATUS);
}

static const char vm_gone[] =
	"the register window does not answer; wrong base address, or the device is gone";
static const char vm_hung[] = "the device is hung or does not implement reset";

static void vm_reset(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);
	unsigned long deadline = jiffies + msecs_to_jiffies(VM_RESET_TIMEOUT_MS);
	u32 status;

	/* 4.2.2 Status: writing 0 resets; 2.4.2: done when it reads 0. */
	vtr_status_written(&vm->vtr, 0);
	vm_wr(vm, 0, VIRTIO_MMIO_STATUS);
	while ((status = vm_rd(vm, VIRTIO_MMIO_STATUS))) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vdev->dev,
				"device did not complete reset within %u ms (Status 0x%x): %s\n",
				VM_RESET_TIMEOUT_MS, status,
				status == ~0U ? vm_gone : vm_hung);
			break;
		}
		usleep_range(1000, 2000);
	}
	/* No interrupt of the old configuration runs after this. */
	if (vm->irq_requested)
		synchronize_irq(vm->irq);
}

static u64 vm_get_features(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);
	u64 features;

	/* 4.2.2: DeviceFeaturesSel selects 32 bits of DeviceFeatures. */
	vm_wr(vm, 0, VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	features = vm_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES);
	vm_wr(vm, 1, VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	features |= (u64)vm_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	return features;
}

static int vm_finalize_features(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);
	bool ring_reset = __virtio_test_bit(vdev, VIRTIO_F_RING_RESET);

	vtr_finalize_ring(&vm->vtr);
	/*
	 * Queue reset would be the transport's, for either ring (the in-tree
	 * ring's filter clears it), on version 2 only (version 1 has no
	 * QueueReset, 4.2.4). But QEMU 7.2 offers VIRTIO_F_RING_RESET on
	 * virtio-mmio without implementing QueueReset (0xc0 is a "bad register
	 * offset" there, and QueueReady stays 1), so accepting it would break
	 * any queue a driver resets. vm_disable_vq_and_reset() catches such a
	 * device, but by default the feature is not accepted; mmio_ring_reset=Y
	 * accepts it, for a device that implements QueueReset.
	 */
	if (ring_reset && vm->version == 2 && vm_ring_reset)
		__virtio_set_bit(vdev, VIRTIO_F_RING_RESET);
	else
		__virtio_clear_bit(vdev, VIRTIO_F_RING_RESET);
	/* The in-tree ring's notification data is not written here. */
	if (!vm->vtr.alt)
		__virtio_clear_bit(vdev, VIRTIO_F_NOTIFICATION_DATA);
	if (vm->version == 1) {
		/* 4.2.4: a queue is one block at QueuePFN: split layout only. */
		__virtio_clear_bit(vdev, VIRTIO_F_RING_PACKED);
	} else if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		/* 4.2.2: version 2 is the non-legacy interface. */
		dev_err(&vdev->dev,
			"version 2 device does not offer VIRTIO_F_VERSION_1, which it must\n");
		return -EINVAL;
	}
	vm_wr(vm, 0, VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	vm_wr(vm, lower_32_bits(vdev->features), VIRTIO_MMIO_DRIVER_FEATURES);
	vm_wr(vm, 1, VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	vm_wr(vm, upper_32_bits(vdev->features), VIRTIO_MMIO_DRIVER_FEATURES);
	return 0;
}

static bool vm_notify(struct virtqueue *vq)
{
	struct vm_alt_device *vm = to_vm(vq->vdev);
	struct vtr_vq *info = to_vtr_vq(vq);

	info->notifies++;
	/*
	 * 4.2.3.3: the queue index, or with VIRTIO_F_NOTIFICATION_DATA (alt
	 * ring only) the 32-bit value the ring computes (2.9).
	 */
	if (info->alt && virtio_has_feature(vq->vdev,
					    VIRTIO_F_NOTIFICATION_DATA))
		vm_wr(vm, vra_notification_data(vq), VIRTIO_MMIO_QUEUE_NOTIFY);
	else
		vm_wr(vm, vq->index, VIRTIO_MMIO_QUEUE_NOTIFY);
	return true;
}

/*
 * 4.2.3.4: read InterruptStatus, acknowledge what it says, handle it.
 *
 * A used buffer that lands after the status read sets a bit that is
 * already set, and the acknowledgment clears it. So the rings are looked
 * at only after the acknowledgment has reached the device: the read of
 * InterruptStatus that follows it flushes the write, and its value, if not
 * zero, is another round. Each round offers the notification to every
 * queue, and each queue checks its ring itself.
 */
static irqreturn_t vm_interrupt(int irq, void *opaque)
{
	struct vm_alt_device *vm = opaque;
	unsigned int round;
	u32 status, next;

	status = vm_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS) & VM_INT_MASK;
	if (!status)
		return IRQ_NONE;
	for (round = 0; status; round++) {
		if (round == VM_IRQ_ROUNDS) {
			/* The line stays asserted: the next interrupt goes on. */
			vm->irq_rounds_max++;
			break;
		}
		vm_wr(vm, status, VIRTIO_MMIO_INTERRUPT_ACK);
		next = vm_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS) &
		       VM_INT_MASK;
		if (status & VIRTIO_MMIO_INT_CONFIG) {
			vm->irq_status_config++;
			vtr_config_changed(&vm->vtr);
		}
		if (status & VIRTIO_MMIO_INT_VRING)
			vtr_vqs_interrupt(&vm->vtr);
		status = next;
	}
	return IRQ_HANDLED;
}

/* Stop the device using the selected queue; 0 or -ETIMEDOUT. */
static int vm_queue_stop(struct vm_alt_device *vm, unsigned int index)
{
	unsigned long deadline;

	vm_wr(vm, index, VIRTIO_MMIO_QUEUE_SEL);
	if (vm->version == 1) {
		/* 4.2.4: QueuePFN 0 means the queue is not in use. */
		vm_wr(vm, 0, VIRTIO_MMIO_QUEUE_PFN);
		return 0;
	}
	/* 4.2.2: write 0 to QueueReady and read it back. */
	deadline = jiffies + msecs_to_jiffies(VM_READY_TIMEOUT_MS);
	vm_wr(vm, 0, VIRTIO_MMIO_QUEUE_READY);
	while (vm_rd(vm, VIRTIO_MMIO_QUEUE_READY)) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vm->vtr.vdev.dev,
				"queue %u: QueueReady still reads 1 %u ms after writing 0; the device ignores queue teardown\n",
				index, VM_READY_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		usleep_range(100, 200);
	}
	return 0;
}

static void vm_del_vqs(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);
	struct vtr_vq *info, *tmp;

	list_for_each_entry_safe(info, tmp, &vm->vtr.vqs, node) {
		vm_queue_stop(vm, info->vq->index);
		vtr_del_vq(&vm->vtr, info->vq);
	}
	if (vm->irq_requested)
		free_irq(vm->irq, vm);
	vm->irq_requested = false;
}

/**
 * va_mmio_used_off_without_event() - the used ring offset of seed 004
 * @num: queue size in descriptors
 * @align: used ring alignment (QueueAlign), a power of two
 *
 * Virtio 1.3, 2.7.2 and 4.2.4: a version 1 queue is one block, the used
 * ring at ALIGN(16 * @num + 2 * (3 + @num), @align), after the available
 * ring's used_event word. This is the offset a device that leaves the word
 * out computes, ALIGN(16 * @num + 2 * (2 + @num), @align); where the two
 * differ, vm_activate_legacy() warns that such a device loses every used
 * buffer. Exported for the KUnit suite virtio_alt_mmio.
 *
 * Context: any.
 * Return: the offset in bytes from the descriptor table.
 */
size_t va_mmio_used_off_without_event(unsigned int num, unsigned int align)
{
	return ALIGN(sizeof(struct vring_desc) * num +
		     sizeof(__virtio16) * (2 + num), align);
}
EXPORT_SYMBOL_GPL(va_mmio_used_off_without_event);

/*
 * Version 1 (4.2.4): QueueNum, QueueAlign, QueuePFN of the selected queue
 * @index, @num descriptors at @desc with the used ring @used bytes after.
 */
static int vm_program_legacy(struct vm_alt_device *vm, unsigned int index,
			     unsigned int num, dma_addr_t desc, size_t used)
{
	struct virtio_device *vdev = &vm->vtr.vdev;
	u64 pfn = desc >> PAGE_SHIFT;

	if (desc & ~PAGE_MASK || pfn >> 32) {
		dev_err(&vdev->dev,
			"queue %u: ring at %pad cannot be given as a 32-bit page number of %lu-byte pages\n",
			index, &desc, PAGE_SIZE);
		return -E2BIG;
	}
	if (va_mmio_used_off_without_event(num, vm->align) != used)
		dev_warn(&vdev->dev,
			 "queue %u: used ring at offset %zu (after the used_event word, 2.7.2); a device that leaves the word out uses offset %zu and loses every used buffer (seed 004): mmio_align=%u is affected, 64 or more is not\n",
			 index, used,
			 va_mmio_used_off_without_event(num, vm->align), vm->align);
	vm_wr(vm, num, VIRTIO_MMIO_QUEUE_NUM);
	vm_wr(vm, vm->align, VIRTIO_MMIO_QUEUE_ALIGN);
	vm_wr(vm, pfn, VIRTIO_MMIO_QUEUE_PFN);
	return 0;
}

static int vm_activate_legacy(struct vm_alt_device *vm, struct virtqueue *vq)
{
	dma_addr_t desc = vaq_desc_addr(vq);

	return vm_program_legacy(vm, vq->index, vaq_vring_size(vq), desc,
				 vaq_used_addr(vq) - desc);
}

/* Version 2 (4.2.3.2): QueueNum and the three areas of the selected queue. */
static void vm_set_areas(struct vm_alt_device *vm, unsigned int num,
			 dma_addr_t desc, dma_addr_t driver, dma_addr_t device)
{
	vm_wr(vm, num, VIRTIO_MMIO_QUEUE_NUM);
	vm_write64(vm, desc, VIRTIO_MMIO_QUEUE_DESC_LOW,
		   VIRTIO_MMIO_QUEUE_DESC_HIGH);
	vm_write64(vm, driver, VIRTIO_MMIO_QUEUE_AVAIL_LOW,
		   VIRTIO_MMIO_QUEUE_AVAIL_HIGH);
	vm_write64(vm, device, VIRTIO_MMIO_QUEUE_USED_LOW,
		   VIRTIO_MMIO_QUEUE_USED_HIGH);
}

static void vm_set_vq_areas(struct vm_alt_device *vm, struct virtqueue *vq)
{
	vm_set_areas(vm, vaq_vring_size(vq), vaq_desc_addr(vq),
		     vaq_avail_addr(vq), vaq_used_addr(vq));
}

/* Version 2 (4.2.3.2): the areas, then QueueReady. */
static int vm_activate(struct vm_alt_device *vm, struct virtqueue *vq)
{
	vm_set_vq_areas(vm, vq);
	vm_wr(vm, 1, VIRTIO_MMIO_QUEUE_READY);
	return 0;
}

/*
 * 4.2.3.2: select queue @index, check it is not in use and available, and
 * choose its size *@num from QueueNumMax; 0 or -ENOENT.
 */
static int vm_queue_select(struct vm_alt_device *vm, unsigned int index,
			   const char *name, u32 *num)
{
	struct virtio_device *vdev = &vm->vtr.vdev;
	u32 max;

	vm_wr(vm, index, VIRTIO_MMIO_QUEUE_SEL);
	if (vm_rd(vm, vm->version == 1 ? VIRTIO_MMIO_QUEUE_PFN :
		  VIRTIO_MMIO_QUEUE_READY)) {
		dev_err(&vdev->dev, "queue %u (%s) is already in use\n", index,
			name);
		return -ENOENT;
	}
	max = vm_rd(vm, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (!max) {
		dev_err(&vdev->dev, "queue %u (%s) is not available\n", index,
			name);
		return -ENOENT;
	}
	/* The split layout needs a power of two (2.7); take the largest. */
	*num = min_t(u32, max, 32768);
	if (!virtio_has_feature(vdev, VIRTIO_F_RING_PACKED))
		*num = rounddown_pow_of_two(*num);
	if (*num != max)
		dev_info(&vdev->dev, "queue %u: QueueSizeMax %u, using %u\n",
			 index, max, *num);
	return 0;
}

static struct virtqueue *vm_setup_vq(struct vm_alt_device *vm,
				     unsigned int index,
				     const struct va_vq_info *qi,
				     struct device *dma_dev)
{
	struct virtio_device *vdev = &vm->vtr.vdev;
	struct virtqueue *vq;
	u32 num;
	int err;

	err = vm_queue_select(vm, index, qi->name, &num);
	if (err)
		return ERR_PTR(err);
	vq = vtr_create_vq(&vm->vtr, index, num,
			   vm->version == 1 ? vm->align : SMP_CACHE_BYTES,
			   !virtio_has_feature(vdev, VIRTIO_F_ORDER_PLATFORM),
			   qi->ctx, vm_notify, qi->callback, qi->name, dma_dev);
	if (IS_ERR(vq)) {
		dev_err(&vdev->dev, "queue %u (%s): ring of %u: %pe\n", index,
			qi->name, num, vq);
		return vq;
	}

	err = vm->version == 1 ? vm_activate_legacy(vm, vq) :
				 vm_activate(vm, vq);
	if (err) {
		vtr_del_vq(&vm->vtr, vq);
		return ERR_PTR(err);
	}
	return vq;
}

static int vm_find_vqs_info(struct virtio_device *vdev, unsigned int nvqs,
			    struct virtqueue *vqs[],
			    struct va_vq_info vqs_info[],
			    struct irq_affinity *desc)
{
	struct vm_alt_device *vm = to_vm(vdev);
	unsigned int i, index = 0;
	int err;

	/* 4.2.3.4: one interrupt line for every queue and the config. */
	err = request_irq(vm->irq, vm_interrupt, IRQF_SHARED,
			  dev_name(&vdev->dev), vm);
	if (err) {
		dev_err(&vdev->dev, "requesting interrupt %d: %pe\n", vm->irq,
			ERR_PTR(err));
		return err;
	}
	vm->irq_requested = true;

	for (i = 0; i < nvqs; i++) {
		if (!vqs_info[i].name) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = vm_setup_vq(vm, vtr_next_vq_index(&vm->vtr, i, &index),
				     &vqs_info[i], &vm->pdev->dev);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			vm_del_vqs(vdev);
			return err;
		}
	}
	return 0;
}

static int vm_find_vqs(VA_FIND_VQS_ARGS)
{
	return VA_FIND_VQS_CALL(vm_find_vqs_info);
}

/*
 * 2.6.1, 4.2.2 QueueReset: stop queue @vq in the device. The queue leaves
 * the interrupt path first, so no callback runs while the ring is reset;
 * then 1 goes to QueueReset and the device has vm->queue_reset_ms
 * (VM_RESET_TIMEOUT_MS) to show 0 there and in QueueReady. On failure the
 * queue is broken and stays stopped (vq->reset): enable_vq_after_reset
 * refuses it, and only a device reset brings it back.
 */
static int vm_disable_vq_and_reset(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	struct vm_alt_device *vm = to_vm(vdev);
	unsigned long deadline;

	if (!virtio_has_feature(vdev, VIRTIO_F_RING_RESET) || vm->version != 2)
		return -EOPNOTSUPP;
	if (vq->reset)
		return -EBUSY;
	vtr_vq_stop(&vm->vtr, vq);

	deadline = jiffies + msecs_to_jiffies(vm->queue_reset_ms);
	vm_wr(vm, vq->index, VIRTIO_MMIO_QUEUE_SEL);
	vm_wr(vm, 1, VIRTIO_MMIO_QUEUE_RESET);
	while (vm_rd(vm, VIRTIO_MMIO_QUEUE_RESET)) {
		if (time_after(jiffies, deadline)) {
			dev_err(&vdev->dev,
				"queue %u: QueueReset still reads 1 after %u ms: the device offers VIRTIO_F_RING_RESET but does not complete a queue reset (4.2.2); the queue is broken until the device is reset\n",
				vq->index, vm->queue_reset_ms);
			vaq_break(vq);
			return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
	if (vm_rd(vm, VIRTIO_MMIO_QUEUE_READY)) {
		dev_err(&vdev->dev,
			"queue %u: QueueReady reads 1 after QueueReset read 0 (4.2.2: both must read 0): the device has no QueueReset register, as QEMU 7.2's virtio-mmio (do not set mmio_ring_reset there); the queue is broken until the device is reset\n",
			vq->index);
		vaq_break(vq);
		return -EIO;
	}
	return 0;
}

/* 2.6.1.2: give the reset queue its (maybe new) ring and enable it. */
static int vm_enable_vq_after_reset(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	struct vm_alt_device *vm = to_vm(vdev);
	u32 reset, ready;

	if (!vq->reset || vm->version != 2)
		return -EBUSY;
	vm_wr(vm, vq->index, VIRTIO_MMIO_QUEUE_SEL);
	reset = vm_rd(vm, VIRTIO_MMIO_QUEUE_RESET);
	ready = vm_rd(vm, VIRTIO_MMIO_QUEUE_READY);
	if (reset || ready) {
		dev_err(&vdev->dev,
			"queue %u: not in reset state (QueueReset %u, QueueReady %u); not re-enabling it\n",
			vq->index, reset, ready);
		return -EBUSY;
	}
	vm_set_vq_areas(vm, vq);
	vtr_vq_restart(&vm->vtr, vq);
	vm_wr(vm, 1, VIRTIO_MMIO_QUEUE_READY);
	return 0;
}

static void vm_synchronize_cbs(struct virtio_device *vdev)
{
	struct vm_alt_device *vm = to_vm(vdev);

	if (vm->irq_requested)
		synchronize_irq(vm->irq);
}

static const char *vm_bus_name(struct virtio_device *vdev)
{
	return dev_name(&to_vm(vdev)->pdev->dev);
}

static bool vm_get_shm_region(struct virtio_device *vdev,
			      struct virtio_shm_region *region, u8 id)
{
	struct vm_alt_device *vm = to_vm(vdev);
	u64 len, addr;

	/* Version 1 has no shared memory registers. */
	if (vm->version == 1)
		return false;
	/* 4.2.2 SHMSel, SHMLen, SHMBase; 2.10: a length of -1: no region. */
	vm_wr(vm, id, VIRTIO_MMIO_SHM_SEL);
	len = vm_read64(vm, VIRTIO_MMIO_SHM_LEN_LOW, VIRTIO_MMIO_SHM_LEN_HIGH);
	if (len == ~0ULL)
		return false;
	addr = vm_read64(vm, VIRTIO_MMIO_SHM_BASE_LOW,
			 VIRTIO_MMIO_SHM_BASE_HIGH);
	if (!len || addr == ~0ULL || addr + len - 1 < addr) {
		dev_err(&vdev->dev,
			"shared memory region %u: base 0x%llx length 0x%llx is not a valid range; ignored\n",
			id, addr, len);
		return false;
	}
	region->addr = addr;
	region->len = len;
	return true;
}

static void vm_show(struct vtr_device *vd, struct seq_file *s)
{
	struct vm_alt_device *vm = container_of(vd, struct vm_alt_device, vtr);
	struct resource *res = platform_get_resource(vm->pdev, IORESOURCE_MEM,
						     0);
	struct vtr_vq *info;
	unsigned long flags;

	seq_printf(s, "mmio %s\n", dev_name(&vm->pdev->dev));
	if (res)
		seq_printf(s, "base 0x%llx\n", (u64)res->start);
	seq_printf(s, "size %llu\n", (u64)vm->len);
	seq_printf(s, "irq %d\n", vm->irq);
	seq_printf(s, "version %u\n", vm->version);
	if (vm->version == 1) {
		seq_printf(s, "guest_page_size %lu\n", PAGE_SIZE);
		seq_printf(s, "queue_align %u\n", vm->align);
	}
	seq_printf(s, "irq_config %llu\n", READ_ONCE(vm->irq_status_config));
	seq_printf(s, "irq_rounds_max %llu\n", READ_ONCE(vm->irq_rounds_max));
	/* Where each queue's areas are, as given to the device. */
	spin_lock_irqsave(&vd->lock, flags);
	list_for_each_entry(info, &vd->vqs, node) {
		dma_addr_t d = vaq_desc_addr(info->vq);

		seq_printf(s, "vq%u size %u desc 0x%llx avail_off %llu used_off %llu\n",
			   info->vq->index, vaq_vring_size(info->vq), (u64)d,
			   (u64)(vaq_avail_addr(info->vq) - d),
			   (u64)(vaq_used_addr(info->vq) - d));
	}
	spin_unlock_irqrestore(&vd->lock, flags);
}

static const struct virtio_config_ops vm_config_ops = {
	.get			= vm_get,
	.set			= vm_set,
	.generation		= vm_generation,
	.get_status		= vm_get_status,
	.set_status		= vm_set_status,
	.reset			= vm_reset,
	.find_vqs		= vm_find_vqs,
	.del_vqs		= vm_del_vqs,
	.synchronize_cbs	= vm_synchronize_cbs,
	.get_features		= vm_get_features,
	.finalize_features	= vm_finalize_features,
	.bus_name		= vm_bus_name,
	.get_shm_region		= vm_get_shm_region,
	.disable_vq_and_reset	= vm_disable_vq_and_reset,
	.enable_vq_after_reset	= vm_enable_vq_after_reset,
};

static void vm_release(struct device *dev)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	kfree(to_vm(vdev));
}

/* 4.2.3.1: MagicValue, Version, DeviceID; -ENODEV to leave the device. */
static int vm_identify(struct vm_alt_device *vm)
{
	struct device *dev = &vm->pdev->dev;
	u32 magic;

	magic = vm_rd(vm, VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VM_MAGIC) {
		dev_warn(dev, "MagicValue 0x%08x, not 0x%08x: not a virtio-mmio device\n",
			 magic, VM_MAGIC);
		return -ENODEV;
	}
	vm->version = vm_rd(vm, VIRTIO_MMIO_VERSION);
	if (vm->version != 1 && vm->version != 2) {
		dev_err(dev, "Version %u: only 1 (legacy) and 2 are known\n",
			vm->version);
		return -ENODEV;
	}
	vm->vtr.vdev.id.device = vm_rd(vm, VIRTIO_MMIO_DEVICE_ID);
	/* A placeholder: no error may be reported (4.2.2). */
	if (!vm->vtr.vdev.id.device)
		return -ENODEV;
	vm->vtr.vdev.id.vendor = vm_rd(vm, VIRTIO_MMIO_VENDOR_ID);
	return 0;
}

static int vm_probe(struct platform_device *pdev)
{
	struct vm_alt_device *vm;
	struct resource *res;
	int err;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->pdev = pdev;
	vm->queue_reset_ms = VM_RESET_TIMEOUT_MS;
	vtr_init(&vm->vtr, "mmio");
	vm->vtr.show = vm_show;
	vm->vtr.vdev.dev.parent = &pdev->dev;
	vm->vtr.vdev.dev.release = vm_release;
	vm->vtr.vdev.config = &vm_config_ops;

	vm->base = devm_platform_get_and_ioremap_resource(pdev, 0, &res);
	if (IS_ERR(vm->base)) {
		err = PTR_ERR(vm->base);
		dev_err(&pdev->dev, "mapping the register window: %pe\n",
			vm->base);
		goto free;
	}
	vm->len = resource_size(res);
	if (vm->len < VIRTIO_MMIO_CONFIG) {
		dev_err(&pdev->dev,
			"register window of %llu bytes is smaller than the 0x%x bytes of registers\n",
			(u64)vm->len, VIRTIO_MMIO_CONFIG);
		err = -EINVAL;
		goto free;
	}
	err = vm_identify(vm);
	if (err)
		goto free;
	vm->irq = platform_get_irq(pdev, 0);
	if (vm->irq < 0) {
		err = vm->irq;
		goto free;
	}

	if (vm->version == 1) {
		/* 4.2.4: before any queue; QueuePFN counts these pages. */
		vm_wr(vm, PAGE_SIZE, VIRTIO_MMIO_GUEST_PAGE_SIZE);
		vm->align = vm_legacy_align;
		/* A 32-bit QueuePFN reaches 32 + PAGE_SHIFT address bits. */
		err = dma_set_mask(&pdev->dev, DMA_BIT_MASK(64));
		if (!err)
			err = dma_set_coherent_mask(&pdev->dev,
						    DMA_BIT_MASK(32 + PAGE_SHIFT));
	} else {
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	}
	if (err)
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA mask\n");
		goto free;
	}
	platform_set_drvdata(pdev, vm);

	err = vtr_register(&vm->vtr);
	if (err) {
		dev_err(&pdev->dev, "registering the virtio device: %d\n", err);
		/* Registered once: vm_release() frees it. */
		put_device(&vm->vtr.vdev.dev);
		return err;
	}
	dev_info(&pdev->dev, "virtio device %u, virtio-mmio version %u, as %s\n",
		 vm->vtr.vdev.id.device, vm->version,
		 dev_name(&vm->vtr.vdev.dev));
	return 0;

free:
	kfree(vm);
	return err;
}

static void vm_remove(struct platform_device *pdev)
{
	struct vm_alt_device *vm = platform_get_drvdata(pdev);
	/* Keep @vm until vtr_unregister() is done with it. */
	struct device *dev = get_device(&vm->vtr.vdev.dev);

	vtr_unregister(&vm->vtr);
	put_device(dev);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * va_mmio_fake_create() - a virtio-mmio device on a software register window
 * @regs: the register window: every 32-bit register access of the
 *	transport (4.2.2, offsets below 0x100) calls @regs->read or
 *	@regs->write instead of readl() or writel()
 * @version: 1 (legacy, 4.2.4) or 2
 * @align: version 1 QueueAlign, a power of two from 4; ignored for 2
 *
 * The KUnit seam of this transport: the device has this transport's
 * virtio_config_ops (reset, status, features, ...) but no platform device,
 * no interrupt, no configuration space and no queues, and is not
 * registered. Queue programming is reached with va_mmio_fake_setup_queue(),
 * a whole queue with va_mmio_fake_setup_vq().
 *
 * Context: process context, may sleep.
 * Return: the device (free it with va_mmio_fake_destroy()), or NULL if out
 * of memory or @version is not 1 or 2.
 */
struct virtio_device *va_mmio_fake_create(struct va_mmio_regs *regs,
					  u32 version, u32 align)
{
	struct vm_alt_device *vm;

	if (version != 1 && version != 2)
		return NULL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	vtr_init(&vm->vtr, "mmio");
	vm->vtr.vdev.dev.init_name = "virtio-alt-mmio-fake";
	vm->vtr.vdev.config = &vm_config_ops;
	vm->regs = regs;
	vm->version = version;
	vm->align = align;
	vm->queue_reset_ms = VM_RESET_TIMEOUT_MS;
	vm->irq = -1;
	return &vm->vtr.vdev;
}
EXPORT_SYMBOL_GPL(va_mmio_fake_create);

/**
 * va_mmio_fake_destroy() - free a device of va_mmio_fake_create()
 * @vdev: the device, or NULL
 *
 * Deletes the queues of va_mmio_fake_setup_vq() without a register access
 * (the register window may be gone), and their debugfs directories.
 *
 * Context: process context.
 */
void va_mmio_fake_destroy(struct virtio_device *vdev)
{
	struct vm_alt_device *vm;
	struct vtr_vq *info, *tmp;

	if (!vdev)
		return;
	vm = to_vm(vdev);
	list_for_each_entry_safe(info, tmp, &vm->vtr.vqs, node)
		vtr_del_vq(&vm->vtr, info->vq);
	debugfs_remove_recursive(vm->vtr.debugfs);
	kfree(vm);
}
EXPORT_SYMBOL_GPL(va_mmio_fake_destroy);

/**
 * va_mmio_fake_setup_vq() - set up one queue of a fake device on the alt ring
 * @vdev: a device of va_mmio_fake_create(); @vdev->features as negotiated
 * @index: queue index
 * @dma_dev: device for the DMA API; it must outlive @vdev
 *
 * What find_vqs does for one queue, without a callback or an interrupt:
 * select and check the queue, make the ring of the size QueueNumMax
 * allows, give the device its addresses and enable it. Notifications go to
 * QueueNotify of the register window. va_mmio_fake_destroy() deletes it.
 *
 * Context: process context, may sleep.
 * Return: the queue or an ERR_PTR, as find_vqs.
 */
struct virtqueue *va_mmio_fake_setup_vq(struct virtio_device *vdev,
					unsigned int index,
					struct device *dma_dev)
{
	const struct va_vq_info qi = { .name = "fake" };
	struct vm_alt_device *vm = to_vm(vdev);

	vm->vtr.alt = true;
	return vm_setup_vq(vm, index, &qi, dma_dev);
}
EXPORT_SYMBOL_GPL(va_mmio_fake_setup_vq);

/**
 * va_mmio_fake_set_queue_reset_ms() - shorten a fake device's QueueReset bound
 * @vdev: a device of va_mmio_fake_create()
 * @ms: how long disable_vq_and_reset waits for QueueReset to read 0
 *	(VM_RESET_TIMEOUT_MS otherwise)
 *
 * Context: any; not while a queue reset runs.
 */
void va_mmio_fake_set_queue_reset_ms(struct virtio_device *vdev, u32 ms)
{
	to_vm(vdev)->queue_reset_ms = ms;
}
EXPORT_SYMBOL_GPL(va_mmio_fake_set_queue_reset_ms);

/**
 * va_mmio_fake_ring_reset_param() - set the mmio_ring_reset parameter
 * @on: the new value
 *
 * For the KUnit cases of the VIRTIO_F_RING_RESET acceptance: the parameter
 * is read in finalize_features, by every device, so a test restores it.
 *
 * Context: any; no device of this transport may be probing.
 * Return: the previous value.
 */
bool va_mmio_fake_ring_reset_param(bool on)
{
	bool old = vm_ring_reset;

	vm_ring_reset = on;
	return old;
}
EXPORT_SYMBOL_GPL(va_mmio_fake_ring_reset_param);

/**
 * va_mmio_fake_setup_queue() - program one queue of a fake device
 * @vdev: a device of va_mmio_fake_create()
 * @index: queue index
 * @desc: descriptor area address (version 1: the whole queue, page aligned)
 * @driver: driver area address (version 2 only)
 * @device: device area address (version 1: @desc + the used ring offset)
 * @num: set to the queue size chosen from QueueNumMax
 *
 * The register part of the transport's queue setup (find_vqs), without the
 * ring: select the queue and check it (4.2.3.2), then version 2 writes
 * QueueNum, QueueDesc, QueueDriver, QueueDevice (Low, High) and QueueReady,
 * version 1 (4.2.4) QueueNum, QueueAlign and QueuePFN, with the seed 004
 * warning if it applies.
 *
 * Context: process context.
 * Return: 0; -ENOENT if the queue is in use or not available; -E2BIG if
 * version 1 @desc is not page aligned or beyond 32-bit page numbers.
 */
int va_mmio_fake_setup_queue(struct virtio_device *vdev, unsigned int index,
			     dma_addr_t desc, dma_addr_t driver,
			     dma_addr_t device, u32 *num)
{
	struct vm_alt_device *vm = to_vm(vdev);
	int err;

	err = vm_queue_select(vm, index, "fake", num);
	if (err)
		return err;
	if (vm->version == 1)
		return vm_program_legacy(vm, index, *num, desc, device - desc);
	vm_set_areas(vm, *num, desc, driver, device);
	vm_wr(vm, 1, VIRTIO_MMIO_QUEUE_READY);
	return 0;
}
EXPORT_SYMBOL_GPL(va_mmio_fake_setup_queue);
#endif /* CONFIG_KUNIT */

/* Matched only when bound by hand or nobody else drives the device. */
static const struct of_device_id vm_of_ids[] = {
	{ .compatible = "virtio,mmio" },
	{ }
};

static const struct acpi_device_id vm_acpi_ids[] = {
	{ "LNRO0005" },
	{ }
};

static struct platform_driver vm_driver = {
	.probe			= vm_probe,
	/* .remove: see vm_alt_init() */
	.driver			= {
		.name			= "virtio-alt-mmio",
		.of_match_table		= vm_of_ids,
		.acpi_match_table	= vm_acpi_ids,
	},
};

/*
 * devices=: platform devices made by hand, in the syntax of the in-tree
 * virtio_mmio.device= (<size>@<baseaddr>:<irq>[:<id>], comma separated).
 * The parameter is parsed before module init; the devices are created in
 * vm_alt_init() and removed in vm_alt_exit().
 */
static struct va_mmio_cmdline_dev vm_cmdline[VA_MMIO_DEVICES_MAX];
static unsigned int vm_ncmdline;
static int vm_cmdline_next_id;
static struct platform_device *vm_cmdline_pdev[VA_MMIO_DEVICES_MAX];

/* What each error names, in "bad %s in '<entry>'". */
static const char * const vm_cmdline_what[VA_MMIO_CMDLINE_NR] = {
	[VA_MMIO_CMDLINE_OK] = "nothing",
	[VA_MMIO_CMDLINE_EMPTY] = "entry (empty)",
	[VA_MMIO_CMDLINE_SIZE] = "<size> (a number with an optional K, M or G suffix, then '@')",
	[VA_MMIO_CMDLINE_SIZE_SMALL] = "<size> (at least 0x100, the registers)",
	[VA_MMIO_CMDLINE_BASE] = "<baseaddr> (a number)",
	[VA_MMIO_CMDLINE_WRAP] = "<size>@<baseaddr> (the window wraps around)",
	[VA_MMIO_CMDLINE_IRQ_MISSING] = "<irq> (missing)",
	[VA_MMIO_CMDLINE_IRQ] = "<irq> (a number other than 0)",
	[VA_MMIO_CMDLINE_ID] = "<id> (a number from 0 up)",
	[VA_MMIO_CMDLINE_TOO_MANY] =
		"entry (more than " __stringify(VA_MMIO_DEVICES_MAX) " devices)",
	[VA_MMIO_CMDLINE_OVERLAP] = "<size>@<baseaddr> (overlaps an earlier entry)",
};

/**
 * va_mmio_cmdline_what() - name a devices= error
 * @err: the error, as va_mmio_parse_devices() reports it
 *
 * Context: any.
 * Return: the part of the value that is wrong and what it should be, as
 * printed after "bad" in the load error; "unknown error" for a value out of
 * range.
 */
const char *va_mmio_cmdline_what(enum va_mmio_cmdline_err err)
{
	if ((unsigned int)err >= VA_MMIO_CMDLINE_NR)
		return "unknown error";
	return vm_cmdline_what[err];
}
EXPORT_SYMBOL_GPL(va_mmio_cmdline_what);

/* Parse one entry (modified in place): 0 or why not. */
static enum va_mmio_cmdline_err vm_parse_device(char *tok,
						struct va_mmio_cmdline_dev *d)
{
	char *p, *field;

	d->size = memparse(tok, &p);
	if (p == tok || *p != '@')
		return VA_MMIO_CMDLINE_SIZE;
	if (d->size < VIRTIO_MMIO_CONFIG)
		return VA_MMIO_CMDLINE_SIZE_SMALL;
	p++;
	field = strsep(&p, ":");
	if (kstrtou64(field, 0, &d->base))
		return VA_MMIO_CMDLINE_BASE;
	if (d->base + d->size - 1 < d->base)
		return VA_MMIO_CMDLINE_WRAP;
	if (!p)
		return VA_MMIO_CMDLINE_IRQ_MISSING;
	field = strsep(&p, ":");
	if (kstrtouint(field, 0, &d->irq) || !d->irq)
		return VA_MMIO_CMDLINE_IRQ;
	d->id = -1;
	if (p && (kstrtoint(p, 0, &d->id) || d->id < 0))
		return VA_MMIO_CMDLINE_ID;
	return VA_MMIO_CMDLINE_OK;
}

/* Does @d's window overlap one of the first @n entries of @devs? */
static bool vm_cmdline_overlaps(const struct va_mmio_cmdline_dev *d,
				const struct va_mmio_cmdline_dev *devs,
				unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (d->base <= devs[i].base + devs[i].size - 1 &&
		    devs[i].base <= d->base + d->size - 1)
			return true;
	return false;
}

/**
 * va_mmio_parse_devices() - parse a devices= value
 * @val: the value: entries <size>@<baseaddr>:<irq>[:<id>] separated by
 *	commas, as the in-tree virtio_mmio.device=; <size> takes a K, M or G
 *	suffix (memparse()), the numbers are decimal, 0x hex or 0 octal.
 *	Leading and trailing white space is ignored; all white space is
 *	nothing.
 * @devs: array of @max entries; the first *@n are earlier entries, which
 *	new entries must not overlap; new entries are appended
 * @max: size of @devs, at most %VA_MMIO_DEVICES_MAX in the module
 * @n: in: entries already in @devs; out: entries after this value, changed
 *	only on success
 * @bad: on -EINVAL, the first refused entry (offset and length in @val)
 *	and why (name it with va_mmio_cmdline_what())
 *
 * All or nothing: on error *@n is left as it was, so no entry of a bad
 * value is used (@devs beyond *@n may have been written). A pure function
 * of its arguments apart from the temporary copy of @val.
 *
 * Context: process context, may sleep (GFP_KERNEL allocation).
 * Return: 0; -EINVAL if an entry is malformed, its window overlaps an
 * earlier one or there are more than @max entries in all, with @bad set;
 * -ENOMEM if the copy of @val cannot be allocated.
 */
int va_mmio_parse_devices(const char *val, struct va_mmio_cmdline_dev *devs,
			  unsigned int max, unsigned int *n,
			  struct va_mmio_cmdline_bad *bad)
{
	enum va_mmio_cmdline_err err = VA_MMIO_CMDLINE_OK;
	struct va_mmio_cmdline_dev d;
	unsigned int i = *n, len;
	char *buf, *rest, *tok;

	buf = kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* strim() only cuts the end: an offset into @buf is one into @val. */
	rest = strim(buf);
	if (!*rest)
		rest = NULL;
	while ((tok = strsep(&rest, ","))) {
		len = strlen(tok);
		if (!*tok)
			err = VA_MMIO_CMDLINE_EMPTY;
		else
			err = vm_parse_device(tok, &d);
		if (!err && i >= max)
			err = VA_MMIO_CMDLINE_TOO_MANY;
		if (!err && vm_cmdline_overlaps(&d, devs, i))
			err = VA_MMIO_CMDLINE_OVERLAP;
		if (err) {
			bad->err = err;
			bad->off = tok - buf;
			bad->len = len;
			break;
		}
		devs[i++] = d;
	}
	kfree(buf);
	if (err)
		return -EINVAL;
	*n = i;
	return 0;
}
EXPORT_SYMBOL_GPL(va_mmio_parse_devices);

static int vm_devices_set(const char *val, const struct kernel_param *kp)
{
	struct va_mmio_cmdline_bad bad;
	int err;

	err = va_mmio_parse_devices(val, vm_cmdline, ARRAY_SIZE(vm_cmdline),
				    &vm_ncmdline, &bad);
	if (err == -EINVAL)
		pr_err("devices=%.64s: bad %s in '%.*s'; expected %s, comma separated, e.g. 0x200@0xfeb00000:5\n",
		       val, va_mmio_cmdline_what(bad.err), min_t(int, bad.len, 64),
		       val + bad.off, VM_CMDLINE_FORM);
	return err;
}

static int vm_devices_get(char *buf, const struct kernel_param *kp)
{
	int len = 0;
	unsigned int i;

	for (i = 0; i < vm_ncmdline; i++) {
		const struct va_mmio_cmdline_dev *d = &vm_cmdline[i];

		len += sysfs_emit_at(buf, len, "%s0x%llx@0x%llx:%u", i ? "," : "",
				     d->size, d->base, d->irq);
		if (d->id >= 0)
			len += sysfs_emit_at(buf, len, ":%d", d->id);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static const struct kernel_param_ops vm_devices_ops = {
	.set = vm_devices_set,
	.get = vm_devices_get,
};
module_param_cb(devices, &vm_devices_ops, NULL, 0444);
MODULE_PARM_DESC(devices,
		 "virtio-mmio devices to create, as for virtio_mmio.device=: <size>@<baseaddr>:<irq>[:<id>], comma separated; a bad entry fails the load");

static void vm_cmdline_remove(void)
{
	unsigned int i;

	for (i = 0; i < vm_ncmdline; i++) {
		if (vm_cmdline_pdev[i])
			platform_device_unregister(vm_cmdline_pdev[i]);
		vm_cmdline_pdev[i] = NULL;
	}
}

static int vm_cmdline_create(void)
{
	struct platform_device *pdev;
	unsigned int i;

	for (i = 0; i < vm_ncmdline; i++) {
		const struct va_mmio_cmdline_dev *d = &vm_cmdline[i];
		struct resource res[2] = {
			DEFINE_RES_MEM(d->base, d->size),
			DEFINE_RES_IRQ(d->irq),
		};
		int id = d->id >= 0 ? d->id : vm_cmdline_next_id;

		vm_cmdline_next_id = id + 1;
		pdev = platform_device_register_simple("virtio-alt-mmio", id,
						       res, ARRAY_SIZE(res));
		if (IS_ERR(pdev)) {
			pr_err("devices=: creating virtio-alt-mmio.%d at 0x%llx-0x%llx, irq %u: %pe\n",
			       id, d->base, d->base + d->size - 1, d->irq, pdev);
			vm_cmdline_remove();
			return PTR_ERR(pdev);
		}
		vm_cmdline_pdev[i] = pdev;
		pr_info("devices=: virtio-alt-mmio.%d at 0x%llx-0x%llx, irq %u\n",
			id, d->base, d->base + d->size - 1, d->irq);
	}
	return 0;
}

/**
 * vm_alt_init() - register virtio-alt-mmio and create the devices= devices
 *
 * The driver binds the devices of the devices= parameter, and ACPI
 * (LNRO0005) or device tree (virtio,mmio) devices that no driver owns.
 *
 * Context: module init, after the devices= parameter was parsed.
 * Return: 0, or the error of platform_driver_register() or of creating a
 * devices= device; on error nothing is left registered.
 */
int vm_alt_init(void)
{
	int err;

	va_platform_set_remove(&vm_driver, vm_remove);
	err = platform_driver_register(&vm_driver);
	if (err)
		return err;
	err = vm_cmdline_create();
	if (err)
		platform_driver_unregister(&vm_driver);
	return err;
}

/**
 * vm_alt_exit() - remove the devices= devices and unregister the driver
 *
 * Context: module exit.
 */
void vm_alt_exit(void)
{
	vm_cmdline_remove();
	platform_driver_unregister(&vm_driver);
}
