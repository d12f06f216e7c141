// SPDX-License-Identifier: MIT
/*
 * IOAS handlers (the kernel's drivers/iommu/iommufd/ioas.c): they validate
 * and translate, and leave the address-space data structure to others.
 * An IOAS is the I/O address space that devices attach to, through a HWPT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "iommufd_private.h"
#include <uvfio/uapi/iommufd.h>

static struct iommufd_ioas *iommufd_ioas_alloc(struct iommufd_ctx *ictx)
{
	struct iommufd_object *obj;
	struct iommufd_ioas *ioas;

	obj = iommufd_object_alloc(ictx, sizeof(*ioas), IOMMUFD_OBJ_IOAS);
	if (IS_ERR(obj))
		return (void *)obj;
	ioas = container_of(obj, struct iommufd_ioas, obj);
	INIT_LIST_HEAD(&ioas->hwpt_list);
	return ioas;
}

void iommufd_ioas_destroy(struct iommufd_object *obj)
{
	free(container_of(obj, struct iommufd_ioas, obj));
}

/* IOMMU_IOAS_ALLOC: flags are reserved (EOPNOTSUPP). */
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	int rc;

	if (cmd->flags)
		return -EOPNOTSUPP;

	ioas = iommufd_ioas_alloc(ucmd->ictx);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	cmd->out_ioas_id = ioas->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_abort;
	iommufd_object_finalize(ucmd->ictx, &ioas->obj);
	return 0;

out_abort:
	iommufd_object_abort(ucmd->ictx, &ioas->obj);
	return rc;
}
