// SPDX-License-Identifier: MIT
/*
 * The type1 IOMMU driver of the legacy container (the kernel's
 * drivers/vfio/vfio_iommu_type1.c): extensions, IOMMU info with its
 * capability chain, MAP_DMA and UNMAP_DMA, and the groups it serves. The
 * mappings live in the io_pagetable that iommufd's IOAS also uses; one
 * emulated IOMMU domain mirrors it and serves every device of every group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfio.h"
#include "dma.h"
#include "iommu_geometry.h"
#include "../iommufd/io_pagetable.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

#define DMA_ENTRY_LIMIT		65535	/* the dma_entry_limit default */
#define DIRTY_BITMAP_SIZE_MAX	(256ULL << 20)

struct vfio_iommu {
	struct mutex lock;	/* serializes map, unmap and group changes */
	bool v2;		/* immutable: TYPE1v2 was asked for */
	unsigned int dma_avail;	/* lock: mappings still allowed */
	struct io_pagetable iopt;	/* its own iova_rwsem */
	struct iommu_domain *domain;	/* immutable: mirrors iopt */
	/*
	 * lock: mappings whose vaddr UNMAP_DMA(VADDR) invalidated, waiting for
	 * MAP_DMA(VADDR) to give a new one (a live update, e.g. QEMU cpr).
	 */
	struct type1_vaddr_inval {
		u64 iova, size;
	} *inval;
	unsigned int nr_inval;
};

/* Index of the invalidated mapping at exactly @iova, or -1. */
static int type1_inval_find(struct vfio_iommu *iommu, u64 iova)
{
	for (unsigned int i = 0; i < iommu->nr_inval; i++)
		if (iommu->inval[i].iova == iova)
			return (int)i;
	return -1;
}

static void type1_inval_del(struct vfio_iommu *iommu, int i)
{
	if (i >= 0)
		iommu->inval[i] = iommu->inval[--iommu->nr_inval];
}

static int type1_inval_add(struct vfio_iommu *iommu, u64 iova, u64 size)
{
	struct type1_vaddr_inval *grown;

	grown = realloc(iommu->inval,
			(iommu->nr_inval + 1) * sizeof(*iommu->inval));
	if (!grown)
		return -ENOMEM;
	iommu->inval = grown;
	iommu->inval[iommu->nr_inval++] = (struct type1_vaddr_inval){
		iova, size
	};
	return 0;
}

/*
 * As vfio_iommu_type1_check_extension(); @iommu is NULL before SET_IOMMU.
 * Our domain enforces cache coherency (DMA is a memcpy), so DMA_CC is 1
 * once there is an IOMMU; NESTING is retired in current kernels.
 * UPDATE_VADDR is offered as soon as there is an IOMMU (no mdevs here).
 */
static long vfio_iommu_type1_check_extension(struct vfio_iommu *iommu,
					     unsigned long arg)
{
	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
	case VFIO_DMA_CC_IOMMU:
		return iommu != NULL;
	default:
		return 0;
	}
}

static void *vfio_iommu_type1_open(unsigned long arg)
{
	struct vfio_iommu *iommu;
	int ret;

	if (arg != VFIO_TYPE1_IOMMU && arg != VFIO_TYPE1v2_IOMMU)
		return ERR_PTR(-EINVAL);
	iommu = calloc(1, sizeof(*iommu));
	if (!iommu)
		return ERR_PTR(-ENOMEM);
	mutex_init(&iommu->lock);
	iommu->v2 = arg == VFIO_TYPE1v2_IOMMU;
	iommu->dma_avail = DMA_ENTRY_LIMIT;
	/* type1 counts pinned pages against the process (the mm). */
	iopt_init_table(&iommu->iopt, IOPT_PAGES_ACCOUNT_MM);
	iommu->domain = iommu_domain_alloc(&iommu->iopt, 0);
	if (IS_ERR(iommu->domain)) {
		ret = (int)PTR_ERR(iommu->domain);
		goto err_destroy_table;
	}
	ret = iopt_table_add_domain(&iommu->iopt, iommu->domain,
				    IOPT_PAGE_SIZE, UVFIO_IOMMU_APERTURE_START,
				    UVFIO_IOMMU_APERTURE_END);
	if (ret)
		goto err_free_domain;
	return iommu;

err_free_domain:
	iommu_domain_free(iommu->domain);
err_destroy_table:
	iopt_destroy_table(&iommu->iopt);
	mutex_destroy(&iommu->lock);
	free(iommu);
	return ERR_PTR(ret);
}

