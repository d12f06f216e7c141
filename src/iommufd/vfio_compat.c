// SPDX-License-Identifier: MIT
/*
 * The VFIO container ioctls on an iommufd fd (the kernel's
 * drivers/iommu/iommufd/vfio_compat.c). The container ABI has no IOAS id,
 * so every call works on the context's "compat" IOAS: the one
 * IOMMU_VFIO_IOAS SET chose, or the one a group's VFIO_GROUP_SET_CONTAINER
 * created (iommufd_vfio_compat_ioas_create()).
 *
 * The io_pagetable is type1's: MAP_DMA and UNMAP_DMA are iopt_*() calls,
 * and SET_IOMMU(TYPE1) turns off large pages so that an unmap may cut a
 * mapping, as v1 allows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iommufd_private.h"
#include "../core/dma.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

/* The compat IOAS with a user taken, or ENODEV (get_compat_ioas()). */
static struct iommufd_ioas *get_compat_ioas(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas = ERR_PTR(-ENODEV);

	mutex_lock(&ictx->lock);
	if (ictx->vfio_ioas) {
		ioas = ictx->vfio_ioas;
		ioas->obj.users++;
	}
	mutex_unlock(&ictx->lock);
	return ioas;
}

/*
 * For VFIO_GROUP_SET_CONTAINER with an iommufd: make sure there is a compat
 * IOAS, creating one if needed (iommufd_vfio_compat_ioas_create()). A
 * created one is an ordinary object: the client may learn its id with
 * IOMMU_VFIO_IOAS GET and destroy it; else it goes with the context.
 */
int iommufd_vfio_compat_ioas_create(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas;
	int rc = 0;

	mutex_lock(&ictx->lock);
	if (!ictx->vfio_ioas) {
		ioas = __iommufd_ioas_alloc(ictx);
		if (IS_ERR(ioas)) {
			rc = (int)PTR_ERR(ioas);
			goto out_unlock;
		}
		__iommufd_object_finalize(ictx, &ioas->obj);
		ictx->vfio_ioas = ioas;
	}
out_unlock:
	mutex_unlock(&ictx->lock);
	return rc;
}

/* The compat IOAS's id, for a group device's attach; ENODEV if none. */
int iommufd_vfio_compat_ioas_get_id(struct iommufd_ctx *ictx, u32 *out_ioas_id)
{
	int rc = -ENODEV;

	mutex_lock(&ictx->lock);
	if (ictx->vfio_ioas) {
		*out_ioas_id = ictx->vfio_ioas->obj.id;
		rc = 0;
	}
	mutex_unlock(&ictx->lock);
	return rc;
}

