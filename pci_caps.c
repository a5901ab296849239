// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-alt: parse the virtio vendor capabilities of a PCI function
 * (virtio 1.3, 4.1.4). Everything here comes from the device and is
 * checked: the capability chain (bounded, inside the 256 bytes), each
 * capability's length for its type, its BAR, and that the structure lies
 * inside the BAR and does not overlap another one. A capability that fails
 * is rejected with a message naming it, and a later one of the same type
 * is used instead (4.1.4: the driver uses the first it can support).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/export.h>
#include <linux/pci_regs.h>
#include <linux/virtio_pci.h>

#include "compat.h"
#include "pci_caps.h"

static const char *vp_cap_name(u8 type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG: return "common";
	case VIRTIO_PCI_CAP_NOTIFY_CFG: return "notify";
	case VIRTIO_PCI_CAP_ISR_CFG: return "isr";
	case VIRTIO_PCI_CAP_DEVICE_CFG: return "device";
	case VIRTIO_PCI_CAP_PCI_CFG: return "pci_cfg";
	case VIRTIO_PCI_CAP_SHARED_MEMORY_CFG: return "shm";
	default: return "unknown";
	}
}

/* The minimum cap_len of each structure type (4.1.4.1 and on). */
static unsigned int vp_cap_min_len(u8 type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		return sizeof(struct virtio_pci_notify_cap);
	case VIRTIO_PCI_CAP_PCI_CFG:
		return sizeof(struct virtio_pci_cfg_cap);
	case VIRTIO_PCI_CAP_SHARED_MEMORY_CFG:
		return sizeof(struct virtio_pci_cap64);
	default:
		return sizeof(struct virtio_pci_cap);
	}
}

static struct vp_cap *vp_cap_slot(struct vp_caps *caps, u8 type)
{
	switch (type) {
	case VIRTIO_PCI_CAP_COMMON_CFG: return &caps->common;
	case VIRTIO_PCI_CAP_NOTIFY_CFG: return &caps->notify;
	case VIRTIO_PCI_CAP_ISR_CFG: return &caps->isr;
	case VIRTIO_PCI_CAP_DEVICE_CFG: return &caps->device;
	case VIRTIO_PCI_CAP_PCI_CFG: return &caps->pci_cfg;
	default: return NULL;
	}
}

/* Check one capability at @pos and fill @c; false (with a message) if bad. */
static bool vp_cap_read(struct device *dev, const u8 *cfg, const u64 *bar_len,
			u8 pos, u8 type, struct vp_cap *c)
{
	unsigned int len = cfg[pos + offsetof(struct virtio_pci_cap, cap_len)];
	const char *name = vp_cap_name(type);

	if (len < vp_cap_min_len(type) || pos + len > VP_CFG_SPACE) {
		dev_warn(dev,
			 "virtio %s capability at 0x%02x: cap_len %u, needs %u inside the %u bytes of configuration space; ignored\n",
			 name, pos, len, vp_cap_min_len(type), VP_CFG_SPACE);
		return false;
	}
	c->pos = pos;
	c->bar = cfg[pos + offsetof(struct virtio_pci_cap, bar)];
	c->id = cfg[pos + offsetof(struct virtio_pci_cap, id)];
	c->offset = get_unaligned_le32(cfg + pos +
				       offsetof(struct virtio_pci_cap, offset));
	c->length = get_unaligned_le32(cfg + pos +
				       offsetof(struct virtio_pci_cap, length));
	if (type == VIRTIO_PCI_CAP_SHARED_MEMORY_CFG) {
		c->offset |= (u64)get_unaligned_le32(cfg + pos +
			offsetof(struct virtio_pci_cap64, offset_hi)) << 32;
		c->length |= (u64)get_unaligned_le32(cfg + pos +
			offsetof(struct virtio_pci_cap64, length_hi)) << 32;
	}
	/* The access window's BAR and offset are the driver's to write. */
	if (type == VIRTIO_PCI_CAP_PCI_CFG)
		return true;
	/* 4.1.4: BAR values 0x6 to 0xff are reserved. */
	if (c->bar >= VP_NUM_BARS || !bar_len[c->bar]) {
		dev_warn(dev,
			 "virtio %s capability at 0x%02x: BAR %u is %s; ignored\n",
			 name, pos, c->bar,
			 c->bar >= VP_NUM_BARS ? "reserved" : "not implemented");
		return false;
	}
	if (c->offset > bar_len[c->bar] ||
	    c->length > bar_len[c->bar] - c->offset) {
		dev_warn(dev,
			 "virtio %s capability at 0x%02x: %llu bytes at 0x%llx do not fit BAR %u (%llu bytes); ignored\n",
			 name, pos, c->length, c->offset, c->bar,
			 bar_len[c->bar]);
		return false;
	}
	return true;
}

