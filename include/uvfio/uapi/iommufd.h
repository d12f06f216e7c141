/* SPDX-License-Identifier: MIT */
/*
 * The iommufd user ABI (/dev/iommu), as a program sees it through
 * <linux/iommufd.h>, restated in uvfio's own words: command numbers,
 * argument structs, flags and enums. Names and layouts follow Linux 6.17
 * (torvalds/linux b4d90dbc); later additions are noted where they matter.
 *
 * DO NOT include this together with <linux/iommufd.h>: both define the same
 * names, and the compiler will reject the second definition. uvfio code
 * includes only this file; a test that needs the system header for
 * comparison must do so in a separate translation unit.
 *
 * The header is self-contained: it needs only <stdint.h> and <stddef.h>.
 * It may be included together with <uvfio/uapi/vfio.h>.
 *
 * Conventions shared by every iommufd command:
 *
 *  - Request numbers are _IO(';', nr) with nr from 0x80 up: no direction or
 *    size bits, so a request is 0x3B00 | nr. Numbers below 0x80 on an
 *    iommufd are the VFIO container ioctls (the compat layer), and numbers
 *    past the table give ENOTTY.
 *  - Every struct starts with u32 @size, which the caller sets to the number
 *    of bytes it passes. The kernel requires at least the bytes up to the
 *    last mandatory field ("min size", given for each command below), reads
 *    up to its own sizeof, and treats a longer struct as valid only if every
 *    byte it does not know is zero. Fields are only ever appended.
 *  - Outputs are copied back over at most min(@size, sizeof) bytes.
 *  - Objects (IOAS, HWPT, device, ...) are named by u32 ids from one
 *    namespace per open /dev/iommu. Ids start at 1, the lowest free id is
 *    used, and ids are reused after IOMMU_DESTROY.
 *  - Seen from the client, a call returns 0 on success and -1 with errno
 *    set on failure. The errnos have fixed meanings:
 *      ENOTTY      the request number is unknown;
 *      EINVAL      @size is below the min size, or a field is wrong;
 *      E2BIG       non-zero bytes past the struct the kernel knows;
 *      EOPNOTSUPP  an unknown flag, op or option, or a non-zero __reserved;
 *      ENOENT      an id, or an IOVA, does not exist;
 *      ENOMEM      out of memory;
 *      EOVERFLOW   arithmetic on the given values would overflow;
 *    plus EBUSY, EEXIST, EMSGSIZE, EADDRINUSE and ENOSPC where noted.
 */
#ifndef UVFIO_UAPI_IOMMUFD_H
#define UVFIO_UAPI_IOMMUFD_H

#include <stddef.h>
#include <stdint.h>

/*
 * A 64-bit field that is 8-byte aligned on every ABI (the kernel's
 * __aligned_u64). Every 64-bit field of the iommufd ABI is of this kind, so
 * the layouts below are the same on 32-bit and 64-bit ABIs.
 */
#ifndef UVFIO_ALIGNED_U64_DEFINED
#define UVFIO_ALIGNED_U64_DEFINED
typedef uint64_t uvfio_aligned_u64 __attribute__((aligned(8)));
#endif

/* _IO(type, nr) without <linux/ioctl.h>: type << 8 | nr. */
#ifndef UVFIO_IO
#define UVFIO_IO(type, nr)	(((type) << 8) | (nr))
#endif

