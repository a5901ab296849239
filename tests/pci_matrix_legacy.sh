# Guest: the virtio-alt-pci matrix on the legacy interface, every forced
# interrupt mode, with rng, blk, net (in-tree drivers) and the balloon (alt
# ring). The checks are in tests/lib/pci_matrix.sh (passed with --guest-lib);
# the host side is tests/host/pci_matrix.sh.
MATRIX_IFACE=legacy
. /lib/va/pci_matrix.sh
