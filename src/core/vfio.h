/* SPDX-License-Identifier: MIT */
/*
 * The VFIO core's private header: the device, the device set and the device
 * file, laid out and named as in the kernel's drivers/vfio/vfio.h and
 * include/linux/vfio.h, grouped by the file that implements them.
 *
 * Lock order: dev_set->lock, then the iommufd context's lock.
 */
#ifndef UVFIO_CORE_VFIO_H
#define UVFIO_CORE_VFIO_H

#include <pthread.h>
#include "../util/compiler.h"
#include "../util/list.h"
#include "../util/mutex.h"
#include "../util/refcount.h"
#include "../vfs/vfs.h"

struct iommufd_ctx;
struct iommufd_device;
struct vfio_device;
struct vfio_group;

/*
 * The devices that must open, close and reset together (vfio-pci shares one
 * per slot or bus). open_device/close_device run under its lock.
 */
struct vfio_device_set {
	void *set_id;			/* immutable: what the set is keyed by */
	struct mutex lock;		/* protects the members' open state */
	struct list_head device_list;	/* lock */
	unsigned int device_count;	/* vfio_dev_sets_lock in device.c */
	struct list_head node;		/* vfio_dev_sets_lock */
};

/* What a driver (vfio-pci) implements; any op may be NULL. */
struct vfio_device_ops {
	const char *name;
	/* First open of the device, after the iommufd bind; under dev_set->lock. */
	int (*open_device)(struct vfio_device *vdev);
	/* Last close, before the iommufd unbind; under dev_set->lock. */
	void (*close_device)(struct vfio_device *vdev);
	long (*ioctl)(struct vfio_device *vdev, unsigned int cmd,
		      unsigned long arg);
	ssize_t (*read)(struct vfio_device *vdev, char __user *buf,
			size_t count, s64 *ppos);
	ssize_t (*write)(struct vfio_device *vdev, const char __user *buf,
			 size_t count, s64 *ppos);
	int (*mmap)(struct vfio_device *vdev, struct uvfio_vma *vma);
	/* Frees the driver's structure once the last registration ref goes. */
	void (*release)(struct vfio_device *vdev);
};

struct vfio_device {
	const struct vfio_device_ops *ops;	/* immutable */
	struct vfio_device_set *dev_set;	/* immutable once registered */
	struct list_head dev_set_list;		/* dev_set->lock */
	char name[32];			/* immutable: the PCI address */
	unsigned int index;		/* immutable: N of /dev/vfio/devices/vfioN */
	unsigned int iommu_group;	/* immutable: its IOMMU group number */

	/*
	 * Registration: one reference for the registrant and one per device
	 * file. vfio_unregister_device() drops the first and waits for the
	 * rest, as the kernel waits on its completion.
	 */
	refcount_t refcount;
	pthread_mutex_t comp_lock;	/* with comp, the completion */
	pthread_cond_t comp;

	unsigned int open_count;		/* dev_set->lock */
	bool cdev_opened;			/* dev_set->lock */
	struct iommufd_device *iommufd_device;	/* dev_set->lock */
	struct iommufd_ctx *iommufd_ictx;	/* dev_set->lock */
	bool iommufd_attached;			/* dev_set->lock */

	struct uvfio_node cdev;		/* /dev/vfio/devices/vfioN */
	struct list_head vfio_list;	/* vfio_devices_lock in device.c */
};

/*
 * An open file of a device: a cdev fd, or a device fd made by the group.
 *
 * access_granted is the gate. It is a u8, not a bool or a bit, so that the
 * release store that opens it and the acquire load in every fop act on one
 * whole byte of defined size; it sits beside devid in the first cache line,
 * which every fop touches. It only ever goes 0 -> 1: after the release
 * store (bind, or the group open) the fops run without any lock, so there is
 * no safe way back, and an fd stays granted until it is closed.
 */
struct vfio_device_file {
	struct vfio_device *device;	/* immutable */
	struct vfio_group *group;	/* immutable; NULL for a cdev fd */
	u8 access_granted;		/* 0 -> 1 once, release/acquire */
	u32 devid;			/* valid only while iommufd is set */
	pthread_spinlock_t kvm_ref_lock;	/* protects kvm */
	void *kvm;			/* kvm_ref_lock; unused for now */
	struct iommufd_ctx *iommufd;	/* dev_set->lock */
};

/* The public API's opaque handle is the device itself. */
struct uvfio_device;
static inline struct vfio_device *vfio_device_from_uvfio(struct uvfio_device *d)
{
	return (struct vfio_device *)d;
}

static inline struct uvfio_device *vfio_device_to_uvfio(struct vfio_device *d)
{
	return (struct uvfio_device *)d;
}

#if defined(__LP64__)
/* The kernel's layout, which the mailing-list review asked for. */
_Static_assert(offsetof(struct vfio_device_file, access_granted) == 16,
	       "access_granted follows the two pointers");
_Static_assert(offsetof(struct vfio_device_file, devid) == 20,
	       "devid fills the hole after access_granted");
#endif

/* device.c: registration and device sets. */
int vfio_register_device(struct vfio_device *device, void *set_id);
void vfio_unregister_device(struct vfio_device *device);
bool vfio_device_try_get_registration(struct vfio_device *device);
void vfio_device_put_registration(struct vfio_device *device);
unsigned int vfio_device_set_open_count(struct vfio_device_set *dev_set);
struct vfio_device *vfio_device_find_by_name(const char *name);
typedef int (*vfio_device_visit_fn)(struct vfio_device *device, void *arg);
int vfio_device_for_each(vfio_device_visit_fn fn, void *arg);
void vfio_device_atfork_prepare(void);
void vfio_device_atfork_parent(void);
void vfio_device_atfork_child(void);

/* device_file.c: the device fd and its gated fops. */
extern const struct uvfio_file_operations vfio_device_fops;
struct vfio_device_file *vfio_allocate_device_file(struct vfio_device *device);
int vfio_df_open(struct vfio_device_file *df);
void vfio_df_close(struct vfio_device_file *df);
int vfio_device_fops_cdev_open(struct uvfio_node *node,
			       struct uvfio_file *file);

/* device_cdev.c: bind, attach, detach and the unbind at close. */
long vfio_df_ioctl_bind_iommufd(struct vfio_device_file *df,
				void __user *arg);
void vfio_df_unbind_iommufd(struct vfio_device_file *df);
int vfio_df_ioctl_attach_pt(struct vfio_device_file *df, void __user *arg);
int vfio_df_ioctl_detach_pt(struct vfio_device_file *df, void __user *arg);

/* iommufd.c: the glue between a device and iommufd. */
int vfio_df_iommufd_bind(struct vfio_device_file *df);
void vfio_df_iommufd_unbind(struct vfio_device_file *df);
int vfio_iommufd_physical_attach_ioas(struct vfio_device *vdev, u32 *pt_id);
void vfio_iommufd_physical_detach_ioas(struct vfio_device *vdev);

#endif /* UVFIO_CORE_VFIO_H */
