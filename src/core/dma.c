// SPDX-License-Identifier: MIT
/*
 * Device DMA through the emulated IOMMU: domains, the device -> domain
 * binding, translation with faults, pins and dirty tracking. The locking
 * rule is at the top of dma.h.
 *
 * A DMA is a copy between the device's buffer and the client memory that a
 * mapping names. The copy goes through copy_from_user()/copy_to_user() (the
 * process_vm_readv/writev pair of src/vfs/uaccess.c), so memory the client
 * unmapped behind a mapping gives EFAULT instead of a crash. Only memory of
 * IOMMU_IOAS_MAP_FILE, which we mapped ourselves, is copied directly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "vfio.h"
#include "../iommufd/io_pagetable.h"
#include "../vfs/uaccess.h"
#include <uvfio/dma.h>

/*
 * Protects every vfio_device::dma; see dma.h. Writers first, so that a DMA
 * storm cannot starve a detach; so no path may take it twice for reading.
 */
static pthread_rwlock_t vfio_dma_lock =
	PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

/* Logged faults per device before we go quiet (the count goes on). */
#define VFIO_DMA_FAULT_LOG_MAX	32

/* A device's attachment to a domain; lives until its last pin is gone. */
struct vfio_dma_attach {
	struct iommu_domain *domain;	/* immutable */
	pthread_mutex_t lock;		/* with idle: waits for pins */
	pthread_cond_t idle;
	unsigned long pins;		/* lock: pins taken through it */
};

struct uvfio_dma_pin {
	struct vfio_dma_attach *att;	/* holds one of att->pins */
	u64 iova;
	u64 len;
};

/*
 * ---------------------------------------------------------------------
 * Domains and dirty bits
 * ---------------------------------------------------------------------
 */

struct iommu_domain *iommu_domain_alloc(struct io_pagetable *iopt, u32 flags)
{
	struct iommu_domain *domain = calloc(1, sizeof(*domain));

	if (!domain)
		return ERR_PTR(-ENOMEM);
	domain->iopt = iopt;
	domain->flags = flags;
	pthread_mutex_init(&domain->dirty_lock, NULL);
	return domain;
}

void iommu_domain_free(struct iommu_domain *domain)
{
	if (!domain)
		return;
	pthread_mutex_destroy(&domain->dirty_lock);
	free(domain->dirty);
	free(domain);
}