/* Layout checks used after every struct below. */
#ifndef UVFIO_UAPI_ASSERT_SIZE
#define UVFIO_UAPI_ASSERT_SIZE(type, size)				\
	_Static_assert(sizeof(struct type) == (size),			\
		       "sizeof(struct " #type ") != " #size)
#define UVFIO_UAPI_ASSERT_OFFSET(type, field, off)			\
	_Static_assert(offsetof(struct type, field) == (off),		\
		       "offsetof(struct " #type ", " #field ") != " #off)
#endif

#define IOMMUFD_TYPE	(';')

/* Command numbers (the nr part of each request). */
enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_IOAS_COPY = 0x83,
	IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_IOAS_MAP = 0x85,
	IOMMUFD_CMD_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_OPTION = 0x87,
	IOMMUFD_CMD_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
	IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,
	IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,
	IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,
	IOMMUFD_CMD_IOAS_CHANGE_PROCESS = 0x92,
	IOMMUFD_CMD_VEVENTQ_ALLOC = 0x93,
	IOMMUFD_CMD_HW_QUEUE_ALLOC = 0x94,
};

/*
 * struct iommu_destroy - IOMMU_DESTROY
 * UVFIO_IO(';', 0x80) = 0x3B80, min size 8
 *
 * Destroys any object by id; this is the undo of every *_ALLOC command (and
 * of the auto-created objects of the VFIO compat path). A device object
 * created by VFIO_DEVICE_BIND_IOMMUFD is held by VFIO and goes away only
 * when the device fd is closed. Closing the iommufd destroys everything
 * left, dependants first.
 *
 * @size: sizeof(struct iommu_destroy).
 * @id:   the object to destroy.
 *
 * Returns 0, or -1 with errno:
 *   ENOENT  no object with that id;
 *   EBUSY   something still uses it (a HWPT on the IOAS, a device attached
 *           to the HWPT, VFIO holding the device, a nested HWPT on its
 *           parent, ...).
 */
struct iommu_destroy {
	uint32_t	size;
	uint32_t	id;
};
#define IOMMU_DESTROY	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)
UVFIO_UAPI_ASSERT_SIZE(iommu_destroy, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_destroy, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_destroy, id, 4);

/*
 * struct iommu_ioas_alloc - IOMMU_IOAS_ALLOC
 * UVFIO_IO(';', 0x81) = 0x3B81, min size 12
 *
 * Creates an empty IO address space: a table of IOVA -> user memory
 * mappings that HWPTs and devices can be attached to. A fresh IOAS allows
 * the whole IOVA space, [0, ULONG_MAX], with alignment 1. Undone by
 * IOMMU_DESTROY of @out_ioas_id.
 *
 * @size:        sizeof(struct iommu_ioas_alloc).
 * @flags:       0.
 * @out_ioas_id: out: id of the new IOAS.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  @flags != 0;
 *   ENOMEM      out of memory or ids.
 */
struct iommu_ioas_alloc {
	uint32_t	size;
	uint32_t	flags;
	uint32_t	out_ioas_id;
};
#define IOMMU_IOAS_ALLOC	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_alloc, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_alloc, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_alloc, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_alloc, out_ioas_id, 8);

/*
 * struct iommu_iova_range - an IOVA interval, both ends included
 *
 * @start: first IOVA.
 * @last:  last IOVA (not one past it).
 */
struct iommu_iova_range {
	uvfio_aligned_u64	start;
	uvfio_aligned_u64	last;
};
UVFIO_UAPI_ASSERT_SIZE(iommu_iova_range, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_iova_range, start, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_iova_range, last, 8);

/*
 * struct iommu_ioas_iova_ranges - IOMMU_IOAS_IOVA_RANGES
 * UVFIO_IO(';', 0x84) = 0x3B84, min size 32
 *
 * Reports where in the IOAS mappings may be placed: the full space minus
 * what attached devices reserve (their aperture limits, MSI windows, ...).
 * The answer changes as devices attach and detach, so callers ask again
 * after each. A query: nothing to undo.
 *
 * The usual protocol is two calls: first with @num_iovas = 0, which fails
 * with EMSGSIZE but reports the count, then with an array that large.
 *
 * @size:               sizeof(struct iommu_ioas_iova_ranges).
 * @ioas_id:            the IOAS.
 * @num_iovas:          in: capacity of @allowed_iovas; out: total number of
 *                      ranges (which may exceed the capacity).
 * @__reserved:         0.
 * @allowed_iovas:      user address of struct iommu_iova_range[]; filled
 *                      with as many ranges as fit, in ascending order.
 * @out_iova_alignment: out: IOVA and length granularity IOMMU_IOAS_MAP and
 *                      IOMMU_IOAS_COPY require (1 = any; at most PAGE_SIZE).
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  @__reserved != 0;
 *   ENOENT      @ioas_id is not an IOAS;
 *   EFAULT      @allowed_iovas cannot be written;
 *   EMSGSIZE    more ranges than @num_iovas; the struct has still been
 *               written back, with @num_iovas set to the count needed.
 */
struct iommu_ioas_iova_ranges {
	uint32_t		size;
	uint32_t		ioas_id;
	uint32_t		num_iovas;
	uint32_t		__reserved;
	uvfio_aligned_u64	allowed_iovas;
	uvfio_aligned_u64	out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_iova_ranges, 32);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, ioas_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, num_iovas, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, __reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, allowed_iovas, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_iova_ranges, out_iova_alignment, 24);

/*
 * struct iommu_ioas_allow_iovas - IOMMU_IOAS_ALLOW_IOVAS
 * UVFIO_IO(';', 0x82) = 0x3B82, min size 24
 *
 * Promises that the given IOVA ranges stay usable: once set, attaching a
 * device that would reserve part of them fails, and automatic IOVA
 * allocation in IOMMU_IOAS_MAP stays inside them. Each call replaces the
 * whole list; calling it with @num_iovas = 0 clears the list, which is the
 * undo.
 *
 * @size:          sizeof(struct iommu_ioas_allow_iovas).
 * @ioas_id:       the IOAS.
 * @num_iovas:     number of entries at @allowed_iovas.
 * @__reserved:    0.
 * @allowed_iovas: user address of struct iommu_iova_range[].
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  @__reserved != 0;
 *   ENOENT      @ioas_id is not an IOAS;
 *   EFAULT      the array cannot be read;
 *   EINVAL      a range with start >= last, or two ranges that overlap;
 *   EADDRINUSE  a range intersects space already reserved in the IOAS.
 */
struct iommu_ioas_allow_iovas {
	uint32_t		size;
	uint32_t		ioas_id;
	uint32_t		num_iovas;
	uint32_t		__reserved;
	uvfio_aligned_u64	allowed_iovas;
};
#define IOMMU_IOAS_ALLOW_IOVAS \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOW_IOVAS)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_allow_iovas, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_allow_iovas, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_allow_iovas, ioas_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_allow_iovas, num_iovas, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_allow_iovas, __reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_allow_iovas, allowed_iovas, 16);

/*
 * enum iommufd_ioas_map_flags - flags of IOMMU_IOAS_MAP, _MAP_FILE and _COPY
 *
 * @IOMMU_IOAS_MAP_FIXED_IOVA: place the mapping at the given @iova; without
 *                             it the kernel picks the IOVA and returns it.
 * @IOMMU_IOAS_MAP_WRITEABLE:  devices may write through the mapping.
 * @IOMMU_IOAS_MAP_READABLE:   devices may read through the mapping.
 *
 * At least one of WRITEABLE and READABLE is required.
 */
enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/*
 * struct iommu_ioas_map - IOMMU_IOAS_MAP
 * UVFIO_IO(';', 0x85) = 0x3B85, min size 40
 *
 * Maps [@user_va, @user_va + @length) of the caller's memory into the IOAS.
 * With FIXED_IOVA the mapping goes exactly at @iova and must not overlap an
 * existing one; otherwise the kernel chooses an IOVA (never 0, keeping the
 * natural alignment of @user_va and @length, inside the allowed ranges).
 * Pages are pinned when a domain or access needs them, which may be later
 * than this call. Undone by IOMMU_IOAS_UNMAP of the same range (or a
 * superset), or by destroying the IOAS.
 *
 * @size:       sizeof(struct iommu_ioas_map).
 * @flags:      enum iommufd_ioas_map_flags.
 * @ioas_id:    the IOAS.
 * @__reserved: 0.
 * @user_va:    start of the memory to map.
 * @length:     bytes to map.
 * @iova:       in (FIXED_IOVA): where to map; out: where it was mapped.
 *
 * Returns 0, or -1 with errno, in this order:
 *   EOPNOTSUPP  unknown flags, or @__reserved != 0;
 *   EOVERFLOW   @iova or @length >= ULONG_MAX, or @iova + @length wraps;
 *   EINVAL      neither WRITEABLE nor READABLE;
 *   ENOENT      @ioas_id is not an IOAS;
 *   EINVAL      @length 0; @iova, @length or the page offset of @user_va
 *               not a multiple of the IOAS alignment; (FIXED) the range
 *               hits reserved space;
 *   EEXIST      (FIXED) the range overlaps an existing mapping;
 *   ENOSPC      (not FIXED) no free IOVA range is large enough;
 *   EFAULT      the user memory is not there when it is pinned;
 *   ENOMEM      out of memory, or over RLIMIT_MEMLOCK.
 */
struct iommu_ioas_map {
	uint32_t		size;
	uint32_t		flags;
	uint32_t		ioas_id;
	uint32_t		__reserved;
	uvfio_aligned_u64	user_va;
	uvfio_aligned_u64	length;
	uvfio_aligned_u64	iova;
};
#define IOMMU_IOAS_MAP	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_map, 40);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, ioas_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, __reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, user_va, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, length, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map, iova, 32);

/*
 * struct iommu_ioas_map_file - IOMMU_IOAS_MAP_FILE
 * UVFIO_IO(';', 0x8f) = 0x3B8F, min size 40
 *
 * Like IOMMU_IOAS_MAP, but the memory is [@start, @start + @length) of a
 * memfd rather than a range of the caller's address space, so the mapping
 * does not depend on the caller's page tables. Undone the same way, by
 * IOMMU_IOAS_UNMAP.
 *
 * @size:    sizeof(struct iommu_ioas_map_file).
 * @flags:   enum iommufd_ioas_map_flags.
 * @ioas_id: the IOAS.
 * @fd:      the memfd (it takes the place of MAP's @__reserved).
 * @start:   byte offset in the file.
 * @length:  bytes to map.
 * @iova:    in (FIXED_IOVA): where to map; out: where it was mapped.
 *
 * Returns 0, or -1 with errno: as IOMMU_IOAS_MAP, plus
 *   EBADF   @fd is not an open fd;
 *   EINVAL  the file is not a memfd-like file, or the range lies outside it.
 */
struct iommu_ioas_map_file {
	uint32_t		size;
	uint32_t		flags;
	uint32_t		ioas_id;
	int32_t			fd;
	uvfio_aligned_u64	start;
	uvfio_aligned_u64	length;
	uvfio_aligned_u64	iova;
};
#define IOMMU_IOAS_MAP_FILE \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP_FILE)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_map_file, 40);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, ioas_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, fd, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, start, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, length, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_map_file, iova, 32);

/*
 * struct iommu_ioas_copy - IOMMU_IOAS_COPY
 * UVFIO_IO(';', 0x83) = 0x3B83, min size 40
 *
 * Maps into @dst_ioas_id the same memory that [@src_iova, @src_iova +
 * @length) maps in @src_ioas_id, sharing the pinned pages instead of pinning
 * them again. The source range must be covered, without holes, by existing
 * mappings. The destination follows the IOMMU_IOAS_MAP rules. Undone by
 * IOMMU_IOAS_UNMAP on the destination.
 *
 * @size:        sizeof(struct iommu_ioas_copy).
 * @flags:       enum iommufd_ioas_map_flags, applied to the new mapping.
 * @dst_ioas_id: IOAS to map into.
 * @src_ioas_id: IOAS to copy from (may be the same).
 * @length:      bytes to copy.
 * @dst_iova:    in (FIXED_IOVA): where to map; out: where it was mapped.
 * @src_iova:    start of the source range.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  unknown flags;
 *   EOVERFLOW   @length, @src_iova or @dst_iova >= ULONG_MAX;
 *   EINVAL      neither WRITEABLE nor READABLE;
 *   ENOENT      an id is not an IOAS, or the source range has a hole;
 *   and the IOMMU_IOAS_MAP errors for the destination (EEXIST, ENOSPC, ...).
 */
