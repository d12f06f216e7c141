// SPDX-License-Identifier: MIT
/*
 * IOAS handlers (the kernel's drivers/iommu/iommufd/ioas.c): they validate
 * and translate, and leave the address-space data structure to iopt_*().
 * An IOAS is the I/O address space that devices attach to, through a HWPT.
 *
 * Each handler checks in the kernel's order, because a client observes
 * which errno wins: reserved fields and flags (EOPNOTSUPP), then ranges
 * past ULONG_MAX (EOVERFLOW), then field values (EINVAL), then the object
 * lookup (ENOENT), then whatever the io_pagetable says.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "iommufd_private.h"
#include "../vfs/uaccess.h"
#include "../vfs/vfs.h"
#include <uvfio/uapi/iommufd.h>

#define IOMMUFD_MAP_FLAGS						\
	(IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE |		\
	 IOMMU_IOAS_MAP_READABLE)

/* Caller holds ictx->lock. The new IOAS is not finalized. */
struct iommufd_ioas *__iommufd_ioas_alloc(struct iommufd_ctx *ictx)
{
	struct iommufd_object *obj;
	struct iommufd_ioas *ioas;

	lockdep_assert_held(&ictx->lock);
	obj = __iommufd_object_alloc(ictx, sizeof(*ioas), IOMMUFD_OBJ_IOAS);
	if (IS_ERR(obj))
		return (void *)obj;
	ioas = container_of(obj, struct iommufd_ioas, obj);
	iopt_init_table(&ioas->iopt, ictx->account_mode);
	INIT_LIST_HEAD(&ioas->hwpt_list);
	return ioas;
}

/* Called with ictx->lock held, from __iommufd_object_destroy(). */
void iommufd_ioas_destroy(struct iommufd_object *obj)
{
	struct iommufd_ioas *ioas = container_of(obj, struct iommufd_ioas, obj);

	iopt_unmap_all(&ioas->iopt, NULL);
	iopt_destroy_table(&ioas->iopt);
	free(ioas);
}

/* IOMMU_IOAS_ALLOC: flags are reserved (EOPNOTSUPP). */
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_ioas *ioas;
	int rc;

	if (cmd->flags)
		return -EOPNOTSUPP;

	mutex_lock(&ictx->lock);
	ioas = __iommufd_ioas_alloc(ictx);
	mutex_unlock(&ictx->lock);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	cmd->out_ioas_id = ioas->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_abort;
	iommufd_object_finalize(ictx, &ioas->obj);
	return 0;

