/* SPDX-License-Identifier: MIT */
/*
 * The VFIO user ABI, as a program sees it through <linux/vfio.h>, restated in
 * uvfio's own words: ioctl numbers, argument structs, flag bits and
 * capability ids. Names and layouts follow Linux 6.17; a struct or constant
 * that appeared later, or that changed shape since Linux 6.1, says so in its
 * comment.
 *
 * DO NOT include this together with <linux/vfio.h>: both define the same
 * names, and the compiler will reject the second definition. uvfio code
 * includes only this file; a test that needs the system header for
 * comparison must do so in a separate translation unit.
 *
 * The header is self-contained: it needs only <stdint.h> and <stddef.h>.
 * It does not use <linux/ioctl.h>; UVFIO_IO() below gives the same numbers.
 *
 * Conventions shared by every VFIO ioctl:
 *
 *  - All request numbers are _IO(';', 100 + n): direction and size bits are
 *    zero, so a request number is just 0x3B00 | (100 + n). Growth is carried
 *    by the struct itself: it starts with @argsz, which the caller sets to the
 *    number of bytes it is passing, and new fields are only ever appended.
 *  - The kernel copies in the fields up to the last one it requires ("minsz",
 *    offsetofend of that field). argsz < minsz is EINVAL. A larger argsz is
 *    accepted; for the GET_*_INFO family it is also the size of the buffer
 *    available for the capability chain. Since the 2025 token change, BIND
 *    reads the whole struct and rejects non-zero bytes past the end it knows
 *    (E2BIG).
 *  - Unknown flag bits are EINVAL (iommufd, by contrast, says EOPNOTSUPP).
 *  - Several numbers are reused: the same value means one thing on a
 *    container fd and another on a device fd (see the table at
 *    VFIO_IOMMU_GET_INFO). The receiver must dispatch on the kind of fd.
 *  - Seen from the client, every call returns 0 (or a documented
 *    non-negative value) on success and -1 with errno set on failure. The
 *    errnos listed in the comments below are the ones the kernel produces and
 *    uvfio reproduces, in the kernel's order of checking where it matters.
 */
#ifndef UVFIO_UAPI_VFIO_H
#define UVFIO_UAPI_VFIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * A 64-bit field that is 8-byte aligned on every ABI, including i386 where a
 * plain uint64_t is only 4-byte aligned inside structs. The kernel spells it
 * __aligned_u64; fields it declares as plain __u64 stay uint64_t here, so the
 * layout matches the kernel's on 32-bit ABIs too, not only on LP64.
 */
#ifndef UVFIO_ALIGNED_U64_DEFINED
#define UVFIO_ALIGNED_U64_DEFINED
typedef uint64_t uvfio_aligned_u64 __attribute__((aligned(8)));
#endif

/*
 * _IO(type, nr) of <asm-generic/ioctl.h>: no direction, no size, so the
 * value is simply type << 8 | nr. Kept under our own name so that this
 * header neither needs nor redefines the libc/kernel macro.
 */
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

/* The only API version there has ever been; VFIO_GET_API_VERSION returns it. */
#define VFIO_API_VERSION	0

/*
 * Extension ids, passed by value to VFIO_CHECK_EXTENSION (which answers 1 if
 * supported and 0 if not, never an error) and, for the IOMMU models, to
 * VFIO_SET_IOMMU.
 *
 *   TYPE1          type1 IOMMU, v1 rules (an unmap may split a mapping)
 *   SPAPR_TCE      POWER TCE tables
 *   TYPE1v2        type1 IOMMU, v2 rules (no splitting)
 *   DMA_CC         the IOMMU makes all DMA cache coherent
 *   EEH            POWER EEH error recovery
 *   6              was the two-stage type1 model; withdrawn, and the kernel
 *                  now names it __VFIO_RESERVED_TYPE1_NESTING_IOMMU; checking
 *                  it answers 0. The old name is kept too, so that older
 *                  client sources still build.
 *   SPAPR_TCE_v2   POWER TCE tables, v2
 *   NOIOMMU        no translation and no isolation (unsafe mode)
 *   UNMAP_ALL      VFIO_DMA_UNMAP_FLAG_ALL works
 *   UPDATE_VADDR   the VADDR flags of MAP_DMA and UNMAP_DMA work
 */
#define VFIO_TYPE1_IOMMU		1
#define VFIO_SPAPR_TCE_IOMMU		2
#define VFIO_TYPE1v2_IOMMU		3
#define VFIO_DMA_CC_IOMMU		4
#define VFIO_EEH			5
#define __VFIO_RESERVED_TYPE1_NESTING_IOMMU	6
#define VFIO_TYPE1_NESTING_IOMMU	__VFIO_RESERVED_TYPE1_NESTING_IOMMU
#define VFIO_SPAPR_TCE_v2_IOMMU		7
#define VFIO_NOIOMMU_IOMMU		8
#define VFIO_UNMAP_ALL			9
#define VFIO_UPDATE_VADDR		10

/* Every VFIO request number is UVFIO_IO(VFIO_TYPE, VFIO_BASE + n). */
#define VFIO_TYPE	(';')
#define VFIO_BASE	100

/*
 * struct vfio_info_cap_header - one link of an info capability chain
 *
 * VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO and VFIO_IOMMU_GET_INFO
 * can return more than their fixed struct: a chain of capabilities placed in
 * the same buffer after it. The fixed struct sets its CAPS flag and gives the
 * offset of the first link in @cap_offset; each link starts with this header.
 *
 * @id:      what the capability describes; the id space is separate for each
 *           of the three ioctls.
 * @version: layout version of that capability; every one defined here is 1.
 * @next:    offset of the next link from the start of the info buffer (not
 *           from this header); 0 ends the chain.
 *
 * Links are 8-byte aligned. When the caller's argsz is too small for the
 * chain, the ioctl still succeeds: the CAPS flag is set, @cap_offset is 0,
 * and argsz is raised to the size needed, so the caller can retry with a
 * larger buffer. Only min(argsz, sizeof(fixed struct)) bytes of the fixed
 * part are ever written back.
 */
struct vfio_info_cap_header {
	uint16_t	id;
	uint16_t	version;
	uint32_t	next;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_info_cap_header, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_info_cap_header, id, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_info_cap_header, version, 2);
UVFIO_UAPI_ASSERT_OFFSET(vfio_info_cap_header, next, 4);

/* ---------------- container fd: /dev/vfio/vfio ---------------- */

/*
 * VFIO_GET_API_VERSION - UVFIO_IO(';', 100) = 0x3B64, no argument
 *
 * Returns VFIO_API_VERSION (0). Always available, on a container and also on
 * an iommufd opened as a container. Nothing to undo.
 */
#define VFIO_GET_API_VERSION		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 0)

/*
 * VFIO_CHECK_EXTENSION - UVFIO_IO(';', 101) = 0x3B65,
 * arg = extension id by value
 *
 * Returns 1 if the extension is supported, 0 if not. Unknown ids give 0, not
 * an error: DPDK treats any negative answer as fatal. Before SET_IOMMU the
 * question goes to every registered IOMMU model; afterwards to the chosen
 * one. Nothing to undo.
 */
#define VFIO_CHECK_EXTENSION		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 1)

/*
 * VFIO_SET_IOMMU - UVFIO_IO(';', 102) = 0x3B66, arg = extension id by value
 *
 * Chooses the IOMMU model of the container. At least one group must already
 * be attached (VFIO_GROUP_SET_CONTAINER). Undone when the last group leaves
 * the container (VFIO_GROUP_UNSET_CONTAINER or close of the last group fd),
 * which also drops every DMA mapping.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  no group attached yet, or a model is already set;
 *   ENODEV  no model accepts the id;
 *   EPERM   VFIO_NOIOMMU_IOMMU without CAP_SYS_RAWIO.
 */
#define VFIO_SET_IOMMU			UVFIO_IO(VFIO_TYPE, VFIO_BASE + 2)

/* ---------------- group fd: /dev/vfio/<group> ---------------- */

/*
 * struct vfio_group_status - VFIO_GROUP_GET_STATUS
 * UVFIO_IO(';', 103) = 0x3B67
 *
 * @argsz: in: sizeof(struct vfio_group_status).
 * @flags: out: VFIO_GROUP_FLAGS_*.
 *
 * VIABLE means every device of the group is bound to a VFIO driver (or
 * otherwise safe), so the group may be used. CONTAINER_SET means the group
 * is attached to a container or an iommufd; both flags are then set. A
 * query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 8;
 *   ENODEV  the group is being removed.
 */
struct vfio_group_status {
	uint32_t	argsz;
	uint32_t	flags;
};
#define VFIO_GROUP_FLAGS_VIABLE		(1 << 0)
#define VFIO_GROUP_FLAGS_CONTAINER_SET	(1 << 1)
#define VFIO_GROUP_GET_STATUS		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 3)
UVFIO_UAPI_ASSERT_SIZE(vfio_group_status, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_group_status, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_group_status, flags, 4);

