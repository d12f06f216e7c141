// SPDX-License-Identifier: MIT
/*
 * /dev/vfio/vfio: the legacy container, a set of groups that share one
 * IOMMU context, and the registry of IOMMU drivers behind SET_IOMMU (the
 * kernel's drivers/vfio/container.c). The one driver is type1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio.h"
#include "chrdev.h"
#include <uvfio/uapi/vfio.h>

static const struct uvfio_file_operations vfio_container_fops;

/* The IOMMU drivers, in the order SET_IOMMU and CHECK_EXTENSION try them. */
static const struct vfio_iommu_driver_ops *const vfio_iommu_drivers[] = {
	&vfio_iommu_type1_ops,
};

static void vfio_container_get(struct vfio_container *container)
{
	refcount_inc(&container->refs);
}

static void vfio_container_put(struct vfio_container *container)
{
	if (!refcount_dec_and_test(&container->refs))
		return;
	pthread_rwlock_destroy(&container->group_lock);
	free(container);
}

struct vfio_container *vfio_container_from_file(struct uvfio_file *file)
{
	return file->f_op == &vfio_container_fops ? file->private_data : NULL;
}

/*
 * As vfio_container_ioctl_check_extension(): with no IOMMU set, any driver
 * that supports @arg answers; never a negative (DPDK treats one as fatal).
 */
static long vfio_container_ioctl_check_extension(
	struct vfio_container *container, unsigned long arg)
{
	long ret = 0;

	pthread_rwlock_rdlock(&container->group_lock);
	if (container->iommu_driver) {
		ret = container->iommu_driver->ioctl(container->iommu_data,
						     VFIO_CHECK_EXTENSION, arg);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(vfio_iommu_drivers); i++) {
			ret = vfio_iommu_drivers[i]->ioctl(
				NULL, VFIO_CHECK_EXTENSION, arg);
			if (ret > 0)
				break;
		}
	}
	pthread_rwlock_unlock(&container->group_lock);
	return ret;
}

/* Caller holds container->group_lock for writing. */
static int __vfio_container_attach_groups(
	struct vfio_container *container,
	const struct vfio_iommu_driver_ops *driver, void *data)
{
	struct vfio_group *group, *undo;
	int ret = 0;

	list_for_each_entry(group, &container->group_list, container_next) {
		ret = driver->attach_group(data, group);
		if (ret)
			goto unwind;
	}
	return 0;

unwind:
	list_for_each_entry(undo, &container->group_list, container_next) {
		if (undo == group)
			break;
		driver->detach_group(data, undo);
	}
	return ret;
}

/*
 * As vfio_ioctl_set_iommu(): needs at least one group and no IOMMU yet
 * (EINVAL); ENODEV when no driver takes @arg.
 */
static long vfio_ioctl_set_iommu(struct vfio_container *container,
				 unsigned long arg)
{
	long ret = -ENODEV;

	pthread_rwlock_wrlock(&container->group_lock);
	if (list_empty(&container->group_list) || container->iommu_driver) {
		ret = -EINVAL;
		goto out_unlock;
	}
	for (size_t i = 0; i < ARRAY_SIZE(vfio_iommu_drivers); i++) {
		const struct vfio_iommu_driver_ops *driver =
			vfio_iommu_drivers[i];
		void *data;

		/* SET_IOMMU's argument is an extension id, as CHECK's. */
		if (driver->ioctl(NULL, VFIO_CHECK_EXTENSION, arg) <= 0)
			continue;
		data = driver->open(arg);
		if (IS_ERR(data)) {
			ret = PTR_ERR(data);
			continue;
		}
		ret = __vfio_container_attach_groups(container, driver, data);
		if (ret) {
			driver->release(data);
			continue;
		}
		container->iommu_driver = driver;
		container->iommu_data = data;
		break;
	}
out_unlock:
	pthread_rwlock_unlock(&container->group_lock);
	return ret;
}

