// SPDX-License-Identifier: MIT
/*
 * VFIO device registration and device sets (the kernel's
 * drivers/vfio/vfio_main.c, first half).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio.h"
#include "chrdev.h"

/* Protects vfio_devices, index allocation, dev_sets and their counts. */
static struct mutex vfio_devices_lock = MUTEX_INITIALIZER;
static struct list_head vfio_devices = LIST_HEAD_INIT(vfio_devices);
static struct list_head vfio_dev_sets = LIST_HEAD_INIT(vfio_dev_sets);

/* The lowest index no registered device uses, as the kernel's ida gives. */
static unsigned int __vfio_device_alloc_index(void)
{
	struct vfio_device *dev;
	unsigned int index = 0;
	bool taken;

	do {
		taken = false;
		list_for_each_entry(dev, &vfio_devices, vfio_list) {
			if (dev->index == index) {
				taken = true;
				index++;
				break;
			}
		}
	} while (taken);
	return index;
}

/* Caller holds vfio_devices_lock. */
static int __vfio_assign_device_set(struct vfio_device *device, void *set_id)
{
	struct vfio_device_set *dev_set;

	list_for_each_entry(dev_set, &vfio_dev_sets, node) {
		if (dev_set->set_id == set_id)
			goto found;
	}
	dev_set = calloc(1, sizeof(*dev_set));
	if (!dev_set)
		return -ENOMEM;
	dev_set->set_id = set_id;
	mutex_init(&dev_set->lock);
	INIT_LIST_HEAD(&dev_set->device_list);
	list_add_tail(&dev_set->node, &vfio_dev_sets);
found:
	dev_set->device_count++;
	device->dev_set = dev_set;
	mutex_lock(&dev_set->lock);
	list_add_tail(&device->dev_set_list, &dev_set->device_list);
	mutex_unlock(&dev_set->lock);
	return 0;
}

/* Caller holds vfio_devices_lock. */
static void __vfio_release_device_set(struct vfio_device *device)
{
	struct vfio_device_set *dev_set = device->dev_set;

	mutex_lock(&dev_set->lock);
	list_del_init(&device->dev_set_list);
	mutex_unlock(&dev_set->lock);
	if (--dev_set->device_count)
		return;
	list_del_init(&dev_set->node);
	mutex_destroy(&dev_set->lock);
	free(dev_set);
}

/*
 * Makes @device visible: gives it a vfioN index and cdev node and puts it in
 * the device set keyed by @set_id (NULL: a set of its own). The registration
 * reference taken here is dropped by vfio_unregister_device().
 */
int vfio_register_device(struct vfio_device *device, void *set_id)
{
	int ret;

	mutex_lock(&vfio_devices_lock);
	ret = __vfio_assign_device_set(device, set_id ?: device);
	if (ret)
		goto out_unlock;
	device->index = __vfio_device_alloc_index();
	/*
	 * Unless the driver chose a group, one per device. Numbering starts at
	 * 1 because on the reference q35 host group 0 is the host bridge's,
	 * which uvfio does not emulate; the default edu gets group 1 there.
	 */
	if (!device->iommu_group)
		device->iommu_group = device->index + 1;
	refcount_set(&device->refcount, 1);
	pthread_mutex_init(&device->comp_lock, NULL);
	pthread_cond_init(&device->comp, NULL);

	snprintf(device->cdev.path, sizeof(device->cdev.path),
		 "/dev/vfio/devices/vfio%u", device->index);
	device->cdev.mode = S_IFCHR | 0600;
	device->cdev.rdev = makedev(VFIO_DEV_MAJOR, device->index);
	device->cdev.ino = VFIO_DEV_INO_BASE + device->index;
	device->cdev.open = vfio_device_fops_cdev_open;
	device->cdev.private_data = device;
	ret = uvfio_node_register(&device->cdev);
	if (ret)
		goto err_release_set;
	ret = vfio_device_set_group(device);
	if (ret)
		goto err_release_set;
	list_add_tail(&device->vfio_list, &vfio_devices);
	mutex_unlock(&vfio_devices_lock);
	return 0;

err_release_set:
	__vfio_release_device_set(device);
out_unlock:
	mutex_unlock(&vfio_devices_lock);
	return ret;
}