/*
 * VFIO_GROUP_SET_CONTAINER - UVFIO_IO(';', 104) = 0x3B68,
 * arg = pointer to an int32_t fd
 *
 * Attaches the group to a container fd, or to an iommufd fd (which then
 * creates or reuses its compatibility IOAS). A group belongs to at most one
 * container. Undone by VFIO_GROUP_UNSET_CONTAINER or by closing the group.
 *
 * Returns 0, or -1 with errno:
 *   EFAULT  the fd cannot be read from arg;
 *   EBADF   not an open fd;
 *   EINVAL  the group already has a container or iommufd;
 *   ENODEV  the group is being removed;
 *   EPERM   noiommu group without CAP_SYS_RAWIO, or noiommu and real groups
 *           mixed in one container;
 *   EBUSY   DMA ownership of the group cannot be claimed (the exact errno
 *           is not confirmed from source);
 *   EBADFD  the fd is neither a container nor an iommufd.
 */
#define VFIO_GROUP_SET_CONTAINER	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 4)

/*
 * VFIO_GROUP_UNSET_CONTAINER - UVFIO_IO(';', 105) = 0x3B69, no argument
 *
 * Detaches the group from its container; this is the undo of
 * VFIO_GROUP_SET_CONTAINER. All device fds obtained through the group must be
 * closed first. The last group leaving a container also undoes
 * VFIO_SET_IOMMU.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  no container or iommufd is set;
 *   EBUSY   device fds of the group are still open.
 */
#define VFIO_GROUP_UNSET_CONTAINER	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 5)

/*
 * VFIO_GROUP_GET_DEVICE_FD - UVFIO_IO(';', 106) = 0x3B6A,
 * arg = pointer to a NUL-terminated device name
 *
 * Returns a new O_CLOEXEC fd for the named device of the group. For vfio-pci
 * the name is the PCI address ("0000:00:04.0"), optionally followed by
 * " vf_token=<uuid>". The fd is usable at once (no BIND step) and several fds
 * may be open for the same device. Undone by close() of the returned fd.
 *
 * Returns the new fd, or -1 with errno:
 *   EINVAL  no container or iommufd set on the group;
 *   ENODEV  no device of the group matches the name;
 *   EPERM   noiommu with iommufd but without CAP_SYS_RAWIO.
 */
#define VFIO_GROUP_GET_DEVICE_FD	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 6)

/* ---------------- device fd ---------------- */

/*
 * struct vfio_device_info - VFIO_DEVICE_GET_INFO
 * UVFIO_IO(';', 107) = 0x3B6B
 *
 * @argsz:       in: bytes available at the argument; out: raised to the size
 *               needed when a capability chain did not fit.
 * @flags:       out: VFIO_DEVICE_FLAGS_* (bus type, RESET, CAPS).
 * @num_regions: out: number of region indexes (highest index + 1); 9 plus
 *               any device-specific regions for vfio-pci.
 * @num_irqs:    out: number of IRQ indexes; VFIO_PCI_NUM_IRQS for vfio-pci.
 * @cap_offset:  out: offset of the first vfio_info_cap_header, valid when
 *               VFIO_DEVICE_FLAGS_CAPS is set (0 if the chain did not fit).
 * @pad:         reserved, 0.
 *
 * minsz is 16 (through @num_irqs). Linux 6.1 ends the struct at @cap_offset
 * (20 bytes); @pad was added later to make it 24. A query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 16, or (cdev fd) the device is not bound yet.
 */
struct vfio_device_info {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	num_regions;
	uint32_t	num_irqs;
	uint32_t	cap_offset;
	uint32_t	pad;
};
#define VFIO_DEVICE_FLAGS_RESET		(1 << 0)	/* reset works */
#define VFIO_DEVICE_FLAGS_PCI		(1 << 1)	/* vfio-pci */
#define VFIO_DEVICE_FLAGS_PLATFORM	(1 << 2)	/* vfio-platform */
#define VFIO_DEVICE_FLAGS_AMBA		(1 << 3)	/* vfio-amba */
#define VFIO_DEVICE_FLAGS_CCW		(1 << 4)	/* vfio-ccw */
#define VFIO_DEVICE_FLAGS_AP		(1 << 5)	/* vfio-ap */
#define VFIO_DEVICE_FLAGS_FSL_MC	(1 << 6)	/* vfio-fsl-mc */
#define VFIO_DEVICE_FLAGS_CAPS		(1 << 7)	/* has caps */
#define VFIO_DEVICE_FLAGS_CDX		(1 << 8)	/* vfio-cdx */
#define VFIO_DEVICE_GET_INFO		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 7)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_info, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, num_regions, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, num_irqs, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, cap_offset, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info, pad, 20);

/* Capability ids in the VFIO_DEVICE_GET_INFO chain. 1-4 are s390 zPCI only. */
#define VFIO_DEVICE_INFO_CAP_ZPCI_BASE		1
#define VFIO_DEVICE_INFO_CAP_ZPCI_GROUP		2
#define VFIO_DEVICE_INFO_CAP_ZPCI_UTIL		3
#define VFIO_DEVICE_INFO_CAP_ZPCI_PFIP		4
#define VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP	5

/*
 * struct vfio_device_info_cap_pci_atomic_comp - device info capability 5
 *
 * Tells which PCIe AtomicOp completion sizes the root port can complete for
 * this device.
 *
 * @header:   id VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, version 1.
 * @flags:    VFIO_PCI_ATOMIC_COMP{32,64,128}.
 * @reserved: 0.
 */
struct vfio_device_info_cap_pci_atomic_comp {
	struct vfio_info_cap_header	header;
	uint32_t			flags;
	uint32_t			reserved;
};
#define VFIO_PCI_ATOMIC_COMP32	(1 << 0)
#define VFIO_PCI_ATOMIC_COMP64	(1 << 1)
#define VFIO_PCI_ATOMIC_COMP128	(1 << 2)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_info_cap_pci_atomic_comp, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info_cap_pci_atomic_comp, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info_cap_pci_atomic_comp, flags, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_info_cap_pci_atomic_comp, reserved, 12);

/*
 * struct vfio_region_info - VFIO_DEVICE_GET_REGION_INFO
 * UVFIO_IO(';', 108) = 0x3B6C
 *
 * A device exposes its resources (PCI BARs, ROM, config space, ...) as
 * numbered regions of the device fd's file offset space. The caller fills in
 * @index and learns where the region lives and how it may be accessed:
 * pread/pwrite at @offset + x, and mmap(MAP_SHARED) at @offset when the MMAP
 * flag is set (possibly only the parts listed by a SPARSE_MMAP capability).
 *
 * @argsz:      in: bytes available; out: raised when the chain did not fit.
 * @flags:      out: VFIO_REGION_INFO_FLAG_*.
 * @index:      in: region index (VFIO_PCI_*_REGION_INDEX for vfio-pci).
 * @cap_offset: out: first capability, valid with VFIO_REGION_INFO_FLAG_CAPS.
 * @size:       out: region length in bytes; 0 for an unimplemented region
 *              (an empty BAR has size 0 and flags 0).
 * @offset:     out: start of the region in the device fd; vfio-pci uses
 *              index << VFIO_PCI_OFFSET_SHIFT, and clients rely on that.
 *
 * minsz is 32 (the whole struct). Linux 6.1 declares @size and @offset as
 * plain __u64; later kernels force 8-byte alignment, which changes nothing
 * because they sit at 16 and 24. A query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 32; index >= num_regions; VGA index on a device without
 *           VGA; (cdev fd) not bound yet.
 */
struct vfio_region_info {
	uint32_t		argsz;
	uint32_t		flags;
	uint32_t		index;
	uint32_t		cap_offset;
	uvfio_aligned_u64	size;
	uvfio_aligned_u64	offset;
};
#define VFIO_REGION_INFO_FLAG_READ	(1 << 0)	/* pread works */
#define VFIO_REGION_INFO_FLAG_WRITE	(1 << 1)	/* pwrite works */
#define VFIO_REGION_INFO_FLAG_MMAP	(1 << 2)	/* mmap works */
#define VFIO_REGION_INFO_FLAG_CAPS	(1 << 3)	/* cap_offset ok */
#define VFIO_DEVICE_GET_REGION_INFO	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 8)
UVFIO_UAPI_ASSERT_SIZE(vfio_region_info, 32);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, index, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, cap_offset, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, size, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info, offset, 24);

/* Capability ids in the VFIO_DEVICE_GET_REGION_INFO chain. */
#define VFIO_REGION_INFO_CAP_SPARSE_MMAP	1
#define VFIO_REGION_INFO_CAP_TYPE		2
/*
 * No payload beyond the header: the MSI-X table of this BAR may be mmapped
 * along with the rest of the page it shares, although interrupts are still
 * configured only through VFIO_DEVICE_SET_IRQS.
 */
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE	3

/*
 * struct vfio_region_sparse_mmap_area - one mmap-able window of a region
 *
 * @offset: start of the window, relative to the start of the region.
 * @size:   length of the window in bytes.
 */
struct vfio_region_sparse_mmap_area {
	uvfio_aligned_u64	offset;
	uvfio_aligned_u64	size;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_region_sparse_mmap_area, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_sparse_mmap_area, offset, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_sparse_mmap_area, size, 8);