out_abort:
	iopt_destroy_table(&ioas->iopt);
	iommufd_object_abort(ictx, &ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_IOVA_RANGES (iommufd_ioas_iova_ranges()): the holes between
 * reserved ranges. As many as fit are written, the struct is written back
 * with the total, and only then EMSGSIZE if the total did not fit.
 */
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct iommu_iova_range __user *ranges;
	struct iommufd_ioas *ioas;
	struct iopt_range *holes;
	unsigned long alignment;
	u32 max_iovas, num;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	rc = iopt_get_iova_ranges(&ioas->iopt, &holes, &num, &alignment);
	if (rc)
		goto out_put;
	max_iovas = cmd->num_iovas;
	ranges = (void __user *)(uintptr_t)cmd->allowed_iovas;
	cmd->num_iovas = num;
	cmd->out_iova_alignment = alignment;
	for (u32 i = 0; i < num && i < max_iovas; i++) {
		struct iommu_iova_range elm = {
			.start = holes[i].start,
			.last = holes[i].last,
		};

		if (copy_to_user(&ranges[i], &elm, sizeof(elm))) {
			rc = -EFAULT;
			goto out_free;
		}
	}
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (!rc && num > max_iovas)
		rc = -EMSGSIZE;
out_free:
	free(holes);
out_put:
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/*
 * Reads the client's ranges as iommufd_ioas_load_iovas() does, one at a
 * time in order: EFAULT, then start >= last (EINVAL), then an overlap with
 * an earlier one (EINVAL).
 */
static int iommufd_ioas_load_iovas(struct iopt_range *out,
				   const struct iommu_iova_range __user *ranges,
				   u32 num)
{
	for (u32 i = 0; i != num; i++) {
		struct iommu_iova_range range;

		if (copy_from_user(&range, ranges + i, sizeof(range)))
			return -EFAULT;
		if (range.start >= range.last)
			return -EINVAL;
		for (u32 j = 0; j < i; j++)
			if (out[j].start <= range.last &&
			    out[j].last >= range.start)
				return -EINVAL;
		out[i].start = range.start;
		out[i].last = range.last;
		out[i].owner = NULL;
	}
	return 0;
}

/*
 * IOMMU_IOAS_ALLOW_IOVAS: the whole list is replaced at once or not at all
 * (the kernel builds a new tree and swaps it in, iopt_set_allow_iova()).
 */
int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	struct iopt_range *ranges = NULL;
	struct iommufd_ioas *ioas;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	if (cmd->num_iovas) {
		/* The kernel allocates per entry, so a huge count is ENOMEM. */
		ranges = malloc((size_t)cmd->num_iovas * sizeof(*ranges));
		if (!ranges) {
			rc = -ENOMEM;
			goto out_put;
		}
	}
	rc = iommufd_ioas_load_iovas(ranges, (const void __user *)(uintptr_t)
				     cmd->allowed_iovas, cmd->num_iovas);
	if (!rc)
		rc = iopt_set_allow_iova(&ioas->iopt, ranges, cmd->num_iovas);
	free(ranges);
out_put:
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

static int conv_iommu_prot(u32 map_flags)
{
	return (map_flags & IOMMU_IOAS_MAP_WRITEABLE ? IOPT_WRITE : 0) |
	       (map_flags & IOMMU_IOAS_MAP_READABLE ? IOPT_READ : 0);
}

/*
 * The checks IOAS_MAP and IOAS_MAP_FILE share, before the IOAS lookup:
 * unknown flags (EOPNOTSUPP), a range past ULONG_MAX (EOVERFLOW), neither
 * READABLE nor WRITEABLE (EINVAL).
 */
static int iommufd_ioas_map_check(u32 flags, u64 iova, u64 length)
{
	if (flags & ~IOMMUFD_MAP_FLAGS)
		return -EOPNOTSUPP;
	if (iova >= IOPT_ULONG_MAX || length >= IOPT_ULONG_MAX)
		return -EOVERFLOW;
	if (!(flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	return 0;
}

/* IOMMU_IOAS_MAP, in iommufd_ioas_map()'s order. */
int iommufd_ioas_map(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	unsigned int flags = 0;
	u64 iova = cmd->iova;
	int rc;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	rc = iommufd_ioas_map_check(cmd->flags, cmd->iova, cmd->length);
	if (rc)
		return rc;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		flags = IOPT_ALLOC_IOVA;
	rc = iopt_map_user_pages(&ioas->iopt, &iova, (uintptr_t)cmd->user_va,
				 cmd->length, conv_iommu_prot(cmd->flags),
				 flags);
	if (rc)
		goto out_put;
	cmd->iova = iova;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	/* A mapping the client cannot learn the IOVA of is left in place,
	 * as in the kernel; it goes with unmap-all or the IOAS. */
out_put:
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_MAP_FILE (iommufd_ioas_map_file()): as MAP, with the fd looked
 * up after the IOAS. The kernel does not check @fd's sign apart from the
 * lookup, so a negative fd is EBADF too.
 */
int iommufd_ioas_map_file(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map_file *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	unsigned int flags = 0;
	u64 iova = cmd->iova;
	int rc;

	rc = iommufd_ioas_map_check(cmd->flags, cmd->iova, cmd->length);
	if (rc)
		return rc;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		flags = IOPT_ALLOC_IOVA;
	if (cmd->fd < 0 || fcntl(cmd->fd, F_GETFD) < 0) {
		rc = -EBADF;
		goto out_put;
	}
	/* An emulated file's fd is a placeholder memfd: not memory to map. */
	if (uvfio_fd_tracked(cmd->fd)) {
		rc = -EINVAL;
		goto out_put;
	}
	rc = iopt_map_file_pages(&ioas->iopt, &iova, cmd->fd, cmd->start,
				 cmd->length, conv_iommu_prot(cmd->flags),
				 flags);
	if (rc)
		goto out_put;
	cmd->iova = iova;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_put:
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_COPY (iommufd_ioas_copy()): the source is looked up and
 * released before the destination, so a bad source id wins over a bad
 * destination id, and a hole in the source (ENOENT) over both.
 */
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_copy *cmd = ucmd->cmd;
	struct iommufd_ioas *src_ioas, *dst_ioas;
	unsigned int flags = 0;
	u64 iova;
	int rc;

	if (cmd->flags & ~IOMMUFD_MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->length >= IOPT_ULONG_MAX || cmd->src_iova >= IOPT_ULONG_MAX ||
	    cmd->dst_iova >= IOPT_ULONG_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags &
	      (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;

	src_ioas = iommufd_get_ioas(ucmd->ictx, cmd->src_ioas_id);
	if (IS_ERR(src_ioas))
		return (int)PTR_ERR(src_ioas);
	/* iopt_get_pages() runs before the destination lookup. */
	if (!cmd->length) {
		rc = -EINVAL;
		goto out_put_src;
	}
	if (cmd->src_iova + (cmd->length - 1) < cmd->src_iova) {
		rc = -EOVERFLOW;
		goto out_put_src;
	}
	dst_ioas = iommufd_get_ioas(ucmd->ictx, cmd->dst_ioas_id);
	if (IS_ERR(dst_ioas)) {
		rc = (int)PTR_ERR(dst_ioas);
		goto out_put_src;
	}
	if (!(cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		flags = IOPT_ALLOC_IOVA;
	iova = cmd->dst_iova;
	rc = iopt_copy_iova(&dst_ioas->iopt, &iova, &src_ioas->iopt,
			    cmd->src_iova, cmd->length,
			    conv_iommu_prot(cmd->flags), flags);
	if (rc)
		goto out_put_dst;
	cmd->dst_iova = iova;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_put_dst:
	iommufd_put_object(ucmd->ictx, &dst_ioas->obj);
out_put_src:
	iommufd_put_object(ucmd->ictx, &src_ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_UNMAP (iommufd_ioas_unmap()): the IOAS is looked up first;
 * iova 0 with length U64_MAX is unmap-all and always succeeds. Otherwise
 * unmapping nothing is ENOENT here, although the io_pagetable (and the VFIO
 * compat UNMAP_DMA) report it as success with 0 bytes.
 */
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_unmap *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	u64 unmapped = 0;
	int rc;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);

	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		rc = iopt_unmap_all(&ioas->iopt, &unmapped);
	} else if (cmd->iova >= IOPT_ULONG_MAX ||
		   cmd->length >= IOPT_ULONG_MAX) {
		rc = -EOVERFLOW;
	} else {
		rc = iopt_unmap_iova(&ioas->iopt, cmd->iova, cmd->length,
				     &unmapped);
		if (!rc && !unmapped)
			rc = -ENOENT;
	}
	if (rc)
		goto out_put;
	cmd->length = unmapped;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_put:
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/* Effective CAP_SYS_RESOURCE, through capget(2). */
static bool iommufd_capable_sys_resource(void)
{
	struct { u32 version; int pid; } hdr = { 0x20080522, 0 };
	struct { u32 effective, permitted, inheritable; } data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[0].effective & (1u << 24);	/* CAP_SYS_RESOURCE */
}

/*
 * IOMMU_OPTION_RLIMIT_MODE (iommufd_option_rlimit_mode()): global, so
 * object_id must be 0. SET: CAP_SYS_RESOURCE (EPERM), then an empty
 * context (EBUSY), then the value (EINVAL). The mode is copied into each
 * IOAS at its creation, which is equivalent since it cannot change once an
 * object exists.
 */
int iommufd_option_rlimit_mode(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct iommufd_ctx *ictx = ucmd->ictx;
	int rc = 0;

	if (cmd->object_id)
		return -EOPNOTSUPP;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		mutex_lock(&ictx->lock);
		cmd->val64 = ictx->account_mode == IOPT_PAGES_ACCOUNT_MM;
		mutex_unlock(&ictx->lock);
		return 0;
	}
	if (cmd->op != IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	if (!iommufd_capable_sys_resource())
		return -EPERM;
	if (iommufd_ctx_has_objects(ictx))
		return -EBUSY;
	mutex_lock(&ictx->lock);
	if (cmd->val64 == 0)
		ictx->account_mode = IOPT_PAGES_ACCOUNT_USER;
	else if (cmd->val64 == 1)
		ictx->account_mode = IOPT_PAGES_ACCOUNT_MM;
	else
		rc = -EINVAL;
	mutex_unlock(&ictx->lock);
	return rc;
}

/* IOMMU_OPTION_HUGE_PAGES (iommufd_ioas_option()): per IOAS. */
int iommufd_ioas_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	int rc = 0;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->object_id);
	if (IS_ERR(ioas))
		return (int)PTR_ERR(ioas);
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = !READ_ONCE(ioas->iopt.disable_large_pages);
	} else if (cmd->op == IOMMU_OPTION_OP_SET) {
		if (cmd->val64 == 0)
			rc = iopt_disable_large_pages(&ioas->iopt);
		else if (cmd->val64 == 1)
			iopt_enable_large_pages(&ioas->iopt);
		else
			rc = -EINVAL;
	} else {
		rc = -EOPNOTSUPP;
	}
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}
