// SPDX-License-Identifier: MIT
/*
 * The DEVICE object: a VFIO device bound to an iommufd, and its attachment
 * to a page table (the kernel's drivers/iommu/iommufd/device.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "iommufd_private.h"
#include "../core/dma.h"
#include "../core/vfio.h"
#include "../vfs/uaccess.h"
#include <uvfio/dma.h>
#include <uvfio/uapi/iommufd.h>

/*
 * A bound device claims its group's DMA for @ictx; a member already bound
 * to another iommufd makes that EPERM (iommu_device_claim_dma_owner()).
 */
static int iommufd_group_claim_dma_owner(struct vfio_group *group,
					 struct iommufd_ctx *ictx)
{
	int rc = 0;

	mutex_lock(&group->dma_owner_lock);
	if (group->dma_owner_cnt && group->dma_owner != ictx) {
		rc = -EPERM;
	} else {
		group->dma_owner = ictx;
		group->dma_owner_cnt++;
	}
	mutex_unlock(&group->dma_owner_lock);
	return rc;
}

static void iommufd_group_release_dma_owner(struct vfio_group *group)
{
	mutex_lock(&group->dma_owner_lock);
	if (!--group->dma_owner_cnt)
		group->dma_owner = NULL;
	mutex_unlock(&group->dma_owner_lock);
}

struct iommufd_device *iommufd_device_bind(struct iommufd_ctx *ictx,
					   struct vfio_device *dev, u32 *id)
{
	struct iommufd_device *idev;
	struct iommufd_object *obj;
	int rc;

	/* Paired with iommufd_group_release_dma_owner() at unbind. */
	rc = iommufd_group_claim_dma_owner(dev->group, ictx);
	if (rc)
		return ERR_PTR(rc);
	mutex_lock(&ictx->lock);
	obj = __iommufd_object_alloc(ictx, sizeof(*idev), IOMMUFD_OBJ_DEVICE);
	if (IS_ERR(obj)) {
		mutex_unlock(&ictx->lock);
		iommufd_group_release_dma_owner(dev->group);
		return (void *)obj;
	}
	idev = container_of(obj, struct iommufd_device, obj);
	idev->ictx = ictx;
	idev->dev = dev;
	INIT_LIST_HEAD(&idev->igroup_item);
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
	struct vfio_group *group = idev->dev->group;

	mutex_lock(&ictx->lock);
	idev->obj.users--;
	/* Nothing else can hold a device: DESTROY of it is always EBUSY. */
	__iommufd_object_destroy(ictx, &idev->obj);
	mutex_unlock(&ictx->lock);
	iommufd_group_release_dma_owner(group);
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

/*
 * Moves one device from @old (NULL: detached) to @hwpt, for which the
 * caller gives it a user. Attaching narrows the IOAS: the device's reserved
 * regions (the MSI window) become reserved space owned by the device, which
 * fails with EADDRINUSE if a mapping or an allowed range is there
 * (iopt_table_enforce_group_resv_regions()). Then the device's DMA goes
 * through the HWPT's domain. Caller holds ictx->lock.
 */
static int __iommufd_device_switch(struct iommufd_ctx *ictx,
				   struct iommufd_device *idev,
				   struct iommufd_hwpt_paging *old,
				   struct iommufd_hwpt_paging *hwpt)
{
	bool new_ioas = !old || old->ioas != hwpt->ioas;
	int rc;