/*
 * struct vfio_region_info_cap_sparse_mmap - region capability 1
 *
 * Present on a region with the MMAP flag when only parts of it may be
 * mapped, typically a BAR holding the MSI-X table. mmap outside the listed
 * windows may fail or misbehave; pread/pwrite still cover the whole region.
 *
 * @header:   id VFIO_REGION_INFO_CAP_SPARSE_MMAP, version 1.
 * @nr_areas: number of entries in @areas.
 * @reserved: 0.
 * @areas:    the windows.
 */
struct vfio_region_info_cap_sparse_mmap {
	struct vfio_info_cap_header		header;
	uint32_t				nr_areas;
	uint32_t				reserved;
	struct vfio_region_sparse_mmap_area	areas[];
};
UVFIO_UAPI_ASSERT_SIZE(vfio_region_info_cap_sparse_mmap, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_sparse_mmap, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_sparse_mmap, nr_areas, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_sparse_mmap, reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_sparse_mmap, areas, 16);

/*
 * struct vfio_region_info_cap_type - region capability 2
 *
 * Names what a device-specific region (index >= VFIO_PCI_NUM_REGIONS for
 * vfio-pci) contains, since its index alone does not say.
 *
 * @header:  id VFIO_REGION_INFO_CAP_TYPE, version 1.
 * @type:    VFIO_REGION_TYPE_*; for a PCI vendor type, the vendor id ORed
 *           with VFIO_REGION_TYPE_PCI_VENDOR_TYPE.
 * @subtype: meaning depends on @type (VFIO_REGION_SUBTYPE_*).
 */
struct vfio_region_info_cap_type {
	struct vfio_info_cap_header	header;
	uint32_t			type;
	uint32_t			subtype;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_region_info_cap_type, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_type, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_type, type, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_info_cap_type, subtype, 12);

/*
 * Values of vfio_region_info_cap_type.type and .subtype. PCI_VENDOR_TYPE is
 * bit 31. The kernel writes it as (1 << 31), a negative int; here it is
 * unsigned, so that comparing it with the uint32_t @type field does not trip
 * -Wsign-compare. The 32 bits stored in @type are the same either way.
 */
#define VFIO_REGION_TYPE_PCI_VENDOR_TYPE	(1U << 31)
#define VFIO_REGION_TYPE_PCI_VENDOR_MASK	(0xffff)
#define VFIO_REGION_TYPE_GFX			(1)
#define VFIO_REGION_TYPE_CCW			(2)
#define VFIO_REGION_TYPE_MIGRATION_DEPRECATED	(3)
/* Subtypes of VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x8086 (Intel IGD). */
#define VFIO_REGION_SUBTYPE_INTEL_IGD_OPREGION	(1)
#define VFIO_REGION_SUBTYPE_INTEL_IGD_HOST_CFG	(2)
#define VFIO_REGION_SUBTYPE_INTEL_IGD_LPC_CFG	(3)
/* Subtype of VFIO_REGION_TYPE_GFX. */
#define VFIO_REGION_SUBTYPE_GFX_EDID		(1)

/*
 * struct vfio_irq_info - VFIO_DEVICE_GET_IRQ_INFO
 * UVFIO_IO(';', 109) = 0x3B6D
 *
 * Describes one IRQ index (for vfio-pci: INTx, MSI, MSI-X, ERR, REQ).
 *
 * @argsz: in: sizeof(struct vfio_irq_info).
 * @flags: out: VFIO_IRQ_INFO_*. EVENTFD: can signal through an eventfd.
 *         MASKABLE: MASK/UNMASK actions work. AUTOMASKED: the line masks
 *         itself when it fires and must be unmasked (level-triggered INTx).
 *         NORESIZE: vectors are enabled as one block; changing how many are
 *         in use needs the index disabled first (MSI, and MSI-X without
 *         dynamic allocation).
 * @index: in: the IRQ index.
 * @count: out: number of vectors at the index; 0 if unimplemented.
 *
 * minsz is 16 (the whole struct). A query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 16; index >= VFIO_PCI_NUM_IRQS; ERR index on a device
 *           that is not PCI Express; (cdev fd) not bound yet.
 */
struct vfio_irq_info {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	index;
	uint32_t	count;
};
#define VFIO_IRQ_INFO_EVENTFD		(1 << 0)
#define VFIO_IRQ_INFO_MASKABLE		(1 << 1)
#define VFIO_IRQ_INFO_AUTOMASKED	(1 << 2)
#define VFIO_IRQ_INFO_NORESIZE		(1 << 3)
#define VFIO_DEVICE_GET_IRQ_INFO	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 9)
UVFIO_UAPI_ASSERT_SIZE(vfio_irq_info, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_info, index, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_info, count, 12);

/*
 * struct vfio_irq_set - VFIO_DEVICE_SET_IRQS
 * UVFIO_IO(';', 110) = 0x3B6E
 *
 * Applies one action to vectors [@start, @start + @count) of an IRQ index.
 * @flags holds exactly one DATA_* bit, saying what @data contains, and one
 * ACTION_* bit:
 *
 *   TRIGGER + EVENTFD  enable the index, one int32_t eventfd per vector; -1
 *                      unassigns that vector (or leaves it unassigned).
 *                      Changing the vector count of a NORESIZE index needs a
 *                      disable first.
 *   TRIGGER + NONE     with @count == 0: disable the whole index (the undo of
 *                      enabling it); with @count > 0: fire the vectors now
 *                      (loopback test).
 *   TRIGGER + BOOL     fire the vectors whose uint8_t in @data is non-zero.
 *   MASK / UNMASK      mask or unmask (INTx only); UNMASK + EVENTFD installs
 *                      an eventfd that unmasks when written (an irqfd).
 *
 * ACTION_TRIGGER is kernel-to-user signalling; MASK/UNMASK are user-to-kernel.
 * Closing the device fd also disables every index.
 *
 * @argsz: in: 20 + size of @data.
 * @flags: in: one VFIO_IRQ_SET_DATA_* bit | one VFIO_IRQ_SET_ACTION_* bit.
 * @index: in: the IRQ index.
 * @start: in: first vector.
 * @count: in: number of vectors; 0 only with DATA_NONE (disable).
 * @data:  in: @count uint8_t (BOOL) or @count int32_t (EVENTFD); empty for
 *         NONE.
 *
 * Returns 0, or -1 with errno (from vfio_set_irqs_validate_and_prepare()
 * first, then the driver):
 *   EINVAL  argsz < 20; index >= VFIO_PCI_NUM_IRQS; start + count overflows;
 *           unknown flag bits; not exactly one DATA_* bit; start or
 *           start + count beyond the vectors of the index; argsz too small
 *           for @count elements of @data;
 *   ENOTTY  action not supported for this index (e.g. MASK on MSI-X, MASK +
 *           EVENTFD on INTx), or no ACTION_* bit.
 */
struct vfio_irq_set {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	index;
	uint32_t	start;
	uint32_t	count;
	uint8_t		data[];
};
#define VFIO_IRQ_SET_DATA_NONE		(1 << 0)	/* no data */
#define VFIO_IRQ_SET_DATA_BOOL		(1 << 1)	/* uint8_t[] */
#define VFIO_IRQ_SET_DATA_EVENTFD	(1 << 2)	/* int32_t[] */
#define VFIO_IRQ_SET_ACTION_MASK	(1 << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK	(1 << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER	(1 << 5)
#define VFIO_DEVICE_SET_IRQS		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 10)
#define VFIO_IRQ_SET_DATA_TYPE_MASK	(VFIO_IRQ_SET_DATA_NONE | \
					 VFIO_IRQ_SET_DATA_BOOL | \
					 VFIO_IRQ_SET_DATA_EVENTFD)
#define VFIO_IRQ_SET_ACTION_TYPE_MASK	(VFIO_IRQ_SET_ACTION_MASK | \
					 VFIO_IRQ_SET_ACTION_UNMASK | \
					 VFIO_IRQ_SET_ACTION_TRIGGER)
UVFIO_UAPI_ASSERT_SIZE(vfio_irq_set, 20);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, index, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, start, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, count, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_irq_set, data, 20);

/*
 * VFIO_DEVICE_RESET - UVFIO_IO(';', 111) = 0x3B6F, no argument
 *
 * Resets the device (a PCI function-level or equivalent reset). There is
 * nothing to undo; the device returns to its power-on register state.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  the device cannot be reset (VFIO_DEVICE_FLAGS_RESET clear), or
 *           (cdev fd) not bound yet;
 *   other   whatever the reset itself reports.
 */
#define VFIO_DEVICE_RESET		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 11)

/*
 * vfio-pci's fixed region indexes. The numbering is ABI: indexes 0-8 always
 * mean these, unimplemented ones report size 0, and device-specific regions
 * start at VFIO_PCI_NUM_REGIONS and carry a VFIO_REGION_INFO_CAP_TYPE.
 */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,	/* 0 */
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,	/* 5 */
	VFIO_PCI_ROM_REGION_INDEX,	/* 6: expansion ROM, read-only */
	VFIO_PCI_CONFIG_REGION_INDEX,	/* 7: config space, no mmap */
	/*
	 * 8: legacy VGA space of a display controller (class 03, subclass
	 * 00). The I/O ports 0x3b0-0x3bb and 0x3c0-0x3df and the memory
	 * 0xa0000-0xbffff each appear at their own address within the region.
	 */
	VFIO_PCI_VGA_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS = 9
};

