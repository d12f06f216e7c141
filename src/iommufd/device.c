// SPDX-License-Identifier: MIT
/*
 * The DEVICE object: a VFIO device bound to an iommufd, and its attachment
 * to a page table (the kernel's drivers/iommu/iommufd/device.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "iommufd_private.h"

struct iommufd_device *iommufd_device_bind(struct iommufd_ctx *ictx,
					   struct vfio_device *dev, u32 *id)
{
	struct iommufd_device *idev;
	struct iommufd_object *obj;

	mutex_lock(&ictx->lock);
	obj = __iommufd_object_alloc(ictx, sizeof(*idev), IOMMUFD_OBJ_DEVICE);
	if (IS_ERR(obj)) {
		mutex_unlock(&ictx->lock);
		return (void *)obj;
	}
	idev = container_of(obj, struct iommufd_device, obj);
	idev->ictx = ictx;
	idev->dev = dev;
	/* Paired with iommufd_ctx_put() in iommufd_device_unbind(). */
	iommufd_ctx_get(ictx);
	__iommufd_object_finalize(ictx, obj);
	/* The binder's user, dropped by iommufd_device_unbind(). */
	obj->users++;
	*id = obj->id;
	mutex_unlock(&ictx->lock);
	return idev;
}

/* Balances iommufd_device_bind(); the device must be detached. */
void iommufd_device_unbind(struct iommufd_device *idev)
{
	struct iommufd_ctx *ictx = idev->ictx;

	mutex_lock(&ictx->lock);
	idev->obj.users--;
	/* Nothing else can hold a device: DESTROY of it is always EBUSY. */
	__iommufd_object_destroy(ictx, &idev->obj);
	mutex_unlock(&ictx->lock);
	iommufd_ctx_put(ictx);
}

void iommufd_device_destroy(struct iommufd_object *obj)
{
	free(container_of(obj, struct iommufd_device, obj));
}

/*
 * Resolves @pt_id to a paging HWPT with a user taken for the device: an
 * IOAS gives its automatic HWPT. A missing id is ENOENT, an object that is
 * not a page table EINVAL (iommufd_device_change_pt()). Caller holds the
 * lock.
 */
static struct iommufd_hwpt_paging *
__iommufd_device_get_pt(struct iommufd_ctx *ictx, u32 pt_id)
{
	struct iommufd_hwpt_paging *hwpt;
	struct iommufd_object *pt_obj;

	pt_obj = __iommufd_get_object(ictx, pt_id, IOMMUFD_OBJ_ANY);
	if (IS_ERR(pt_obj))
		return (void *)pt_obj;

	switch (pt_obj->type) {
	case IOMMUFD_OBJ_HWPT_PAGING:
		/* The lookup's user becomes the device's. */
		return container_of(pt_obj, struct iommufd_hwpt_paging, obj);
	case IOMMUFD_OBJ_IOAS:
		hwpt = __iommufd_hwpt_paging_auto_get(
			ictx, container_of(pt_obj, struct iommufd_ioas, obj));
		pt_obj->users--;
		return hwpt;
	default:
		pt_obj->users--;
		return ERR_PTR(-EINVAL);
	}
}

static int iommufd_device_change_pt(struct iommufd_device *idev, u32 *pt_id)
{
	struct iommufd_ctx *ictx = idev->ictx;
	struct iommufd_hwpt_paging *hwpt, *old;
	int rc = 0;

	mutex_lock(&ictx->lock);
	hwpt = __iommufd_device_get_pt(ictx, *pt_id);
	if (IS_ERR(hwpt)) {
		rc = (int)PTR_ERR(hwpt);
		goto out_unlock;
	}
	old = idev->hwpt;
	idev->hwpt = hwpt;
	/* Replacing with the same HWPT is a no-op: drop the extra user. */
	if (old)
		__iommufd_hw_pagetable_put(ictx, old);
	*pt_id = hwpt->obj.id;
out_unlock:
	mutex_unlock(&ictx->lock);
	return rc;
}

int iommufd_device_attach(struct iommufd_device *idev, u32 *pt_id)
{
	return iommufd_device_change_pt(idev, pt_id);
}

int iommufd_device_replace(struct iommufd_device *idev, u32 *pt_id)
{
	return iommufd_device_change_pt(idev, pt_id);
}

void iommufd_device_detach(struct iommufd_device *idev)
{
	struct iommufd_ctx *ictx = idev->ictx;

	mutex_lock(&ictx->lock);
	if (idev->hwpt)
		__iommufd_hw_pagetable_put(ictx, idev->hwpt);
	idev->hwpt = NULL;
	mutex_unlock(&ictx->lock);
}
