/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-alt: the virtio vendor capabilities of a PCI function (virtio 1.3,
 * 4.1.4 "Virtio Structure PCI Capabilities"), parsed from a copy of its
 * configuration space, so the parser runs the same on a device and in
 * KUnit.
 */
#ifndef _VIRTIO_ALT_PCI_CAPS_H
#define _VIRTIO_ALT_PCI_CAPS_H

#include <linux/types.h>

struct device;

#define VP_CFG_SPACE	256	/* bytes of configuration space parsed */
#define VP_NUM_BARS	6
#define VP_MAX_SHM	8	/* shared memory regions kept */

/**
 * struct vp_cap - one virtio structure, as a capability locates it
 * @pos: the capability's offset in configuration space; 0 if absent
 * @bar: the BAR holding the structure (for PCI_CFG: unused)
 * @id: the capability's id field (the region id of a shared memory region)
 * @offset: where the structure starts in @bar, bytes
 * @length: its length, bytes
 */
struct vp_cap {
	u8 pos;
	u8 bar;
	u8 id;
	u64 offset;
	u64 length;
};

/**
 * struct vp_caps - the virtio structures of a PCI function
 * @common: VIRTIO_PCI_CAP_COMMON_CFG
 * @notify: VIRTIO_PCI_CAP_NOTIFY_CFG
 * @isr: VIRTIO_PCI_CAP_ISR_CFG
 * @device: VIRTIO_PCI_CAP_DEVICE_CFG (may be absent)
 * @pci_cfg: VIRTIO_PCI_CAP_PCI_CFG, the configuration access window
 * @notify_off_multiplier: from the notification capability
 * @nshm: entries used in @shm
 * @shm: VIRTIO_PCI_CAP_SHARED_MEMORY_CFG regions, distinct ids
 * @rejected: capabilities rejected (each with a message)
 */
struct vp_caps {
	struct vp_cap common;
	struct vp_cap notify;
	struct vp_cap isr;
	struct vp_cap device;
	struct vp_cap pci_cfg;
	u32 notify_off_multiplier;
	unsigned int nshm;
	struct vp_cap shm[VP_MAX_SHM];
	unsigned int rejected;
};

int vp_parse_caps(struct device *dev, const u8 *cfg, const u64 *bar_len,
		  struct vp_caps *caps);

#endif /* _VIRTIO_ALT_PCI_CAPS_H */