/* vfio-pci's fixed IRQ indexes. */
enum {
	VFIO_PCI_INTX_IRQ_INDEX,	/* 0 */
	VFIO_PCI_MSI_IRQ_INDEX,		/* 1 */
	VFIO_PCI_MSIX_IRQ_INDEX,	/* 2 */
	VFIO_PCI_ERR_IRQ_INDEX,		/* 3: AER error notification */
	VFIO_PCI_REQ_IRQ_INDEX,		/* 4: host wants device back */
	VFIO_PCI_NUM_IRQS		/* 5 */
};

/*
 * The file-offset layout vfio-pci uses for regions: region N starts at
 * N << 40, so the top bits of a pread/pwrite/mmap offset select the region
 * and the low 40 bits address within it. VFIO_PCI_OFFSET_SHIFT is the
 * kernel's in-kernel name (include/linux/vfio_pci_core.h); it is not part of
 * <linux/vfio.h>, and the helpers below are uvfio's own.
 */
#ifndef VFIO_PCI_OFFSET_SHIFT
#define VFIO_PCI_OFFSET_SHIFT		40
#endif
#define UVFIO_PCI_INDEX_TO_OFFSET(index) \
	((uint64_t)(index) << VFIO_PCI_OFFSET_SHIFT)
#define UVFIO_PCI_OFFSET_TO_INDEX(off) \
	((uint64_t)(off) >> VFIO_PCI_OFFSET_SHIFT)
#define UVFIO_PCI_OFFSET_MASK \
	(((uint64_t)1 << VFIO_PCI_OFFSET_SHIFT) - 1)

/*
 * struct vfio_pci_dependent_device - one device affected by a hot reset
 *
 * @group_id: (group-path fd) IOMMU group of the device.
 * @devid:    (cdev fd, VFIO_PCI_HOT_RESET_FLAG_DEV_ID set) iommufd device id
 *            of the device in the caller's iommufd; VFIO_PCI_DEVID_OWNED if
 *            the caller owns it only implicitly (same IOMMU group as a
 *            device it has bound); VFIO_PCI_DEVID_NOT_OWNED if not at all.
 * @segment:  PCI domain.
 * @bus:      PCI bus number.
 * @devfn:    PCI device and function, (slot << 3) | function.
 *
 * Linux 6.1 has only @group_id; the @devid alias came with cdev support.
 */
struct vfio_pci_dependent_device {
	union {
		uint32_t	group_id;
		uint32_t	devid;
	};
	uint16_t	segment;
	uint8_t		bus;
	uint8_t		devfn;
};
#define VFIO_PCI_DEVID_OWNED		0
#define VFIO_PCI_DEVID_NOT_OWNED	-1
UVFIO_UAPI_ASSERT_SIZE(vfio_pci_dependent_device, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_dependent_device, group_id, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_dependent_device, devid, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_dependent_device, segment, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_dependent_device, bus, 6);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_dependent_device, devfn, 7);

/*
 * struct vfio_pci_hot_reset_info - VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 * UVFIO_IO(';', 112) = 0x3B70 (on a device fd; the same number is
 * VFIO_IOMMU_GET_INFO on a container fd)
 *
 * Lists every device a bus or slot reset of this device would also reset, so
 * the caller can prove it owns them all before VFIO_DEVICE_PCI_HOT_RESET.
 *
 * @argsz:   in: bytes available, including @devices.
 * @flags:   out: VFIO_PCI_HOT_RESET_FLAG_DEV_ID when the entries carry
 *           devids (the caller's fd is a cdev); DEV_ID_OWNED in addition when
 *           the caller owns all of them, so the reset can be done with an
 *           empty fd array.
 * @count:   out: number of affected devices.
 * @devices: out: as many entries as fit in argsz.
 *
 * A query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 12;
 *   ENOSPC  @devices is too small; @count tells the caller how many to
 *           allow for on the retry;
 *   ENODEV  hot reset is not possible for this device.
 */
struct vfio_pci_hot_reset_info {
	uint32_t				argsz;
	uint32_t				flags;
	uint32_t				count;
	struct vfio_pci_dependent_device	devices[];
};
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID		(1 << 0)
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED	(1 << 1)
#define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO \
	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 12)
UVFIO_UAPI_ASSERT_SIZE(vfio_pci_hot_reset_info, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset_info, count, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset_info, devices, 12);

/*
 * struct vfio_pci_hot_reset - VFIO_DEVICE_PCI_HOT_RESET
 * UVFIO_IO(';', 113) = 0x3B71 (on a device fd; VFIO_IOMMU_MAP_DMA on a
 * container fd)
 *
 * Performs the bus or slot reset reported by the INFO call above. A
 * group-path caller proves ownership by passing the fds of every affected
 * group; a cdev caller passes an empty array and ownership is checked
 * through its iommufd. Mixing the two models is not supported. Nothing to
 * undo.
 *
 * @argsz:     in: 12 + 4 * @count.
 * @flags:     in: 0.
 * @count:     in: number of entries in @group_fds (0 for a cdev caller).
 * @group_fds: in: group fds.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz or flags wrong; fds given by a cdev caller, or none by a
 *           group caller; a group fd that is not a VFIO group; an affected
 *           device that is open but not owned by the caller;
 *   EBUSY   an affected device is busy (its memory lock is contended);
 *   other   whatever the reset itself reports.
 */
struct vfio_pci_hot_reset {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	count;
	int32_t		group_fds[];
};
#define VFIO_DEVICE_PCI_HOT_RESET	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 13)
UVFIO_UAPI_ASSERT_SIZE(vfio_pci_hot_reset, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset, count, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_pci_hot_reset, group_fds, 12);

/*
 * Mediated-GPU display ioctls (device fd only; the numbers are
 * VFIO_IOMMU_UNMAP_DMA and VFIO_IOMMU_ENABLE on a container fd). uvfio does
 * not model a display, so only the numbers are given here, not struct
 * vfio_device_gfx_plane_info.
 */
#define VFIO_DEVICE_QUERY_GFX_PLANE	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 14)
#define VFIO_DEVICE_GET_GFX_DMABUF	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 15)

/*
 * struct vfio_device_ioeventfd - VFIO_DEVICE_IOEVENTFD
 * UVFIO_IO(';', 116) = 0x3B74 (on a device fd; VFIO_IOMMU_DISABLE on a
 * container fd)
 *
 * Asks the driver to perform a fixed write to the device whenever an eventfd
 * is signalled, so that a hypervisor can turn a guest doorbell write into a
 * device write without a round trip through userspace. vfio-pci supports it
 * on BARs, outside the MSI-X table.
 *
 * @argsz:    in: sizeof(struct vfio_device_ioeventfd).
 * @flags:    in: exactly one VFIO_DEVICE_IOEVENTFD_{8,16,32,64}, the width.
 * @offset:   in: device fd offset (region offset + address) to write.
 * @data:     in: value to write.
 * @fd:       in: eventfd to watch; -1 removes the matching registration,
 *            which is the undo (closing the device fd also removes them).
 * @reserved: 0.
 *
 * Linux 6.1 ends the struct at @fd (same 32-byte size on LP64 because of
 * tail padding); @reserved and the forced alignment came later.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  bad argsz or width; offset outside a BAR, or overlapping the
 *           MSI-X table;
 *   EEXIST  the same offset/data/width is already registered;
 *   ENODEV  fd = -1 but nothing matching is registered;
 *   ENOSPC  too many ioeventfds on this device (vfio-pci allows 1000);
 *   ENOTTY  not supported by the driver.
 */
struct vfio_device_ioeventfd {
	uint32_t		argsz;
	uint32_t		flags;
	uvfio_aligned_u64	offset;
	uvfio_aligned_u64	data;
	int32_t			fd;
	uint32_t		reserved;
};
#define VFIO_DEVICE_IOEVENTFD_8		(1 << 0)	/* 1 byte */
#define VFIO_DEVICE_IOEVENTFD_16	(1 << 1)	/* 2 bytes */
#define VFIO_DEVICE_IOEVENTFD_32	(1 << 2)	/* 4 bytes */
#define VFIO_DEVICE_IOEVENTFD_64	(1 << 3)	/* 8 bytes */
#define VFIO_DEVICE_IOEVENTFD_SIZE_MASK	(0xf)
#define VFIO_DEVICE_IOEVENTFD		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 16)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_ioeventfd, 32);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, offset, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, data, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, fd, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_ioeventfd, reserved, 28);

