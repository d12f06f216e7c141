// SPDX-License-Identifier: MIT
/*
 * /dev/iommu: the iommufd context, its object table and the one ioctl
 * dispatcher (the kernel's drivers/iommu/iommufd/main.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "iommufd_private.h"
#include "../core/chrdev.h"
#include "../vfs/uaccess.h"
#include "../vfs/vfs.h"
#include <uvfio/uapi/iommufd.h>

/* Holds an id between alloc and finalize: lookups see ENOENT. */
static struct iommufd_object iommufd_reserved;

#define IOMMUFD_ID_MAX	0x7fffffffu	/* xa_limit_31b */

static const struct uvfio_file_operations iommufd_fops;

/* Caller holds ictx->lock. Returns the lowest free id, or 0 when full. */
static u32 __iommufd_alloc_id(struct iommufd_ctx *ictx)
{
	struct iommufd_object **grown;
	u32 id, nr;

	for (id = 1; id < ictx->nr_slots; id++)
		if (!ictx->objects[id])
			return id;
	if (ictx->nr_slots > IOMMUFD_ID_MAX)
		return 0;
	nr = ictx->nr_slots ? ictx->nr_slots * 2 : 16;
	grown = realloc(ictx->objects, nr * sizeof(*grown));
	if (!grown)
		return 0;
	memset(grown + ictx->nr_slots, 0,
	       (nr - ictx->nr_slots) * sizeof(*grown));
	ictx->objects = grown;
	id = ictx->nr_slots ?: 1;
	ictx->nr_slots = nr;
	return id;
}

/*
 * First phase of making an object: it gets its id, but stays invisible to
 * every lookup until it is finalized. Once another thread can find an
 * object it can no longer be torn down without a destroy, so a handler
 * answers the client in between, and aborts if that fails.
 * Caller holds ictx->lock.
 */
struct iommufd_object *__iommufd_object_alloc(struct iommufd_ctx *ictx,
					      size_t size,
					      enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	lockdep_assert_held(&ictx->lock);
	obj = calloc(1, size);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->type = type;
	obj->id = __iommufd_alloc_id(ictx);
	if (!obj->id) {
		free(obj);
		return ERR_PTR(-ENOMEM);
	}
	ictx->objects[obj->id] = &iommufd_reserved;
	return obj;
}

struct iommufd_object *iommufd_object_alloc(struct iommufd_ctx *ictx,
					    size_t size,
					    enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	mutex_lock(&ictx->lock);
	obj = __iommufd_object_alloc(ictx, size, type);
	mutex_unlock(&ictx->lock);
	return obj;
}

/*
 * Second phase: the table takes its user and the object becomes visible.
 * Caller holds ictx->lock.
 */
void __iommufd_object_finalize(struct iommufd_ctx *ictx,
			       struct iommufd_object *obj)
{
	lockdep_assert_held(&ictx->lock);
	obj->users++;
	ictx->objects[obj->id] = obj;
}

void iommufd_object_finalize(struct iommufd_ctx *ictx,
			     struct iommufd_object *obj)
{
	mutex_lock(&ictx->lock);
	__iommufd_object_finalize(ictx, obj);
	mutex_unlock(&ictx->lock);
}

/* Undoes iommufd_object_alloc() for an object never finalized. */
void iommufd_object_abort(struct iommufd_ctx *ictx,
			  struct iommufd_object *obj)
{
	mutex_lock(&ictx->lock);
	ictx->objects[obj->id] = NULL;
	mutex_unlock(&ictx->lock);
	free(obj);
}

/*
 * Looks up @id of @type (IOMMUFD_OBJ_ANY for any) and takes a user of it.
 * Caller holds ictx->lock. A wrong type or an unfinished object is ENOENT.
 */
struct iommufd_object *__iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
					    enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	lockdep_assert_held(&ictx->lock);
	if (id >= ictx->nr_slots)
		return ERR_PTR(-ENOENT);
	obj = ictx->objects[id];
	if (!obj || obj == &iommufd_reserved ||
	    (type != IOMMUFD_OBJ_ANY && obj->type != type))
		return ERR_PTR(-ENOENT);
	obj->users++;
	return obj;
}

/* As __iommufd_get_object(), taking ictx->lock. */
struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
					  enum iommufd_object_type type)
{
	struct iommufd_object *obj;