static size_t dirty_slot(u64 key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

/* Caller holds dirty_lock. */
static void __dirty_insert(struct iommu_domain *domain, u64 pfn)
{
	u64 key = pfn + 1;
	size_t i;

	if ((domain->dirty_nr + 1) * 2 > domain->dirty_cap) {
		size_t cap = domain->dirty_cap ? domain->dirty_cap * 2 : 64;
		u64 *old = domain->dirty, *grown = calloc(cap, sizeof(*grown));
		size_t old_cap = domain->dirty_cap;

		if (!grown)
			return;	/* best effort: the page stays clean */
		domain->dirty = grown;
		domain->dirty_cap = cap;
		domain->dirty_nr = 0;
		for (size_t j = 0; j < old_cap; j++)
			if (old[j])
				__dirty_insert(domain, old[j] - 1);
		free(old);
	}
	for (i = dirty_slot(key, domain->dirty_cap); domain->dirty[i];
	     i = (i + 1) & (domain->dirty_cap - 1))
		if (domain->dirty[i] == key)
			return;
	domain->dirty[i] = key;
	domain->dirty_nr++;
}

static void iommu_domain_mark_dirty(struct iommu_domain *domain, u64 iova,
				    u64 len)
{
	if (!__atomic_load_n(&domain->dirty_tracking, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&domain->dirty_lock);
	for (u64 pfn = iova / IOPT_PAGE_SIZE;
	     pfn <= (iova + len - 1) / IOPT_PAGE_SIZE; pfn++)
		__dirty_insert(domain, pfn);
	pthread_mutex_unlock(&domain->dirty_lock);
}

/* Enabling starts from a clean slate, as the kernel clears the PTE bits. */
int iommu_domain_set_dirty_tracking(struct iommu_domain *domain, bool enable)
{
	if (!(domain->flags & IOMMU_DOMAIN_F_DIRTY))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&domain->dirty_lock);
	if (enable && domain->dirty_cap) {
		memset(domain->dirty, 0,
		       domain->dirty_cap * sizeof(*domain->dirty));
		domain->dirty_nr = 0;
	}
	__atomic_store_n(&domain->dirty_tracking, enable, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&domain->dirty_lock);
	return 0;
}

int iommu_domain_read_and_clear_dirty(struct iommu_domain *domain, u64 iova,
				      u64 length, u64 page_size, bool no_clear,
				      u64 __user *bitmap)
{
	u64 last = iova + length - 1;
	u64 *keep = NULL;
	size_t nkeep = 0;
	int rc = 0;

	if (!(domain->flags & IOMMU_DOMAIN_F_DIRTY))
		return -EOPNOTSUPP;
	pthread_mutex_lock(&domain->dirty_lock);
	if (!domain->dirty_tracking) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (!no_clear && domain->dirty_nr) {
		keep = malloc(domain->dirty_nr * sizeof(*keep));
		if (!keep) {
			rc = -ENOMEM;
			goto out_unlock;
		}
	}
	for (size_t i = 0; i < domain->dirty_cap; i++) {
		u64 key = domain->dirty[i], addr, bit, bit_last, word;

		if (!key)
			continue;
		addr = (key - 1) * IOPT_PAGE_SIZE;
		if (addr + IOPT_PAGE_SIZE - 1 < iova || addr > last) {
			if (keep)
				keep[nkeep++] = key - 1;
			continue;
		}
		/* A report page smaller than ours gets several bits. */
		bit = (max_t(u64, addr, iova) - iova) / page_size;
		bit_last = (min_t(u64, addr + IOPT_PAGE_SIZE - 1, last) -
			    iova) / page_size;
		for (; bit <= bit_last; bit++) {
			rc = copy_from_user(&word, bitmap + bit / 64,
					    sizeof(word));
			if (rc)
				goto out_free;
			word |= 1ULL << (bit % 64);
			rc = copy_to_user(bitmap + bit / 64, &word,
					  sizeof(word));
			if (rc)
				goto out_free;
		}
	}
	if (keep) {
		memset(domain->dirty, 0,
		       domain->dirty_cap * sizeof(*domain->dirty));
		domain->dirty_nr = 0;
		for (size_t i = 0; i < nkeep; i++)
			__dirty_insert(domain, keep[i]);
	}
out_free:
	free(keep);
out_unlock:
	pthread_mutex_unlock(&domain->dirty_lock);
	return rc;
}

/*
 * ---------------------------------------------------------------------
 * The device -> domain binding
 * ---------------------------------------------------------------------
 */

static void vfio_dma_attach_wait_idle(struct vfio_dma_attach *att)
{
	pthread_mutex_lock(&att->lock);
	while (att->pins)
		pthread_cond_wait(&att->idle, &att->lock);
	pthread_mutex_unlock(&att->lock);
	pthread_cond_destroy(&att->idle);
	pthread_mutex_destroy(&att->lock);
	free(att);
}

int vfio_device_dma_attach(struct vfio_device *vdev,
			   struct iommu_domain *domain)
{
	struct vfio_dma_attach *att = calloc(1, sizeof(*att)), *old;

	if (!att)
		return -ENOMEM;
	att->domain = domain;
	pthread_mutex_init(&att->lock, NULL);
	pthread_cond_init(&att->idle, NULL);

	pthread_rwlock_wrlock(&vfio_dma_lock);
	old = vdev->dma;
	vdev->dma = att;
	pthread_rwlock_unlock(&vfio_dma_lock);
	/* No new pin can reach @old now; wait out the ones it has. */
	if (old)
		vfio_dma_attach_wait_idle(old);
	return 0;
}

void vfio_device_dma_detach(struct vfio_device *vdev)
{
	struct vfio_dma_attach *old;

	pthread_rwlock_wrlock(&vfio_dma_lock);
	old = vdev->dma;
	vdev->dma = NULL;
	pthread_rwlock_unlock(&vfio_dma_lock);
	if (old)
		vfio_dma_attach_wait_idle(old);
}

/*
 * ---------------------------------------------------------------------
 * Translation and faults
 * ---------------------------------------------------------------------
 */

static int vfio_dma_fault(struct vfio_device *vdev, u64 iova, u64 len,
			  bool write, const char *why)
{
	unsigned long n = __atomic_add_fetch(&vdev->dma_faults, 1,
					     __ATOMIC_RELAXED);

	if (n <= VFIO_DMA_FAULT_LOG_MAX)
		fprintf(stderr,
			"uvfio: IOMMU fault: %s DMA %s iova 0x%" PRIx64
			" len 0x%" PRIx64 ": %s%s\n",
			vdev->name, write ? "write" : "read", iova, len, why,
			n == VFIO_DMA_FAULT_LOG_MAX ?
				" (further faults not logged)" : "");
	return -EFAULT;
}

/*
 * Checks that [iova, last] is mapped without a hole and with @prot.
 * Caller holds the table's read lock. Returns NULL or the reason.
 */
static const char *vfio_dma_check(struct io_pagetable *iopt, u64 iova,
				  u64 last, int prot)
{
	struct iopt_area *area = __iopt_area_find(iopt, iova);

	for (;;) {
		if (!area || area->iova > iova)
			return "not mapped";
		if ((area->prot & prot) != prot)
			return prot & IOPT_WRITE ? "mapping is read-only" :
						   "mapping is write-only";
		if (area->last >= last)
			return NULL;
		iova = area->last + 1;
		area = __iopt_area_next(iopt, area);
	}
}

int vfio_device_dma_rw(struct vfio_device *vdev, u64 iova, void *buf,
		       size_t len, bool write)
{
	int prot = write ? IOPT_WRITE : IOPT_READ;
	struct iommu_domain *domain;
	struct io_pagetable *iopt;
	const char *why;
	size_t done = 0;
	u64 last;
	int rc = 0;

	if (!len)
		return 0;
	if (__builtin_add_overflow(iova, (u64)len - 1, &last))
		return vfio_dma_fault(vdev, iova, len, write,
				      "past the end of the IOVA space");

	pthread_rwlock_rdlock(&vfio_dma_lock);
	if (!vdev->dma) {
		pthread_rwlock_unlock(&vfio_dma_lock);
		return vfio_dma_fault(vdev, iova, len, write,
				      "device is not attached (DMA blocked)");
	}
	domain = vdev->dma->domain;
	iopt = domain->iopt;
	iopt_read_lock(iopt);
	why = vfio_dma_check(iopt, iova, last, prot);
	if (why) {
		rc = vfio_dma_fault(vdev, iova, len, write, why);
		goto out_unlock;
	}
	while (done < len) {
		struct iopt_area *area = __iopt_area_find(iopt, iova);
		size_t n = (size_t)min_t(u64, len - done,
					 area->last - iova + 1);
		void __user *uva = (void __user *)iopt_area_uva(area, iova);

		if (area->pages->file_map) {
			/* A memfd we mapped ourselves cannot vanish under us. */
			if (write)
				memcpy(uva, (char *)buf + done, n);
			else
				memcpy((char *)buf + done, uva, n);
			rc = 0;
		} else if (write) {
			rc = copy_to_user(uva, (char *)buf + done, n);
		} else {
			rc = copy_from_user((char *)buf + done, uva, n);
		}
		if (!rc && write)
			iommu_domain_mark_dirty(domain, iova, n);
		if (rc)
			break;
		done += n;
		iova += n;
	}
out_unlock:
	iopt_read_unlock(iopt);
	pthread_rwlock_unlock(&vfio_dma_lock);
	return rc;
}

/*
 * ---------------------------------------------------------------------
 * The public API (include/uvfio/dma.h)
 * ---------------------------------------------------------------------
 */

struct uvfio_device_by_index_arg {
	unsigned int index;
	struct vfio_device *found;
};

static int uvfio_device_by_index_fn(struct vfio_device *vdev, void *data)
{
	struct uvfio_device_by_index_arg *arg = data;

	if (vdev->index != arg->index)
		return 0;
	arg->found = vdev;
	return 1;
}

__export struct uvfio_device *uvfio_device_by_index(int index)
{
	struct uvfio_device_by_index_arg arg = { .index = (unsigned int)index };

	if (index < 0)
		return NULL;
	vfio_device_for_each(uvfio_device_by_index_fn, &arg);
	return arg.found ? vfio_device_to_uvfio(arg.found) : NULL;
}

__export int uvfio_dma_read(struct uvfio_device *dev, uint64_t iova,
			    void *buf, size_t len)
{
	if (!dev)
		return -EINVAL;
	return vfio_device_dma_rw(vfio_device_from_uvfio(dev), iova, buf, len,
				  false);
}

__export int uvfio_dma_write(struct uvfio_device *dev, uint64_t iova,
			     const void *buf, size_t len)
{
	if (!dev)
		return -EINVAL;
	return vfio_device_dma_rw(vfio_device_from_uvfio(dev), iova,
				  (void *)buf, len, true);
}

__export long uvfio_dma_faults(struct uvfio_device *dev)
{
	if (!dev)
		return -EINVAL;
	return (long)__atomic_load_n(&vfio_device_from_uvfio(dev)->dma_faults,
				     __ATOMIC_RELAXED);
}

/* Fills @segs from the pinned range; caller holds the table's read lock. */
static int vfio_dma_pin_segments(struct io_pagetable *iopt, u64 iova,
				 u64 len, struct uvfio_dma_segment *segs,
				 unsigned int max_segs)
{
	u64 last = iova + len - 1;
	unsigned int n = 0;
	struct iopt_area *area;

	for (area = __iopt_area_find(iopt, iova); area;
	     area = __iopt_area_next(iopt, area)) {
		u64 piece = min_t(u64, last, area->last) - iova + 1;
		void *addr = (void *)iopt_area_uva(area, iova);

		/* Areas contiguous in host memory too make one segment. */
		if (n && (char *)segs[n - 1].addr + segs[n - 1].len == addr) {
			segs[n - 1].len += piece;
		} else {
			if (n == max_segs)
				return -E2BIG;
			segs[n].addr = addr;
			segs[n].len = piece;
			n++;
		}
		if (area->last >= last)
			break;
		iova = area->last + 1;
	}
	return (int)n;
}

__export int uvfio_dma_pin(struct uvfio_device *dev, uint64_t iova,
			   size_t len, int access,
			   struct uvfio_dma_segment *segs,
			   unsigned int max_segs, struct uvfio_dma_pin **out)
{
	struct vfio_device *vdev = vfio_device_from_uvfio(dev);
	int prot = (access & UVFIO_DMA_READ ? IOPT_READ : 0) |
		   (access & UVFIO_DMA_WRITE ? IOPT_WRITE : 0);
	bool write = access & UVFIO_DMA_WRITE;
	struct vfio_dma_attach *att;
	struct uvfio_dma_pin *pin;
	struct io_pagetable *iopt;
	const char *why;
	u64 last;
	int rc;

	if (!dev || !out || !len || !prot || (access & ~3))
		return -EINVAL;
	if (__builtin_add_overflow(iova, (u64)len - 1, &last))
		return vfio_dma_fault(vdev, iova, len, write,
				      "past the end of the IOVA space");
	pin = calloc(1, sizeof(*pin));
	if (!pin)
		return -ENOMEM;

	pthread_rwlock_rdlock(&vfio_dma_lock);
	att = vdev->dma;
	if (!att) {
		rc = vfio_dma_fault(vdev, iova, len, write,
				    "device is not attached (DMA blocked)");
		goto out_unlock;
	}
	iopt = att->domain->iopt;
	rc = iopt_access_pin(iopt, iova, len, prot);
	if (rc == -ENOENT || rc == -EPERM) {
		iopt_read_lock(iopt);
		why = vfio_dma_check(iopt, iova, last, prot);
		iopt_read_unlock(iopt);
		rc = vfio_dma_fault(vdev, iova, len, write,
				    why ?: "mapping changed");
	}
	if (rc)
		goto out_unlock;
	iopt_read_lock(iopt);
	rc = vfio_dma_pin_segments(iopt, iova, len, segs, max_segs);
	iopt_read_unlock(iopt);
	if (rc < 0) {
		iopt_access_unpin(iopt, iova, len);
		goto out_unlock;
	}
	if (write)
		iommu_domain_mark_dirty(att->domain, iova, len);
	pthread_mutex_lock(&att->lock);
	att->pins++;	/* dropped in uvfio_dma_unpin() */
	pthread_mutex_unlock(&att->lock);
	pin->att = att;
	pin->iova = iova;
	pin->len = len;
	*out = pin;
	pthread_rwlock_unlock(&vfio_dma_lock);
	return rc;

out_unlock:
	pthread_rwlock_unlock(&vfio_dma_lock);
	free(pin);
	return rc;
}

__export void uvfio_dma_unpin(struct uvfio_dma_pin *pin)
{
	struct vfio_dma_attach *att;

	if (!pin)
		return;
	att = pin->att;
	iopt_access_unpin(att->domain->iopt, pin->iova, pin->len);
	pthread_mutex_lock(&att->lock);
	if (!--att->pins)
		pthread_cond_broadcast(&att->idle);
	pthread_mutex_unlock(&att->lock);
	free(pin);
}

/*
 * ---------------------------------------------------------------------
 * fork
 * ---------------------------------------------------------------------
 */

/* Order: vfio_dma_lock, then the accounting lock, as on the DMA path. */
void vfio_dma_atfork_prepare(void)
{
	pthread_rwlock_wrlock(&vfio_dma_lock);
	iopt_account_lock_acquire();
}

void vfio_dma_atfork_parent(void)
{
	iopt_account_lock_release();
	pthread_rwlock_unlock(&vfio_dma_lock);
}

/*
 * The forking thread took both in prepare and is the child's only thread.
 * The mutex can be unlocked there; the rwlock cannot: glibc tells a writer's
 * unlock by the writer's TID, which the child does not share, so it starts
 * afresh instead.
 */
void vfio_dma_atfork_child(void)
{
	pthread_rwlockattr_t attr;

	iopt_account_lock_release();
	/* Tells a race checker the lock is free; the init below makes it so. */
	pthread_rwlock_unlock(&vfio_dma_lock);
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr,
		PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&vfio_dma_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
}
