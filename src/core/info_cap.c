// SPDX-License-Identifier: MIT
/*
 * The capability chains of VFIO's info ioctls (device, region and IOMMU
 * info), as the kernel's vfio_info_cap_add()/vfio_info_cap_shift() build
 * them: headers {id, version, next}, each cap 8-byte aligned (as since Linux
 * 6.6; 6.1 packed them), next as an offset from the start of the info.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfio.h"
#include "../vfs/uaccess.h"
#include <uvfio/uapi/vfio.h>

#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)

/*
 * Appends a zeroed cap of @size bytes (header included) and links it from
 * the previous one. Returns it, or NULL with caps->error set.
 */
struct vfio_info_cap_header *vfio_info_cap_add(struct vfio_info_cap *caps,
					       size_t size, u16 id,
					       u16 version)
{
	struct vfio_info_cap_header *header, *tmp;
	size_t offset = ALIGN8(caps->size);
	void *buf;

	if (caps->error)
		return NULL;
	buf = realloc(caps->buf, offset + size);
	if (!buf) {
		caps->error = -ENOMEM;
		return NULL;
	}
	memset((char *)buf + caps->size, 0, offset + size - caps->size);
	caps->buf = buf;
	header = (void *)((char *)buf + offset);
	header->id = id;
	header->version = version;
	/* Link the last cap to the new one; offsets are from the chain. */
	for (tmp = buf; tmp->next; tmp = (void *)((char *)buf + tmp->next))
		;
	if (tmp != header)
		tmp->next = (u32)offset;
	caps->size = offset + size;
	return header;
}

/* Rebases every next pointer for a chain placed @offset into the info. */
void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset)
{
	struct vfio_info_cap_header *tmp = caps->buf;

	for (;;) {
		u32 next = tmp->next;

		if (!next)
			break;
		tmp->next = (u32)(next + offset);
		tmp = (void *)((char *)caps->buf + next);
	}
}

/*
 * The argsz-growth convention, once the caps are built: if the client's
 * buffer (@argsz) holds the fixed struct of @info_size plus the chain, copy
 * the chain after it and return its offset in *cap_offset; else grow
 * *argsz to what is needed and leave *cap_offset alone. 0 or -EFAULT.
 */
int vfio_info_cap_copy(struct vfio_info_cap *caps, void __user *arg,
		       size_t info_size, u32 *argsz, u32 *cap_offset)
{
	if (*argsz < info_size + caps->size) {
		*argsz = (u32)(info_size + caps->size);
		return 0;
	}
	vfio_info_cap_shift(caps, info_size);
	if (copy_to_user((char __user *)arg + info_size, caps->buf,
			 caps->size))
		return -EFAULT;
	*cap_offset = (u32)info_size;
	return 0;
}

void vfio_info_cap_free(struct vfio_info_cap *caps)
{
	free(caps->buf);
	caps->buf = NULL;
	caps->size = 0;
}
