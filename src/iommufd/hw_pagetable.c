// SPDX-License-Identifier: MIT
/*
 * Paging HWPTs (the kernel's drivers/iommu/iommufd/hw_pagetable.c): the
 * IOMMU domain that a device is really attached to, mirroring an IOAS.
 * Attaching a device to an IOAS finds or makes an automatic one, which dies
 * with its last device; IOMMU_HWPT_ALLOC makes one explicitly, which lives
 * until IOMMU_DESTROY.
 *
 * Every uvfio device sits behind the same emulated IOMMU (src/core/dma.h),
 * so the flags it accepts are the ones an x86 IOMMU with dirty tracking and
 * without nesting or PASID accepts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "iommufd_private.h"
#include "../core/dma.h"
#include <uvfio/uapi/iommufd.h>

/*
 * Makes a paging HWPT on @ioas and adds its domain to the IOAS's table:
 * that raises the IOVA alignment to the IOMMU page (EADDRINUSE if a
 * mapping breaks it), reserves what lies past the aperture, and pins every
 * mapping (EFAULT, ENOMEM). The result is not finalized. Caller holds
 * ictx->lock. As iommufd_hwpt_paging_alloc(), flags are checked first.
 */
struct iommufd_hwpt_paging *
__iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
			    struct iommufd_ioas *ioas, u32 flags)
{
	const u32 valid_flags = IOMMU_HWPT_ALLOC_NEST_PARENT |
				IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
				IOMMU_HWPT_FAULT_ID_VALID;
	struct iommufd_hwpt_paging *hwpt;
	struct iommufd_object *obj;
	int rc;

	lockdep_assert_held(&ictx->lock);
	if (flags & ~valid_flags)
		return ERR_PTR(-EOPNOTSUPP);
	/* The emulated IOMMU cannot nest: its driver refuses the flag. */
	if (flags & IOMMU_HWPT_ALLOC_NEST_PARENT)
		return ERR_PTR(-EOPNOTSUPP);

	obj = __iommufd_object_alloc(ictx, sizeof(*hwpt),
				     IOMMUFD_OBJ_HWPT_PAGING);
	if (IS_ERR(obj))
		return (void *)obj;
	hwpt = container_of(obj, struct iommufd_hwpt_paging, obj);
	hwpt->ioas = ioas;
	INIT_LIST_HEAD(&hwpt->hwpt_item);
	hwpt->domain = iommu_domain_alloc(&ioas->iopt,
					  flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING ?
						  IOMMU_DOMAIN_F_DIRTY : 0);
	if (IS_ERR(hwpt->domain)) {
		rc = (int)PTR_ERR(hwpt->domain);
		goto out_abort;
	}
	rc = iopt_table_add_domain(&ioas->iopt, hwpt->domain, IOPT_PAGE_SIZE,
				   UVFIO_IOMMU_APERTURE_START,
				   UVFIO_IOMMU_APERTURE_END);
	if (rc)
		goto out_free_domain;
	ioas->obj.users++;	/* put in iommufd_hwpt_paging_destroy() */
	list_add_tail(&hwpt->hwpt_item, &ioas->hwpt_list);
	return hwpt;

out_free_domain:
	iommu_domain_free(hwpt->domain);
out_abort:
	__iommufd_object_abort(ictx, obj);
	return ERR_PTR(rc);
}

/*
 * Returns the IOAS's automatic HWPT with a user taken for the caller,
 * creating it on first use. Every emulated device is compatible with every
 * domain, so one per IOAS is enough, as with a single IOMMU instance.
 * Caller holds ictx->lock.
 */
struct iommufd_hwpt_paging *
__iommufd_hwpt_paging_auto_get(struct iommufd_ctx *ictx,
			       struct iommufd_ioas *ioas)
{
	struct iommufd_hwpt_paging *hwpt;

	lockdep_assert_held(&ictx->lock);
	list_for_each_entry(hwpt, &ioas->hwpt_list, hwpt_item) {
		if (hwpt->auto_domain) {
			hwpt->obj.users++;
			return hwpt;
		}
	}

	hwpt = __iommufd_hwpt_paging_alloc(ictx, ioas, 0);
	if (IS_ERR(hwpt))
		return hwpt;
	hwpt->auto_domain = true;
	/* Nothing can fail from here: publish it, with the caller's user. */
	__iommufd_object_finalize(ictx, &hwpt->obj);
	hwpt->obj.users++;
	return hwpt;
}

