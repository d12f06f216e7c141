// SPDX-License-Identifier: MIT
/*
 * The legacy way to a device: the group file /dev/vfio/<id> and the device
 * fds it hands out (the kernel's drivers/vfio/group.c).
 *
 * A group-path device fd is granted when it is created: its bind is the
 * group's container, set up before, so there is nothing to wait for. The
 * group and the cdevs of its devices exclude each other: a bound cdev keeps
 * the group from opening, and an open group keeps cdevs from binding.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio.h"
#include "chrdev.h"
#include "../iommufd/iommufd.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

#define VFIO_GROUP_NAME_MAX	4096	/* strndup_user(arg, PAGE_SIZE) */

/* Protects vfio_groups. Groups live as long as the process, like nodes. */
static struct mutex vfio_groups_lock = MUTEX_INITIALIZER;
static struct list_head vfio_groups = LIST_HEAD_INIT(vfio_groups);

static const struct uvfio_file_operations vfio_group_fops;

/* Caller holds group_lock. */
static bool vfio_group_has_iommu(struct vfio_group *group)
{
	lockdep_assert_held(&group->group_lock);
	return group->container || group->iommufd;
}

/* Finds the device named @buf and takes a registration reference on it. */
static struct vfio_device *vfio_device_get_from_name(struct vfio_group *group,
						     const char *buf)
{
	struct vfio_device *it, *device = ERR_PTR(-ENODEV);

	mutex_lock(&group->device_lock);
	list_for_each_entry(it, &group->device_list, group_next) {
		int ret = it->ops->match ? it->ops->match(it, buf) :
					   !strcmp(it->name, buf);

		if (ret < 0) {
			device = ERR_PTR(ret);
			break;
		}
		if (ret && vfio_device_try_get_registration(it)) {
			device = it;
			break;
		}
	}
	mutex_unlock(&group->device_lock);
	return device;
}