/*
 * struct vfio_device_feature - VFIO_DEVICE_FEATURE
 * UVFIO_IO(';', 117) = 0x3B75 (on a device fd; VFIO_IOMMU_DIRTY_PAGES on a
 * container fd)
 *
 * One ioctl multiplexing many optional device features. The low 16 bits of
 * @flags pick the feature (VFIO_DEVICE_FEATURE_* ids below); GET reads the
 * feature into @data, SET applies @data, and PROBE only asks whether the
 * feature (and the GET and/or SET given with it) is supported, needing no
 * payload. GET and SET together are allowed only with PROBE. Each feature
 * defines its own payload and its own undo (e.g. LOW_POWER_EXIT undoes
 * LOW_POWER_ENTRY, DMA_LOGGING_STOP undoes DMA_LOGGING_START).
 *
 * @argsz: in: 8 + size of the feature's payload.
 * @flags: in: feature id | VFIO_DEVICE_FEATURE_{GET,SET,PROBE}.
 * @data:  in or out: the payload.
 *
 * Returns 0 (some features return a new fd instead), or -1 with errno:
 *   EINVAL  argsz < 8; unknown flag bits; GET and SET without PROBE; neither
 *           GET nor SET for a non-PROBE call; the feature does not support
 *           the requested GET or SET; payload shorter than the feature needs;
 *   ENOTTY  the device does not have the feature (e.g. PCI_VF_TOKEN on a
 *           device that is not an SR-IOV PF).
 */
struct vfio_device_feature {
	uint32_t	argsz;
	uint32_t	flags;
	uint8_t		data[];
};
#define VFIO_DEVICE_FEATURE_MASK	(0xffff)	/* feature id */
#define VFIO_DEVICE_FEATURE_GET		(1 << 16)
#define VFIO_DEVICE_FEATURE_SET		(1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE	(1 << 18)
#define VFIO_DEVICE_FEATURE		UVFIO_IO(VFIO_TYPE, VFIO_BASE + 17)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature, data, 8);

/*
 * struct vfio_device_bind_iommufd - VFIO_DEVICE_BIND_IOMMUFD
 * UVFIO_IO(';', 118) = 0x3B76, cdev fds (/dev/vfio/devices/vfioN) only
 *
 * Binds the device to an iommufd and opens it. A freshly opened cdev fd is
 * blocked: every other ioctl, read, write and mmap fails with EINVAL until
 * this succeeds, and then the fd stays bound until close. After the bind the
 * device has an iommufd device id but is not attached to any IOAS or HWPT,
 * so its DMA is blocked (see VFIO_DEVICE_ATTACH_IOMMUFD_PT). There is no
 * unbind ioctl: close() of the fd is the undo.
 *
 * @argsz:          in: 16 or more; the kernel reads up to 24 bytes.
 * @flags:          in: 0 or VFIO_DEVICE_BIND_FLAG_TOKEN.
 * @iommufd:        in: fd of an open /dev/iommu.
 * @out_devid:      out: the device id within that iommufd, for use in iommufd
 *                  commands (e.g. IOMMU_HWPT_ALLOC.dev_id). The only field
 *                  written back.
 * @token_uuid_ptr: in: with FLAG_TOKEN, user address of the 16-byte VF token
 *                  (a UUID) shared between an SR-IOV PF and its VFs.
 *
 * minsz is 16 (through @out_devid); @token_uuid_ptr arrived with the token
 * flag in Linux 6.17. Since then argsz is read first and the rest copied as
 * iommufd does: a larger struct must be zero past byte 24 (else E2BIG), a
 * shorter one is zero-filled. (Until a late-2025 fix the kernel checked
 * zeroes past byte 16 instead, so a non-zero @token_uuid_ptr itself gave
 * E2BIG; uvfio follows the fixed behaviour.)
 *
 * Returns 0, or -1 with errno, in the kernel's order of checking
 * (vfio_df_ioctl_bind_iommufd()):
 *   EFAULT  argsz cannot be read;
 *   EINVAL  argsz < 16;
 *   E2BIG   non-zero bytes past byte 24;
 *   EINVAL  @iommufd < 0, or unknown @flags;
 *   EINVAL  the fd was obtained through a group, not a cdev;
 *   EBUSY   the device's group fd is open (group and cdev use exclude each
 *           other);
 *   EINVAL  this fd is already bound;
 *   EINVAL  FLAG_TOKEN for a driver without tokens, or a token where the
 *           device takes none;
 *   EFAULT  the token cannot be read;
 *   EACCES  the VF token is missing or does not match;
 *   EBADF   @iommufd is not an open fd;
 *   EBADFD  @iommufd is not /dev/iommu;
 *   EINVAL  the device is already open through another fd;
 *   EPERM   interrupts are not isolated and unsafe interrupts are not allowed;
 *   EBUSY   DMA ownership cannot be claimed;
 *   EFAULT  @out_devid cannot be written (the bind is rolled back).
 */
struct vfio_device_bind_iommufd {
	uint32_t		argsz;
	uint32_t		flags;
	int32_t			iommufd;
	uint32_t		out_devid;
	uvfio_aligned_u64	token_uuid_ptr;
};
#define VFIO_DEVICE_BIND_FLAG_TOKEN	(1 << 0)
#define VFIO_DEVICE_BIND_IOMMUFD	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 18)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_bind_iommufd, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_bind_iommufd, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_bind_iommufd, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_bind_iommufd, iommufd, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_bind_iommufd, out_devid, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_bind_iommufd, token_uuid_ptr, 16);

/*
 * struct vfio_device_attach_iommufd_pt - VFIO_DEVICE_ATTACH_IOMMUFD_PT
 * UVFIO_IO(';', 119) = 0x3B77, bound cdev fds only (a group-path fd gets
 * ENOTTY from the driver)
 *
 * Attaches the bound device (or one PASID of it) to an address space of its
 * iommufd, enabling DMA through it. Given an IOAS, the kernel finds or
 * creates a compatible HWPT (an "auto domain") for it; given a HWPT it is
 * used as is. If the device is already attached, the attachment is replaced
 * in one step; replacing with the same HWPT is a successful no-op. Undone by
 * VFIO_DEVICE_DETACH_IOMMUFD_PT or close(). Attaching narrows the IOAS's
 * IOMMU_IOAS_IOVA_RANGES by the device's aperture and reserved regions.
 *
 * @argsz: in: 12, or 16 when @pasid is used.
 * @flags: in: 0 or VFIO_DEVICE_ATTACH_PASID.
 * @pt_id: in: IOAS or HWPT (paging or nested) id; out: the HWPT actually
 *         attached (the auto domain when an IOAS was given).
 * @pasid: in: with VFIO_DEVICE_ATTACH_PASID, the PASID to attach.
 *
 * minsz is 12 (through @pt_id); @pasid arrived with the PASID flag.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL     argsz < 12; unknown flags; PASID with argsz < 16; (blocked
 *              fd) not bound; @pt_id names an object that is neither IOAS
 *              nor HWPT;
 *   EOPNOTSUPP PASID requested but not supported by the driver;
 *   ENOENT     no object with id @pt_id;
 *   EFAULT     @pt_id cannot be written back (the attach is undone).
 */
struct vfio_device_attach_iommufd_pt {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	pt_id;
	uint32_t	pasid;
};
#define VFIO_DEVICE_ATTACH_PASID	(1 << 0)
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 19)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_attach_iommufd_pt, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_attach_iommufd_pt, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_attach_iommufd_pt, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_attach_iommufd_pt, pt_id, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_attach_iommufd_pt, pasid, 12);

/*
 * struct vfio_device_detach_iommufd_pt - VFIO_DEVICE_DETACH_IOMMUFD_PT
 * UVFIO_IO(';', 120) = 0x3B78, bound cdev fds only
 *
 * Undoes VFIO_DEVICE_ATTACH_IOMMUFD_PT: the device (or the PASID) goes back
 * to blocked DMA. Detaching a device that is not attached succeeds and does
 * nothing.
 *
 * @argsz: in: 8, or 12 when @pasid is used.
 * @flags: in: 0 or VFIO_DEVICE_DETACH_PASID.
 * @pasid: in: with VFIO_DEVICE_DETACH_PASID, the PASID to detach.
 *
 * minsz is 8 (through @flags).
 *
 * Returns 0, or -1 with errno:
 *   EINVAL     argsz < 8; unknown flags; PASID with argsz < 12; (blocked
 *              fd) not bound;
 *   EOPNOTSUPP PASID requested but not supported by the driver.
 */
struct vfio_device_detach_iommufd_pt {
	uint32_t	argsz;
	uint32_t	flags;
	uint32_t	pasid;
};
#define VFIO_DEVICE_DETACH_PASID	(1 << 0)
#define VFIO_DEVICE_DETACH_IOMMUFD_PT	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 20)
UVFIO_UAPI_ASSERT_SIZE(vfio_device_detach_iommufd_pt, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_detach_iommufd_pt, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_detach_iommufd_pt, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_detach_iommufd_pt, pasid, 8);

/* ---------------- VFIO_DEVICE_FEATURE ids and payloads ---------------- */

/*
 * Feature 0, SET only: payload is a 16-byte UUID that becomes the VF token
 * of an SR-IOV PF. Allowed while SR-IOV is enabled and no VF is in use.
 * ENOTTY on a device that is not a PF.
 */
#define VFIO_DEVICE_FEATURE_PCI_VF_TOKEN	(0)

/*
 * struct vfio_device_feature_migration - feature 1, GET only
 *
 * Present when the device supports migration through
 * VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE; RUNNING and ERROR always exist.
 *
 * @flags: out: VFIO_MIGRATION_STOP_COPY (always set: STOP, STOP_COPY and
 *         RESUMING exist), plus P2P (RUNNING_P2P exists) and PRE_COPY
 *         (PRE_COPY, and PRE_COPY_P2P with P2P, exist).
 */