/* IOMMU_VFIO_IOAS: SET and CLEAR never destroy anything. */
int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd)
{
	struct iommu_vfio_ioas *cmd = ucmd->cmd;
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_ioas *ioas;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->op) {
	case IOMMU_VFIO_IOAS_GET:
		ioas = get_compat_ioas(ictx);
		if (IS_ERR(ioas))
			return (int)PTR_ERR(ioas);
		cmd->ioas_id = ioas->obj.id;
		iommufd_put_object(ictx, &ioas->obj);
		return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	case IOMMU_VFIO_IOAS_SET:
		ioas = iommufd_get_ioas(ictx, cmd->ioas_id);
		if (IS_ERR(ioas))
			return (int)PTR_ERR(ioas);
		mutex_lock(&ictx->lock);
		ictx->vfio_ioas = ioas;
		ioas->obj.users--;
		mutex_unlock(&ictx->lock);
		return 0;
	case IOMMU_VFIO_IOAS_CLEAR:
		mutex_lock(&ictx->lock);
		ictx->vfio_ioas = NULL;
		mutex_unlock(&ictx->lock);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* VFIO_IOMMU_MAP_DMA: only READ and WRITE (no VADDR), at a fixed IOVA. */
static int iommufd_vfio_map_dma(struct iommufd_ctx *ictx, void __user *arg)
{
	u32 supported_flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	struct vfio_iommu_type1_dma_map map;
	struct iommufd_ioas *ioas;
	int prot = 0;
	u64 iova;
	int rc;

	if (copy_from_user(&map, arg, minsz))
		return -EFAULT;
	if (map.argsz < minsz || map.flags & ~supported_flags)
		return -EINVAL;
	if (map.flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOPT_READ;
	if (map.flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOPT_WRITE;

	ioas = get_compat_ioas(ictx);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);
	iova = map.iova;
	rc = iopt_map_user_pages(&ioas->iopt, &iova, (uintptr_t)map.vaddr,
				 map.size, prot, 0);
	iommufd_put_object(ictx, &ioas->obj);
	return rc;
}

/*
 * VFIO_IOMMU_UNMAP_DMA: only the ALL flag. Unmapping nothing succeeds with
 * size 0, as type1 does (the late-2025 kernels). With large pages off
 * (TYPE1 v1) the range's ends are cut first, so a v1 unmap may split.
 */
static int iommufd_vfio_unmap_dma(struct iommufd_ctx *ictx, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	struct vfio_iommu_type1_dma_unmap unmap;
	struct iommufd_ioas *ioas;
	u64 unmapped = 0;
	int rc;

	if (copy_from_user(&unmap, arg, minsz))
		return -EFAULT;
	if (unmap.argsz < minsz || unmap.flags & ~VFIO_DMA_UNMAP_FLAG_ALL)
		return -EINVAL;

	ioas = get_compat_ioas(ictx);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (unmap.iova || unmap.size) {
			rc = -EINVAL;
			goto out_put;
		}
		rc = iopt_unmap_all(&ioas->iopt, &unmapped);
	} else {
		if (READ_ONCE(ioas->iopt.disable_large_pages)) {
			u64 iovas[] = { unmap.iova + unmap.size - 1,
					unmap.iova - 1 };

			rc = iopt_cut_iova(&ioas->iopt, iovas,
					   unmap.iova ? 2 : 1);
			if (rc)
				goto out_put;
		}
		rc = iopt_unmap_iova(&ioas->iopt, unmap.iova, unmap.size,
				     &unmapped);
	}
	unmap.size = unmapped;
	if (copy_to_user(arg, &unmap, minsz))
		rc = -EFAULT;
out_put:
	iommufd_put_object(ictx, &ioas->obj);
	return rc;
}

/* DMA_CC: every HWPT of the compat IOAS enforces coherency; ours all do. */
static int iommufd_vfio_check_extension(struct iommufd_ctx *ictx,
					unsigned long type)
{
	struct iommufd_ioas *ioas;

	switch (type) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_DMA_CC_IOMMU:
		ioas = get_compat_ioas(ictx);
		if (IS_ERR(ioas))
			return (int)PTR_ERR(ioas);
		iommufd_put_object(ictx, &ioas->obj);
		return 1;
	default:
		/* NESTING (withdrawn), UPDATE_VADDR (unsafe), the rest. */
		return 0;
	}
}

/*
 * VFIO_SET_IOMMU: TYPE1 or TYPE1v2 only; ENODEV without a compat IOAS
 * (VFIO fails it when no group is attached). v1 may split mappings, which
 * needs large pages off (iommufd_vfio_set_iommu()).
 */
static int iommufd_vfio_set_iommu(struct iommufd_ctx *ictx, unsigned long type)
{
	struct iommufd_ioas *ioas;
	int rc = 0;

	if (type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU)
		return -EINVAL;
	ioas = get_compat_ioas(ictx);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);
	if (type == VFIO_TYPE1_IOMMU)
		rc = iopt_disable_large_pages(&ioas->iopt);
	iommufd_put_object(ictx, &ioas->obj);
	return rc;
}

/*
 * iommufd_get_pagesizes(): the page sizes every domain of the IOAS has,
 * from PAGE_SIZE up, and at least the IOVA alignment.
 */
static u64 iommufd_get_pagesizes(struct iommufd_ctx *ictx,
				 struct iommufd_ioas *ioas,
				 unsigned long alignment)
{
	u64 pgsize_bitmap = UINT64_MAX;

	mutex_lock(&ictx->lock);
	if (!list_empty(&ioas->hwpt_list))
		pgsize_bitmap &= UVFIO_IOMMU_PGSIZES;
	mutex_unlock(&ictx->lock);
	if (pgsize_bitmap & (IOPT_PAGE_SIZE - 1)) {
		pgsize_bitmap &= ~(IOPT_PAGE_SIZE - 1);
		pgsize_bitmap |= IOPT_PAGE_SIZE;
	}
	return max_t(u64, pgsize_bitmap, alignment);
}