struct iommu_ioas_copy {
	uint32_t		size;
	uint32_t		flags;
	uint32_t		dst_ioas_id;
	uint32_t		src_ioas_id;
	uvfio_aligned_u64	length;
	uvfio_aligned_u64	dst_iova;
	uvfio_aligned_u64	src_iova;
};
#define IOMMU_IOAS_COPY	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_COPY)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_copy, 40);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, dst_ioas_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, src_ioas_id, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, length, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, dst_iova, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_copy, src_iova, 32);

/*
 * struct iommu_ioas_unmap - IOMMU_IOAS_UNMAP
 * UVFIO_IO(';', 0x86) = 0x3B86, min size 24
 *
 * The undo of IOMMU_IOAS_MAP, _MAP_FILE and _COPY: removes every mapping
 * that lies entirely inside [@iova, @iova + @length). Mappings are never
 * split, so a mapping that is only partly inside makes the call fail.
 * @iova = 0 with @length = UINT64_MAX removes everything and succeeds even
 * on an empty IOAS.
 *
 * @size:    sizeof(struct iommu_ioas_unmap).
 * @ioas_id: the IOAS.
 * @iova:    start of the range.
 * @length:  in: length of the range; out: bytes actually unmapped.
 *
 * Returns 0, or -1 with errno:
 *   ENOENT     @ioas_id is not an IOAS; a mapping is only partly inside the
 *              range; nothing at all is mapped in the range (unlike type1
 *              UNMAP_DMA, which then succeeds with size 0);
 *   EOVERFLOW  @iova or @length >= ULONG_MAX (other than unmap-all);
 *   EINVAL     @length 0;
 *   EBUSY      an in-kernel user holds part of the range locked.
 */
struct iommu_ioas_unmap {
	uint32_t		size;
	uint32_t		ioas_id;
	uvfio_aligned_u64	iova;
	uvfio_aligned_u64	length;
};
#define IOMMU_IOAS_UNMAP	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)
UVFIO_UAPI_ASSERT_SIZE(iommu_ioas_unmap, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_unmap, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_unmap, ioas_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_unmap, iova, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_ioas_unmap, length, 16);

/*
 * enum iommufd_option - the options IOMMU_OPTION knows
 *
 * @IOMMU_OPTION_RLIMIT_MODE: how pinned pages count against
 *     RLIMIT_MEMLOCK: 0 = per user (the default for /dev/iommu), 1 = per
 *     process (the default when the iommufd was opened as /dev/vfio/vfio).
 *     Global: @object_id must be 0. Setting it needs CAP_SYS_RESOURCE and a
 *     context with no objects yet.
 * @IOMMU_OPTION_HUGE_PAGES: per IOAS (@object_id is the IOAS id). 1 (the
 *     default) lets contiguous pages be mapped with large IOMMU pages; 0
 *     maps everything in PAGE_SIZE units and raises the IOAS alignment to
 *     PAGE_SIZE.
 */
enum iommufd_option {
	IOMMU_OPTION_RLIMIT_MODE = 0,
	IOMMU_OPTION_HUGE_PAGES = 1,
};

/*
 * enum iommufd_option_ops - what IOMMU_OPTION does with the option
 *
 * @IOMMU_OPTION_OP_SET: store @val64 as the new value.
 * @IOMMU_OPTION_OP_GET: return the current value in @val64.
 */
enum iommufd_option_ops {
	IOMMU_OPTION_OP_SET = 0,
	IOMMU_OPTION_OP_GET = 1,
};

/*
 * struct iommu_option - IOMMU_OPTION
 * UVFIO_IO(';', 0x87) = 0x3B87, min size 24
 *
 * Reads or changes one option of the context or of an object. A SET is
 * undone by another SET of the previous value.
 *
 * @size:       sizeof(struct iommu_option).
 * @option_id:  enum iommufd_option.
 * @op:         enum iommufd_option_ops.
 * @__reserved: 0.
 * @object_id:  the object the option applies to, or 0 for a global one.
 * @val64:      in (SET): new value; out (GET): current value. Only this
 *              field is written back.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  @__reserved != 0; unknown option or op; RLIMIT_MODE with a
 *               non-zero @object_id;
 *   ENOENT      (HUGE_PAGES) @object_id is not an IOAS;
 *   EINVAL      SET with a value other than 0 or 1;
 *   EPERM       (RLIMIT_MODE SET) no CAP_SYS_RESOURCE;
 *   EBUSY       (RLIMIT_MODE SET) the context already has objects;
 *   EADDRINUSE  (HUGE_PAGES SET 0) existing mappings are not page aligned.
 */
struct iommu_option {
	uint32_t		size;
	uint32_t		option_id;
	uint16_t		op;
	uint16_t		__reserved;
	uint32_t		object_id;
	uvfio_aligned_u64	val64;
};
#define IOMMU_OPTION	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_OPTION)
UVFIO_UAPI_ASSERT_SIZE(iommu_option, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, option_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, op, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, __reserved, 10);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, object_id, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_option, val64, 16);

/*
 * enum iommufd_vfio_ioas_op - what IOMMU_VFIO_IOAS does
 *
 * @IOMMU_VFIO_IOAS_GET:   return the IOAS the VFIO compat layer uses.
 * @IOMMU_VFIO_IOAS_SET:   make @ioas_id the compat IOAS.
 * @IOMMU_VFIO_IOAS_CLEAR: forget the compat IOAS (without destroying it).
 */
