// SPDX-License-Identifier: MIT
/*
 * The edu driver test through the legacy path: container, group,
 * GROUP_GET_DEVICE_FD and type1 MAP_DMA instead of the cdev, iommufd and
 * IOAS_MAP. Only pci_open() and pci_dma_map() differ (pci_test_util.h).
 */
#define _GNU_SOURCE
#include <stdlib.h>

__attribute__((constructor)) static void edu_use_group_path(void)
{
	setenv("PCI_TEST_PATH", "group", 1);
}

#include "edu_driver.c"
