// SPDX-License-Identifier: MIT
/*
 * Paging HWPTs (the kernel's drivers/iommu/iommufd/hw_pagetable.c): the
 * IOMMU domain that a device is really attached to. Attaching a device to an
 * IOAS finds or makes an automatic one, which dies with its last device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "iommufd_private.h"

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
	struct iommufd_object *obj;

	lockdep_assert_held(&ictx->lock);
	list_for_each_entry(hwpt, &ioas->hwpt_list, hwpt_item) {
		if (hwpt->auto_domain) {
			hwpt->obj.users++;
			return hwpt;
		}
	}

	obj = __iommufd_object_alloc(ictx, sizeof(*hwpt),
				     IOMMUFD_OBJ_HWPT_PAGING);
	if (IS_ERR(obj))
		return (void *)obj;
	hwpt = container_of(obj, struct iommufd_hwpt_paging, obj);
	hwpt->auto_domain = true;
	hwpt->ioas = ioas;
	ioas->obj.users++;	/* put in iommufd_hwpt_paging_destroy() */
	list_add_tail(&hwpt->hwpt_item, &ioas->hwpt_list);
	/* Nothing can fail from here: publish it, with the caller's user. */
	__iommufd_object_finalize(ictx, obj);
	obj->users++;
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
	hwpt->ioas->obj.users--;
	free(hwpt);
}
