/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport_pci.c's helpers exported for the KUnit suites: (with
 * CONFIG_KUNIT) a modern device whose common configuration structure is in
 * memory, to probe it through the virtio core.
 */
#ifndef _VIRTIO_ALT_TRANSPORT_PCI_H
#define _VIRTIO_ALT_TRANSPORT_PCI_H

#include <linux/kconfig.h>
#include <linux/types.h>

#if IS_ENABLED(CONFIG_KUNIT)
struct virtio_device;

struct virtio_device *va_pci_fake_create(void *common, size_t len,
					 u32 device_id,
					 void (*status_written)(void *priv,
								u8 status),
					 void *priv);
#endif

#endif /* _VIRTIO_ALT_TRANSPORT_PCI_H */
