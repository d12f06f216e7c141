// SPDX-License-Identifier: MIT
/*
 * The VFIO device file: the fd a program gets for a device, from the cdev
 * or from the group, and the gate on every one of its fops (the kernel's
 * drivers/vfio/vfio_main.c, second half).
 *
 * A cdev fd starts blocked: until VFIO_DEVICE_BIND_IOMMUFD succeeds, every
 * other ioctl, read, write and mmap fails with EINVAL. The gate is one
 * acquire load of df->access_granted; no lock is taken on that path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "vfio.h"
#include "device_feature.h"
#include "../iommufd/iommufd.h"
#include <uvfio/uapi/vfio.h>

struct vfio_device_file *vfio_allocate_device_file(struct vfio_device *device)
{
	struct vfio_device_file *df = calloc(1, sizeof(*df));

	if (!df)
		return NULL;
	df->device = device;
	pthread_spin_init(&df->kvm_ref_lock, PTHREAD_PROCESS_PRIVATE);
	return df;
}

void vfio_free_device_file(struct vfio_device_file *df)
{
	pthread_spin_destroy(&df->kvm_ref_lock);
	free(df);
}

/*
 * The 0 -> 1 open of the device: bind to iommufd (cdev, or a group whose
 * container is an iommufd) or use the group's container, then the driver's
 * open.
 */
static int vfio_df_device_first_open(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;
	int ret;

	lockdep_assert_held(&device->dev_set->lock);
	if (df->iommufd)
		ret = vfio_df_iommufd_bind(df);
	else
		ret = vfio_device_group_use_iommu(device);
	if (ret)
		return ret;
	if (device->ops->open_device) {
		ret = device->ops->open_device(device);
		if (ret)
			goto err_unuse_iommu;
	}
	return 0;

err_unuse_iommu:
	if (df->iommufd)
		vfio_df_iommufd_unbind(df);
	else
		vfio_device_group_unuse_iommu(device);
	return ret;
}

static void vfio_df_device_last_close(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;

	lockdep_assert_held(&device->dev_set->lock);
	if (device->ops->close_device)
		device->ops->close_device(device);
	if (df->iommufd)
		vfio_df_iommufd_unbind(df);
	else
		vfio_device_group_unuse_iommu(device);
}

/*
 * Opens the device for @df; the caller holds dev_set->lock.
 *
 * Only the group path may open a device that is already open: a cdev fd is
 * the device's one user, because its bind made that fd the owner of the
 * device's iommufd binding and there is no second binding to give.
 */
int vfio_df_open(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;
	int ret = 0;

	lockdep_assert_held(&device->dev_set->lock);
	if (device->open_count != 0 && !df->group)
		return -EINVAL;

	device->open_count++;
	if (device->open_count == 1) {
		ret = vfio_df_device_first_open(df);
		if (ret)
			device->open_count--;
	}
	return ret;
}

/* Balances vfio_df_open(); the caller holds dev_set->lock. */
void vfio_df_close(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;

	lockdep_assert_held(&device->dev_set->lock);
	if (device->open_count == 1)
		vfio_df_device_last_close(df);
	device->open_count--;
}

/*
 * open() of /dev/vfio/devices/vfioN. No flags are checked and nothing is
 * opened yet: the fd is blocked until a bind.
 */
int vfio_device_fops_cdev_open(struct uvfio_node *node,
			       struct uvfio_file *file)
{
	struct vfio_device *device = node->private_data;
	struct vfio_device_file *df;
	int ret;

	/* Paired with vfio_device_put_registration() in release. */
	if (!vfio_device_try_get_registration(device))
		return -ENODEV;
	df = vfio_allocate_device_file(device);
	if (!df) {
		ret = -ENOMEM;
		goto err_put_registration;
	}
	file->private_data = df;
	file->f_op = &vfio_device_fops;
	return 0;

err_put_registration:
	vfio_device_put_registration(device);
	return ret;
}

static void vfio_device_fops_release(struct uvfio_file *file)
{
	struct vfio_device_file *df = file->private_data;
	struct vfio_device *device = df->device;

	if (!df->group)
		vfio_df_unbind_iommufd(df);
	else
		vfio_df_group_close(df);
	vfio_free_device_file(df);
	vfio_device_put_registration(device);
}

static long vfio_device_fops_unl_ioctl(struct uvfio_file *file,
				       unsigned int cmd, unsigned long arg)
{
	struct vfio_device_file *df = file->private_data;
	struct vfio_device *device = df->device;

	/* The bind is what opens the gate, so it goes before the gate. */
	if (cmd == VFIO_DEVICE_BIND_IOMMUFD)
		return vfio_df_ioctl_bind_iommufd(df, (void __user *)arg);

	/* Paired with smp_store_release() following vfio_df_open() */
	if (!smp_load_acquire(&df->access_granted))
		return -EINVAL;

	switch (cmd) {
	case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
		/* A group fd has no iommufd of its own: the driver's answer. */
		if (df->group)
			break;
		return vfio_df_ioctl_attach_pt(df, (void __user *)arg);
	case VFIO_DEVICE_DETACH_IOMMUFD_PT:
		if (df->group)
			break;
		return vfio_df_ioctl_detach_pt(df, (void __user *)arg);
	case VFIO_DEVICE_FEATURE:
		return vfio_ioctl_device_feature(device, (void __user *)arg);
	}
	if (unlikely(!device->ops->ioctl))
		return -EINVAL;
	return device->ops->ioctl(device, cmd, arg);
}

static ssize_t vfio_device_fops_read(struct uvfio_file *file,
				     char __user *buf, size_t count,
				     s64 *ppos)
{
	struct vfio_device_file *df = file->private_data;
	struct vfio_device *device = df->device;

	/* Paired with smp_store_release() following vfio_df_open() */
	if (!smp_load_acquire(&df->access_granted))
		return -EINVAL;
	if (unlikely(!device->ops->read))
		return -EINVAL;
	return device->ops->read(device, buf, count, ppos);
}

static ssize_t vfio_device_fops_write(struct uvfio_file *file,
				      const char __user *buf, size_t count,
				      s64 *ppos)
{
	struct vfio_device_file *df = file->private_data;
	struct vfio_device *device = df->device;

	/* Paired with smp_store_release() following vfio_df_open() */
	if (!smp_load_acquire(&df->access_granted))
		return -EINVAL;
	if (unlikely(!device->ops->write))
		return -EINVAL;
	return device->ops->write(device, buf, count, ppos);
}

static int vfio_device_fops_mmap(struct uvfio_file *file,
				 struct uvfio_vma *vma)
{
	struct vfio_device_file *df = file->private_data;
	struct vfio_device *device = df->device;

	/* Paired with smp_store_release() following vfio_df_open() */
	if (!smp_load_acquire(&df->access_granted))
		return -EINVAL;
	if (unlikely(!device->ops->mmap))
		return -EINVAL;
	return device->ops->mmap(device, vma);
}

const struct uvfio_file_operations vfio_device_fops = {
	.name = "vfio-dev",
	.unlocked_ioctl = vfio_device_fops_unl_ioctl,
	.read = vfio_device_fops_read,
	.write = vfio_device_fops_write,
	.mmap = vfio_device_fops_mmap,
	.release = vfio_device_fops_release,
};
