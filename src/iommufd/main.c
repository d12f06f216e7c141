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

union ucmd_buffer {
	struct iommu_destroy destroy;
	struct iommu_ioas_alloc alloc;
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

static const struct iommufd_ioctl_op iommufd_ioctl_ops[] = {
	IOCTL_OP(IOMMU_DESTROY, iommufd_destroy, struct iommu_destroy, id),
	IOCTL_OP(IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,
		 struct iommu_ioas_alloc, out_ioas_id),
};

_Static_assert(sizeof(union ucmd_buffer) >= sizeof(struct iommu_ioas_alloc),
	       "every command fits the private buffer");

/*
 * As iommufd_fops_ioctl(): numbers outside the table belong to the VFIO
 * compat container (not emulated yet: ENOTTY); the leading size is read
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
		return -ENOTTY;

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
