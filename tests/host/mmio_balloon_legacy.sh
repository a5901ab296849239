#!/usr/bin/env bash
# Host side of tests/mmio_balloon.sh (and its legacy twin): the same QMP
# inflate, deflate and re-inflate as for the PCI balloon.
. "$(dirname "$0")/pci_balloon.sh"
