/* SPDX-License-Identifier: MIT */
/* VFIO_DEVICE_FEATURE (device_feature.c). */
#ifndef UVFIO_CORE_DEVICE_FEATURE_H
#define UVFIO_CORE_DEVICE_FEATURE_H

#include "vfio.h"

long vfio_ioctl_device_feature(struct vfio_device *device, void __user *arg);
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz);

#endif /* UVFIO_CORE_DEVICE_FEATURE_H */
