/* SPDX-License-Identifier: MIT */
/*
 * What iommufd offers the VFIO core (the kernel's include/linux/iommufd.h).
 * Functions returning a pointer return ERR_PTR(-errno) on failure.
 */
#ifndef UVFIO_IOMMUFD_IOMMUFD_H
#define UVFIO_IOMMUFD_IOMMUFD_H

#include "../util/compiler.h"

struct iommufd_ctx;
struct iommufd_device;
struct uvfio_file;
struct vfio_device;

/*
 * The context behind an iommufd fd, with a reference the caller must put
 * with iommufd_ctx_put(). -EBADF when @fd is not open, -EBADFD when it is
 * not an iommufd.
 */
struct iommufd_ctx *iommufd_ctx_from_fd(int fd);
struct iommufd_ctx *iommufd_ctx_from_file(struct uvfio_file *file);
void iommufd_ctx_get(struct iommufd_ctx *ictx);
void iommufd_ctx_put(struct iommufd_ctx *ictx);

/*
 * Creates the DEVICE object for @dev; its id goes to @id. The caller holds
 * one user of the object until iommufd_device_unbind(), so IOMMU_DESTROY of
 * that id is EBUSY while bound.
 */
struct iommufd_device *iommufd_device_bind(struct iommufd_ctx *ictx,
					   struct vfio_device *dev, u32 *id);
void iommufd_device_unbind(struct iommufd_device *idev);

/*
 * Attach to the IOAS or HWPT @pt_id; an IOAS gets an automatic HWPT, whose
 * id replaces *pt_id. replace swaps an existing attachment in one step.
 */
int iommufd_device_attach(struct iommufd_device *idev, u32 *pt_id);
int iommufd_device_replace(struct iommufd_device *idev, u32 *pt_id);
void iommufd_device_detach(struct iommufd_device *idev);

/*
 * The VFIO compat container on an iommufd: a group SET_CONTAINER with an
 * iommufd creates (or reuses) the compat IOAS; the group path's first device
 * open attaches to it.
 */
int iommufd_vfio_compat_ioas_create(struct iommufd_ctx *ictx);
int iommufd_vfio_compat_ioas_get_id(struct iommufd_ctx *ictx, u32 *out_ioas_id);

/* Registers /dev/iommu. */
int iommufd_register_node(void);

#endif /* UVFIO_IOMMUFD_IOMMUFD_H */