/*
 * Drops a device's user of @hwpt. An automatic HWPT is destroyed with its
 * last device (iommufd_hw_pagetable_put() in the kernel's private header).
 * Caller holds ictx->lock.
 */
void __iommufd_hw_pagetable_put(struct iommufd_ctx *ictx,
				struct iommufd_hwpt_paging *hwpt)
{
	lockdep_assert_held(&ictx->lock);
	hwpt->obj.users--;
	if (hwpt->auto_domain)
		__iommufd_object_try_destroy(ictx, &hwpt->obj);
}

/* Called with ictx->lock held, from __iommufd_object_destroy(). */
void iommufd_hwpt_paging_destroy(struct iommufd_object *obj)
{
	struct iommufd_hwpt_paging *hwpt =
		container_of(obj, struct iommufd_hwpt_paging, obj);

	list_del_init(&hwpt->hwpt_item);
	iopt_table_remove_domain(&hwpt->ioas->iopt, hwpt->domain);
	iommu_domain_free(hwpt->domain);
	hwpt->ioas->obj.users--;
	free(hwpt);
}

/*
 * IOMMU_HWPT_ALLOC (iommufd_hwpt_alloc()): reserved (EOPNOTSUPP), data
 * type/length (EINVAL), the device (ENOENT), the parent (EINVAL whether
 * missing or of the wrong kind), then the flags. uvfio has no nest parent
 * and no vIOMMU, so only an IOAS parent makes a HWPT, and only with
 * DATA_NONE; vendor data for an IOAS parent is refused by the driver.
 */
int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_hwpt_paging *hwpt;
	struct iommufd_object *dev_obj, *pt_obj;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if ((cmd->data_type == IOMMU_HWPT_DATA_NONE && cmd->data_len) ||
	    (cmd->data_type != IOMMU_HWPT_DATA_NONE && !cmd->data_len))
		return -EINVAL;

	mutex_lock(&ictx->lock);
	dev_obj = __iommufd_get_object(ictx, cmd->dev_id, IOMMUFD_OBJ_DEVICE);
	if (IS_ERR(dev_obj)) {
		rc = (int)PTR_ERR(dev_obj);
		goto out_unlock;
	}
	pt_obj = __iommufd_get_object(ictx, cmd->pt_id, IOMMUFD_OBJ_ANY);
	if (IS_ERR(pt_obj)) {
		rc = -EINVAL;
		goto out_put_dev;
	}
	if (pt_obj->type == IOMMUFD_OBJ_HWPT_PAGING) {
		/* A nested HWPT needs a nest parent, which we never make. */
		rc = (cmd->flags & ~IOMMU_HWPT_FAULT_ID_VALID) ||
			     !cmd->data_len ? -EOPNOTSUPP : -EINVAL;
		goto out_put_pt;
	}
	if (pt_obj->type != IOMMUFD_OBJ_IOAS) {
		rc = -EINVAL;
		goto out_put_pt;
	}
	/* The driver takes no vendor data for a paging domain. */
	if (cmd->data_len) {
		rc = -EOPNOTSUPP;
		goto out_put_pt;
	}
	hwpt = __iommufd_hwpt_paging_alloc(
		ictx, container_of(pt_obj, struct iommufd_ioas, obj),
		cmd->flags);
	if (IS_ERR(hwpt)) {
		rc = (int)PTR_ERR(hwpt);
		goto out_put_pt;
	}
	/* No fault queue object can exist here: the id cannot name one. */
	if (cmd->flags & IOMMU_HWPT_FAULT_ID_VALID) {
		rc = -ENOENT;
		goto out_hwpt;
	}
	cmd->out_hwpt_id = hwpt->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_hwpt;
	__iommufd_object_finalize(ictx, &hwpt->obj);
	goto out_put_pt;

out_hwpt:
	/* Never visible: take it down by hand, as abort_and_destroy does. */
	list_del_init(&hwpt->hwpt_item);
	iopt_table_remove_domain(&hwpt->ioas->iopt, hwpt->domain);
	iommu_domain_free(hwpt->domain);
	hwpt->ioas->obj.users--;
	__iommufd_object_abort(ictx, &hwpt->obj);
out_put_pt:
	pt_obj->users--;
out_put_dev:
	dev_obj->users--;
out_unlock:
	mutex_unlock(&ictx->lock);
	return rc;
}