	mutex_lock(&ictx->lock);
	obj = __iommufd_get_object(ictx, id, type);
	mutex_unlock(&ictx->lock);
	return obj;
}

/* Drops the user a get took. */
void iommufd_put_object(struct iommufd_ctx *ictx, struct iommufd_object *obj)
{
	mutex_lock(&ictx->lock);
	obj->users--;
	mutex_unlock(&ictx->lock);
}

/*
 * Undoes __iommufd_object_alloc() for an object never finalized, whose
 * type-specific parts the caller already took down. Caller holds the lock.
 */
void __iommufd_object_abort(struct iommufd_ctx *ictx,
			    struct iommufd_object *obj)
{
	lockdep_assert_held(&ictx->lock);
	ictx->objects[obj->id] = NULL;
	free(obj);
}

/* Whether any id is taken (reserved ones count: xa_empty() in the kernel). */
bool iommufd_ctx_has_objects(struct iommufd_ctx *ictx)
{
	bool any = false;

	mutex_lock(&ictx->lock);
	for (u32 id = 1; id < ictx->nr_slots && !any; id++)
		any = ictx->objects[id] != NULL;
	mutex_unlock(&ictx->lock);
	return any;
}

static void (*const iommufd_object_destroy_ops[IOMMUFD_OBJ_MAX])(
	struct iommufd_object *obj) = {
	[IOMMUFD_OBJ_DEVICE] = iommufd_device_destroy,
	[IOMMUFD_OBJ_HWPT_PAGING] = iommufd_hwpt_paging_destroy,
	[IOMMUFD_OBJ_IOAS] = iommufd_ioas_destroy,
};

/* Removes @obj from the table and frees it. Caller holds ictx->lock. */
void __iommufd_object_destroy(struct iommufd_ctx *ictx,
			      struct iommufd_object *obj)
{
	lockdep_assert_held(&ictx->lock);
	ictx->objects[obj->id] = NULL;
	/* Destroying the compat IOAS leaves the context without one. */
	if (ictx->vfio_ioas && &ictx->vfio_ioas->obj == obj)
		ictx->vfio_ioas = NULL;
	iommufd_object_destroy_ops[obj->type](obj);
}

/* Destroys @obj if the table holds its last user. Caller holds the lock. */
bool __iommufd_object_try_destroy(struct iommufd_ctx *ictx,
				  struct iommufd_object *obj)
{
	lockdep_assert_held(&ictx->lock);
	if (obj->users != 1)
		return false;
	__iommufd_object_destroy(ictx, obj);
	return true;
}

static int iommufd_destroy(struct iommufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_object *obj;
	int ret = 0;

	mutex_lock(&ictx->lock);
	obj = __iommufd_get_object(ictx, cmd->id, IOMMUFD_OBJ_ANY);
	if (IS_ERR(obj)) {
		ret = (int)PTR_ERR(obj);
		goto out_unlock;
	}
	obj->users--;	/* the lookup's own user */
	if (!__iommufd_object_try_destroy(ictx, obj))
		ret = -EBUSY;
out_unlock:
	mutex_unlock(&ictx->lock);
	return ret;
}

/* Answers the client with at most the bytes it gave us. */
int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, cmd_len)))
		return -EFAULT;
	return 0;
}

/*
 * As the kernel's iommufd_option(): RLIMIT_MODE is the context's,
 * HUGE_PAGES an IOAS's. Only val64 is written back, and only on success.
 */
static int iommufd_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		rc = iommufd_option_rlimit_mode(ucmd);
		break;
	case IOMMU_OPTION_HUGE_PAGES:
		rc = iommufd_ioas_option(ucmd);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (rc)
		return rc;
	if (copy_to_user(&((struct iommu_option __user *)ucmd->ubuffer)->val64,
			 &cmd->val64, sizeof(cmd->val64)))
		return -EFAULT;
	return 0;
}

union ucmd_buffer {
	struct iommu_destroy destroy;
	struct iommu_hw_info info;
	struct iommu_hwpt_alloc hwpt;
	struct iommu_hwpt_get_dirty_bitmap get_dirty_bitmap;
	struct iommu_hwpt_invalidate cache;
	struct iommu_hwpt_set_dirty_tracking set_dirty_tracking;
	struct iommu_ioas_alloc alloc;
	struct iommu_ioas_allow_iovas allow_iovas;
	struct iommu_ioas_copy ioas_copy;
	struct iommu_ioas_iova_ranges iova_ranges;
	struct iommu_ioas_map map;
	struct iommu_ioas_map_file map_file;
	struct iommu_ioas_unmap unmap;
	struct iommu_option option;
	struct iommu_vfio_ioas vfio_ioas;
};