/* The last group has left: every mapping goes with the IOMMU. */
static void vfio_iommu_type1_release(void *iommu_data)
{
	struct vfio_iommu *iommu = iommu_data;
	u64 unmapped;

	iopt_unmap_all(&iommu->iopt, &unmapped);
	iopt_table_remove_domain(&iommu->iopt, iommu->domain);
	iommu_domain_free(iommu->domain);
	iopt_destroy_table(&iommu->iopt);
	mutex_destroy(&iommu->lock);
	free(iommu->inval);
	free(iommu);
}

/* The caps in the kernel's build order: MIGRATION, DMA_AVAIL, IOVA_RANGE. */
static void vfio_iommu_type1_build_caps(struct vfio_iommu *iommu,
					struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info_cap_iova_range *range;
	struct iopt_range *ranges;
	unsigned long alignment;
	u32 num;

	mig = (void *)vfio_info_cap_add(caps, sizeof(*mig),
					VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1);
	if (mig) {
		mig->flags = 0;
		/* The smallest page size: dirty tracking's granule. */
		mig->pgsize_bitmap = UVFIO_IOMMU_PGSIZES &
				     -UVFIO_IOMMU_PGSIZES;
		mig->max_dirty_bitmap_size = DIRTY_BITMAP_SIZE_MAX;
	}
	avail = (void *)vfio_info_cap_add(caps, sizeof(*avail),
					  VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (avail)
		avail->avail = iommu->dma_avail;
	/* The aperture, less what the devices reserve (the MSI window). */
	caps->error = caps->error ?:
		iopt_get_iova_ranges(&iommu->iopt, &ranges, &num, &alignment);
	if (caps->error)
		return;
	range = (void *)vfio_info_cap_add(
		caps, sizeof(*range) + num * sizeof(range->iova_ranges[0]),
		VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	/* An empty list (no device reserves anything yet) is left out. */
	for (u32 i = 0; range && i < num; i++) {
		range->iova_ranges[i].start = ranges[i].start;
		range->iova_ranges[i].end = ranges[i].last;
	}
	if (range)
		range->nr_iovas = num;
	free(ranges);
}

/*
 * As vfio_iommu_type1_get_info(): PGSIZES and CAPS always; with a buffer
 * too small for the caps, argsz grows to what is needed and cap_offset is
 * not written; only min(argsz, sizeof) bytes go back.
 */
static long vfio_iommu_type1_get_info(struct vfio_iommu *iommu,
				      unsigned long arg)
{
	struct vfio_iommu_type1_info __user *uinfo = (void __user *)arg;
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_info,
					  iova_pgsizes);
	struct vfio_info_cap caps = {};
	struct vfio_iommu_type1_info info = {};
	int ret;

	if (copy_from_user(&info, uinfo, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	minsz = min_t(size_t, info.argsz, sizeof(info));

	mutex_lock(&iommu->lock);
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = UVFIO_IOMMU_PGSIZES;
	vfio_iommu_type1_build_caps(iommu, &caps);
	mutex_unlock(&iommu->lock);
	ret = caps.error;
	if (!ret && caps.size) {
		info.flags |= VFIO_IOMMU_INFO_CAPS;
		ret = vfio_info_cap_copy(&caps, uinfo, sizeof(info),
					 &info.argsz, &info.cap_offset);
	}
	vfio_info_cap_free(&caps);
	if (ret)
		return ret;
	return copy_to_user(uinfo, &info, minsz) ? -EFAULT : 0;
}

/*
 * MAP_DMA(VADDR): the exact mapping, invalidated before, takes a new vaddr
 * (ENOENT if nothing is mapped there, EINVAL if not exact or not
 * invalidated). The kernel keeps the IOMMU entries and blocks DMA while the
 * vaddr is invalid; here the area is remapped to the new memory, and DMA in
 * the window still reaches the old one. Caller holds iommu->lock.
 */
static long type1_set_vaddr(struct vfio_iommu *iommu,
			    const struct vfio_iommu_type1_dma_map *map)
{
	u64 iova = map->iova, done;
	struct iopt_area *area;
	int i, prot = 0;
	long ret;

	iopt_read_lock(&iommu->iopt);
	area = __iopt_area_first(&iommu->iopt, iova, iova + map->size - 1);
	if (area)
		prot = area->prot;
	ret = !area ? -ENOENT :
	      (area->iova != iova || iopt_area_length(area) != map->size) ?
	      -EINVAL : 0;
	iopt_read_unlock(&iommu->iopt);
	i = type1_inval_find(iommu, iova);
	if (ret || i < 0)
		return ret ?: -EINVAL;

	ret = iopt_unmap_iova(&iommu->iopt, iova, map->size, &done);
	if (!ret)
		ret = iopt_map_user_pages(&iommu->iopt, &iova,
					  (uintptr_t)map->vaddr, map->size,
					  prot, 0);
	if (ret)
		iommu->dma_avail++;	/* the mapping is gone */
	type1_inval_del(iommu, i);
	return ret;
}

/*
 * As vfio_iommu_type1_map_dma() and vfio_dma_do_map(): argsz and flags,
 * then the protection, page alignment, wrap (EOVERFLOW since the 2025
 * fix), overlap (EEXIST), the entry limit (ENOSPC) and the IOVA ranges.
 */
static long vfio_iommu_type1_map_dma(struct vfio_iommu *iommu,
				     unsigned long arg)
{
	const u32 mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
			 VFIO_DMA_MAP_FLAG_VADDR;
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dma_map,
					  size);
	struct vfio_iommu_type1_dma_map map;
	const u64 pgsize = IOPT_PAGE_SIZE;
	bool set_vaddr;
	u64 iova, last;
	int prot = 0;
	long ret;

	if (copy_from_user(&map, (void __user *)arg, minsz))
		return -EFAULT;
	if (map.argsz < minsz || map.flags & ~mask)
		return -EINVAL;
	if (map.flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOPT_WRITE;
	if (map.flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOPT_READ;
	set_vaddr = map.flags & VFIO_DMA_MAP_FLAG_VADDR;
	if ((prot && set_vaddr) || (!prot && !set_vaddr))
		return -EINVAL;

	mutex_lock(&iommu->lock);
	ret = -EINVAL;
	if (!map.size || (map.size | map.iova | map.vaddr) & (pgsize - 1))
		goto out_unlock;
	ret = -EOVERFLOW;
	if (map.iova + map.size - 1 < map.iova ||
	    map.vaddr + map.size - 1 < map.vaddr)
		goto out_unlock;
	if (set_vaddr) {
		ret = type1_set_vaddr(iommu, &map);
		goto out_unlock;
	}
	iopt_read_lock(&iommu->iopt);
	last = map.iova + map.size - 1;
	ret = __iopt_area_first(&iommu->iopt, map.iova, last) ? -EEXIST : 0;
	iopt_read_unlock(&iommu->iopt);
	if (ret)
		goto out_unlock;
	ret = -ENOSPC;
	if (!iommu->dma_avail)
		goto out_unlock;

	/* Outside the aperture or in a reserved range: EINVAL, as type1. */
	iova = map.iova;
	ret = iopt_map_user_pages(&iommu->iopt, &iova, (uintptr_t)map.vaddr,
				  map.size, prot, 0);
	if (ret == -ENOSPC || ret == -EADDRINUSE || ret == -ERANGE)
		ret = -EINVAL;
	if (!ret)
		iommu->dma_avail--;
out_unlock:
	mutex_unlock(&iommu->lock);
	return ret;
}

/* The areas to unmap, collected under the read lock. */
struct type1_unmap_list {
	u64 iova[64];
	u64 len[64];
	unsigned int nr;
	bool more;	/* the list was full: collect again */
};

/*
 * Which areas an unmap of [iova, last] removes (vfio_dma_do_unmap()):
 * v2 removes every area inside, after refusing to bisect one (EINVAL);
 * v1 removes every area that starts inside, whole, and stops at one that
 * starts before @iova (a zero-sized success, its coalescing legacy).
 */
static int type1_collect_unmap(struct vfio_iommu *iommu, u64 iova, u64 last,
			       struct type1_unmap_list *list)
{
	struct iopt_area *area;
	int ret = 0;

	list->nr = 0;
	list->more = false;
	iopt_read_lock(&iommu->iopt);
	if (iommu->v2) {
		area = __iopt_area_find(&iommu->iopt, iova);
		if (area && area->iova != iova)
			ret = -EINVAL;
		area = __iopt_area_find(&iommu->iopt, last);
		if (area && area->last != last)
			ret = -EINVAL;
	}
	for (area = ret ? NULL : __iopt_area_first(&iommu->iopt, iova, last);
	     area && area->iova <= last;
	     area = __iopt_area_next(&iommu->iopt, area)) {
		if (!iommu->v2 && area->iova < iova)
			break;
		if (list->nr == ARRAY_SIZE(list->iova)) {
			list->more = true;
			break;
		}
		list->iova[list->nr] = area->iova;
		list->len[list->nr++] = iopt_area_length(area);
	}
	iopt_read_unlock(&iommu->iopt);
	return ret;
}

/*
 * UNMAP_DMA(VADDR): the mappings the same unmap would remove keep their
 * IOVAs but forget their vaddr; one already invalidated undoes the call's
 * marks and fails with EINVAL. Caller holds iommu->lock.
 */
static long type1_invalidate_vaddr(struct vfio_iommu *iommu, u64 iova,
				   u64 last, u64 *unmapped)
{
	struct type1_unmap_list list;
	unsigned int first = iommu->nr_inval;
	long ret;

	/* One collection: a live update is not 64 mappings at a time. */
	ret = type1_collect_unmap(iommu, iova, last, &list);
	for (unsigned int i = 0; !ret && i < list.nr; i++) {
		if (type1_inval_find(iommu, list.iova[i]) >= 0)
			ret = -EINVAL;
		else
			ret = type1_inval_add(iommu, list.iova[i],
					      list.len[i]);
		if (!ret)
			*unmapped += list.len[i];
	}
	if (!ret && list.more)
		ret = -ENOSPC;
	if (ret) {
		iommu->nr_inval = first;
		*unmapped = 0;
	}
	return ret;
}

/*
 * As vfio_iommu_type1_unmap_dma() and vfio_dma_do_unmap(). Unmapping
 * nothing succeeds with size 0; size is rewritten with the bytes unmapped.
 * Dirty bitmaps of the legacy container are not emulated (EINVAL).
 */
static long vfio_iommu_type1_unmap_dma(struct vfio_iommu *iommu,
				       unsigned long arg)
{
	const u32 mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
			 VFIO_DMA_UNMAP_FLAG_VADDR | VFIO_DMA_UNMAP_FLAG_ALL;
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dma_unmap,
					  size);
	struct vfio_iommu_type1_dma_unmap unmap;
	struct type1_unmap_list list;
	const u64 pgsize = IOPT_PAGE_SIZE;
	u64 unmapped = 0, done, last;
	long ret;

	if (copy_from_user(&unmap, (void __user *)arg, minsz))
		return -EFAULT;
	if (unmap.argsz < minsz || unmap.flags & ~mask)
		return -EINVAL;
	if ((unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) &&
	    (unmap.flags & (VFIO_DMA_UNMAP_FLAG_ALL |
			    VFIO_DMA_UNMAP_FLAG_VADDR)))
		return -EINVAL;
	/* Dirty bitmaps of the legacy container are not emulated. */
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
		return -EINVAL;

	mutex_lock(&iommu->lock);
	ret = -EINVAL;
	if (unmap.iova & (pgsize - 1))
		goto out_unlock;
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (unmap.iova || unmap.size)
			goto out_unlock;
		last = ~0ULL;
	} else {
		if (!unmap.size || unmap.size & (pgsize - 1))
			goto out_unlock;
		ret = -EOVERFLOW;
		if (unmap.iova + unmap.size - 1 < unmap.iova)
			goto out_unlock;
		last = unmap.iova + unmap.size - 1;
	}

	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_VADDR) {
		ret = type1_invalidate_vaddr(iommu, unmap.iova, last,
					     &unmapped);
		goto out_copy;
	}
	do {
		ret = type1_collect_unmap(iommu, unmap.iova, last, &list);
		for (unsigned int i = 0; !ret && i < list.nr; i++) {
			ret = iopt_unmap_iova(&iommu->iopt, list.iova[i],
					      list.len[i], &done);
			if (!ret) {
				unmapped += done;
				iommu->dma_avail++;
				type1_inval_del(iommu, type1_inval_find(
					iommu, list.iova[i]));
			}
		}
	} while (!ret && list.more);
out_copy:
	if (ret)
		goto out_unlock;
	unmap.size = unmapped;
	if (copy_to_user((void __user *)arg, &unmap, minsz))
		ret = -EFAULT;
out_unlock:
	mutex_unlock(&iommu->lock);
	return ret;
}

static long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
				   unsigned long arg)
{
	struct vfio_iommu *iommu = iommu_data;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		return vfio_iommu_type1_check_extension(iommu, arg);
	case VFIO_IOMMU_GET_INFO:
		return vfio_iommu_type1_get_info(iommu, arg);
	case VFIO_IOMMU_MAP_DMA:
		return vfio_iommu_type1_map_dma(iommu, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return vfio_iommu_type1_unmap_dma(iommu, arg);
	default:
		return -ENOTTY;
	}
}

