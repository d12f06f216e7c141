/* SPDX-License-Identifier: MIT */
/*
 * The io_pagetable: an I/O address space as a data structure, and nothing
 * else (the kernel's drivers/iommu/iommufd/io_pagetable.h). It knows
 * mappings, ranges and pinned memory, but no iommufd object, fd or ioctl, so
 * that both the iommufd IOAS and the legacy type1 container use it.
 *
 * A mapping is an *area*: [iova, last] -> a slice of an iopt_pages, which is
 * the memory behind it (a range of the client's address space, or of a
 * memfd we mapped ourselves). Areas never overlap and are never split,
 * except by iopt_cut_iova() (type1 v1 semantics). IOAS_COPY makes new areas
 * that share the source's iopt_pages.
 *
 * Areas sit in an AVL tree keyed by IOVA, so map, unmap and translate are
 * O(log n). Each node also knows its subtree's span and largest hole, so
 * automatic IOVA allocation (first fit, as the kernel's) skips every
 * subtree without a hole large enough: O(log n), plus O(log n) for each
 * hole that is large enough but fails the alignment or a reserved range.
 *
 * Locking (the kernel's iova_rwsem): iopt->iova_rwsem, a writer-preferring
 * rwlock, protects the tree and every range list. Map, unmap, cut and the
 * range setters take it for writing; translation, DMA and queries for
 * reading, so a translation never sees a half-made change and a DMA copy
 * finishes before an unmap that overlaps it can proceed. Pins
 * (area->num_accesses) outlive the lock; an unmap that meets one waits for
 * it (see iopt_unmap_iova()). Lock order: callers' own locks (ictx->lock,
 * vfio_dma_lock), then iova_rwsem, then the accounting lock (pages.c).
 */
#ifndef UVFIO_IOMMUFD_IO_PAGETABLE_H
#define UVFIO_IOMMUFD_IO_PAGETABLE_H

#include <pthread.h>
#include <stddef.h>
#include "../util/compiler.h"
#include "../util/refcount.h"

#define IOPT_PAGE_SIZE		4096UL
#define IOPT_ULONG_MAX		(~0UL)

/* Access rights of an area, as the kernel's IOMMU_READ / IOMMU_WRITE. */
#define IOPT_READ		0x1
#define IOPT_WRITE		0x2

/* iopt_map_*() flags */
#define IOPT_ALLOC_IOVA		0x1	/* choose the IOVA; *iova is output */

/*
 * How pinned pages count against RLIMIT_MEMLOCK (the kernel's
 * IOPT_PAGES_ACCOUNT_*). The emulation: one process-wide counter per mode
 * stands for the user's locked_vm (USER) and for the mm's locked_vm (MM);
 * each is checked against RLIMIT_MEMLOCK when a pin raises it. A process
 * with CAP_IPC_LOCK is not accounted at all (NONE), as in the kernel.
 */
enum iopt_account_mode {
	IOPT_PAGES_ACCOUNT_NONE,
	IOPT_PAGES_ACCOUNT_USER,
	IOPT_PAGES_ACCOUNT_MM,
};

/*
 * The memory behind areas. Immutable after creation except where noted;
 * shared by every area that maps a slice of it, and freed with the last.
 */
struct iopt_pages {
	refcount_t kref;	/* one per area, one per in-flight copy */
	uintptr_t uptr;		/* immutable: first byte, page aligned */
	size_t length;		/* immutable: bytes from uptr, page rounded */
	bool writable;		/* immutable: may be mapped WRITE */
	void *file_map;		/* immutable: our mmap of a memfd, or NULL */
	enum iopt_account_mode account_mode;	/* immutable */
	unsigned long pin_users;	/* iopt_account_lock: pinning areas */
};

/*
 * One mapping. iova/last, pages, start_byte and prot are immutable while
 * the area is in the tree; the tree links change only under iova_rwsem
 * held for writing.
 */
struct iopt_area {
	struct iopt_area *left, *right;	/* iova_rwsem */
	int height;			/* iova_rwsem: AVL height */
	/* iova_rwsem: the subtree's span and largest hole between areas */
	u64 sub_first, sub_last, max_gap;
	u64 iova;			/* first IOVA */
	u64 last;			/* last IOVA, inclusive */
	struct iopt_pages *pages;	/* holds one kref */
	size_t start_byte;		/* offset of iova's byte in pages */
	int prot;			/* IOPT_READ | IOPT_WRITE */
	bool pinned;			/* iova_rwsem (write): pages pinned */
	bool prevent_access;		/* iova_rwsem (write): unmap pending */
	unsigned int num_accesses;	/* atomic: pins held on the area */
};

/* A closed IOVA interval; an owner tags reserved ones. */
struct iopt_range {
	u64 start;
	u64 last;
	const void *owner;
};

