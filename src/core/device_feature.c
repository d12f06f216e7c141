// SPDX-License-Identifier: MIT
/*
 * VFIO_DEVICE_FEATURE: the generic half, which the kernel keeps in
 * drivers/vfio/vfio_main.c (vfio_ioctl_device_feature()), and the
 * per-feature check every handler starts with (vfio_check_feature() in
 * include/linux/vfio.h).
 *
 * The core owns the migration and DMA-logging features; uvfio's devices
 * have neither mig_ops nor log_ops, so those answer ENOTTY, as a real
 * vfio-pci device without a variant driver does. Every other id goes to
 * the driver's device_feature op.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "device_feature.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

/*
 * Returns 1 when the caller should go on and act, 0 for a successful
 * PROBE, or -EINVAL: GET or SET that the feature does not support, neither
 * GET nor SET without PROBE, or a payload shorter than @minsz.
 */
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz)
{
	if ((flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)) &
	    ~supported_ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	if (!(flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)))
		return -EINVAL;
	if (argsz < minsz)
		return -EINVAL;
	return 1;
}

/*
 * In vfio_ioctl_device_feature()'s order: the header (EFAULT, argsz < 8),
 * unknown flag bits, GET with SET but no PROBE, then the feature.
 */
long vfio_ioctl_device_feature(struct vfio_device *device, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_device_feature, flags);
	struct vfio_device_feature feature;

	if (copy_from_user(&feature, arg, minsz))
		return -EFAULT;
	if (feature.argsz < minsz)
		return -EINVAL;
	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK |
			      VFIO_DEVICE_FEATURE_SET |
			      VFIO_DEVICE_FEATURE_GET |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;
	/* GET and SET are mutually exclusive except with PROBE. */
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_SET) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_GET))
		return -EINVAL;

	switch (feature.flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
	case VFIO_DEVICE_FEATURE_MIG_DATA_SIZE:
		/* vfio_ioctl_device_feature_mig*(): no mig_ops. */
		return -ENOTTY;
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		/* vfio_ioctl_device_feature_logging_*(): no log_ops. */
		return -ENOTTY;
	default:
		if (unlikely(!device->ops->device_feature))
			return -EINVAL;
		return device->ops->device_feature(
			device, feature.flags,
			(u8 __user *)arg + minsz, feature.argsz - minsz);
	}
}
