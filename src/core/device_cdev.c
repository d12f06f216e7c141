// SPDX-License-Identifier: MIT
/*
 * The cdev half of the device file: VFIO_DEVICE_BIND_IOMMUFD, ATTACH and
 * DETACH_IOMMUFD_PT, and the unbind that only close performs (the kernel's
 * drivers/vfio/device_cdev.c). Argument checks run in the kernel's order,
 * because a client observes which errno wins.
 */
#define _GNU_SOURCE
#include <errno.h>

#include "vfio.h"
#include "../iommufd/iommufd.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

/*
 * vfio-pci's token rule (vfio_pci_core_match_token_uuid): a device that is
 * neither an SR-IOV PF nor a VF refuses any token with EINVAL, after the
 * UUID has been read.
 */
static int vfio_df_check_token(struct vfio_device *device,
			       const struct vfio_device_bind_iommufd *bind)
{
	u8 uuid[16];

	if (!(bind->flags & VFIO_DEVICE_BIND_FLAG_TOKEN))
		return 0;
	if (copy_from_user(uuid, (const void __user *)(uintptr_t)
			   bind->token_uuid_ptr, sizeof(uuid)))
		return -EFAULT;
	return -EINVAL;
}

/* As vfio_df_ioctl_bind_iommufd() in drivers/vfio/device_cdev.c. */
long vfio_df_ioctl_bind_iommufd(struct vfio_device_file *df,
				void __user *arg)
{
	struct vfio_device_bind_iommufd __user *ubind = arg;
	struct vfio_device *device = df->device;
	struct vfio_device_bind_iommufd bind;
	unsigned long minsz;
	long ret;

	minsz = offsetofend(struct vfio_device_bind_iommufd, out_devid);
	/* argsz leads the struct: no member access on a maybe-NULL pointer. */
	if (get_user(bind.argsz, (u32 __user *)arg))
		return -EFAULT;
	if (bind.argsz < minsz)
		return -EINVAL;
	ret = copy_struct_from_user(&bind, sizeof(bind), ubind, bind.argsz);
	if (ret)
		return ret;

	if (bind.iommufd < 0 ||
	    bind.flags & ~(u32)VFIO_DEVICE_BIND_FLAG_TOKEN)
		return -EINVAL;

	/* BIND_IOMMUFD is only for cdev fds */
	if (df->group)
		return -EINVAL;

	/* Paired with vfio_device_unblock_group() in the unwind or at unbind. */
	ret = vfio_device_block_group(device);
	if (ret)
		return ret;

	mutex_lock(&device->dev_set->lock);
	/* One device file cannot be bound twice. */
	if (df->access_granted) {
		ret = -EINVAL;
		goto out_unlock;
	}

	ret = vfio_df_check_token(device, &bind);
	if (ret)
		goto out_unlock;

	/* Paired with iommufd_ctx_put() in the unwind or at unbind. */
	df->iommufd = iommufd_ctx_from_fd(bind.iommufd);
	if (IS_ERR(df->iommufd)) {
		ret = PTR_ERR(df->iommufd);
		df->iommufd = NULL;
		goto out_unlock;
	}

	ret = vfio_df_open(df);
	if (ret)
		goto out_put_ictx;

	if (put_user(df->devid, &ubind->out_devid)) {
		ret = -EFAULT;
		goto out_close_device;
	}

	device->cdev_opened = true;
	/*
	 * Paired with smp_load_acquire() in vfio_device_fops::ioctl/
	 * read/write/mmap
	 */
	smp_store_release(&df->access_granted, true);
	mutex_unlock(&device->dev_set->lock);
	return 0;

out_close_device:
	vfio_df_close(df);
out_put_ictx:
	iommufd_ctx_put(df->iommufd);
	df->iommufd = NULL;
out_unlock:
	mutex_unlock(&device->dev_set->lock);
	vfio_device_unblock_group(device);
	return ret;
}

