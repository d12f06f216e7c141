// SPDX-License-Identifier: MIT
/*
 * The edu driver test through the third way to a device: the legacy group
 * path with an iommufd as its container (iommufd's VFIO compat container,
 * drivers/iommu/iommufd/vfio_compat.c). Together with edu_driver.c (cdev +
 * IOAS) and edu_driver_group.c (type1 container) the same DMA runs three
 * ways and must give the same results.
 */
#define _GNU_SOURCE
#include <stdlib.h>

__attribute__((constructor)) static void edu_use_compat_path(void)
{
	setenv("PCI_TEST_PATH", "compat", 1);
}

#include "edu_driver.c"