/* Takes a registration reference unless the device is going away. */
bool vfio_device_try_get_registration(struct vfio_device *device)
{
	return refcount_inc_not_zero(&device->refcount);
}

/* Paired with vfio_device_try_get_registration(). */
void vfio_device_put_registration(struct vfio_device *device)
{
	if (refcount_dec_and_test(&device->refcount)) {
		pthread_mutex_lock(&device->comp_lock);
		pthread_cond_broadcast(&device->comp);
		pthread_mutex_unlock(&device->comp_lock);
	}
}

/*
 * Balances vfio_register_device(): drops the registrant's reference, waits
 * until every device file is gone, then lets the driver free the device.
 * Nodes stay registered for the process's life, so a late open of the node
 * finds the registration count at zero and fails with ENODEV.
 */
void vfio_unregister_device(struct vfio_device *device)
{
	vfio_device_put_registration(device);
	pthread_mutex_lock(&device->comp_lock);
	while (refcount_read(&device->refcount))
		pthread_cond_wait(&device->comp, &device->comp_lock);
	pthread_mutex_unlock(&device->comp_lock);

	mutex_lock(&vfio_devices_lock);
	list_del_init(&device->vfio_list);
	__vfio_release_device_set(device);
	mutex_unlock(&vfio_devices_lock);
	if (device->ops->release)
		device->ops->release(device);
}

/* The sum of open counts over the set; the caller holds dev_set->lock. */
unsigned int vfio_device_set_open_count(struct vfio_device_set *dev_set)
{
	struct vfio_device *cur;
	unsigned int open_count = 0;

	lockdep_assert_held(&dev_set->lock);
	list_for_each_entry(cur, &dev_set->device_list, dev_set_list)
		open_count += cur->open_count;
	return open_count;
}

/* Finds a registered device by PCI address; no reference is taken. */
struct vfio_device *vfio_device_find_by_name(const char *name)
{
	struct vfio_device *dev, *found = NULL;

	mutex_lock(&vfio_devices_lock);
	list_for_each_entry(dev, &vfio_devices, vfio_list) {
		if (!strcmp(dev->name, name)) {
			found = dev;
			break;
		}
	}
	mutex_unlock(&vfio_devices_lock);
	return found;
}

/* Calls @fn on each device in registration order until it returns non-0. */
int vfio_device_for_each(vfio_device_visit_fn fn, void *arg)
{
	struct vfio_device *dev;
	int ret = 0;

	mutex_lock(&vfio_devices_lock);
	list_for_each_entry(dev, &vfio_devices, vfio_list) {
		ret = fn(dev, arg);
		if (ret)
			break;
	}
	mutex_unlock(&vfio_devices_lock);
	return ret;
}

/*
 * fork() while another thread holds a device set lock would leave the child
 * with a lock nobody can release: hold them all across the fork.
 * Order: vfio_devices_lock, then each dev_set->lock in list order.
 */
void vfio_device_atfork_prepare(void)
{
	struct vfio_device_set *dev_set;

	mutex_lock(&vfio_devices_lock);
	list_for_each_entry(dev_set, &vfio_dev_sets, node)
		mutex_lock(&dev_set->lock);
}

/*
 * Both sides of the fork unlock: in the child the forking thread, which took
 * the locks in prepare, is the only thread left, and it still owns them.
 */
void vfio_device_atfork_parent(void)
{
	struct vfio_device_set *dev_set;

	list_for_each_entry(dev_set, &vfio_dev_sets, node)
		mutex_unlock(&dev_set->lock);
	mutex_unlock(&vfio_devices_lock);
}

void vfio_device_atfork_child(void)
{
	vfio_device_atfork_parent();
}