/* Undoes a bind; runs only at the release of a cdev fd. */
void vfio_df_unbind_iommufd(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;

	/*
	 * At release nobody else can reach this df, and the last file put
	 * ordered us after the bind's store, so a plain read is enough.
	 */
	if (!df->access_granted)
		return;

	mutex_lock(&device->dev_set->lock);
	vfio_df_close(df);
	iommufd_ctx_put(df->iommufd);
	df->iommufd = NULL;
	device->cdev_opened = false;
	mutex_unlock(&device->dev_set->lock);
	vfio_device_unblock_group(device);
}

/*
 * As vfio_df_ioctl_attach_pt(): the first 12 bytes are read before argsz
 * is checked, and only pt_id is written back. vfio-pci has PASID ops, so a
 * PASID request gets its argsz check; no emulated device has a PASID
 * capability, and iommufd refuses a PASID attach on a device without
 * PASIDs (EINVAL, drivers/iommu/iommufd/device.c).
 */
int vfio_df_ioctl_attach_pt(struct vfio_device_file *df, void __user *arg)
{
	struct vfio_device_attach_iommufd_pt __user *uattach = arg;
	struct vfio_device *device = df->device;
	struct vfio_device_attach_iommufd_pt attach;
	unsigned long minsz;
	int ret;

	minsz = offsetofend(struct vfio_device_attach_iommufd_pt, pt_id);
	if (copy_from_user(&attach, uattach, minsz))
		return -EFAULT;
	if (attach.argsz < minsz)
		return -EINVAL;
	if (attach.flags & ~(u32)VFIO_DEVICE_ATTACH_PASID)
		return -EINVAL;
	if (attach.flags & VFIO_DEVICE_ATTACH_PASID) {
		if (attach.argsz < offsetofend(
				struct vfio_device_attach_iommufd_pt, pasid))
			return -EINVAL;
		if (copy_from_user(&attach.pasid, &uattach->pasid,
				   sizeof(attach.pasid)))
			return -EFAULT;
		return -EINVAL;
	}

	mutex_lock(&device->dev_set->lock);
	ret = vfio_iommufd_physical_attach_ioas(device, &attach.pt_id);
	if (ret)
		goto out_unlock;
	if (put_user(attach.pt_id, &uattach->pt_id)) {
		ret = -EFAULT;
		goto out_detach;
	}
	mutex_unlock(&device->dev_set->lock);
	return 0;

out_detach:
	vfio_iommufd_physical_detach_ioas(device);
out_unlock:
	mutex_unlock(&device->dev_set->lock);
	return ret;
}

/*
 * As vfio_df_ioctl_detach_pt(): detaching nothing succeeds, and so does
 * detaching a PASID that was never attached
 * (vfio_iommufd_physical_pasid_detach_ioas()).
 */
int vfio_df_ioctl_detach_pt(struct vfio_device_file *df, void __user *arg)
{
	struct vfio_device_detach_iommufd_pt __user *udetach = arg;
	struct vfio_device *device = df->device;
	struct vfio_device_detach_iommufd_pt detach;
	unsigned long minsz;

	minsz = offsetofend(struct vfio_device_detach_iommufd_pt, flags);
	if (copy_from_user(&detach, udetach, minsz))
		return -EFAULT;
	if (detach.argsz < minsz)
		return -EINVAL;
	if (detach.flags & ~(u32)VFIO_DEVICE_DETACH_PASID)
		return -EINVAL;
	if (detach.flags & VFIO_DEVICE_DETACH_PASID) {
		if (detach.argsz < offsetofend(
				struct vfio_device_detach_iommufd_pt, pasid))
			return -EINVAL;
		if (copy_from_user(&detach.pasid, &udetach->pasid,
				   sizeof(detach.pasid)))
			return -EFAULT;
		return 0;
	}

	mutex_lock(&device->dev_set->lock);
	vfio_iommufd_physical_detach_ioas(device);
	mutex_unlock(&device->dev_set->lock);
	return 0;
}
