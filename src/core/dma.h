/* SPDX-License-Identifier: MIT */
/*
 * Device DMA through the emulated IOMMU: the IOMMU domain (an IOMMU page
 * table that mirrors an io_pagetable), which device each one translates
 * for, and the copy that a device model's DMA becomes. The kernel spreads
 * this over drivers/iommu/iommu.c (the device -> domain binding) and the
 * IOMMU hardware; here it is one file, src/core/dma.c.
 *
 * Who attaches what: iommufd attaches a device to its HWPT's domain
 * (src/iommufd/device.c). The group/container path (issue 4) does the same
 * with the container's domain, through the same two calls:
 *
 *	domain = iommu_domain_alloc(&container->iopt, 0);
 *	iopt_table_add_domain(&container->iopt, domain, ...);
 *	vfio_device_dma_attach(vdev, domain);	at group attach / device open
 *	vfio_device_dma_detach(vdev);		at group detach
 *
 * Locking: vfio_dma_lock (a global rwlock in dma.c) protects every
 * vdev->dma. DMA holds it for reading from the lookup to the end of the
 * copy; attach and detach hold it for writing. So a device cannot lose its
 * domain in the middle of a transfer, and the domain, its HWPT, its IOAS and
 * the io_pagetable all outlive the transfer (each holds the next). Inside,
 * the io_pagetable's own lock orders the copy against unmap. Lock order:
 * dev_set->lock, ictx->lock, vfio_dma_lock, iova_rwsem.
 */
#ifndef UVFIO_CORE_DMA_H
#define UVFIO_CORE_DMA_H

#include <pthread.h>
#include "../util/compiler.h"

struct io_pagetable;
struct vfio_device;

/*
 * The emulated IOMMU, one instance behind every device: iommu_geometry.h
 * (4 KiB, 2 MiB and 1 GiB pages, the reference host's 39-bit aperture, the
 * x86 MSI window that each attached device reserves), plus dirty tracking,
 * no PASID and no nesting.
 */
#include "iommu_geometry.h"

/* iommu_domain_alloc() flags */
#define IOMMU_DOMAIN_F_DIRTY		0x1	/* can track dirty pages */

/*
 * An IOMMU page table. It has no entries of its own: it translates through
 * the io_pagetable it mirrors. What it adds is the hardware's dirty bits.
 */
struct iommu_domain {
	struct io_pagetable *iopt;	/* immutable; outlives the domain */
	u32 flags;			/* immutable: IOMMU_DOMAIN_F_* */
	bool dirty_tracking;		/* atomic */
	pthread_mutex_t dirty_lock;	/* protects the dirty set */
	u64 *dirty;			/* dirty_lock: set of IOVA pfn + 1 */
	size_t dirty_cap, dirty_nr;	/* dirty_lock */
};

struct iommu_domain *iommu_domain_alloc(struct io_pagetable *iopt, u32 flags);
void iommu_domain_free(struct iommu_domain *domain);
int iommu_domain_set_dirty_tracking(struct iommu_domain *domain, bool enable);
/*
 * ORs into the client bitmap at @bitmap one bit per @page_size of
 * [@iova, @iova + @length) that a device wrote since the last clear, and
 * clears those unless @no_clear. -EINVAL while tracking is off, -EFAULT.
 */
int iommu_domain_read_and_clear_dirty(struct iommu_domain *domain, u64 iova,
				      u64 length, u64 page_size, bool no_clear,
				      u64 __user *bitmap);

/*
 * Makes @vdev's DMA translate through @domain, replacing any previous one;
 * a replaced domain's pins must be dropped first, and this waits for them.
 */
int vfio_device_dma_attach(struct vfio_device *vdev,
			   struct iommu_domain *domain);
/* DMA blocked again; waits until the device's pins are released. */
void vfio_device_dma_detach(struct vfio_device *vdev);

/*
 * A device reads (@write false) or writes @len bytes at @iova. Every byte
 * must be mapped with the right permission, or nothing is touched: the
 * IOMMU faults (-EFAULT, counted and logged). -EFAULT also if the client
 * unmapped the memory behind a mapping (the copy may then be partial).
 */
int vfio_device_dma_rw(struct vfio_device *vdev, u64 iova, void *buf,
		       size_t len, bool write);

/*
 * fork(): the global locks of the DMA path (vfio_dma_lock, and the pinned
 * page accounting lock) are held across the fork and handed back on both
 * sides, as init.c does for the device sets. For init.c's atfork hooks.
 */
void vfio_dma_atfork_prepare(void);
void vfio_dma_atfork_parent(void);
void vfio_dma_atfork_child(void);

#endif /* UVFIO_CORE_DMA_H */