enum iommufd_vfio_ioas_op {
	IOMMU_VFIO_IOAS_GET = 0,
	IOMMU_VFIO_IOAS_SET = 1,
	IOMMU_VFIO_IOAS_CLEAR = 2,
};

/*
 * struct iommu_vfio_ioas - IOMMU_VFIO_IOAS
 * UVFIO_IO(';', 0x88) = 0x3B88, min size 12
 *
 * The VFIO container ioctls carry no IOAS id, so an iommufd used as a
 * container works on one "compat" IOAS. VFIO_GROUP_SET_CONTAINER takes the
 * one set here, or creates one if none is set. SET and CLEAR never destroy
 * an IOAS; CLEAR (or SET of the old id) is the undo of SET.
 *
 * @size:       sizeof(struct iommu_vfio_ioas).
 * @ioas_id:    in (SET): the IOAS to use; out (GET): the one in use.
 * @op:         enum iommufd_vfio_ioas_op.
 * @__reserved: 0.
 *
 * Returns 0, or -1 with errno:
 *   ENODEV      GET with no compat IOAS;
 *   ENOENT      SET with an id that is not an IOAS;
 *   EOPNOTSUPP  unknown @op, or @__reserved != 0.
 */
struct iommu_vfio_ioas {
	uint32_t	size;
	uint32_t	ioas_id;
	uint16_t	op;
	uint16_t	__reserved;
};
#define IOMMU_VFIO_IOAS	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_VFIO_IOAS)
UVFIO_UAPI_ASSERT_SIZE(iommu_vfio_ioas, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_vfio_ioas, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_vfio_ioas, ioas_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_vfio_ioas, op, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_vfio_ioas, __reserved, 10);

/*
 * enum iommufd_hwpt_alloc_flags - flags of IOMMU_HWPT_ALLOC
 *
 * @IOMMU_HWPT_ALLOC_NEST_PARENT:    the HWPT may later be the parent (stage
 *                                   2) of nested HWPTs.
 * @IOMMU_HWPT_ALLOC_DIRTY_TRACKING: the HWPT must support dirty tracking;
 *                                   devices that cannot are refused at
 *                                   attach time.
 * @IOMMU_HWPT_FAULT_ID_VALID:       @fault_id names a fault queue that
 *                                   receives this HWPT's I/O page faults.
 * @IOMMU_HWPT_ALLOC_PASID:          the HWPT may be attached to PASIDs. If
 *                                   a device is to use PASIDs, the HWPT on
 *                                   its non-PASID side needs this flag too.
 *                                   EOPNOTSUPP without IOMMU PASID support.
 */
enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
	IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
	IOMMU_HWPT_ALLOC_PASID = 1 << 3,
};

/*
 * enum iommu_hwpt_data_type - format of the data IOMMU_HWPT_ALLOC passes on
 *
 * @IOMMU_HWPT_DATA_NONE:       no data: a kernel-managed paging HWPT.
 * @IOMMU_HWPT_DATA_VTD_S1:     Intel VT-d stage-1 table (nested HWPT).
 * @IOMMU_HWPT_DATA_ARM_SMMUV3: ARM SMMUv3 stream table entry (nested HWPT).
 *
 * Later kernels add more vendor formats (AMD, seen in Linux 7.2 headers as
 * 3); uvfio has no hardware to nest on and accepts only DATA_NONE. The
 * vendor payload structs are therefore not provided here.
 */
enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
	IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
};

/*
 * struct iommu_hwpt_alloc - IOMMU_HWPT_ALLOC
 * UVFIO_IO(';', 0x89) = 0x3B89, min size 24 (through @__reserved)
 *
 * Creates a hardware page table (an IOMMU domain) explicitly, instead of
 * letting VFIO_DEVICE_ATTACH_IOMMUFD_PT create one for an IOAS. Given an
 * IOAS in @pt_id, the result is a kernel-managed paging HWPT that mirrors
 * the IOAS's mappings (@data_type must be DATA_NONE). Given a nest-parent
 * HWPT or a vIOMMU, the result is a nested HWPT described by vendor data.
 * @dev_id says which device's IOMMU the HWPT is made for. Undone by
 * IOMMU_DESTROY of @out_hwpt_id (EBUSY while a device is attached).
 *
 * @size:        sizeof(struct iommu_hwpt_alloc).
 * @flags:       enum iommufd_hwpt_alloc_flags.
 * @dev_id:      a device bound to this iommufd (VFIO's out_devid).
 * @pt_id:       parent: IOAS, nest-parent HWPT or vIOMMU.
 * @out_hwpt_id: out: id of the new HWPT.
 * @__reserved:  0.
 * @data_type:   enum iommu_hwpt_data_type.
 * @data_len:    length of the data at @data_uptr; 0 with DATA_NONE.
 * @data_uptr:   user address of the vendor data; 0 with DATA_NONE.
 * @fault_id:    with IOMMU_HWPT_FAULT_ID_VALID, the fault queue object.
 * @__reserved2: 0; pads the struct to a multiple of 8.
 *
 * Returns 0, or -1 with errno, in the kernel's order of checking
 * (iommufd_hwpt_alloc()):
 *   EOPNOTSUPP  @__reserved != 0;
 *   EINVAL      @data_len != 0 with DATA_NONE, or 0 with any other type;
 *   ENOENT      @dev_id is not a device of this iommufd;
 *   EINVAL      @pt_id does not exist, or is not an IOAS, paging HWPT or
 *               vIOMMU (note: not ENOENT);
 *   EOPNOTSUPP  unknown flags, or a data type or flag combination the
 *               IOMMU does not support;
 *   ENOENT      (FAULT_ID_VALID) @fault_id is not a fault queue.
 */