/* As vfio_group_ioctl_unset_container(): only the 1 -> 0 transition. */
static int vfio_group_ioctl_unset_container(struct vfio_group *group)
{
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (!vfio_group_has_iommu(group)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (group->container) {
		if (group->container_users != 1) {
			ret = -EBUSY;
			goto out_unlock;
		}
		vfio_group_detach_container(group);
	}
	if (group->iommufd) {
		iommufd_ctx_put(group->iommufd);
		group->iommufd = NULL;
	}
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

/*
 * As vfio_group_ioctl_set_container(): a /dev/vfio/vfio fd, or an iommufd
 * used as a container; any other open file is EBADFD.
 */
static int vfio_group_ioctl_set_container(struct vfio_group *group,
					  int __user *arg)
{
	struct vfio_container *container;
	struct iommufd_ctx *iommufd;
	struct uvfio_file *file;
	int ret, fd;

	if (get_user(fd, arg))
		return -EFAULT;
	file = uvfio_fget(fd);
	if (!file)
		return uvfio_fd_is_open(fd) ? -EBADFD : -EBADF;

	mutex_lock(&group->group_lock);
	if (vfio_group_has_iommu(group)) {
		ret = -EINVAL;
		goto out_unlock;
	}

	container = vfio_container_from_file(file);
	if (container) {
		ret = vfio_container_attach_group(container, group);
		goto out_unlock;
	}

	iommufd = iommufd_ctx_from_file(file);
	if (!IS_ERR(iommufd)) {
		ret = iommufd_vfio_compat_ioas_create(iommufd);
		if (ret) {
			iommufd_ctx_put(iommufd);
			goto out_unlock;
		}
		group->iommufd = iommufd;
		goto out_unlock;
	}

	/* The fd passed is not recognized. */
	ret = -EBADFD;
out_unlock:
	mutex_unlock(&group->group_lock);
	uvfio_fput(file);
	return ret;
}

/*
 * Opens the device for a new group-path fd and grants it at once. With an
 * iommufd as the container, the first open also attaches the device to the
 * compat IOAS, since the legacy uAPI has no way to choose one.
 */
static int vfio_df_group_open(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;
	int ret;

	mutex_lock(&device->group->group_lock);
	if (!vfio_group_has_iommu(device->group)) {
		ret = -EINVAL;
		goto out_unlock;
	}

	mutex_lock(&device->dev_set->lock);
	df->iommufd = device->group->iommufd;
	ret = vfio_df_open(df);
	if (ret)
		goto out_clear_iommufd;

	if (df->iommufd && device->open_count == 1) {
		ret = vfio_iommufd_compat_attach_ioas(device, df->iommufd);
		if (ret)
			goto out_close_device;
	}

	/*
	 * Paired with smp_load_acquire() in vfio_device_fops::ioctl/
	 * read/write/mmap
	 */
	smp_store_release(&df->access_granted, true);
	mutex_unlock(&device->dev_set->lock);
	mutex_unlock(&device->group->group_lock);
	return 0;

out_close_device:
	vfio_df_close(df);
out_clear_iommufd:
	df->iommufd = NULL;
	mutex_unlock(&device->dev_set->lock);
out_unlock:
	mutex_unlock(&device->group->group_lock);
	return ret;
}

/* Balances vfio_df_group_open(); runs at the release of the fd. */
void vfio_df_group_close(struct vfio_device_file *df)
{
	struct vfio_device *device = df->device;

	mutex_lock(&device->group->group_lock);
	mutex_lock(&device->dev_set->lock);
	vfio_df_close(df);
	df->iommufd = NULL;
	mutex_unlock(&device->dev_set->lock);
	mutex_unlock(&device->group->group_lock);
}

/*
 * As vfio_group_ioctl_get_device_fd(): a new O_CLOEXEC fd on an anonymous
 * "[vfio-device]" file, granted from the start. The registration reference
 * taken by the lookup moves to the file.
 */
static int vfio_group_ioctl_get_device_fd(struct vfio_group *group,
					  char __user *arg)
{
	struct vfio_device_file *df;
	struct vfio_device *device;
	struct uvfio_file *file;
	int fdno, ret;
	char *buf;

	buf = strndup_user(arg, VFIO_GROUP_NAME_MAX);
	if (IS_ERR(buf))
		return (int)PTR_ERR(buf);
	device = vfio_device_get_from_name(group, buf);
	free(buf);
	if (IS_ERR(device))
		return (int)PTR_ERR(device);

	fdno = get_unused_fd_flags("[vfio-device]", O_CLOEXEC);
	if (fdno < 0) {
		ret = fdno;
		goto err_put_registration;
	}
	df = vfio_allocate_device_file(device);
	if (!df) {
		ret = -ENOMEM;
		goto err_put_fdno;
	}
	df->group = group;
	ret = vfio_df_group_open(df);
	if (ret)
		goto err_free_df;
	file = uvfio_file_alloc(&vfio_device_fops, O_RDWR | O_CLOEXEC, df);
	if (!file) {
		ret = -ENOMEM;
		goto err_close_device;
	}
	file->f_anon_name = "[vfio-device]";
	fd_install(fdno, file);
	return fdno;

err_close_device:
	vfio_df_group_close(df);
err_free_df:
	vfio_free_device_file(df);
err_put_fdno:
	put_unused_fd(fdno);
err_put_registration:
	vfio_device_put_registration(device);
	return ret;
}

/* As vfio_group_ioctl_get_status(): exactly VIABLE, or VIABLE|CONTAINER_SET. */
static int vfio_group_ioctl_get_status(struct vfio_group *group,
				       struct vfio_group_status __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_group_status, flags);
	struct vfio_group_status status;

	if (copy_from_user(&status, arg, minsz))
		return -EFAULT;
	if (status.argsz < minsz)
		return -EINVAL;

	status.flags = 0;
	mutex_lock(&group->group_lock);
	/*
	 * A bound cdev claims DMA ownership of the group, which makes it not
	 * viable for the legacy path (iommu_group_dma_owner_claimed()).
	 */
	if (vfio_group_has_iommu(group))
		status.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET |
				VFIO_GROUP_FLAGS_VIABLE;
	else if (!group->cdev_device_open_cnt)
		status.flags |= VFIO_GROUP_FLAGS_VIABLE;
	mutex_unlock(&group->group_lock);

	return copy_to_user(arg, &status, minsz) ? -EFAULT : 0;
}

static long vfio_group_fops_unl_ioctl(struct uvfio_file *file,
				      unsigned int cmd, unsigned long arg)
{
	struct vfio_group *group = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_GROUP_GET_DEVICE_FD:
		return vfio_group_ioctl_get_device_fd(group, uarg);
	case VFIO_GROUP_GET_STATUS:
		return vfio_group_ioctl_get_status(group, uarg);
	case VFIO_GROUP_SET_CONTAINER:
		return vfio_group_ioctl_set_container(group, uarg);
	case VFIO_GROUP_UNSET_CONTAINER:
		return vfio_group_ioctl_unset_container(group);
	default:
		return -ENOTTY;
	}
}