struct iommufd_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct iommufd_ucmd *ucmd);
};

#define IOCTL_OP(_ioctl, _fn, _struct, _last)				\
	[IOMMUFD_NR(_ioctl) - IOMMUFD_CMD_BASE] = {			\
		.size = sizeof(_struct),				\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.execute = _fn,						\
	}

#define IOMMUFD_NR(cmd)	((cmd) & 0xffu)	/* _IOC_NR of an _IO() number */

/*
 * The minimum sizes are the kernel's (the last field each command has had
 * since it was introduced). Commands uvfio does not emulate (fault queues,
 * vIOMMUs, vdevices, IOAS_CHANGE_PROCESS, ...) have no slot, and answer
 * ENOTTY as on a kernel built without them.
 */
static const struct iommufd_ioctl_op iommufd_ioctl_ops[] = {
	IOCTL_OP(IOMMU_DESTROY, iommufd_destroy, struct iommu_destroy, id),
	IOCTL_OP(IOMMU_GET_HW_INFO, iommufd_get_hw_info, struct iommu_hw_info,
		 __reserved),
	IOCTL_OP(IOMMU_HWPT_ALLOC, iommufd_hwpt_alloc, struct iommu_hwpt_alloc,
		 __reserved),
	IOCTL_OP(IOMMU_HWPT_GET_DIRTY_BITMAP, iommufd_hwpt_get_dirty_bitmap,
		 struct iommu_hwpt_get_dirty_bitmap, data),
	IOCTL_OP(IOMMU_HWPT_INVALIDATE, iommufd_hwpt_invalidate,
		 struct iommu_hwpt_invalidate, __reserved),
	IOCTL_OP(IOMMU_HWPT_SET_DIRTY_TRACKING, iommufd_hwpt_set_dirty_tracking,
		 struct iommu_hwpt_set_dirty_tracking, __reserved),
	IOCTL_OP(IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,
		 struct iommu_ioas_alloc, out_ioas_id),
	IOCTL_OP(IOMMU_IOAS_ALLOW_IOVAS, iommufd_ioas_allow_iovas,
		 struct iommu_ioas_allow_iovas, allowed_iovas),
	IOCTL_OP(IOMMU_IOAS_COPY, iommufd_ioas_copy, struct iommu_ioas_copy,
		 src_iova),
	IOCTL_OP(IOMMU_IOAS_IOVA_RANGES, iommufd_ioas_iova_ranges,
		 struct iommu_ioas_iova_ranges, out_iova_alignment),
	IOCTL_OP(IOMMU_IOAS_MAP, iommufd_ioas_map, struct iommu_ioas_map, iova),
	IOCTL_OP(IOMMU_IOAS_MAP_FILE, iommufd_ioas_map_file,
		 struct iommu_ioas_map_file, iova),
	IOCTL_OP(IOMMU_IOAS_UNMAP, iommufd_ioas_unmap, struct iommu_ioas_unmap,
		 length),
	IOCTL_OP(IOMMU_OPTION, iommufd_option, struct iommu_option, val64),
	IOCTL_OP(IOMMU_VFIO_IOAS, iommufd_vfio_ioas, struct iommu_vfio_ioas,
		 __reserved),
};

