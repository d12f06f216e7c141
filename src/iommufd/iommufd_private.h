/* SPDX-License-Identifier: MIT */
/*
 * iommufd's private header: the context, its objects and the ioctl plumbing
 * (the kernel's drivers/iommu/iommufd/iommufd_private.h).
 *
 * Every object lives in its context's table under an id, taken lowest-free
 * from 1 in one namespace for all types and reused after destroy. An object
 * counts its users: the table holds one, and each holder (a HWPT on its
 * IOAS, a device on its HWPT, VFIO on its device) holds one more. DESTROY
 * succeeds only when the table holds the last one.
 *
 * Locking: ictx->lock protects the table, every object's users count and
 * every link between objects. Taken after dev_set->lock, never before.
 */
#ifndef UVFIO_IOMMUFD_PRIVATE_H
#define UVFIO_IOMMUFD_PRIVATE_H

#include "../util/compiler.h"
#include "../util/list.h"
#include "../util/mutex.h"
#include "../util/refcount.h"
#include "iommufd.h"

enum iommufd_object_type {
	IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_ANY = IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_DEVICE,
	IOMMUFD_OBJ_HWPT_PAGING,
	IOMMUFD_OBJ_IOAS,
	IOMMUFD_OBJ_MAX,
};

struct iommufd_object {
	enum iommufd_object_type type;	/* immutable */
	u32 id;				/* immutable once allocated */
	unsigned int users;		/* ictx->lock */
};

struct iommufd_ctx {
	refcount_t refs;	/* the iommufd files and each bound device */
	struct mutex lock;	/* see the top of this file */
	struct iommufd_object **objects;	/* lock; [id], NULL if free */
	u32 nr_slots;				/* lock */
};

/* main.c: objects */
struct iommufd_object *__iommufd_object_alloc(struct iommufd_ctx *ictx,
					      size_t size,
					      enum iommufd_object_type type);
struct iommufd_object *iommufd_object_alloc(struct iommufd_ctx *ictx,
					    size_t size,
					    enum iommufd_object_type type);
void __iommufd_object_finalize(struct iommufd_ctx *ictx,
			       struct iommufd_object *obj);
void iommufd_object_finalize(struct iommufd_ctx *ictx,
			     struct iommufd_object *obj);
void iommufd_object_abort(struct iommufd_ctx *ictx,
			  struct iommufd_object *obj);
struct iommufd_object *__iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
					    enum iommufd_object_type type);
void __iommufd_object_destroy(struct iommufd_ctx *ictx,
			      struct iommufd_object *obj);
bool __iommufd_object_try_destroy(struct iommufd_ctx *ictx,
				  struct iommufd_object *obj);

/* The handler's view of one ioctl: a private copy of the command. */
struct iommufd_ucmd {
	struct iommufd_ctx *ictx;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};
int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len);

/* ioas.c */
struct iommufd_ioas {
	struct iommufd_object obj;
	struct list_head hwpt_list;	/* ictx->lock; its paging HWPTs */
};
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd);
void iommufd_ioas_destroy(struct iommufd_object *obj);

/* hw_pagetable.c */
struct iommufd_hwpt_paging {
	struct iommufd_object obj;
	struct iommufd_ioas *ioas;	/* immutable; holds a user of it */
	bool auto_domain;		/* immutable: made for an IOAS attach */
	struct list_head hwpt_item;	/* ictx->lock; on ioas->hwpt_list */
};
struct iommufd_hwpt_paging *
__iommufd_hwpt_paging_auto_get(struct iommufd_ctx *ictx,
			       struct iommufd_ioas *ioas);
void __iommufd_hw_pagetable_put(struct iommufd_ctx *ictx,
				struct iommufd_hwpt_paging *hwpt);
void iommufd_hwpt_paging_destroy(struct iommufd_object *obj);

/* device.c */
struct iommufd_device {
	struct iommufd_object obj;
	struct iommufd_ctx *ictx;	/* immutable */
	struct vfio_device *dev;	/* immutable */
	struct iommufd_hwpt_paging *hwpt;	/* ictx->lock; NULL if detached */
};
void iommufd_device_destroy(struct iommufd_object *obj);

#endif /* UVFIO_IOMMUFD_PRIVATE_H */
