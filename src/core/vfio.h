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
	/* VFIO_DEVICE_FEATURE ids the core leaves to the driver (issue 5). */
	int (*device_feature)(struct vfio_device *vdev, u32 flags,
			      void __user *arg, size_t argsz);
	/* GROUP_GET_DEVICE_FD's name: 1 match, 0 not, -errno refused. */
	int (*match)(struct vfio_device *vdev, const char *buf);
	/* Frees the driver's structure once the last registration ref goes. */
	void (*release)(struct vfio_device *vdev);
};

struct vfio_device {
	const struct vfio_device_ops *ops;	/* immutable */
	struct vfio_device_set *dev_set;	/* immutable once registered */
	struct list_head dev_set_list;		/* dev_set->lock */
	char name[32];			/* immutable: the PCI address */
	unsigned int index;		/* immutable: N of /dev/vfio/devices/vfioN */
	unsigned int iommu_group;	/* immutable once registered; 0: pick */

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
	struct vfio_dma_attach *dma;		/* vfio_dma_lock (dma.c) */
	unsigned long dma_faults;		/* atomic: IOMMU faults */

	struct uvfio_node cdev;		/* /dev/vfio/devices/vfioN */
	struct list_head vfio_list;	/* vfio_devices_lock in device.c */

	struct vfio_group *group;	/* immutable once registered */
	struct list_head group_next;	/* group->device_lock */
};

/*
 * The group of devices an IOMMU cannot tell apart, and its file
 * /dev/vfio/<id>: the legacy way to a device. It has a single opener, and it
 * and the cdevs of its devices exclude each other.
 * Lock order: group_lock, then container->group_lock, then dev_set->lock.
 */
struct vfio_group {
	unsigned int id;		/* immutable: the IOMMU group number */
	unsigned int minor;		/* immutable */
	struct uvfio_node node;		/* /dev/vfio/<id> */
	struct mutex group_lock;	/* protects the fields below */
	struct uvfio_file *opened_file;	/* group_lock: the one open fd */
	unsigned int cdev_device_open_cnt; /* group_lock: bound cdev fds */
	struct vfio_container *container;  /* group_lock */
	/* group_lock: 1 for the group fd, +1 per device opened through it */
	unsigned int container_users;
	struct iommufd_ctx *iommufd;	/* group_lock: an iommufd as container */
	struct list_head container_next;	/* container->group_lock */
	struct mutex device_lock;	/* protects device_list */
	struct list_head device_list;
	struct list_head vfio_next;	/* vfio_groups_lock in group.c */

	/*
	 * Bound cdevs own the group's DMA (iommu_device_claim_dma_owner()):
	 * every member must be bound to the same iommufd. A leaf lock.
	 */
	struct mutex dma_owner_lock;
	const void *dma_owner;		/* dma_owner_lock: that iommufd */
	unsigned int dma_owner_cnt;	/* dma_owner_lock: bound members */
	/*
	 * The members share one page table (iommufd's igroup): the attached
	 * iommufd_devices and their HWPT, under the owner's ictx->lock.
	 */
	struct list_head igroup_devices;
	void *igroup_hwpt;
};

/* What an IOMMU driver for the legacy container implements (type1). */
struct vfio_iommu_driver_ops {
	const char *name;
	/* Makes the driver's state for SET_IOMMU(@arg); ERR_PTR on error. */
	void *(*open)(unsigned long arg);
	void (*release)(void *iommu_data);
	/* @iommu_data is NULL for CHECK_EXTENSION before SET_IOMMU. */
	long (*ioctl)(void *iommu_data, unsigned int cmd, unsigned long arg);
	int (*attach_group)(void *iommu_data, struct vfio_group *group);
	void (*detach_group)(void *iommu_data, struct vfio_group *group);
};

/* /dev/vfio/vfio: a set of groups sharing one IOMMU context. */
struct vfio_container {
	refcount_t refs;	/* the container fd and each attached group */
	pthread_rwlock_t group_lock;	/* protects group_list and the iommu */
	struct list_head group_list;	/* group_lock */
	const struct vfio_iommu_driver_ops *iommu_driver;	/* group_lock */
	void *iommu_data;					/* group_lock */
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

/* info_cap.c: capability chains of the info ioctls. */
struct vfio_info_cap_header;
struct vfio_info_cap {
	void *buf;
	size_t size;
	int error;	/* -ENOMEM once an add failed */
};
struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id,
					       u16 version);
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset);
int vfio_info_cap_copy(struct vfio_info_cap *caps, void __user *arg,
		       size_t info_size, u32 *argsz, u32 *cap_offset);
void vfio_info_cap_free(struct vfio_info_cap *caps);

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
void vfio_free_device_file(struct vfio_device_file *df);
int vfio_df_open(struct vfio_device_file *df);
void vfio_df_close(struct vfio_device_file *df);
int vfio_device_fops_cdev_open(struct uvfio_node *node,
			       struct uvfio_file *file);

/* group.c: the group fd and group-path device fds. */
int vfio_device_set_group(struct vfio_device *device);
int vfio_device_block_group(struct vfio_device *device);
void vfio_device_unblock_group(struct vfio_device *device);
int vfio_device_group_use_iommu(struct vfio_device *device);
void vfio_device_group_unuse_iommu(struct vfio_device *device);
void vfio_df_group_close(struct vfio_device_file *df);

/* container.c: /dev/vfio/vfio and the IOMMU driver registry. */
int vfio_container_register_node(void);
struct vfio_container *vfio_container_from_file(struct uvfio_file *file);
int vfio_container_attach_group(struct vfio_container *container,
				struct vfio_group *group);
void vfio_group_detach_container(struct vfio_group *group);
int vfio_group_use_container(struct vfio_group *group);
void vfio_group_unuse_container(struct vfio_group *group);
extern const struct vfio_iommu_driver_ops vfio_iommu_type1_ops;

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
int vfio_iommufd_compat_attach_ioas(struct vfio_device *vdev,
				    struct iommufd_ctx *ictx);

#endif /* UVFIO_CORE_VFIO_H */