static struct iommufd_hwpt_paging *
iommufd_get_hwpt_paging(struct iommufd_ucmd *ucmd, u32 id)
{
	struct iommufd_object *obj = iommufd_get_object(ucmd->ictx, id,
							IOMMUFD_OBJ_HWPT_PAGING);

	return IS_ERR(obj) ? (void *)obj :
			     container_of(obj, struct iommufd_hwpt_paging, obj);
}

/*
 * IOMMU_HWPT_SET_DIRTY_TRACKING: a HWPT allocated without DIRTY_TRACKING
 * has no dirty ops (EOPNOTSUPP, iopt_set_dirty_tracking()).
 */
int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_set_dirty_tracking *cmd = ucmd->cmd;
	struct iommufd_hwpt_paging *hwpt;
	int rc;

	if (cmd->flags & ~IOMMU_HWPT_DIRTY_TRACKING_ENABLE)
		return -EOPNOTSUPP;
	hwpt = iommufd_get_hwpt_paging(ucmd, cmd->hwpt_id);
	if (IS_ERR(hwpt))
		return (int)PTR_ERR(hwpt);
	rc = iommu_domain_set_dirty_tracking(
		hwpt->domain, cmd->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
	iommufd_put_object(ucmd->ictx, &hwpt->obj);
	return rc;
}

/*
 * IOMMU_HWPT_GET_DIRTY_BITMAP: the range checks of
 * iommufd_check_iova_range(), against the IOAS's alignment and the report
 * page size, then the domain's bits (EINVAL while tracking is off).
 */
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_get_dirty_bitmap *cmd = ucmd->cmd;
	struct iommufd_hwpt_paging *hwpt;
	unsigned long align;
	u64 last;
	int rc;

	if ((cmd->flags & ~IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) ||
	    cmd->__reserved)
		return -EOPNOTSUPP;
	hwpt = iommufd_get_hwpt_paging(ucmd, cmd->hwpt_id);
	if (IS_ERR(hwpt))
		return (int)PTR_ERR(hwpt);

	iopt_read_lock(&hwpt->ioas->iopt);
	align = hwpt->ioas->iopt.iova_alignment;
	iopt_read_unlock(&hwpt->ioas->iopt);
	if (__builtin_add_overflow(cmd->iova, cmd->length - 1, &last)) {
		rc = -EOVERFLOW;
		goto out_put;
	}
	if ((cmd->iova & (align - 1)) || ((last + 1) & (align - 1)) ||
	    !cmd->page_size || (cmd->page_size & (cmd->page_size - 1)) ||
	    (cmd->iova & (cmd->page_size - 1)) ||
	    ((last + 1) & (cmd->page_size - 1))) {
		rc = -EINVAL;
		goto out_put;
	}
	if (!(hwpt->domain->flags & IOMMU_DOMAIN_F_DIRTY)) {
		rc = -EOPNOTSUPP;
		goto out_put;
	}
	rc = iommu_domain_read_and_clear_dirty(
		hwpt->domain, cmd->iova, cmd->length, cmd->page_size,
		cmd->flags & IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR,
		(u64 __user *)(uintptr_t)cmd->data);
out_put:
	iommufd_put_object(ucmd->ictx, &hwpt->obj);
	return rc;
}

/*
 * IOMMU_HWPT_INVALIDATE (iommufd_hwpt_invalidate()): only nested HWPTs and
 * vIOMMUs take invalidations, and uvfio has neither, so a paging HWPT or
 * any other object is EINVAL. entry_num is written back even on failure.
 */
int iommufd_hwpt_invalidate(struct iommufd_ucmd *ucmd)
{
	struct iommu_hwpt_invalidate *cmd = ucmd->cmd;
	struct iommufd_object *obj;
	int rc;

	if (cmd->__reserved) {
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (cmd->entry_num && (!cmd->data_uptr || !cmd->entry_len)) {
		rc = -EINVAL;
		goto out;
	}
	obj = iommufd_get_object(ucmd->ictx, cmd->hwpt_id, IOMMUFD_OBJ_ANY);
	if (IS_ERR(obj)) {
		rc = (int)PTR_ERR(obj);
		goto out;
	}
	rc = -EINVAL;
	iommufd_put_object(ucmd->ictx, obj);
out:
	cmd->entry_num = 0;
	if (iommufd_ucmd_respond(ucmd, sizeof(*cmd)))
		return -EFAULT;
	return rc;
}