/* One opener at a time, and none while a cdev of the group is bound. */
static int vfio_group_fops_open(struct uvfio_node *node,
				struct uvfio_file *file)
{
	struct vfio_group *group = node->private_data;
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (group->cdev_device_open_cnt || group->opened_file) {
		ret = -EBUSY;
		goto out_unlock;
	}
	group->opened_file = file;
	file->private_data = group;
	file->f_op = &vfio_group_fops;
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

/*
 * Device fds hold a reference on the group file, so this runs only once no
 * device opened through the group is left.
 */
static void vfio_group_fops_release(struct uvfio_file *file)
{
	struct vfio_group *group = file->private_data;

	mutex_lock(&group->group_lock);
	if (group->container)
		vfio_group_detach_container(group);
	if (group->iommufd) {
		iommufd_ctx_put(group->iommufd);
		group->iommufd = NULL;
	}
	group->opened_file = NULL;
	mutex_unlock(&group->group_lock);
}

static const struct uvfio_file_operations vfio_group_fops = {
	.name = "vfio-group",
	.unlocked_ioctl = vfio_group_fops_unl_ioctl,
	.release = vfio_group_fops_release,
};

/* The lowest minor no group uses. Caller holds vfio_groups_lock. */
static unsigned int __vfio_group_alloc_minor(void)
{
	struct vfio_group *group;
	unsigned int minor = 0;
	bool taken;

	do {
		taken = false;
		list_for_each_entry(group, &vfio_groups, vfio_next) {
			if (group->minor == minor) {
				taken = true;
				minor++;
				break;
			}
		}
	} while (taken);
	return minor;
}

static struct vfio_group *__vfio_group_create(unsigned int id)
{
	struct vfio_group *group = calloc(1, sizeof(*group));

	if (!group)
		return ERR_PTR(-ENOMEM);
	group->id = id;
	group->minor = __vfio_group_alloc_minor();
	mutex_init(&group->group_lock);
	mutex_init(&group->device_lock);
	INIT_LIST_HEAD(&group->device_list);
	INIT_LIST_HEAD(&group->container_next);
	mutex_init(&group->dma_owner_lock);
	INIT_LIST_HEAD(&group->igroup_devices);
	snprintf(group->node.path, sizeof(group->node.path), "/dev/vfio/%u",
		 id);
	group->node.mode = S_IFCHR | 0600;
	group->node.rdev = makedev(VFIO_GROUP_MAJOR, group->minor);
	group->node.ino = VFIO_GROUP_INO_BASE + group->minor;
	group->node.open = vfio_group_fops_open;
	group->node.private_data = group;
	if (uvfio_node_register(&group->node)) {
		free(group);
		return ERR_PTR(-EEXIST);
	}
	list_add_tail(&group->vfio_next, &vfio_groups);
	return group;
}

/* Puts @device in the group of its IOMMU group id, creating the group. */
int vfio_device_set_group(struct vfio_device *device)
{
	struct vfio_group *group;
	bool found = false;

	mutex_lock(&vfio_groups_lock);
	list_for_each_entry(group, &vfio_groups, vfio_next) {
		if (group->id == device->iommu_group) {
			found = true;
			break;
		}
	}
	if (!found)
		group = __vfio_group_create(device->iommu_group);
	mutex_unlock(&vfio_groups_lock);
	if (IS_ERR(group))
		return (int)PTR_ERR(group);

	device->group = group;
	mutex_lock(&group->device_lock);
	list_add_tail(&device->group_next, &group->device_list);
	mutex_unlock(&group->device_lock);
	return 0;
}

/*
 * A cdev bind in progress or done keeps the group closed; an open group
 * refuses the bind (EBUSY). Paired with vfio_device_unblock_group().
 */
int vfio_device_block_group(struct vfio_device *device)
{
	struct vfio_group *group = device->group;
	int ret = 0;

	mutex_lock(&group->group_lock);
	if (group->opened_file) {
		ret = -EBUSY;
		goto out_unlock;
	}
	group->cdev_device_open_cnt++;
out_unlock:
	mutex_unlock(&group->group_lock);
	return ret;
}

void vfio_device_unblock_group(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	mutex_lock(&group->group_lock);
	group->cdev_device_open_cnt--;
	mutex_unlock(&group->group_lock);
}

/* The first open of a device through the group uses the container. */
int vfio_device_group_use_iommu(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	lockdep_assert_held(&group->group_lock);
	if (!group->container)
		return -EINVAL;
	return vfio_group_use_container(group);
}

void vfio_device_group_unuse_iommu(struct vfio_device *device)
{
	struct vfio_group *group = device->group;

	lockdep_assert_held(&group->group_lock);
	if (group->container)
		vfio_group_unuse_container(group);
}