struct iommu_hwpt_alloc {
	uint32_t		size;
	uint32_t		flags;
	uint32_t		dev_id;
	uint32_t		pt_id;
	uint32_t		out_hwpt_id;
	uint32_t		__reserved;
	uint32_t		data_type;
	uint32_t		data_len;
	uvfio_aligned_u64	data_uptr;
	uint32_t		fault_id;
	uint32_t		__reserved2;
};
#define IOMMU_HWPT_ALLOC	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_ALLOC)
UVFIO_UAPI_ASSERT_SIZE(iommu_hwpt_alloc, 48);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, dev_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, pt_id, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, out_hwpt_id, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, __reserved, 20);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, data_type, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, data_len, 28);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, data_uptr, 32);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, fault_id, 40);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_alloc, __reserved2, 44);

/*
 * enum iommu_hw_info_type - format of the data IOMMU_GET_HW_INFO returns
 *
 * @IOMMU_HW_INFO_TYPE_NONE:             the IOMMU reports no vendor data
 *                                       (what uvfio's emulated IOMMU says).
 * @IOMMU_HW_INFO_TYPE_DEFAULT:          as input: "whatever the IOMMU's own
 *                                       type is"; same value as NONE.
 * @IOMMU_HW_INFO_TYPE_INTEL_VTD:        Intel VT-d registers.
 * @IOMMU_HW_INFO_TYPE_ARM_SMMUV3:       ARM SMMUv3 ID registers.
 * @IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV:   NVIDIA Tegra241 CMDQV extension.
 *
 * Later kernels add IOMMU_HW_INFO_TYPE_AMD (4 in Linux 7.2 headers). The
 * vendor payload structs are not provided here.
 */
enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_DEFAULT = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
};

/*
 * enum iommufd_hw_capabilities - bits of iommu_hw_info.out_capabilities
 *
 * @IOMMU_HW_CAP_DIRTY_TRACKING: the IOMMU can track DMA writes, so
 *                               IOMMU_HWPT_SET_DIRTY_TRACKING and
 *                               IOMMU_HWPT_GET_DIRTY_BITMAP work.
 * @IOMMU_HW_CAP_PCI_PASID_EXEC: the device's PASID capability supports
 *                               execute permission.
 * @IOMMU_HW_CAP_PCI_PASID_PRIV: the device's PASID capability supports
 *                               privileged mode.
 *
 * The two PASID bits mean nothing when out_max_pasid_log2 is 0. Later
 * kernels add IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED (1 << 3 in Linux 7.2).
 */
enum iommufd_hw_capabilities {
	IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
	IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
	IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
};

/*
 * enum iommufd_hw_info_flags - flags of IOMMU_GET_HW_INFO
 *
 * @IOMMU_HW_INFO_FLAG_INPUT_TYPE: @in_data_type names the data format the
 *                                 caller wants; without it the IOMMU's
 *                                 default format is returned.
 */
enum iommufd_hw_info_flags {
	IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

/*
 * struct iommu_hw_info - IOMMU_GET_HW_INFO
 * UVFIO_IO(';', 0x8a) = 0x3B8A, min size 32 (through @__reserved)
 *
 * Describes the IOMMU behind a bound device: generic capability bits, the
 * PASID width, and optionally a vendor-specific register dump copied to
 * @data_uptr. A query: nothing to undo.
 *
 * @size:               sizeof(struct iommu_hw_info).
 * @flags:              enum iommufd_hw_info_flags.
 * @dev_id:             a device bound to this iommufd.
 * @data_len:           in: size of the buffer at @data_uptr (0 is allowed);
 *                      out: size of the data the kernel has. The kernel
 *                      copies min(in, out) bytes and zero-fills the rest of
 *                      the caller's buffer.
 * @data_uptr:          user address of the buffer for the vendor data.
 * @in_data_type:       in, with IOMMU_HW_INFO_FLAG_INPUT_TYPE: the format
 *                      wanted (enum iommu_hw_info_type).
 * @out_data_type:      out: the format returned; shares storage with
 *                      @in_data_type.
 * @out_max_pasid_log2: out: PASID width in bits; 0 = no PASID support.
 * @__reserved:         0.
 * @out_capabilities:   out: enum iommufd_hw_capabilities bits.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  unknown flags, a non-zero @__reserved, or an input type the
 *               IOMMU does not provide;
 *   ENOENT      @dev_id is not a device of this iommufd;
 *   EFAULT      the buffer cannot be written.
 */
struct iommu_hw_info {
	uint32_t		size;
	uint32_t		flags;
	uint32_t		dev_id;
	uint32_t		data_len;
	uvfio_aligned_u64	data_uptr;
	union {
		uint32_t	in_data_type;
		uint32_t	out_data_type;
	};
	uint8_t			out_max_pasid_log2;
	uint8_t			__reserved[3];
	uvfio_aligned_u64	out_capabilities;
};
#define IOMMU_GET_HW_INFO	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_GET_HW_INFO)
UVFIO_UAPI_ASSERT_SIZE(iommu_hw_info, 40);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, dev_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, data_len, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, data_uptr, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, in_data_type, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, out_data_type, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, out_max_pasid_log2, 28);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, __reserved, 29);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hw_info, out_capabilities, 32);