	if (new_ioas) {
		rc = iopt_reserve_iova(&hwpt->ioas->iopt,
				       UVFIO_MSI_RESERVED_START,
				       UVFIO_MSI_RESERVED_END, idev);
		if (rc)
			return rc;
	}
	rc = vfio_device_dma_attach(idev->dev, hwpt->domain);
	if (rc) {
		if (new_ioas)
			iopt_remove_reserved_iova(&hwpt->ioas->iopt, idev);
		return rc;
	}
	idev->hwpt = hwpt;
	if (old) {
		if (new_ioas)
			iopt_remove_reserved_iova(&old->ioas->iopt, idev);
		__iommufd_hw_pagetable_put(ictx, old);
	}
	return 0;
}

/*
 * The devices of one IOMMU group share one page table (iommufd's igroup):
 * a member attaching to another HWPT than the group's is EINVAL
 * (iommufd_hw_pagetable_attach()), and a replace moves every attached
 * member at once (iommufd_device_do_replace()). Replacing with the same
 * HWPT is a no-op.
 */
static int iommufd_device_change_pt(struct iommufd_device *idev, u32 *pt_id)
{
	struct iommufd_ctx *ictx = idev->ictx;
	struct vfio_group *group = idev->dev->group;
	struct iommufd_hwpt_paging *hwpt, *old;
	struct iommufd_device *member, *undo;
	int rc = 0;

	mutex_lock(&ictx->lock);
	hwpt = __iommufd_device_get_pt(ictx, *pt_id);
	if (IS_ERR(hwpt)) {
		rc = (int)PTR_ERR(hwpt);
		goto out_unlock;
	}
	old = idev->hwpt;
	if (old == hwpt)
		goto out_put_hwpt;

	if (!old) {
		if (group->igroup_hwpt && group->igroup_hwpt != hwpt) {
			rc = -EINVAL;
			goto out_put_hwpt;
		}
		rc = __iommufd_device_switch(ictx, idev, NULL, hwpt);
		if (rc)
			goto out_put_hwpt;
		list_add_tail(&idev->igroup_item, &group->igroup_devices);
		group->igroup_hwpt = hwpt;
		goto out_done;
	}

	/*
	 * A replace: every attached member follows, each with its own user;
	 * idev's is the one the lookup took.
	 */
	list_for_each_entry(member, &group->igroup_devices, igroup_item) {
		if (member != idev)
			hwpt->obj.users++;
		rc = __iommufd_device_switch(ictx, member, old, hwpt);
		if (rc) {
			if (member != idev)
				hwpt->obj.users--;
			goto out_undo;
		}
	}
	group->igroup_hwpt = hwpt;
out_done:
	*pt_id = hwpt->obj.id;
	mutex_unlock(&ictx->lock);
	return 0;

out_undo:
	/*
	 * Move back the members already moved, each taking a user of old
	 * again and dropping its user of hwpt. If idev was one of them, the
	 * lookup's user went with it.
	 */
	list_for_each_entry(undo, &group->igroup_devices, igroup_item) {
		if (undo == member)
			break;
		old->obj.users++;
		__iommufd_device_switch(ictx, undo, hwpt, old);
		if (undo == idev)
			goto out_unlock;
	}
out_put_hwpt:
	/* On success this is the same-HWPT case: drop the extra user. */
	__iommufd_hw_pagetable_put(ictx, hwpt);
	if (!rc)
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

/* Blocks the device's DMA again; waits for its pins to be released. */
void iommufd_device_detach(struct iommufd_device *idev)
{
	struct iommufd_ctx *ictx = idev->ictx;
	struct iommufd_hwpt_paging *hwpt;

	mutex_lock(&ictx->lock);
	hwpt = idev->hwpt;
	if (hwpt) {
		struct vfio_group *group = idev->dev->group;

		vfio_device_dma_detach(idev->dev);
		iopt_remove_reserved_iova(&hwpt->ioas->iopt, idev);
		idev->hwpt = NULL;
		list_del_init(&idev->igroup_item);
		if (list_empty(&group->igroup_devices))
			group->igroup_hwpt = NULL;
		__iommufd_hw_pagetable_put(ictx, hwpt);
	}
	mutex_unlock(&ictx->lock);
}

/*
 * IOMMU_GET_HW_INFO (iommufd_get_hw_info()): the vendor data is
 * struct iommu_hw_info_uvfio (include/uvfio/dma.h). min(len) bytes are
 * copied, the rest of the client's buffer is zeroed, and data_len says how
 * much we have. Asking for a type other than ours (or DEFAULT) is
 * EOPNOTSUPP, as a driver answers for a type it does not report.
 */
int iommufd_get_hw_info(struct iommufd_ucmd *ucmd)
{
	struct iommu_hw_info *cmd = ucmd->cmd;
	const struct iommu_hw_info_uvfio data = {
		.pgsize_bitmap = UVFIO_IOMMU_PGSIZES,
		.aperture_start = UVFIO_IOMMU_APERTURE_START,
		.aperture_last = UVFIO_IOMMU_APERTURE_END,
		.msi_start = UVFIO_MSI_RESERVED_START,
		.msi_last = UVFIO_MSI_RESERVED_END,
	};
	char __user *uptr = (char __user *)(uintptr_t)cmd->data_uptr;
	static const char zeros[256];
	struct iommufd_object *obj;
	u32 copy_len;
	int rc = 0;

	if ((cmd->flags & ~(u32)IOMMU_HW_INFO_FLAG_INPUT_TYPE) ||
	    cmd->__reserved[0] || cmd->__reserved[1] || cmd->__reserved[2])
		return -EOPNOTSUPP;
	/* Without the flag the input type is not looked at. */
	if (!(cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE))
		cmd->in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT;

	obj = iommufd_get_object(ucmd->ictx, cmd->dev_id, IOMMUFD_OBJ_DEVICE);
	if (IS_ERR(obj))
		return (int)PTR_ERR(obj);
	if (cmd->in_data_type != IOMMU_HW_INFO_TYPE_DEFAULT &&
	    cmd->in_data_type != IOMMU_HW_INFO_TYPE_UVFIO) {
		rc = -EOPNOTSUPP;
		goto out_put;
	}
	cmd->out_data_type = IOMMU_HW_INFO_TYPE_UVFIO;

	copy_len = min_t(u32, cmd->data_len, sizeof(data));
	if (copy_to_user(uptr, &data, copy_len)) {
		rc = -EFAULT;
		goto out_put;
	}
	/* Zero the tail of a buffer larger than our data (clear_user()). */
	for (u32 off = copy_len; off < cmd->data_len;) {
		u32 n = min_t(u32, cmd->data_len - off, sizeof(zeros));

		if (copy_to_user(uptr + off, zeros, n)) {
			rc = -EFAULT;
			goto out_put;
		}
		off += n;
	}
	cmd->data_len = sizeof(data);
	cmd->out_capabilities = IOMMU_HW_CAP_DIRTY_TRACKING;
	cmd->out_max_pasid_log2 = 0;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_put:
	iommufd_put_object(ucmd->ictx, obj);
	return rc;
}