struct vfio_device_feature_migration {
	uvfio_aligned_u64	flags;
};
#define VFIO_MIGRATION_STOP_COPY	(1 << 0)
#define VFIO_MIGRATION_P2P		(1 << 1)
#define VFIO_MIGRATION_PRE_COPY		(1 << 2)	/* not in 6.1 */
#define VFIO_DEVICE_FEATURE_MIGRATION	1
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_migration, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_migration, flags, 0);

/*
 * struct vfio_device_feature_mig_state - feature 2, GET and SET
 *
 * SET moves the device to a new migration state, passing through whatever
 * intermediate states the path needs; GET reads the current state. States
 * that start a data transfer (STOP_COPY, PRE_COPY*, RESUMING) return a new
 * fd over which the device state is read or written; the caller closes it.
 * A failed SET may leave the device in any state along the path, or in
 * ERROR, from which only VFIO_DEVICE_RESET recovers.
 *
 * @device_state: in (SET) / out (GET): enum vfio_device_mig_state.
 * @data_fd:      out: the data transfer fd, or -1.
 */
struct vfio_device_feature_mig_state {
	uint32_t	device_state;
	int32_t		data_fd;
};
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE	2
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_mig_state, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_mig_state, device_state, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_mig_state, data_fd, 4);

/* Device migration states; PRE_COPY and PRE_COPY_P2P are not in Linux 6.1. */
enum vfio_device_mig_state {
	VFIO_DEVICE_STATE_ERROR = 0,
	VFIO_DEVICE_STATE_STOP = 1,
	VFIO_DEVICE_STATE_RUNNING = 2,
	VFIO_DEVICE_STATE_STOP_COPY = 3,
	VFIO_DEVICE_STATE_RESUMING = 4,
	VFIO_DEVICE_STATE_RUNNING_P2P = 5,
	VFIO_DEVICE_STATE_PRE_COPY = 6,
	VFIO_DEVICE_STATE_PRE_COPY_P2P = 7,
	VFIO_DEVICE_STATE_NR,
};

/*
 * struct vfio_precopy_info - VFIO_MIG_GET_PRECOPY_INFO
 * UVFIO_IO(';', 121) = 0x3B79, on the migration data fd (not the device fd)
 *
 * While in a PRE_COPY state, estimates how much migration data remains.
 *
 * @argsz:         in: sizeof(struct vfio_precopy_info).
 * @flags:         in: 0.
 * @initial_bytes: out: initial device state not yet read.
 * @dirty_bytes:   out: state changed since it was last read.
 *
 * A query: nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz too small, or the device is not in a PRE_COPY state.
 */
struct vfio_precopy_info {
	uint32_t		argsz;
	uint32_t		flags;
	uvfio_aligned_u64	initial_bytes;
	uvfio_aligned_u64	dirty_bytes;
};
#define VFIO_MIG_GET_PRECOPY_INFO	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 21)
UVFIO_UAPI_ASSERT_SIZE(vfio_precopy_info, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_precopy_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_precopy_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_precopy_info, initial_bytes, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_precopy_info, dirty_bytes, 16);

/*
 * Feature 3, SET only, no payload: allow the device to enter a low-power
 * state; any access wakes it again. Undone by LOW_POWER_EXIT.
 */
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY	3

/*
 * struct vfio_device_low_power_entry_with_wakeup - feature 4, SET only
 *
 * Like LOW_POWER_ENTRY, but once the device wakes up it stays awake and the
 * eventfd is signalled. Undone by LOW_POWER_EXIT or by the wake-up itself.
 *
 * @wakeup_eventfd: in: eventfd to signal on wake-up.
 * @reserved:       0.
 */
struct vfio_device_low_power_entry_with_wakeup {
	int32_t		wakeup_eventfd;
	uint32_t	reserved;
};
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP	4
UVFIO_UAPI_ASSERT_SIZE(vfio_device_low_power_entry_with_wakeup, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_low_power_entry_with_wakeup,
			 wakeup_eventfd, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_low_power_entry_with_wakeup, reserved, 4);

/* Feature 5, SET only, no payload: leave (and stop allowing) low power. */
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT	5

/*
 * struct vfio_device_feature_dma_logging_control - feature 6 (START), SET
 *
 * Starts device-side logging of DMA writes over the given IOVA ranges, for
 * dirty tracking during migration. One START at a time; undone by feature 7
 * (DMA_LOGGING_STOP, no payload).
 *
 * @page_size:  in: requested tracking granularity; out: the one chosen.
 * @num_ranges: in: number of entries at @ranges.
 * @__reserved: 0.
 * @ranges:     in: user address of an array of
 *              struct vfio_device_feature_dma_logging_range.
 */
struct vfio_device_feature_dma_logging_control {
	uvfio_aligned_u64	page_size;
	uint32_t		num_ranges;
	uint32_t		__reserved;
	uvfio_aligned_u64	ranges;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_dma_logging_control, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_control, page_size, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_control,
			 num_ranges, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_control,
			 __reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_control, ranges, 16);

/*
 * struct vfio_device_feature_dma_logging_range - one IOVA range to log
 *
 * @iova:   first IOVA.
 * @length: length in bytes.
 */
struct vfio_device_feature_dma_logging_range {
	uvfio_aligned_u64	iova;
	uvfio_aligned_u64	length;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_dma_logging_range, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_range, iova, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_range, length, 8);

#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START	6
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP	7

/*
 * struct vfio_device_feature_dma_logging_report - feature 8, GET only
 *
 * Reads and clears the DMA write log for an IOVA range. The kernel only sets
 * bits; the caller must hand in a cleared bitmap. Any error means the log
 * can no longer be trusted.
 *
 * @iova:      in: start of the range.
 * @length:    in: length of the range.
 * @page_size: in: bytes per bitmap bit (a power of two).
 * @bitmap:    in: user address of the uint64_t bitmap; bit n covers
 *             @iova + n * @page_size.
 */
struct vfio_device_feature_dma_logging_report {
	uvfio_aligned_u64	iova;
	uvfio_aligned_u64	length;
	uvfio_aligned_u64	page_size;
	uvfio_aligned_u64	bitmap;
};
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT	8
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_dma_logging_report, 32);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_report, iova, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_report, length, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_report, page_size, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_logging_report, bitmap, 24);

/*
 * struct vfio_device_feature_mig_data_size - feature 9, GET only
 *
 * @stop_copy_length: out: estimated bytes the STOP_COPY phase will produce.
 */
struct vfio_device_feature_mig_data_size {
	uvfio_aligned_u64	stop_copy_length;
};
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE	9
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_mig_data_size, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_mig_data_size,
			 stop_copy_length, 0);

/*
 * struct vfio_device_feature_bus_master - feature 10, SET only
 *
 * Turns bus mastering (the device's ability to DMA) on or off, for buses
 * that have no in-band way to do it. vfio-cdx only: PCI devices do this in
 * config space.
 *
 * @op: in: VFIO_DEVICE_FEATURE_CLEAR_MASTER or _SET_MASTER.
 */
struct vfio_device_feature_bus_master {
	uint32_t	op;
};
#define VFIO_DEVICE_FEATURE_CLEAR_MASTER	0
#define VFIO_DEVICE_FEATURE_SET_MASTER		1
#define VFIO_DEVICE_FEATURE_BUS_MASTER		10
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_bus_master, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_bus_master, op, 0);

/*
 * struct vfio_region_dma_range - one slice of a region exported as a dma-buf
 *
 * @offset: start of the slice within the region.
 * @length: length of the slice in bytes.
 */
struct vfio_region_dma_range {
	uint64_t	offset;
	uint64_t	length;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_region_dma_range, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_dma_range, offset, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_region_dma_range, length, 8);

/*
 * struct vfio_device_feature_dma_buf - feature 11, GET only
 *
 * Exports slices of a region (typically a BAR, for peer-to-peer DMA) as a
 * new dma-buf fd, which the GET returns instead of 0. Closing that fd is the
 * undo. This feature is newer than the rest (it is in the mainline tree the
 * spec follows but its first release was not checked); its earlier drafts
 * had a different payload.
 *
 * @region_index: in: region to export.
 * @open_flags:   in: open(2) flags for the new fd (O_RDWR, O_CLOEXEC, ...).
 * @flags:        in: 0.
 * @nr_ranges:    in: number of entries in @dma_ranges.
 * @dma_ranges:   in: the slices.
 */
struct vfio_device_feature_dma_buf {
	uint32_t			region_index;
	uint32_t			open_flags;
	uint32_t			flags;
	uint32_t			nr_ranges;
	struct vfio_region_dma_range	dma_ranges[];
};
#define VFIO_DEVICE_FEATURE_DMA_BUF	11
UVFIO_UAPI_ASSERT_SIZE(vfio_device_feature_dma_buf, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_buf, region_index, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_buf, open_flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_buf, flags, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_buf, nr_ranges, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_device_feature_dma_buf, dma_ranges, 16);