#define UCMD_FITS(_struct)						\
	_Static_assert(sizeof(union ucmd_buffer) >= sizeof(_struct),	\
		       #_struct " fits the private buffer")
UCMD_FITS(struct iommu_hw_info);
UCMD_FITS(struct iommu_hwpt_alloc);
UCMD_FITS(struct iommu_hwpt_get_dirty_bitmap);
UCMD_FITS(struct iommu_ioas_copy);
UCMD_FITS(struct iommu_ioas_map);
UCMD_FITS(struct iommu_ioas_map_file);
UCMD_FITS(struct iommu_option);

/*
 * As iommufd_fops_ioctl(): numbers outside the table go to the VFIO compat
 * container (vfio_compat.c; unknown ones ENOTTY); the leading size is read
 * first, so a bad pointer is EFAULT before any other check; then an exact
 * command match (ENOTTY), the minimum size (EINVAL), and a zero tail (E2BIG).
 */
static long iommufd_fops_ioctl(struct uvfio_file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct iommufd_ctx *ictx = file->private_data;
	const struct iommufd_ioctl_op *op;
	struct iommufd_ucmd ucmd = {};
	union ucmd_buffer buf;
	unsigned int nr;
	int ret;

	nr = IOMMUFD_NR(cmd);
	if (nr < IOMMUFD_CMD_BASE ||
	    (nr - IOMMUFD_CMD_BASE) >= ARRAY_SIZE(iommufd_ioctl_ops))
		return iommufd_vfio_ioctl(ictx, cmd, arg);

	ucmd.ictx = ictx;
	ucmd.ubuffer = (void __user *)arg;
	ret = get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer);
	if (ret)
		return ret;

	op = &iommufd_ioctl_ops[nr - IOMMUFD_CMD_BASE];
	if (op->ioctl_num != cmd)
		return -ENOTTY;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;

	ucmd.cmd = &buf;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	return op->execute(&ucmd);
}

void iommufd_ctx_get(struct iommufd_ctx *ictx)
{
	refcount_inc(&ictx->refs);
}

/*
 * The last reference destroys every object, leaves first: HWPTs hold users
 * of their IOAS, so each pass frees what nothing holds any more.
 */
static void iommufd_ctx_destroy(struct iommufd_ctx *ictx)
{
	bool progress = true;

	mutex_lock(&ictx->lock);
	while (progress) {
		progress = false;
		for (u32 id = 1; id < ictx->nr_slots; id++) {
			struct iommufd_object *obj = ictx->objects[id];

			if (obj && obj != &iommufd_reserved &&
			    __iommufd_object_try_destroy(ictx, obj))
				progress = true;
		}
	}
	mutex_unlock(&ictx->lock);
	mutex_destroy(&ictx->lock);
	free(ictx->objects);
	free(ictx);
}

void iommufd_ctx_put(struct iommufd_ctx *ictx)
{
	if (refcount_dec_and_test(&ictx->refs))
		iommufd_ctx_destroy(ictx);
}

/* The context of an open iommufd file, with a reference; -EBADFD if not one. */
struct iommufd_ctx *iommufd_ctx_from_file(struct uvfio_file *file)
{
	struct iommufd_ctx *ictx;

	if (file->f_op != &iommufd_fops)
		return ERR_PTR(-EBADFD);
	ictx = file->private_data;
	iommufd_ctx_get(ictx);
	return ictx;
}

struct iommufd_ctx *iommufd_ctx_from_fd(int fd)
{
	struct uvfio_file *file = uvfio_fget(fd);
	struct iommufd_ctx *ictx;

	/* Not ours: either no file at all, or a file of another kind. */
	if (!file)
		return ERR_PTR(uvfio_fd_is_open(fd) ? -EBADFD : -EBADF);
	ictx = iommufd_ctx_from_file(file);
	uvfio_fput(file);
	return ictx;
}

static int iommufd_fops_open(struct uvfio_node *node, struct uvfio_file *file)
{
	struct iommufd_ctx *ictx = calloc(1, sizeof(*ictx));

	if (!ictx)
		return -ENOMEM;
	refcount_set(&ictx->refs, 1);	/* put by iommufd_fops_release() */
	mutex_init(&ictx->lock);
	ictx->account_mode = IOPT_PAGES_ACCOUNT_USER;
	file->private_data = ictx;
	file->f_op = &iommufd_fops;
	return 0;
}

static void iommufd_fops_release(struct uvfio_file *file)
{
	iommufd_ctx_put(file->private_data);
}

static const struct uvfio_file_operations iommufd_fops = {
	.name = "iommufd",
	.unlocked_ioctl = iommufd_fops_ioctl,
	.release = iommufd_fops_release,
};

static struct uvfio_node iommufd_node = {
	.path = "/dev/iommu",
	.mode = S_IFCHR | 0600,
	.ino = IOMMUFD_INO,
	.open = iommufd_fops_open,
};

int iommufd_register_node(void)
{
	iommufd_node.rdev = makedev(MISC_MAJOR, IOMMUFD_MINOR);
	return uvfio_node_register(&iommufd_node);
}
