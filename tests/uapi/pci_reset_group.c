// SPDX-License-Identifier: MIT
/*
 * The bridged-edu reset tests through the legacy path (container, group,
 * GROUP_GET_DEVICE_FD): the hot-reset info there lists group ids.
 */
#define _GNU_SOURCE
#include <stdlib.h>

__attribute__((constructor)) static void reset_use_group_path(void)
{
	setenv("PCI_TEST_PATH", "group", 1);
}

#include "pci_reset.c"
