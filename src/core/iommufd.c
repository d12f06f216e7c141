// SPDX-License-Identifier: MIT
/*
 * The glue between a VFIO device and iommufd (the kernel's
 * drivers/vfio/iommufd.c, "physical" device flavour).
 */
#define _GNU_SOURCE
#include <errno.h>

#include "vfio.h"
#include "../iommufd/iommufd.h"

/* Binds the device of @df to df->iommufd; fills df->devid. */
int vfio_df_iommufd_bind(struct vfio_device_file *df)
{
	struct vfio_device *vdev = df->device;
	struct iommufd_device *idev;

	lockdep_assert_held(&vdev->dev_set->lock);
	/* Paired with iommufd_device_unbind() in vfio_df_iommufd_unbind(). */
	idev = iommufd_device_bind(df->iommufd, vdev, &df->devid);
	if (IS_ERR(idev))
		return (int)PTR_ERR(idev);
	vdev->iommufd_device = idev;
	vdev->iommufd_ictx = df->iommufd;
	return 0;
}

void vfio_df_iommufd_unbind(struct vfio_device_file *df)
{
	struct vfio_device *vdev = df->device;

	lockdep_assert_held(&vdev->dev_set->lock);
	if (!vdev->iommufd_device)
		return;
	if (vdev->iommufd_attached)
		vfio_iommufd_physical_detach_ioas(vdev);
	iommufd_device_unbind(vdev->iommufd_device);
	vdev->iommufd_device = NULL;
	vdev->iommufd_ictx = NULL;
}

/* Attaches, or replaces the attachment, to the IOAS or HWPT @pt_id. */
int vfio_iommufd_physical_attach_ioas(struct vfio_device *vdev, u32 *pt_id)
{
	int rc;

	lockdep_assert_held(&vdev->dev_set->lock);
	if (!vdev->iommufd_device)
		return -EINVAL;
	if (vdev->iommufd_attached)
		rc = iommufd_device_replace(vdev->iommufd_device, pt_id);
	else
		rc = iommufd_device_attach(vdev->iommufd_device, pt_id);
	if (rc)
		return rc;
	vdev->iommufd_attached = true;
	return 0;
}

void vfio_iommufd_physical_detach_ioas(struct vfio_device *vdev)
{
	lockdep_assert_held(&vdev->dev_set->lock);
	if (!vdev->iommufd_device || !vdev->iommufd_attached)
		return;
	iommufd_device_detach(vdev->iommufd_device);
	vdev->iommufd_attached = false;
}

/*
 * The legacy path cannot name an IOAS, so a group whose container is an
 * iommufd attaches its devices to the compat IOAS
 * (vfio_iommufd_compat_attach_ioas() in drivers/vfio/iommufd.c).
 */
int vfio_iommufd_compat_attach_ioas(struct vfio_device *vdev,
				    struct iommufd_ctx *ictx)
{
	u32 ioas_id;
	int ret;

	lockdep_assert_held(&vdev->dev_set->lock);
	ret = iommufd_vfio_compat_ioas_get_id(ictx, &ioas_id);
	if (ret)
		return ret;
	return vfio_iommufd_physical_attach_ioas(vdev, &ioas_id);
}