/*
 * A group's devices translate through the container's domain from the
 * moment the group is attached, and each reserves the MSI window.
 */
static int vfio_iommu_type1_attach_group(void *iommu_data,
					 struct vfio_group *group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_device *vdev;
	int ret = 0;

	mutex_lock(&iommu->lock);
	mutex_lock(&group->device_lock);
	list_for_each_entry(vdev, &group->device_list, group_next) {
		ret = iopt_reserve_iova(&iommu->iopt, UVFIO_MSI_RESERVED_START,
					UVFIO_MSI_RESERVED_END, vdev);
		if (ret)
			break;
		ret = vfio_device_dma_attach(vdev, iommu->domain);
		if (ret) {
			iopt_remove_reserved_iova(&iommu->iopt, vdev);
			break;
		}
	}
	if (ret) {
		struct vfio_device *undo;

		list_for_each_entry(undo, &group->device_list, group_next) {
			if (undo == vdev)
				break;
			vfio_device_dma_detach(undo);
			iopt_remove_reserved_iova(&iommu->iopt, undo);
		}
	}
	mutex_unlock(&group->device_lock);
	mutex_unlock(&iommu->lock);
	/* A reserved range over an existing mapping: type1 refuses too. */
	return ret == -EADDRINUSE ? -EINVAL : ret;
}

static void vfio_iommu_type1_detach_group(void *iommu_data,
					  struct vfio_group *group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_device *vdev;

	mutex_lock(&iommu->lock);
	mutex_lock(&group->device_lock);
	list_for_each_entry(vdev, &group->device_list, group_next) {
		vfio_device_dma_detach(vdev);
		iopt_remove_reserved_iova(&iommu->iopt, vdev);
	}
	mutex_unlock(&group->device_lock);
	mutex_unlock(&iommu->lock);
}

const struct vfio_iommu_driver_ops vfio_iommu_type1_ops = {
	.name = "vfio-iommu-type1",
	.open = vfio_iommu_type1_open,
	.release = vfio_iommu_type1_release,
	.ioctl = vfio_iommu_type1_ioctl,
	.attach_group = vfio_iommu_type1_attach_group,
	.detach_group = vfio_iommu_type1_detach_group,
};