static bool vp_caps_overlap(const struct vp_cap *a, const struct vp_cap *b)
{
	return a->pos && b->pos && a->bar == b->bar && a->length &&
	       b->length && a->offset < b->offset + b->length &&
	       b->offset < a->offset + a->length;
}

/**
 * vp_parse_caps() - find the virtio structures of a PCI function
 * @dev: the device, for messages
 * @cfg: the first VP_CFG_SPACE bytes of its configuration space
 * @bar_len: the lengths of its VP_NUM_BARS BARs, bytes (0: not implemented)
 * @caps: filled; zeroed first
 *
 * Virtio 1.3, 4.1.4: walks the capability list (at most 48 entries, each
 * inside the 256 bytes and 4-byte aligned), keeps the first usable
 * capability of each structure type and every shared memory region with a
 * distinct id, and rejects with a message each one whose length is short
 * for its type, whose BAR is reserved or absent, or whose structure does
 * not fit its BAR. The common, notification, ISR and device configuration
 * structures must not overlap.
 *
 * Context: any; reads only @cfg and @bar_len.
 * Return: 0 when the common, notification and ISR structures were found;
 * -ENODEV if one of them is missing; -EINVAL if two structures overlap.
 */
int vp_parse_caps(struct device *dev, const u8 *cfg, const u64 *bar_len,
		  struct vp_caps *caps)
{
	const struct vp_cap *structs[] = {
		&caps->common, &caps->notify, &caps->isr, &caps->device,
	};
	unsigned int n, i, j;
	struct vp_cap c, *slot;
	u8 pos, type;

	memset(caps, 0, sizeof(*caps));
	if (!(get_unaligned_le16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	pos = cfg[PCI_CAPABILITY_LIST];
	for (n = 0; n < 48 && pos >= 0x40; n++, pos = cfg[pos + PCI_CAP_LIST_NEXT]) {
		pos &= ~3;
		if (cfg[pos + PCI_CAP_LIST_ID] != PCI_CAP_ID_VNDR)
			continue;
		if (pos + sizeof(struct virtio_pci_cap) > VP_CFG_SPACE) {
			dev_warn(dev,
				 "vendor capability at 0x%02x runs past the %u bytes of configuration space; ignored\n",
				 pos, VP_CFG_SPACE);
			caps->rejected++;
			continue;
		}
		type = cfg[pos + offsetof(struct virtio_pci_cap, cfg_type)];
		slot = vp_cap_slot(caps, type);
		if (slot && slot->pos)
			continue;	/* the first usable one wins */
		if (!slot && type != VIRTIO_PCI_CAP_SHARED_MEMORY_CFG)
			continue;	/* not a structure we use */
		if (!vp_cap_read(dev, cfg, bar_len, pos, type, &c)) {
			caps->rejected++;
			continue;
		}
		if (slot) {
			*slot = c;
			if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
				caps->notify_off_multiplier =
					get_unaligned_le32(cfg + pos +
						offsetof(struct virtio_pci_notify_cap,
							 notify_off_multiplier));
			continue;
		}
		for (i = 0; i < caps->nshm && caps->shm[i].id != c.id; i++)
			;
		if (i < caps->nshm || caps->nshm == VP_MAX_SHM) {
			dev_warn(dev,
				 "virtio shm capability at 0x%02x: region id %u %s; ignored\n",
				 pos, c.id, i < caps->nshm ? "repeats an earlier one" :
				 "is one region too many");
			caps->rejected++;
			continue;
		}
		caps->shm[caps->nshm++] = c;
	}

	for (i = 0; i < ARRAY_SIZE(structs); i++)
		for (j = i + 1; j < ARRAY_SIZE(structs); j++)
			if (vp_caps_overlap(structs[i], structs[j])) {
				dev_err(dev,
					"virtio capabilities at 0x%02x and 0x%02x overlap in BAR %u\n",
					structs[i]->pos, structs[j]->pos,
					structs[i]->bar);
				return -EINVAL;
			}
	if (!caps->common.pos || !caps->notify.pos || !caps->isr.pos)
		return -ENODEV;
	return 0;
}
EXPORT_SYMBOL_GPL(vp_parse_caps);