struct io_pagetable {
	pthread_rwlock_t iova_rwsem;	/* see the top of this file */
	struct iopt_area *root;		/* iova_rwsem */
	unsigned long nr_areas;		/* iova_rwsem */
	struct iopt_range *allowed;	/* iova_rwsem; sorted, disjoint */
	u32 nr_allowed;			/* iova_rwsem */
	struct iopt_range *reserved;	/* iova_rwsem; may overlap */
	u32 nr_reserved;		/* iova_rwsem */
	unsigned long iova_alignment;	/* iova_rwsem */
	bool disable_large_pages;	/* iova_rwsem; READ_ONCE outside */
	unsigned int nr_domains;	/* iova_rwsem: areas are pinned if > 0 */
	enum iopt_account_mode account_mode;	/* immutable after init */
	pthread_mutex_t access_lock;	/* with access_done: pin waits */
	pthread_cond_t access_done;	/* signalled when a pin is dropped */
	unsigned long access_gen;	/* access_lock: counts unpins */
};

static inline u64 iopt_area_length(const struct iopt_area *area)
{
	return area->last - area->iova + 1;
}

/* The client address that @iova (inside @area) maps. */
static inline uintptr_t iopt_area_uva(const struct iopt_area *area, u64 iova)
{
	return area->pages->uptr + area->start_byte + (iova - area->iova);
}

void iopt_init_table(struct io_pagetable *iopt,
		     enum iopt_account_mode account_mode);
void iopt_destroy_table(struct io_pagetable *iopt);

int iopt_map_user_pages(struct io_pagetable *iopt, u64 *iova, uintptr_t uptr,
			u64 length, int prot, unsigned int flags);
int iopt_map_file_pages(struct io_pagetable *iopt, u64 *iova, int fd,
			u64 start, u64 length, int prot, unsigned int flags);
int iopt_copy_iova(struct io_pagetable *dst, u64 *dst_iova,
		   struct io_pagetable *src, u64 src_iova, u64 length,
		   int prot, unsigned int flags);
int iopt_unmap_iova(struct io_pagetable *iopt, u64 iova, u64 length,
		    u64 *unmapped);
int iopt_unmap_all(struct io_pagetable *iopt, u64 *unmapped);
int iopt_cut_iova(struct io_pagetable *iopt, const u64 *iovas, size_t num);

int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iopt_range *ranges, u32 num);
int iopt_reserve_iova(struct io_pagetable *iopt, u64 start, u64 last,
		      const void *owner);
void iopt_remove_reserved_iova(struct io_pagetable *iopt, const void *owner);
int iopt_get_iova_ranges(struct io_pagetable *iopt, struct iopt_range **out,
			 u32 *num, unsigned long *alignment);

int iopt_table_add_domain(struct io_pagetable *iopt, const void *owner,
			  unsigned long pgsize, u64 aperture_start,
			  u64 aperture_last);
void iopt_table_remove_domain(struct io_pagetable *iopt, const void *owner);
int iopt_disable_large_pages(struct io_pagetable *iopt);
void iopt_enable_large_pages(struct io_pagetable *iopt);

/* Translation, under iopt_read_lock(). */
void iopt_read_lock(struct io_pagetable *iopt);
void iopt_read_unlock(struct io_pagetable *iopt);
struct iopt_area *__iopt_area_find(struct io_pagetable *iopt, u64 iova);
struct iopt_area *__iopt_area_first(struct io_pagetable *iopt, u64 start,
				    u64 last);
struct iopt_area *__iopt_area_next(struct io_pagetable *iopt,
				   const struct iopt_area *area);

/*
 * Pins: iopt_access_pin() takes a pin on every area of [iova, iova + len)
 * (which must be mapped without holes, with @prot) and returns the first;
 * iopt_access_unpin() drops them. -ENOENT for a hole, -EPERM for missing
 * rights, -EBUSY while an unmap of the range is pending.
 */
int iopt_access_pin(struct io_pagetable *iopt, u64 iova, u64 len, int prot);
void iopt_access_unpin(struct io_pagetable *iopt, u64 iova, u64 len);

/* pages.c: the memory behind areas; pins take the accounting lock. */
#define IOPT_ALIGN(x, a)	(((x) + ((a) - 1)) & ~((u64)(a) - 1))
struct iopt_pages *iopt_alloc_pages(uintptr_t uptr, u64 length, bool writable,
				    enum iopt_account_mode mode);
void iopt_put_pages(struct iopt_pages *pages);
int iopt_pages_pin(struct iopt_pages *pages);
void iopt_pages_unpin(struct iopt_pages *pages);

void iopt_account_lock_acquire(void);
void iopt_account_lock_release(void);

/* The accounting counters, in pages (for tests and the docs). */
unsigned long iopt_pinned_pages(enum iopt_account_mode mode);
enum iopt_account_mode iopt_default_account_mode(
	enum iopt_account_mode wanted);

#endif /* UVFIO_IOMMUFD_IO_PAGETABLE_H */