/* ---------------- type1 IOMMU, on the container fd ---------------- */

/*
 * struct vfio_iommu_type1_info - VFIO_IOMMU_GET_INFO
 * UVFIO_IO(';', 112) = 0x3B70, on a container with a type1 model set (or an
 * iommufd used as a container)
 *
 * Request numbers 112-117 mean different things on a container and on a
 * device fd:
 *
 *   nr   container fd            device fd
 *   112  VFIO_IOMMU_GET_INFO     VFIO_DEVICE_GET_PCI_HOT_RESET_INFO
 *   113  VFIO_IOMMU_MAP_DMA      VFIO_DEVICE_PCI_HOT_RESET
 *   114  VFIO_IOMMU_UNMAP_DMA    VFIO_DEVICE_QUERY_GFX_PLANE
 *   115  VFIO_IOMMU_ENABLE       VFIO_DEVICE_GET_GFX_DMABUF
 *   116  VFIO_IOMMU_DISABLE      VFIO_DEVICE_IOEVENTFD
 *   117  VFIO_IOMMU_DIRTY_PAGES  VFIO_DEVICE_FEATURE
 *
 * @argsz:        in: bytes available; out: raised when the chain did not fit.
 * @flags:        out: VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS.
 * @iova_pgsizes: out: bitmap of the IOMMU page sizes; the lowest set bit is
 *                the granularity MAP_DMA and UNMAP_DMA require.
 * @cap_offset:   out: first capability, valid with VFIO_IOMMU_INFO_CAPS. The
 *                kernel builds MIGRATION, DMA_AVAIL, then IOVA_RANGE (the
 *                last omitted when there is no range to report); the iommufd
 *                compat layer gives DMA_AVAIL and IOVA_RANGE and always CAPS.
 * @pad:          reserved.
 *
 * minsz is 16 (through @iova_pgsizes). Linux 6.1 ends the struct at
 * @cap_offset, with a plain __u64 before it: 24 bytes on LP64 through tail
 * padding, 20 on i386. Later kernels added @pad and the alignment. A query:
 * nothing to undo.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL  argsz < 16, or no IOMMU model set on the container.
 */
struct vfio_iommu_type1_info {
	uint32_t		argsz;
	uint32_t		flags;
	uvfio_aligned_u64	iova_pgsizes;
	uint32_t		cap_offset;
	uint32_t		pad;
};
#define VFIO_IOMMU_INFO_PGSIZES	(1 << 0)	/* iova_pgsizes ok */
#define VFIO_IOMMU_INFO_CAPS	(1 << 1)	/* cap_offset ok */
#define VFIO_IOMMU_GET_INFO	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 12)
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_info, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info, iova_pgsizes, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info, cap_offset, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info, pad, 20);

/* Capability ids in the VFIO_IOMMU_GET_INFO chain. */
#define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE	1
#define VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION	2
#define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL		3

/*
 * struct vfio_iova_range - one usable IOVA range
 *
 * @start: first IOVA.
 * @end:   last IOVA, inclusive.
 */
struct vfio_iova_range {
	uint64_t	start;
	uint64_t	end;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_iova_range, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iova_range, start, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iova_range, end, 8);

/*
 * struct vfio_iommu_type1_info_cap_iova_range - IOMMU info capability 1
 *
 * The IOVA ranges MAP_DMA accepts: the IOMMU aperture minus the reserved
 * regions (such as the MSI window) of the attached devices.
 *
 * @header:      id VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, version 1.
 * @nr_iovas:    number of entries in @iova_ranges.
 * @reserved:    0.
 * @iova_ranges: the ranges, in ascending order.
 */
struct vfio_iommu_type1_info_cap_iova_range {
	struct vfio_info_cap_header	header;
	uint32_t			nr_iovas;
	uint32_t			reserved;
	struct vfio_iova_range		iova_ranges[];
};
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_info_cap_iova_range, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_iova_range, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_iova_range, nr_iovas, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_iova_range, reserved, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_iova_range, iova_ranges, 16);

/*
 * struct vfio_iommu_type1_info_cap_migration - IOMMU info capability 2
 *
 * Present when the container can track pages dirtied by DMA
 * (VFIO_IOMMU_DIRTY_PAGES).
 *
 * @header:                id VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, version 1.
 * @flags:                 0.
 * @pgsize_bitmap:         page sizes the dirty bitmap can be reported in.
 * @max_dirty_bitmap_size: largest bitmap, in bytes, one request may ask for.
 *
 * The kernel declares the two 64-bit fields as plain __u64, so on i386 they
 * sit at 12 and 20 (struct size 28) instead of 16 and 24 (size 32). The
 * checks below follow whichever ABI is being compiled for.
 */
struct vfio_iommu_type1_info_cap_migration {
	struct vfio_info_cap_header	header;
	uint32_t			flags;
	uint64_t			pgsize_bitmap;
	uint64_t			max_dirty_bitmap_size;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_info_cap_migration,
		       _Alignof(uint64_t) == 8 ? 32 : 28);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_migration, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_migration, flags, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_migration, pgsize_bitmap,
			 _Alignof(uint64_t) == 8 ? 16 : 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_cap_migration,
			 max_dirty_bitmap_size,
			 _Alignof(uint64_t) == 8 ? 24 : 20);

/*
 * struct vfio_iommu_type1_info_dma_avail - IOMMU info capability 3
 *
 * @header: id VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, version 1.
 * @avail:  how many more MAP_DMA mappings the container will accept (type1
 *          starts at 65535; the iommufd compat layer reports U32_MAX).
 */
struct vfio_iommu_type1_info_dma_avail {
	struct vfio_info_cap_header	header;
	uint32_t			avail;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_info_dma_avail, 12);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_dma_avail, header, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_info_dma_avail, avail, 8);

/*
 * struct vfio_iommu_type1_dma_map - VFIO_IOMMU_MAP_DMA
 * UVFIO_IO(';', 113) = 0x3B71, on the container fd
 *
 * Maps [@vaddr, @vaddr + @size) of the caller's memory at [@iova, @iova +
 * @size) for every device in the container, pinning the pages. With
 * VFIO_DMA_MAP_FLAG_VADDR instead, it only supplies a new @vaddr for an
 * existing mapping whose vaddr was invalidated by UNMAP_DMA with the VADDR
 * flag (same @iova and @size, no READ/WRITE). Undone by VFIO_IOMMU_UNMAP_DMA
 * or by the last group leaving the container.
 *
 * @argsz: in: 32.
 * @flags: in: VFIO_DMA_MAP_FLAG_READ and/or _WRITE (device's access), or
 *         _VADDR alone.
 * @vaddr: in: process virtual address.
 * @iova:  in: IO virtual address.
 * @size:  in: length in bytes, a multiple of the smallest IOMMU page size.
 *
 * minsz is 32 (the whole struct).
 *
 * Returns 0, or -1 with errno:
 *   EINVAL     argsz < 32; unknown flags; neither READ nor WRITE without
 *              VADDR, or VADDR with READ/WRITE; size 0; iova, vaddr or size
 *              not aligned to the IOMMU page size; outside every
 *              IOVA_RANGE; (VADDR) mapping not invalidated or not the same
 *              range;
 *   EOVERFLOW  iova + size or vaddr + size wraps (EINVAL before the 2025
 *              fix);
 *   EEXIST     overlaps an existing mapping;
 *   ENOSPC     the DMA_AVAIL budget is used up;
 *   ENOENT     (VADDR) no mapping at iova;
 *   ENOMEM     over RLIMIT_MEMLOCK or out of memory;
 *   EFAULT     the user memory cannot be pinned.
 */
struct vfio_iommu_type1_dma_map {
	uint32_t	argsz;
	uint32_t	flags;
	uint64_t	vaddr;
	uint64_t	iova;
	uint64_t	size;
};
#define VFIO_DMA_MAP_FLAG_READ	(1 << 0)	/* device may read */
#define VFIO_DMA_MAP_FLAG_WRITE	(1 << 1)	/* device may write */
#define VFIO_DMA_MAP_FLAG_VADDR	(1 << 2)	/* new vaddr only */
#define VFIO_IOMMU_MAP_DMA	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 13)
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_dma_map, 32);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_map, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_map, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_map, vaddr, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_map, iova, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_map, size, 24);

/*
 * struct vfio_bitmap - a caller-supplied dirty bitmap
 *
 * @pgsize: bytes per bit.
 * @size:   size of the buffer at @data, in bytes.
 * @data:   the bitmap, zeroed by the caller; bit n covers the n-th page from
 *          the start of the range being reported.
 *
 * @data is a real pointer in the kernel's declaration, so the struct is 24
 * bytes on LP64 and smaller on ILP32 ABIs; the checks follow the pointer.
 */
struct vfio_bitmap {
	uint64_t	pgsize;
	uint64_t	size;
	uint64_t	*data;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_bitmap,
		       (sizeof(void *) == 8 || _Alignof(uint64_t) == 8) ?
		       24 : 20);
UVFIO_UAPI_ASSERT_OFFSET(vfio_bitmap, pgsize, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_bitmap, size, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_bitmap, data, 16);