/* Every other ioctl goes to the IOMMU driver; without one it is EINVAL. */
static long vfio_container_fops_unl_ioctl(struct uvfio_file *file,
					  unsigned int cmd, unsigned long arg)
{
	struct vfio_container *container = file->private_data;
	long ret = -EINVAL;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return vfio_container_ioctl_check_extension(container, arg);
	case VFIO_SET_IOMMU:
		return vfio_ioctl_set_iommu(container, arg);
	}
	pthread_rwlock_rdlock(&container->group_lock);
	if (container->iommu_driver)
		ret = container->iommu_driver->ioctl(container->iommu_data,
						     cmd, arg);
	pthread_rwlock_unlock(&container->group_lock);
	return ret;
}

static int vfio_container_fops_open(struct uvfio_node *node,
				    struct uvfio_file *file)
{
	struct vfio_container *container = calloc(1, sizeof(*container));

	if (!container)
		return -ENOMEM;
	refcount_set(&container->refs, 1);	/* put at release */
	pthread_rwlock_init(&container->group_lock, NULL);
	INIT_LIST_HEAD(&container->group_list);
	file->private_data = container;
	file->f_op = &vfio_container_fops;
	return 0;
}

static void vfio_container_fops_release(struct uvfio_file *file)
{
	vfio_container_put(file->private_data);
}

static const struct uvfio_file_operations vfio_container_fops = {
	.name = "vfio-container",
	.unlocked_ioctl = vfio_container_fops_unl_ioctl,
	.release = vfio_container_fops_release,
};

/*
 * As vfio_container_attach_group(). A group joining a container that has
 * an IOMMU is attached to it at once. Caller holds group->group_lock.
 */
int vfio_container_attach_group(struct vfio_container *container,
				struct vfio_group *group)
{
	int ret = 0;

	lockdep_assert_held(&group->group_lock);
	pthread_rwlock_wrlock(&container->group_lock);
	if (container->iommu_driver) {
		ret = container->iommu_driver->attach_group(
			container->iommu_data, group);
		if (ret)
			goto out_unlock;
	}
	group->container = container;
	group->container_users = 1;
	list_add_tail(&group->container_next, &container->group_list);
	/* Paired with vfio_container_put() in vfio_group_detach_container(). */
	vfio_container_get(container);
out_unlock:
	pthread_rwlock_unlock(&container->group_lock);
	return ret;
}

/*
 * The last group leaving takes the IOMMU with it: the container is
 * deprivileged and every mapping is gone. Caller holds group->group_lock.
 */
void vfio_group_detach_container(struct vfio_group *group)
{
	struct vfio_container *container = group->container;

	lockdep_assert_held(&group->group_lock);
	pthread_rwlock_wrlock(&container->group_lock);
	if (container->iommu_driver)
		container->iommu_driver->detach_group(container->iommu_data,
						      group);
	group->container = NULL;
	group->container_users = 0;
	list_del_init(&group->container_next);
	if (container->iommu_driver && list_empty(&container->group_list)) {
		container->iommu_driver->release(container->iommu_data);
		container->iommu_driver = NULL;
		container->iommu_data = NULL;
	}
	pthread_rwlock_unlock(&container->group_lock);
	vfio_container_put(container);
}

/*
 * A device opened through the group needs the container's IOMMU: EINVAL
 * before SET_IOMMU. It holds the group file until it closes, so the group's
 * release runs only after every such device is closed.
 */
int vfio_group_use_container(struct vfio_group *group)
{
	lockdep_assert_held(&group->group_lock);
	if (!group->container->iommu_driver)
		return -EINVAL;
	/* Paired with uvfio_file_put() in vfio_group_unuse_container(). */
	uvfio_file_get(group->opened_file);
	group->container_users++;
	return 0;
}

void vfio_group_unuse_container(struct vfio_group *group)
{
	lockdep_assert_held(&group->group_lock);
	group->container_users--;
	/* The group's release takes group_lock, which we hold. */
	uvfio_file_put_deferred(group->opened_file);
}

static struct uvfio_node vfio_container_node = {
	.path = "/dev/vfio/vfio",
	.mode = S_IFCHR | 0666,
	.ino = VFIO_CONTAINER_INO,
	.open = vfio_container_fops_open,
};

int vfio_container_register_node(void)
{
	vfio_container_node.rdev = makedev(MISC_MAJOR, VFIO_CONTAINER_MINOR);
	return uvfio_node_register(&vfio_container_node);
}