/*
 * enum iommufd_hwpt_set_dirty_tracking_flags - flags of
 * IOMMU_HWPT_SET_DIRTY_TRACKING
 *
 * @IOMMU_HWPT_DIRTY_TRACKING_ENABLE: turn tracking on; without it, off.
 */
enum iommufd_hwpt_set_dirty_tracking_flags {
	IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

/*
 * struct iommu_hwpt_set_dirty_tracking - IOMMU_HWPT_SET_DIRTY_TRACKING
 * UVFIO_IO(';', 0x8b) = 0x3B8B, min size 16
 *
 * Starts or stops recording which IOVA pages devices write through a HWPT.
 * The HWPT must have been allocated with IOMMU_HWPT_ALLOC_DIRTY_TRACKING.
 * A call without the ENABLE flag is the undo of one with it.
 *
 * @size:       sizeof(struct iommu_hwpt_set_dirty_tracking).
 * @flags:      enum iommufd_hwpt_set_dirty_tracking_flags.
 * @hwpt_id:    a paging HWPT.
 * @__reserved: 0.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  unknown flags (the kernel does not check @__reserved here);
 *   ENOENT      @hwpt_id is not a paging HWPT;
 *   other       what the IOMMU driver reports when it cannot track.
 */
struct iommu_hwpt_set_dirty_tracking {
	uint32_t	size;
	uint32_t	flags;
	uint32_t	hwpt_id;
	uint32_t	__reserved;
};
#define IOMMU_HWPT_SET_DIRTY_TRACKING \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)
UVFIO_UAPI_ASSERT_SIZE(iommu_hwpt_set_dirty_tracking, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_set_dirty_tracking, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_set_dirty_tracking, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_set_dirty_tracking, hwpt_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_set_dirty_tracking, __reserved, 12);

/*
 * enum iommufd_hwpt_get_dirty_bitmap_flags - flags of
 * IOMMU_HWPT_GET_DIRTY_BITMAP
 *
 * @IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR: report without clearing the dirty
 *                                        state, for when the range is about
 *                                        to be unmapped anyway.
 */
enum iommufd_hwpt_get_dirty_bitmap_flags {
	IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1,
};

/*
 * struct iommu_hwpt_get_dirty_bitmap - IOMMU_HWPT_GET_DIRTY_BITMAP
 * UVFIO_IO(';', 0x8c) = 0x3B8C, min size 48
 *
 * Reports, and by default clears, the pages of [@iova, @iova + @length)
 * written by devices since the last report. Bit b of the bitmap at @data
 * (uint64_t words, little bit first) stands for the page at
 * @iova + b * @page_size; the kernel only sets bits. A query (apart from the
 * clearing): nothing to undo.
 *
 * @size:       sizeof(struct iommu_hwpt_get_dirty_bitmap).
 * @hwpt_id:    a paging HWPT with dirty tracking enabled.
 * @flags:      enum iommufd_hwpt_get_dirty_bitmap_flags.
 * @__reserved: 0.
 * @iova:       start of the range.
 * @length:     length of the range.
 * @page_size:  bytes per bit; a power of two.
 * @data:       user address of the bitmap.
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  unknown flags or @__reserved != 0;
 *   ENOENT      @hwpt_id is not a paging HWPT;
 *   EOVERFLOW   @iova or @length out of range;
 *   EINVAL      bad @page_size, or a range not aligned to the IOAS;
 *   EFAULT      the bitmap cannot be written.
 */
struct iommu_hwpt_get_dirty_bitmap {
	uint32_t		size;
	uint32_t		hwpt_id;
	uint32_t		flags;
	uint32_t		__reserved;
	uvfio_aligned_u64	iova;
	uvfio_aligned_u64	length;
	uvfio_aligned_u64	page_size;
	uvfio_aligned_u64	data;
};
#define IOMMU_HWPT_GET_DIRTY_BITMAP \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)
UVFIO_UAPI_ASSERT_SIZE(iommu_hwpt_get_dirty_bitmap, 48);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, hwpt_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, flags, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, __reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, iova, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, length, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, page_size, 32);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_get_dirty_bitmap, data, 40);

/*
 * enum iommu_hwpt_invalidate_data_type - format of IOMMU_HWPT_INVALIDATE
 * requests
 *
 * @IOMMU_HWPT_INVALIDATE_DATA_VTD_S1:       Intel VT-d stage-1 requests.
 * @IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3: ARM SMMUv3 commands (to a
 *                                           vIOMMU).
 */
