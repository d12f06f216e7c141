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
#include "io_pagetable.h"
#include "iommufd.h"

struct iommu_domain;

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
	struct iommufd_ioas *vfio_ioas;		/* lock: the compat IOAS */
	enum iopt_account_mode account_mode;	/* lock: IOMMU_OPTION */
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
struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
					  enum iommufd_object_type type);
void iommufd_put_object(struct iommufd_ctx *ictx, struct iommufd_object *obj);
void __iommufd_object_abort(struct iommufd_ctx *ictx,
			    struct iommufd_object *obj);
bool iommufd_ctx_has_objects(struct iommufd_ctx *ictx);
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

/*
 * ioas.c: the IOAS, an I/O address space that HWPTs mirror. Its
 * io_pagetable has its own lock; handlers hold a user of the IOAS (so
 * DESTROY is EBUSY meanwhile) and never ictx->lock while they use it.
 */
struct iommufd_ioas {
	struct iommufd_object obj;
	struct io_pagetable iopt;	/* its own locking, io_pagetable.h */
	struct list_head hwpt_list;	/* ictx->lock; its paging HWPTs */
};
static inline struct iommufd_ioas *iommufd_get_ioas(struct iommufd_ctx *ictx,
						    u32 id)
{
	struct iommufd_object *obj = iommufd_get_object(ictx, id,
							IOMMUFD_OBJ_IOAS);

	return IS_ERR(obj) ? (void *)obj :
			     container_of(obj, struct iommufd_ioas, obj);
}
struct iommufd_ioas *__iommufd_ioas_alloc(struct iommufd_ctx *ictx);
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd);
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd);
int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map_file(struct iommufd_ucmd *ucmd);
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd);
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd);
int iommufd_ioas_option(struct iommufd_ucmd *ucmd);
int iommufd_option_rlimit_mode(struct iommufd_ucmd *ucmd);
void iommufd_ioas_destroy(struct iommufd_object *obj);

/*
 * hw_pagetable.c: a paging HWPT owns an IOMMU domain that mirrors its
 * IOAS (the domain is added to the IOAS's table at allocation).
 */
struct iommufd_hwpt_paging {
	struct iommufd_object obj;
	struct iommufd_ioas *ioas;	/* immutable; holds a user of it */
	struct iommu_domain *domain;	/* immutable */
	bool auto_domain;		/* immutable: made for an IOAS attach */
	struct list_head hwpt_item;	/* ictx->lock; on ioas->hwpt_list */
};
struct iommufd_hwpt_paging *
__iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
			    struct iommufd_ioas *ioas, u32 flags);
struct iommufd_hwpt_paging *
__iommufd_hwpt_paging_auto_get(struct iommufd_ctx *ictx,
			       struct iommufd_ioas *ioas);
void __iommufd_hw_pagetable_put(struct iommufd_ctx *ictx,
				struct iommufd_hwpt_paging *hwpt);
void iommufd_hwpt_paging_destroy(struct iommufd_object *obj);
int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_invalidate(struct iommufd_ucmd *ucmd);

/* device.c */
struct iommufd_device {
	struct iommufd_object obj;
	struct iommufd_ctx *ictx;	/* immutable */
	struct vfio_device *dev;	/* immutable */
	struct iommufd_hwpt_paging *hwpt;	/* ictx->lock; NULL if detached */
	struct list_head igroup_item;	/* ictx->lock; while attached */
};
void iommufd_device_destroy(struct iommufd_object *obj);
int iommufd_get_hw_info(struct iommufd_ucmd *ucmd);

/* vfio_compat.c */
int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd);
long iommufd_vfio_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			unsigned long arg);

#endif /* UVFIO_IOMMUFD_PRIVATE_H */
