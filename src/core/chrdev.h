/* SPDX-License-Identifier: MIT */
/*
 * Device numbers of the emulated character devices. The kernel gives
 * vfio-dev and vfio (groups) dynamic majors and /dev/iommu a dynamic misc
 * minor; clients only compare them with what sysfs says, so any stable
 * choice in the dynamic ranges is faithful. /dev/vfio/vfio is the fixed
 * misc device 10:196 (VFIO_MINOR in include/linux/miscdevice.h).
 */
#ifndef UVFIO_CORE_CHRDEV_H
#define UVFIO_CORE_CHRDEV_H

#define MISC_MAJOR		10
#define VFIO_CONTAINER_MINOR	196
#define IOMMUFD_MINOR		122
#define VFIO_DEV_MAJOR		236	/* "vfio-dev": the device cdevs */
#define VFIO_GROUP_MAJOR	237	/* "vfio": /dev/vfio/<group> */

/* Inode numbers for stat: any stable value unique per node. */
#define VFIO_DEV_INO_BASE	0x10000
#define IOMMUFD_INO		0x20000
#define VFIO_GROUP_INO_BASE	0x30000
#define VFIO_CONTAINER_INO	0x40000

#endif /* UVFIO_CORE_CHRDEV_H */