/*
 * struct vfio_iommu_type1_dma_unmap - VFIO_IOMMU_UNMAP_DMA
 * UVFIO_IO(';', 114) = 0x3B72, on the container fd
 *
 * The undo of VFIO_IOMMU_MAP_DMA: removes every mapping inside [@iova, @iova
 * + @size) and unpins its pages. Type1v2 refuses to split a mapping.
 * Unmapping a range where nothing is mapped succeeds with @size = 0.
 *
 * VFIO_DMA_UNMAP_FLAG_ALL removes every mapping (@iova and @size must be 0).
 * VFIO_DMA_UNMAP_FLAG_VADDR keeps the mappings and DMA going but forgets
 * their vaddr until MAP_DMA with VFIO_DMA_MAP_FLAG_VADDR supplies a new one.
 * VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP also reports the dirty pages of the
 * range, into a struct vfio_bitmap placed in @data.
 *
 * @argsz: in: 24, plus sizeof(struct vfio_bitmap) with GET_DIRTY_BITMAP.
 * @flags: in: VFIO_DMA_UNMAP_FLAG_*.
 * @iova:  in: start of the range.
 * @size:  in: length of the range; out: bytes actually unmapped.
 * @data:  in: the struct vfio_bitmap for GET_DIRTY_BITMAP.
 *
 * Returns 0, or -1 with errno:
 *   EINVAL     argsz < 24; unknown flags; GET_DIRTY_BITMAP with ALL or
 *              VADDR; ALL with iova or size non-zero; iova or size not
 *              aligned; size 0 without ALL; (v2) the range cuts a mapping
 *              at either end;
 *   EOVERFLOW  iova + size wraps (EINVAL before the 2025 fix).
 */
struct vfio_iommu_type1_dma_unmap {
	uint32_t	argsz;
	uint32_t	flags;
	uint64_t	iova;
	uint64_t	size;
	uint8_t		data[];
};
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP	(1 << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL			(1 << 1)
#define VFIO_DMA_UNMAP_FLAG_VADDR		(1 << 2)
#define VFIO_IOMMU_UNMAP_DMA	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 14)
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_dma_unmap, 24);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_unmap, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_unmap, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_unmap, iova, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_unmap, size, 16);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dma_unmap, data, 24);

/*
 * VFIO_IOMMU_ENABLE - UVFIO_IO(';', 115) = 0x3B73
 * VFIO_IOMMU_DISABLE - UVFIO_IO(';', 116) = 0x3B74
 *
 * No argument. Only the SPAPR TCE model implements them (DISABLE undoes
 * ENABLE); type1 answers ENOTTY.
 */
#define VFIO_IOMMU_ENABLE	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 15)
#define VFIO_IOMMU_DISABLE	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 16)

/*
 * struct vfio_iommu_type1_dirty_bitmap - VFIO_IOMMU_DIRTY_PAGES
 * UVFIO_IO(';', 117) = 0x3B75, on the container fd
 *
 * Container-wide tracking of pages that devices may have written. START
 * begins tracking, STOP ends it (the undo), GET_BITMAP reports and clears the
 * dirty pages of a range described by a struct
 * vfio_iommu_type1_dirty_bitmap_get placed in @data. Exactly one flag per
 * call.
 *
 * @argsz: in: 8, plus sizeof(struct vfio_iommu_type1_dirty_bitmap_get) for
 *         GET_BITMAP (not counting the bitmap buffer itself).
 * @flags: in: one VFIO_IOMMU_DIRTY_PAGES_FLAG_*.
 * @data:  in: the GET_BITMAP request.
 *
 * Returns 0, or -1 with errno:
 *   EACCES  the container is not type1v2;
 *   EINVAL  argsz too small; not exactly one flag; GET_BITMAP while not
 *           tracking, or with a bad range, page size or bitmap size.
 */
struct vfio_iommu_type1_dirty_bitmap {
	uint32_t	argsz;
	uint32_t	flags;
	uint8_t		data[];
};
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_START	(1 << 0)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP	(1 << 1)
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP	(1 << 2)
#define VFIO_IOMMU_DIRTY_PAGES	UVFIO_IO(VFIO_TYPE, VFIO_BASE + 17)
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_dirty_bitmap, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap, argsz, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap, flags, 4);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap, data, 8);

/*
 * struct vfio_iommu_type1_dirty_bitmap_get - the GET_BITMAP request
 *
 * @iova:   in: start of the range; must match mappings exactly.
 * @size:   in: length of the range.
 * @bitmap: in: where to put the bits; @bitmap.pgsize must be the smallest
 *          IOMMU page size.
 */
struct vfio_iommu_type1_dirty_bitmap_get {
	uint64_t		iova;
	uint64_t		size;
	struct vfio_bitmap	bitmap;
};
UVFIO_UAPI_ASSERT_SIZE(vfio_iommu_type1_dirty_bitmap_get,
		       16 + sizeof(struct vfio_bitmap));
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap_get, iova, 0);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap_get, size, 8);
UVFIO_UAPI_ASSERT_OFFSET(vfio_iommu_type1_dirty_bitmap_get, bitmap, 16);

/*
 * The request numbers, pinned to the values in the spec's table
 * (docs: kernel-semantics.md section 3), so that a slip in UVFIO_IO or
 * VFIO_BASE cannot go unnoticed.
 */
_Static_assert(VFIO_GET_API_VERSION == 0x3B64, "VFIO_GET_API_VERSION");
_Static_assert(VFIO_CHECK_EXTENSION == 0x3B65, "VFIO_CHECK_EXTENSION");
_Static_assert(VFIO_SET_IOMMU == 0x3B66, "VFIO_SET_IOMMU");
_Static_assert(VFIO_GROUP_GET_STATUS == 0x3B67, "VFIO_GROUP_GET_STATUS");
_Static_assert(VFIO_GROUP_SET_CONTAINER == 0x3B68, "VFIO_GROUP_SET_CONTAINER");
_Static_assert(VFIO_GROUP_UNSET_CONTAINER == 0x3B69,
	       "VFIO_GROUP_UNSET_CONTAINER");
_Static_assert(VFIO_GROUP_GET_DEVICE_FD == 0x3B6A, "VFIO_GROUP_GET_DEVICE_FD");
_Static_assert(VFIO_DEVICE_GET_INFO == 0x3B6B, "VFIO_DEVICE_GET_INFO");
_Static_assert(VFIO_DEVICE_GET_REGION_INFO == 0x3B6C,
	       "VFIO_DEVICE_GET_REGION_INFO");
_Static_assert(VFIO_DEVICE_GET_IRQ_INFO == 0x3B6D, "VFIO_DEVICE_GET_IRQ_INFO");
_Static_assert(VFIO_DEVICE_SET_IRQS == 0x3B6E, "VFIO_DEVICE_SET_IRQS");
_Static_assert(VFIO_DEVICE_RESET == 0x3B6F, "VFIO_DEVICE_RESET");
_Static_assert(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO == 0x3B70, "HOT_RESET_INFO");
_Static_assert(VFIO_IOMMU_GET_INFO == 0x3B70, "VFIO_IOMMU_GET_INFO");
_Static_assert(VFIO_DEVICE_PCI_HOT_RESET == 0x3B71,
	       "VFIO_DEVICE_PCI_HOT_RESET");
_Static_assert(VFIO_IOMMU_MAP_DMA == 0x3B71, "VFIO_IOMMU_MAP_DMA");
_Static_assert(VFIO_DEVICE_QUERY_GFX_PLANE == 0x3B72,
	       "VFIO_DEVICE_QUERY_GFX_PLANE");
_Static_assert(VFIO_IOMMU_UNMAP_DMA == 0x3B72, "VFIO_IOMMU_UNMAP_DMA");
_Static_assert(VFIO_DEVICE_GET_GFX_DMABUF == 0x3B73,
	       "VFIO_DEVICE_GET_GFX_DMABUF");
_Static_assert(VFIO_IOMMU_ENABLE == 0x3B73, "VFIO_IOMMU_ENABLE");
_Static_assert(VFIO_DEVICE_IOEVENTFD == 0x3B74, "VFIO_DEVICE_IOEVENTFD");
_Static_assert(VFIO_IOMMU_DISABLE == 0x3B74, "VFIO_IOMMU_DISABLE");
_Static_assert(VFIO_DEVICE_FEATURE == 0x3B75, "VFIO_DEVICE_FEATURE");
_Static_assert(VFIO_IOMMU_DIRTY_PAGES == 0x3B75, "VFIO_IOMMU_DIRTY_PAGES");
_Static_assert(VFIO_DEVICE_BIND_IOMMUFD == 0x3B76, "VFIO_DEVICE_BIND_IOMMUFD");
_Static_assert(VFIO_DEVICE_ATTACH_IOMMUFD_PT == 0x3B77,
	       "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
_Static_assert(VFIO_DEVICE_DETACH_IOMMUFD_PT == 0x3B78,
	       "VFIO_DEVICE_DETACH_IOMMUFD_PT");
_Static_assert(VFIO_MIG_GET_PRECOPY_INFO == 0x3B79,
	       "VFIO_MIG_GET_PRECOPY_INFO");

#endif /* UVFIO_UAPI_VFIO_H */
