/* SPDX-License-Identifier: MIT */
/*
 * libuvfio: DMA by emulated devices, through the emulated IOMMU.
 *
 * A device model (or a test standing in for one) reads and writes memory
 * the way a PCI device does: at IO virtual addresses, which the IOMMU
 * translates through what the program mapped (IOMMU_IOAS_MAP on the IOAS or
 * HWPT the device is attached to). The memory is the program's own: the
 * emulator runs in its process. A DMA outside every mapping, a write to a
 * read-only mapping, or any DMA by a device that is not attached is an
 * IOMMU fault: it touches no memory, fails with -EFAULT, is counted per
 * device (uvfio_dma_faults()) and is logged on stderr.
 *
 * Conventions: as in <uvfio/uvfio.h>: 0 or a non-negative value on
 * success, a negative errno on failure, errno untouched. All functions are
 * thread-safe, and safe against a concurrent unmap, detach or unbind: a
 * transfer that has started completes against the mappings it started
 * with; the unmap waits for it.
 */
#ifndef UVFIO_DMA_H
#define UVFIO_DMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uvfio_device;

/*
 * uvfio_device_by_index - the device behind /dev/vfio/devices/vfio@index
 * (the value uvfio_device_add() returned), or NULL. The device stays valid
 * for the life of the process.
 */
struct uvfio_device *uvfio_device_by_index(int index);

/*
 * uvfio_dma_read - the device reads @len bytes at @iova into @buf.
 * uvfio_dma_write - the device writes @len bytes from @buf at @iova.
 *
 * Returns 0; -EFAULT for an IOMMU fault (nothing copied), or when the
 * program unmapped the memory behind a mapping (a prefix may have been
 * copied); -EINVAL for a NULL device. With dirty tracking on
 * (IOMMU_HWPT_SET_DIRTY_TRACKING), a write marks the pages it touched.
 */
int uvfio_dma_read(struct uvfio_device *dev, uint64_t iova, void *buf,
		   size_t len);
int uvfio_dma_write(struct uvfio_device *dev, uint64_t iova, const void *buf,
		    size_t len);

/* Access rights asked of a pin. */
#define UVFIO_DMA_READ		0x1	/* the device will read */
#define UVFIO_DMA_WRITE		0x2	/* the device will write */

/* One host-contiguous piece of a pinned IOVA range. */
struct uvfio_dma_segment {
	void *addr;
	size_t len;
};

struct uvfio_dma_pin;

/*
 * uvfio_dma_pin - zero-copy access: translate [@iova, @iova + @len) to
 * host pointers and keep the mappings from going away until
 * uvfio_dma_unpin(). The range may span several mappings; their pieces go
 * to @segs in IOVA order.
 *
 * While a pin is held, an IOMMU_IOAS_UNMAP of the range waits for it (up to
 * a second, then fails with EDEADLOCK, the kernel's errno for a pin holder
 * that does not let go), and a detach or unbind of the device waits too.
 * A dirty-tracking domain counts a UVFIO_DMA_WRITE pin as writing the whole
 * range, at pin time. The pointers are the program's own memory: if the
 * program munmap()s it behind the mapping, touching them crashes, as
 * uvfio cannot hold the pages.
 *
 * Returns the number of segments; -EFAULT for an IOMMU fault (counted);
 * -E2BIG when more than @max_segs segments would be needed (nothing
 * pinned); -EBUSY while an unmap of the range is pending; -EINVAL for len
 * 0; -ENOMEM.
 */
int uvfio_dma_pin(struct uvfio_device *dev, uint64_t iova, size_t len,
		  int access, struct uvfio_dma_segment *segs,
		  unsigned int max_segs, struct uvfio_dma_pin **pin);
/* uvfio_dma_unpin - releases a pin; the pointers become invalid. */
void uvfio_dma_unpin(struct uvfio_dma_pin *pin);

/*
 * uvfio_dma_faults - how many IOMMU faults @dev has taken since it was
 * created. Returns the count, or -EINVAL for a NULL device.
 */
long uvfio_dma_faults(struct uvfio_device *dev);

/*
 * The emulated IOMMU as IOMMU_GET_HW_INFO describes it.
 *
 * IOMMU_HW_INFO_TYPE_UVFIO is the out_data_type of every uvfio device (it
 * is also accepted as in_data_type with IOMMU_HW_INFO_FLAG_INPUT_TYPE), and
 * struct iommu_hw_info_uvfio is its data. The value is outside the range
 * the kernel hands out to vendors. Fields:
 *
 * @flags:          0.
 * @__reserved:     0.
 * @pgsize_bitmap:  IOMMU page sizes (4 KiB | 2 MiB | 1 GiB).
 * @aperture_start: first IOVA the IOMMU translates (0).
 * @aperture_last:  last one ((1 << 39) - 1, as on the reference host).
 * @msi_start:      the reserved MSI window (0xfee00000) ...
 * @msi_last:       ... to 0xfeefffff, which attached devices reserve.
 *
 * out_capabilities reports IOMMU_HW_CAP_DIRTY_TRACKING;
 * out_max_pasid_log2 is 0.
 */
#define IOMMU_HW_INFO_TYPE_UVFIO	0x7576
struct iommu_hw_info_uvfio {
	uint32_t flags;
	uint32_t __reserved;
	uint64_t pgsize_bitmap;
	uint64_t aperture_start;
	uint64_t aperture_last;
	uint64_t msi_start;
	uint64_t msi_last;
};
_Static_assert(sizeof(struct iommu_hw_info_uvfio) == 48,
	       "iommu_hw_info_uvfio is 48 bytes");

#ifdef __cplusplus
}
#endif

#endif /* UVFIO_DMA_H */