/*
 * The capability chain of VFIO_IOMMU_GET_INFO, built as
 * iommufd_vfio_iommu_get_info() builds it: DMA_AVAIL then IOVA_RANGE, each
 * written only if it fits in argsz; when the chain does not fit, argsz is
 * raised to what it needs and cap_offset stays 0. CAPS is always set.
 * Caps are not padded: DMA_AVAIL is 12 bytes, so IOVA_RANGE sits at 36.
 */
static int iommufd_vfio_iommu_get_info(struct iommufd_ctx *ictx,
				       void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_info, iova_pgsizes);
	struct vfio_iommu_type1_info_cap_iova_range cap_iovas = {
		.header = { .id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
			    .version = 1 },
	};
	struct vfio_iommu_type1_info_dma_avail cap_dma = {
		.header = { .id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
			    .version = 1 },
		.avail = UINT32_MAX,
	};
	struct vfio_iommu_type1_info info = {};
	struct iommufd_ioas *ioas;
	struct iopt_range *holes;
	unsigned long alignment;
	size_t dma_off, iova_off, total;
	char __user *ubuf = arg;
	u32 num;
	int rc;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	minsz = min_t(size_t, info.argsz, sizeof(info));

	ioas = get_compat_ioas(ictx);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);
	rc = iopt_get_iova_ranges(&ioas->iopt, &holes, &num, &alignment);
	if (rc)
		goto out_put;

	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommufd_get_pagesizes(ictx, ioas, alignment);
	info.cap_offset = 0;

	dma_off = sizeof(info);
	iova_off = dma_off + sizeof(cap_dma);
	total = iova_off + sizeof(cap_iovas) + num * sizeof(struct vfio_iova_range);
	if (info.argsz >= iova_off) {
		cap_dma.header.next = 0;
		if (copy_to_user(ubuf + dma_off, &cap_dma, sizeof(cap_dma)))
			goto out_efault;
	}
	for (u32 i = 0; i < num; i++) {
		struct vfio_iova_range range = {
			.start = holes[i].start,
			.end = holes[i].last,
		};
		size_t at = iova_off + sizeof(cap_iovas) + i * sizeof(range);

		if (info.argsz >= at + sizeof(range) &&
		    copy_to_user(ubuf + at, &range, sizeof(range)))
			goto out_efault;
	}
	cap_iovas.nr_iovas = num;
	if (info.argsz >= total &&
	    copy_to_user(ubuf + iova_off, &cap_iovas, sizeof(cap_iovas)))
		goto out_efault;
	/* Link DMA_AVAIL to IOVA_RANGE once the space for it is there. */
	if (info.argsz >= iova_off) {
		u32 next = (u32)iova_off;

		if (copy_to_user(ubuf + dma_off +
				 offsetof(struct vfio_info_cap_header, next),
				 &next, sizeof(next)))
			goto out_efault;
	}
	if (info.argsz >= total)
		info.cap_offset = sizeof(info);
	info.argsz = (u32)total;
	info.flags |= VFIO_IOMMU_INFO_CAPS;
	if (copy_to_user(arg, &info, minsz))
		goto out_efault;
	rc = 0;
	goto out_free;

out_efault:
	rc = -EFAULT;
out_free:
	free(holes);
out_put:
	iommufd_put_object(ictx, &ioas->obj);
	return rc;
}

/*
 * iommufd_vfio_ioctl(): everything below nr 0x80 on an iommufd. Anything
 * else, VFIO_IOMMU_DIRTY_PAGES included, is ENOIOCTLCMD, which the client
 * sees as ENOTTY.
 */
long iommufd_vfio_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_SET_IOMMU:
		return iommufd_vfio_set_iommu(ictx, arg);
	case VFIO_CHECK_EXTENSION:
		return iommufd_vfio_check_extension(ictx, arg);
	case VFIO_IOMMU_GET_INFO:
		return iommufd_vfio_iommu_get_info(ictx, uarg);
	case VFIO_IOMMU_MAP_DMA:
		return iommufd_vfio_map_dma(ictx, uarg);
	case VFIO_IOMMU_UNMAP_DMA:
		return iommufd_vfio_unmap_dma(ictx, uarg);
	default:
		return -ENOTTY;
	}
}
