// SPDX-License-Identifier: MIT
/*
 * The type1 IOMMU driver of the legacy container (the kernel's
 * drivers/vfio/vfio_iommu_type1.c): extensions, IOMMU info with its
 * capability chain, and the groups it serves. One emulated IOMMU domain
 * serves every group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfio.h"
#include "iommu_geometry.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

#define DMA_ENTRY_LIMIT		65535	/* the dma_entry_limit default */
#define DIRTY_BITMAP_SIZE_MAX	(256ULL << 20)

struct vfio_iommu {
	struct mutex lock;	/* protects everything below */
	bool v2;		/* immutable: TYPE1v2 was asked for */
	unsigned int dma_avail;	/* lock: mappings still allowed */
	unsigned int nr_groups;	/* lock */
};

/*
 * As vfio_iommu_type1_check_extension(); @iommu is NULL before SET_IOMMU.
 * Our domain enforces cache coherency (DMA is a memcpy), so DMA_CC is 1
 * once there is an IOMMU; NESTING is retired in current kernels.
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

	if (arg != VFIO_TYPE1_IOMMU && arg != VFIO_TYPE1v2_IOMMU)
		return ERR_PTR(-EINVAL);
	iommu = calloc(1, sizeof(*iommu));
	if (!iommu)
		return ERR_PTR(-ENOMEM);
	mutex_init(&iommu->lock);
	iommu->v2 = arg == VFIO_TYPE1v2_IOMMU;
	iommu->dma_avail = DMA_ENTRY_LIMIT;
	return iommu;
}

static void vfio_iommu_type1_release(void *iommu_data)
{
	struct vfio_iommu *iommu = iommu_data;

	mutex_destroy(&iommu->lock);
	free(iommu);
}

/* The caps in the kernel's build order: MIGRATION, DMA_AVAIL, IOVA_RANGE. */
static void vfio_iommu_type1_build_caps(struct vfio_iommu *iommu,
					struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info_cap_iova_range *range;

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
	range = (void *)vfio_info_cap_add(
		caps, sizeof(*range) + 2 * sizeof(range->iova_ranges[0]),
		VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	if (range) {
		/* The aperture, less the MSI window every device reserves. */
		range->nr_iovas = 2;
		range->iova_ranges[0].start = UVFIO_IOMMU_APERTURE_START;
		range->iova_ranges[0].end = UVFIO_MSI_RESERVED_START - 1;
		range->iova_ranges[1].start = UVFIO_MSI_RESERVED_END + 1;
		range->iova_ranges[1].end = UVFIO_IOMMU_APERTURE_END;
	}
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
	struct vfio_iommu_type1_info info;
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

static long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
				   unsigned long arg)
{
	struct vfio_iommu *iommu = iommu_data;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		return vfio_iommu_type1_check_extension(iommu, arg);
	case VFIO_IOMMU_GET_INFO:
		return vfio_iommu_type1_get_info(iommu, arg);
	default:
		return -ENOTTY;
	}
}

static int vfio_iommu_type1_attach_group(void *iommu_data,
					 struct vfio_group *group)
{
	struct vfio_iommu *iommu = iommu_data;

	mutex_lock(&iommu->lock);
	iommu->nr_groups++;
	mutex_unlock(&iommu->lock);
	return 0;
}

static void vfio_iommu_type1_detach_group(void *iommu_data,
					  struct vfio_group *group)
{
	struct vfio_iommu *iommu = iommu_data;

	mutex_lock(&iommu->lock);
	iommu->nr_groups--;
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