enum iommu_hwpt_invalidate_data_type {
	IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

/*
 * struct iommu_hwpt_invalidate - IOMMU_HWPT_INVALIDATE
 * UVFIO_IO(';', 0x8d) = 0x3B8D, min size 32
 *
 * Flushes IOMMU caches after userspace changed a page table it manages
 * itself (a nested HWPT), or sends cache commands to a vIOMMU. The requests
 * are an array of @entry_num vendor-format entries of @entry_len bytes
 * each. Calling with @entry_num = 0 only checks that @data_type is
 * supported. Nothing to undo.
 *
 * @size:       sizeof(struct iommu_hwpt_invalidate).
 * @hwpt_id:    a nested HWPT or a vIOMMU.
 * @data_uptr:  user address of the request array.
 * @data_type:  enum iommu_hwpt_invalidate_data_type.
 * @entry_len:  bytes per request.
 * @entry_num:  in: number of requests; out: number handled.
 * @__reserved: 0.
 *
 * uvfio emulates no nesting, so it has no HWPT or vIOMMU this applies to.
 *
 * Unusually, @entry_num is written back even when the call fails (with the
 * number of requests handled before the failure).
 *
 * Returns 0, or -1 with errno:
 *   EOPNOTSUPP  @__reserved != 0, or the object cannot take invalidations;
 *   EINVAL      @entry_num != 0 with @data_uptr or @entry_len 0; @hwpt_id
 *               names something other than a nested HWPT or vIOMMU; a bad
 *               request;
 *   ENOENT      no object with id @hwpt_id;
 *   EFAULT      the struct cannot be written back.
 */
struct iommu_hwpt_invalidate {
	uint32_t		size;
	uint32_t		hwpt_id;
	uvfio_aligned_u64	data_uptr;
	uint32_t		data_type;
	uint32_t		entry_len;
	uint32_t		entry_num;
	uint32_t		__reserved;
};
#define IOMMU_HWPT_INVALIDATE \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_INVALIDATE)
UVFIO_UAPI_ASSERT_SIZE(iommu_hwpt_invalidate, 32);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, size, 0);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, hwpt_id, 4);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, data_uptr, 8);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, data_type, 16);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, entry_len, 20);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, entry_num, 24);
UVFIO_UAPI_ASSERT_OFFSET(iommu_hwpt_invalidate, __reserved, 28);

/*
 * Request numbers of the commands for I/O page faults, virtual IOMMUs and
 * live update. uvfio does not implement them and does not define their
 * argument structs; the numbers are here so that the dispatcher can
 * recognise them (and answer as a kernel without the support would).
 */
#define IOMMU_FAULT_QUEUE_ALLOC \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_FAULT_QUEUE_ALLOC)
#define IOMMU_VIOMMU_ALLOC \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_VIOMMU_ALLOC)
#define IOMMU_VDEVICE_ALLOC \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_VDEVICE_ALLOC)
#define IOMMU_IOAS_CHANGE_PROCESS \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_CHANGE_PROCESS)
#define IOMMU_VEVENTQ_ALLOC \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_VEVENTQ_ALLOC)
#define IOMMU_HW_QUEUE_ALLOC \
	UVFIO_IO(IOMMUFD_TYPE, IOMMUFD_CMD_HW_QUEUE_ALLOC)

/*
 * The request numbers, pinned to the values in the spec's table
 * (kernel-semantics.md section 4).
 */
_Static_assert(IOMMU_DESTROY == 0x3B80, "IOMMU_DESTROY");
_Static_assert(IOMMU_IOAS_ALLOC == 0x3B81, "IOMMU_IOAS_ALLOC");
_Static_assert(IOMMU_IOAS_ALLOW_IOVAS == 0x3B82, "IOMMU_IOAS_ALLOW_IOVAS");
_Static_assert(IOMMU_IOAS_COPY == 0x3B83, "IOMMU_IOAS_COPY");
_Static_assert(IOMMU_IOAS_IOVA_RANGES == 0x3B84, "IOMMU_IOAS_IOVA_RANGES");
_Static_assert(IOMMU_IOAS_MAP == 0x3B85, "IOMMU_IOAS_MAP");
_Static_assert(IOMMU_IOAS_UNMAP == 0x3B86, "IOMMU_IOAS_UNMAP");
_Static_assert(IOMMU_OPTION == 0x3B87, "IOMMU_OPTION");
_Static_assert(IOMMU_VFIO_IOAS == 0x3B88, "IOMMU_VFIO_IOAS");
_Static_assert(IOMMU_HWPT_ALLOC == 0x3B89, "IOMMU_HWPT_ALLOC");
_Static_assert(IOMMU_GET_HW_INFO == 0x3B8A, "IOMMU_GET_HW_INFO");
_Static_assert(IOMMU_HWPT_SET_DIRTY_TRACKING == 0x3B8B,
	       "IOMMU_HWPT_SET_DIRTY_TRACKING");
_Static_assert(IOMMU_HWPT_GET_DIRTY_BITMAP == 0x3B8C,
	       "IOMMU_HWPT_GET_DIRTY_BITMAP");
_Static_assert(IOMMU_HWPT_INVALIDATE == 0x3B8D, "IOMMU_HWPT_INVALIDATE");
_Static_assert(IOMMU_FAULT_QUEUE_ALLOC == 0x3B8E, "IOMMU_FAULT_QUEUE_ALLOC");
_Static_assert(IOMMU_IOAS_MAP_FILE == 0x3B8F, "IOMMU_IOAS_MAP_FILE");
_Static_assert(IOMMU_VIOMMU_ALLOC == 0x3B90, "IOMMU_VIOMMU_ALLOC");
_Static_assert(IOMMU_VDEVICE_ALLOC == 0x3B91, "IOMMU_VDEVICE_ALLOC");
_Static_assert(IOMMU_IOAS_CHANGE_PROCESS == 0x3B92,
	       "IOMMU_IOAS_CHANGE_PROCESS");
_Static_assert(IOMMU_VEVENTQ_ALLOC == 0x3B93, "IOMMU_VEVENTQ_ALLOC");
_Static_assert(IOMMU_HW_QUEUE_ALLOC == 0x3B94, "IOMMU_HW_QUEUE_ALLOC");

#endif /* UVFIO_UAPI_IOMMUFD_H */
