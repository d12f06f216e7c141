// SPDX-License-Identifier: MIT
/*
 * The io_pagetable data structure: areas in an AVL tree keyed by IOVA, the
 * allowed and reserved range lists, IOVA allocation, domains and pins (the
 * kernel's drivers/iommu/iommufd/io_pagetable.c). The memory behind areas
 * and its accounting are in pages.c. See io_pagetable.h for the locking.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io_pagetable.h"

/* How long an unmap waits for pins to go before giving up (EDEADLOCK). */
#define IOPT_PIN_WAIT_MS	1000

/*
 * ---------------------------------------------------------------------
 * The area tree (AVL, keyed by iova; areas never overlap, so the lasts are
 * in the same order as the iovas)
 * ---------------------------------------------------------------------
 */

static inline int area_height(const struct iopt_area *a)
{
	return a ? a->height : 0;
}

/* Recomputes @a's height and subtree summary from its children. */
static void area_update(struct iopt_area *a)
{
	int l = area_height(a->left), r = area_height(a->right);
	u64 gap = 0;

	a->height = (l > r ? l : r) + 1;
	a->sub_first = a->left ? a->left->sub_first : a->iova;
	a->sub_last = a->right ? a->right->sub_last : a->last;
	if (a->left)
		gap = max_t(u64, a->left->max_gap,
			    a->iova - a->left->sub_last - 1);
	if (a->right)
		gap = max_t(u64, gap,
			    max_t(u64, a->right->max_gap,
				  a->right->sub_first - a->last - 1));
	a->max_gap = gap;
}

static struct iopt_area *area_rotate_right(struct iopt_area *a)
{
	struct iopt_area *l = a->left;

	a->left = l->right;
	l->right = a;
	area_update(a);
	area_update(l);
	return l;
}

static struct iopt_area *area_rotate_left(struct iopt_area *a)
{
	struct iopt_area *r = a->right;

	a->right = r->left;
	r->left = a;
	area_update(a);
	area_update(r);
	return r;
}

static struct iopt_area *area_rebalance(struct iopt_area *a)
{
	int bf;

	area_update(a);
	bf = area_height(a->left) - area_height(a->right);
	if (bf > 1) {
		if (area_height(a->left->left) < area_height(a->left->right))
			a->left = area_rotate_left(a->left);
		return area_rotate_right(a);
	}
	if (bf < -1) {
		if (area_height(a->right->right) < area_height(a->right->left))
			a->right = area_rotate_right(a->right);
		return area_rotate_left(a);
	}
	return a;
}

static struct iopt_area *area_insert(struct iopt_area *root,
				     struct iopt_area *n)
{
	if (!root) {
		n->left = n->right = NULL;
		area_update(n);
		return n;
	}
	if (n->iova < root->iova)
		root->left = area_insert(root->left, n);
	else
		root->right = area_insert(root->right, n);
	return area_rebalance(root);
}

static struct iopt_area *area_pop_min(struct iopt_area *root,
				      struct iopt_area **min)
{
	if (!root->left) {
		*min = root;
		return root->right;
	}
	root->left = area_pop_min(root->left, min);
	return area_rebalance(root);
}

static struct iopt_area *area_remove(struct iopt_area *root, u64 iova)
{
	struct iopt_area *l, *r, *m;

	if (!root)
		return NULL;
	if (iova < root->iova) {
		root->left = area_remove(root->left, iova);
	} else if (iova > root->iova) {
		root->right = area_remove(root->right, iova);
	} else {
		l = root->left;
		r = root->right;
		if (!r)
			return l;
		r = area_pop_min(r, &m);
		m->left = l;
		m->right = r;
		return area_rebalance(m);
	}
	return area_rebalance(root);
}

static void iopt_tree_insert(struct io_pagetable *iopt, struct iopt_area *a)
{
	iopt->root = area_insert(iopt->root, a);
	iopt->nr_areas++;
}

static void iopt_tree_remove(struct io_pagetable *iopt, struct iopt_area *a)
{
	iopt->root = area_remove(iopt->root, a->iova);
	iopt->nr_areas--;
}

/* The lowest area that intersects [start, last]; caller holds the lock. */
struct iopt_area *__iopt_area_first(struct io_pagetable *iopt, u64 start,
				    u64 last)
{
	struct iopt_area *node = iopt->root, *found = NULL;

	while (node) {
		if (node->last >= start) {
			found = node;
			node = node->left;
		} else {
			node = node->right;
		}
	}
	return found && found->iova <= last ? found : NULL;
}

struct iopt_area *__iopt_area_find(struct io_pagetable *iopt, u64 iova)
{
	return __iopt_area_first(iopt, iova, iova);
}

/* The area after @area in IOVA order; caller holds the lock. */
struct iopt_area *__iopt_area_next(struct io_pagetable *iopt,
				   const struct iopt_area *area)
{
	struct iopt_area *node = iopt->root, *found = NULL;

	while (node) {
		if (node->iova > area->iova) {
			found = node;
			node = node->left;
		} else {
			node = node->right;
		}
	}
	return found;
}

void iopt_read_lock(struct io_pagetable *iopt)
{
	pthread_rwlock_rdlock(&iopt->iova_rwsem);
}

void iopt_read_unlock(struct io_pagetable *iopt)
{
	pthread_rwlock_unlock(&iopt->iova_rwsem);
}

static void iopt_write_lock(struct io_pagetable *iopt)
{
	pthread_rwlock_wrlock(&iopt->iova_rwsem);
}

/*
 * ---------------------------------------------------------------------
 * Range lists
 * ---------------------------------------------------------------------
 */

static const struct iopt_range *
iopt_ranges_first(const struct iopt_range *r, u32 n, u64 start, u64 last)
{
	const struct iopt_range *found = NULL;

	for (u32 i = 0; i < n; i++)
		if (r[i].start <= last && r[i].last >= start &&
		    (!found || r[i].start < found->start))
			found = &r[i];
	return found;
}

static const struct iopt_range *
iopt_reserved_first(struct io_pagetable *iopt, u64 start, u64 last)
{
	return iopt_ranges_first(iopt->reserved, iopt->nr_reserved, start,
				 last);
}

/*
 * ---------------------------------------------------------------------
 * Table setup
 * ---------------------------------------------------------------------
 */

void iopt_init_table(struct io_pagetable *iopt,
		     enum iopt_account_mode account_mode)
{
	pthread_rwlockattr_t attr;

	memset(iopt, 0, sizeof(*iopt));
	/* Writers first, so a DMA storm cannot starve an unmap. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(
		&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&iopt->iova_rwsem, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&iopt->access_lock, NULL);
	pthread_cond_init(&iopt->access_done, NULL);
	/* A table without domains takes any IOVA, byte aligned. */
	iopt->iova_alignment = 1;
	iopt->account_mode = iopt_default_account_mode(account_mode);
}

/* Every area must be gone (iopt_unmap_all()) and every domain removed. */
void iopt_destroy_table(struct io_pagetable *iopt)
{
	free(iopt->allowed);
	free(iopt->reserved);
	pthread_cond_destroy(&iopt->access_done);
	pthread_mutex_destroy(&iopt->access_lock);
	pthread_rwlock_destroy(&iopt->iova_rwsem);
}

/*
 * ---------------------------------------------------------------------
 * Map
 * ---------------------------------------------------------------------
 */

static u64 iopt_roundup_pow_of_two(u64 x)
{
	return x <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(x - 1));
}

/* Fits @length at an aligned start inside [*start, last]? */
static bool iopt_hole_fits(u64 *start, u64 last, u64 length, u64 align,
			   u64 page_offset)
{
	u64 s;

	if (last - *start < length - 1)
		return false;
	s = IOPT_ALIGN(*start, align);
	if (s < *start)		/* wrapped */
		return false;
	s |= page_offset;
	if (s > last || last - s < length - 1)
		return false;
	*start = s;
	return true;
}

/*
 * First fit in [lo, hi] between reserved ranges and areas. Overlapping
 * blockers are merged by walking past the one that starts first.
 */
static bool iopt_find_hole(struct io_pagetable *iopt, u64 lo, u64 hi,
			   u64 length, u64 align, u64 page_offset, u64 *iova)
{
	u64 cur = lo;

	for (;;) {
		const struct iopt_range *res = iopt_reserved_first(iopt, cur,
								   hi);
		struct iopt_area *area = __iopt_area_first(iopt, cur, hi);
		u64 b_start, b_last, hole_start = cur;

		if (!res && !area)
			return iopt_hole_fits(&hole_start, hi, length, align,
					      page_offset) ?
				       (*iova = hole_start, true) : false;
		if (area && (!res || area->iova <= res->start)) {
			b_start = area->iova;
			b_last = area->last;
		} else {
			b_start = res->start;
			b_last = res->last;
		}
		if (b_start > cur &&
		    iopt_hole_fits(&hole_start, b_start - 1, length, align,
				   page_offset)) {
			*iova = hole_start;
			return true;
		}
		if (b_last >= hi)
			return false;
		if (b_last + 1 > cur)
			cur = b_last + 1;
	}
}

/* One automatic IOVA search: the window and what must fit in it. */
struct iopt_gap_search {
	struct io_pagetable *iopt;
	u64 lo, hi, length, align, page_offset;
	u64 *iova;
};

/* Tries the hole [start, last] between two areas, clipped to the window. */
static bool iopt_gap_try(struct iopt_gap_search *gs, u64 start, u64 last)
{
	start = max_t(u64, start, gs->lo);
	last = min_t(u64, last, gs->hi);
	if (start > last || last - start < gs->length - 1)
		return false;
	/* Only reserved ranges can still be in the way. */
	return iopt_find_hole(gs->iopt, start, last, gs->length, gs->align,
			      gs->page_offset, gs->iova);
}

/*
 * The holes of subtree @n in IOVA order, the first being the one from
 * @free_from (the byte after the area before the subtree) to the
 * subtree's first area. A subtree whose holes are all too small, or all
 * below the window, is skipped whole.
 */
static bool iopt_gap_search(struct iopt_gap_search *gs, struct iopt_area *n,
			    u64 free_from)
{
	u64 before, ff;

	if (!n || n->sub_last < gs->lo || free_from > gs->hi)
		return false;
	before = n->sub_first > free_from ? n->sub_first - free_from : 0;
	if (max_t(u64, n->max_gap, before) < gs->length)
		return false;
	if (iopt_gap_search(gs, n->left, free_from))
		return true;
	ff = n->left ? n->left->sub_last + 1 : free_from;
	if (n->iova > ff && iopt_gap_try(gs, ff, n->iova - 1))
		return true;
	if (n->last == IOPT_ULONG_MAX || n->last >= gs->hi)
		return false;
	return iopt_gap_search(gs, n->right, n->last + 1);
}

/* First fit in [lo, hi]: the holes between areas, then the one after all. */
static bool iopt_find_free(struct io_pagetable *iopt, u64 lo, u64 hi,
			   u64 length, u64 align, u64 page_offset, u64 *iova)
{
	struct iopt_gap_search gs = {
		.iopt = iopt, .lo = lo, .hi = hi, .length = length,
		.align = align, .page_offset = page_offset, .iova = iova,
	};
	struct iopt_area *root = iopt->root;

	if (iopt_gap_search(&gs, root, lo))
		return true;
	if (!root)
		return iopt_gap_try(&gs, lo, hi);
	if (root->sub_last == IOPT_ULONG_MAX)
		return false;
	return iopt_gap_try(&gs, root->sub_last + 1, hi);
}

/*
 * As iopt_alloc_iova(): never 0 (the search starts at PAGE_SIZE), the
 * natural alignment of the user address and length, inside the allowed
 * ranges, lowest first. Caller holds the write lock.
 */
static int iopt_alloc_iova(struct io_pagetable *iopt, u64 *iova,
			   uintptr_t uptr, u64 length)
{
	u64 page_offset = uptr % IOPT_PAGE_SIZE;
	const u64 lo = IOPT_PAGE_SIZE, hi = IOPT_ULONG_MAX - IOPT_PAGE_SIZE;
	u64 align;

	if (length == 0 || length >= IOPT_ULONG_MAX / 2)
		return -EOVERFLOW;
	align = iopt_roundup_pow_of_two(length);
	if (uptr)
		align = min_t(u64, align, 1ULL << __builtin_ctzll(uptr));
	if (align < iopt->iova_alignment)
		return -EINVAL;

	if (!iopt->nr_allowed) {
		u64 start = lo;

		if (iopt_hole_fits(&start, hi, length, align, page_offset) &&
		    iopt_find_free(iopt, start, hi, length, align,
				   page_offset, iova))
			return 0;
		return -ENOSPC;
	}
	for (u32 i = 0; i < iopt->nr_allowed; i++) {
		u64 start = max_t(u64, iopt->allowed[i].start, lo);
		u64 last = min_t(u64, iopt->allowed[i].last, hi);

		if (start > last ||
		    !iopt_hole_fits(&start, last, length, align, page_offset))
			continue;
		if (iopt_find_free(iopt, start, last, length, align,
				   page_offset, iova))
			return 0;
	}
	return -ENOSPC;
}

/* As iopt_check_iova(): the checks of a fixed IOVA, in the kernel's order. */
static int iopt_check_iova(struct io_pagetable *iopt, u64 iova, u64 length)
{
	u64 last;

	if (iova & (iopt->iova_alignment - 1))
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	if (iopt_reserved_first(iopt, iova, last))
		return -EINVAL;
	if (__iopt_area_first(iopt, iova, last))
		return -EEXIST;
	return 0;
}

/* One slice of memory to become one area (the kernel's iopt_pages_list). */
struct iopt_pages_elm {
	struct iopt_pages *pages;	/* holds a kref */
	size_t start_byte;
	u64 length;
	struct iopt_area *area;
};

/* As iopt_insert_area(); caller holds the write lock. */
static int iopt_insert_area(struct io_pagetable *iopt, struct iopt_area *area,
			    struct iopt_pages_elm *elm, u64 iova, int prot)
{
	u64 page_offset = (elm->pages->uptr + elm->start_byte) %
			  IOPT_PAGE_SIZE;

	if ((prot & IOPT_WRITE) && !elm->pages->writable)
		return -EPERM;
	if (page_offset & (iopt->iova_alignment - 1))
		return -EINVAL;
	area->iova = iova;
	if (__builtin_add_overflow(iova, elm->length - 1, &area->last))
		return -EOVERFLOW;
	area->start_byte = elm->start_byte;
	area->prot = prot;
	area->pages = elm->pages;
	iopt_tree_insert(iopt, area);
	return 0;
}

/* Removes an area from the tree and frees it. Caller holds the lock. */
static void iopt_area_destroy(struct io_pagetable *iopt,
			      struct iopt_area *area)
{
	iopt_tree_remove(iopt, area);
	if (area->pinned)
		iopt_pages_unpin(area->pages);
	iopt_put_pages(area->pages);
	free(area);
}

/*
 * As iopt_map_pages(): the list becomes consecutive areas from *iova. On
 * success the areas own the elements' pages references.
 */
static int iopt_map_pages(struct io_pagetable *iopt,
			  struct iopt_pages_elm *elms, size_t n, u64 length,
			  u64 *iova, int prot, unsigned int flags)
{
	size_t inserted = 0, pinned = 0, i;
	u64 cur;
	int rc;

	for (i = 0; i < n; i++) {
		elms[i].area = calloc(1, sizeof(*elms[i].area));
		if (!elms[i].area) {
			rc = -ENOMEM;
			goto out_free;
		}
	}

	iopt_write_lock(iopt);
	if ((length & (iopt->iova_alignment - 1)) || !length) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (flags & IOPT_ALLOC_IOVA)
		rc = iopt_alloc_iova(iopt, iova,
				     elms[0].pages->uptr + elms[0].start_byte,
				     length);
	else
		rc = iopt_check_iova(iopt, *iova, length);
	if (rc)
		goto out_unlock;

	cur = *iova;
	for (i = 0; i < n; i++) {
		rc = iopt_insert_area(iopt, elms[i].area, &elms[i], cur, prot);
		if (rc)
			goto out_remove;
		inserted++;
		cur += elms[i].length;
	}
	/* A table with domains pins at map time; else lazily, at attach. */
	if (iopt->nr_domains) {
		for (i = 0; i < n; i++) {
			rc = iopt_pages_pin(elms[i].pages);
			if (rc)
				goto out_unpin;
			elms[i].area->pinned = true;
			pinned++;
		}
	}
	for (i = 0; i < n; i++) {
		elms[i].pages = NULL;	/* the area owns the reference */
		elms[i].area = NULL;
	}
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return 0;

out_unpin:
	for (i = 0; i < pinned; i++) {
		iopt_pages_unpin(elms[i].pages);
		elms[i].area->pinned = false;
	}
out_remove:
	for (i = 0; i < inserted; i++)
		iopt_tree_remove(iopt, elms[i].area);
out_unlock:
	pthread_rwlock_unlock(&iopt->iova_rwsem);
out_free:
	for (i = 0; i < n; i++) {
		free(elms[i].area);
		elms[i].area = NULL;
	}
	return rc;
}

int iopt_map_user_pages(struct io_pagetable *iopt, u64 *iova, uintptr_t uptr,
			u64 length, int prot, unsigned int flags)
{
	struct iopt_pages_elm elm = {};
	int rc;

	elm.pages = iopt_alloc_pages(uptr, length, prot & IOPT_WRITE,
				     iopt->account_mode);
	if (IS_ERR(elm.pages))
		return (int)PTR_ERR(elm.pages);
	elm.start_byte = uptr - elm.pages->uptr;
	elm.length = length;
	rc = iopt_map_pages(iopt, &elm, 1, length, iova, prot, flags);
	if (rc)
		iopt_put_pages(elm.pages);
	return rc;
}

/*
 * A memfd range: we map it into our own address space, shared, and the
 * mapping lives as long as the pages. Only memfd-like (shmem) files are
 * accepted, as iopt_alloc_file_pages() accepts only what it can pin.
 */
int iopt_map_file_pages(struct io_pagetable *iopt, u64 *iova, int fd,
			u64 start, u64 length, int prot, unsigned int flags)
{
	struct iopt_pages_elm elm = {};
	u64 end, map_start;
	struct stat st;
	void *map;
	int rc;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(start, length, &end))
		return -EOVERFLOW;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    fcntl(fd, F_GET_SEALS) < 0 || end > (u64)st.st_size)
		return -EINVAL;
	map_start = start & ~(IOPT_PAGE_SIZE - 1);
	map = mmap(NULL, IOPT_ALIGN(end, IOPT_PAGE_SIZE) - map_start,
		   PROT_READ | ((prot & IOPT_WRITE) ? PROT_WRITE : 0),
		   MAP_SHARED, fd, (off_t)map_start);
	if (map == MAP_FAILED)
		return errno == EACCES ? -EPERM : -ENOMEM;

	elm.pages = iopt_alloc_pages((uintptr_t)map + (start - map_start),
				     length, prot & IOPT_WRITE,
				     iopt->account_mode);
	if (IS_ERR(elm.pages)) {
		munmap(map, IOPT_ALIGN(end, IOPT_PAGE_SIZE) - map_start);
		return (int)PTR_ERR(elm.pages);
	}
	elm.pages->file_map = map;
	elm.start_byte = start - map_start;
	elm.length = length;
	rc = iopt_map_pages(iopt, &elm, 1, length, iova, prot, flags);
	if (rc)
		iopt_put_pages(elm.pages);
	return rc;
}

/*
 * As iopt_get_pages() + iopt_map_pages() (IOMMU_IOAS_COPY): the source
 * range must be covered by contiguous areas (else ENOENT); each becomes an
 * area in @dst sharing the same pages.
 */
int iopt_copy_iova(struct io_pagetable *dst, u64 *dst_iova,
		   struct io_pagetable *src, u64 src_iova, u64 length,
		   int prot, unsigned int flags)
{
	struct iopt_pages_elm *elms = NULL;
	size_t n = 0, cap = 0, i;
	struct iopt_area *area;
	bool complete = false;
	u64 last, cur;
	int rc = 0;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(src_iova, length - 1, &last))
		return -EOVERFLOW;

	iopt_read_lock(src);
	cur = src_iova;
	for (area = __iopt_area_find(src, cur); area;
	     area = __iopt_area_next(src, area)) {
		u64 piece_last = min_t(u64, last, area->last);

		if (area->iova > cur)
			break;
		if (n == cap) {
			struct iopt_pages_elm *grown;

			cap = cap ? cap * 2 : 4;
			grown = realloc(elms, cap * sizeof(*elms));
			if (!grown) {
				rc = -ENOMEM;
				break;
			}
			elms = grown;
		}
		elms[n].pages = area->pages;
		refcount_inc(&area->pages->kref);
		elms[n].start_byte = area->start_byte + (cur - area->iova);
		elms[n].length = piece_last - cur + 1;
		elms[n].area = NULL;
		n++;
		if (piece_last == last) {
			complete = true;
			break;
		}
		cur = piece_last + 1;
	}
	if (!rc && !complete)
		rc = -ENOENT;
	iopt_read_unlock(src);

	if (!rc)
		rc = iopt_map_pages(dst, elms, n, length, dst_iova, prot,
				    flags);
	for (i = 0; i < n; i++)
		if (elms[i].pages)
			iopt_put_pages(elms[i].pages);
	free(elms);
	return rc;
}

/*
 * ---------------------------------------------------------------------
 * Unmap
 * ---------------------------------------------------------------------
 */

/*
 * Waits, with the write lock dropped, until some pin is released or the
 * deadline passes. Called with the write lock held; returns with it
 * released. The generation is read before the lock is dropped, and an
 * unpin needs the read lock to find its areas, so no wakeup is missed.
 */
static bool iopt_wait_for_unpin(struct io_pagetable *iopt,
				const struct timespec *deadline)
{
	unsigned long gen;
	bool timed_out = false;

	pthread_mutex_lock(&iopt->access_lock);
	gen = iopt->access_gen;
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	while (iopt->access_gen == gen && !timed_out)
		timed_out = pthread_cond_timedwait(&iopt->access_done,
						   &iopt->access_lock,
						   deadline) == ETIMEDOUT;
	pthread_mutex_unlock(&iopt->access_lock);
	return !timed_out;
}

/*
 * As iopt_unmap_iova_range(): removes the areas inside [start, last] from
 * the lowest up. An area only partly inside stops the walk with ENOENT
 * (areas below it are already gone: the kernel is not atomic either).
 * Returns 0 with *unmapped = 0 when nothing was mapped there, as the
 * late-2025 kernels do; callers that want ENOENT for that say so.
 *
 * A pinned area is the kernel's iommufd_access case: it marks the area so
 * that no new pin starts, drops the lock and asks the holder to unpin
 * (iommufd_access_notify_unmap()), then retries. Our pin holders are device
 * models, which finish their transfer and unpin on their own, so we wait
 * for that, up to IOPT_PIN_WAIT_MS; a holder that never lets go gets the
 * kernel's answer for an access that ignores the notification, EDEADLOCK.
 */
static int iopt_unmap_iova_range(struct io_pagetable *iopt, u64 start,
				 u64 last, u64 *unmapped)
{
	struct iopt_area *area;
	struct timespec deadline;
	u64 done = 0;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += IOPT_PIN_WAIT_MS / 1000;
	deadline.tv_nsec += (IOPT_PIN_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
again:
	iopt_write_lock(iopt);
	while ((area = __iopt_area_first(iopt, start, last))) {
		if (area->iova < start || area->last > last) {
			rc = -ENOENT;
			break;
		}
		if (__atomic_load_n(&area->num_accesses, __ATOMIC_ACQUIRE)) {
			area->prevent_access = true;
			if (iopt_wait_for_unpin(iopt, &deadline))
				goto again;
			iopt_write_lock(iopt);
			for (area = __iopt_area_first(iopt, start, last);
			     area && area->iova <= last;
			     area = __iopt_area_next(iopt, area))
				area->prevent_access = false;
			rc = -EDEADLOCK;
			break;
		}
		done += iopt_area_length(area);
		iopt_area_destroy(iopt, area);
	}
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	if (unmapped)
		*unmapped = done;
	return rc;
}

int iopt_unmap_iova(struct io_pagetable *iopt, u64 iova, u64 length,
		    u64 *unmapped)
{
	u64 last;

	if (unmapped)
		*unmapped = 0;
	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	return iopt_unmap_iova_range(iopt, iova, last, unmapped);
}

/* Succeeds even when nothing is mapped. */
int iopt_unmap_all(struct io_pagetable *iopt, u64 *unmapped)
{
	return iopt_unmap_iova_range(iopt, 0, IOPT_ULONG_MAX, unmapped);
}

/*
 * As iopt_area_split(): @iova becomes the last byte of a new left area.
 * Used by the type1 v1 compat unmap, which may punch holes.
 */
static int iopt_area_split(struct io_pagetable *iopt, struct iopt_area *area,
			   u64 iova)
{
	u64 align = iopt->iova_alignment, new_start = iova + 1;
	struct iopt_area *rhs;

	if (iova == area->iova || iova == area->last)
		return 0;
	if (area->prevent_access)
		return -EBUSY;
	if ((new_start & (align - 1)) ||
	    ((area->start_byte + (new_start - area->iova)) & (align - 1)))
		return -EINVAL;
	/* A pin cannot be split, nor a domain mapping made of huge pages. */
	if (__atomic_load_n(&area->num_accesses, __ATOMIC_ACQUIRE) ||
	    (area->pinned && !iopt->disable_large_pages))
		return -EINVAL;
	rhs = calloc(1, sizeof(*rhs));
	if (!rhs)
		return -ENOMEM;
	if (area->pinned)
		iopt_pages_pin(area->pages);	/* cannot fail: already pinned */
	refcount_inc(&area->pages->kref);
	rhs->iova = new_start;
	rhs->last = area->last;
	rhs->pages = area->pages;
	rhs->start_byte = area->start_byte + (new_start - area->iova);
	rhs->prot = area->prot;
	rhs->pinned = area->pinned;
	/* Out and back in, so that the subtree summaries follow. */
	iopt_tree_remove(iopt, area);
	area->last = iova;
	iopt_tree_insert(iopt, area);
	iopt_tree_insert(iopt, rhs);
	return 0;
}

int iopt_cut_iova(struct io_pagetable *iopt, const u64 *iovas, size_t num)
{
	int rc = 0;

	iopt_write_lock(iopt);
	for (size_t i = 0; i < num && !rc; i++) {
		struct iopt_area *area = __iopt_area_find(iopt, iovas[i]);

		if (area)
			rc = iopt_area_split(iopt, area, iovas[i]);
	}
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return rc;
}

/*
 * ---------------------------------------------------------------------
 * Allowed and reserved ranges
 * ---------------------------------------------------------------------
 */

static int iopt_range_cmp(const void *a, const void *b)
{
	const struct iopt_range *ra = a, *rb = b;

	return ra->start < rb->start ? -1 : ra->start > rb->start;
}

/*
 * As iopt_set_allow_iova(): replaces the whole list, or nothing. The caller
 * has checked each range (start < last, no overlap). EADDRINUSE if one
 * intersects a reserved range.
 */
int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iopt_range *ranges, u32 num)
{
	struct iopt_range *copy = NULL;
	int rc = 0;

	if (num) {
		copy = malloc(num * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, ranges, num * sizeof(*copy));
		qsort(copy, num, sizeof(*copy), iopt_range_cmp);
	}
	iopt_write_lock(iopt);
	for (u32 i = 0; i < num; i++) {
		if (iopt_reserved_first(iopt, copy[i].start, copy[i].last)) {
			rc = -EADDRINUSE;
			goto out_unlock;
		}
	}
	free(iopt->allowed);
	iopt->allowed = copy;
	iopt->nr_allowed = num;
	copy = NULL;
out_unlock:
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	free(copy);
	return rc;
}

/* Caller holds the write lock. As iopt_reserve_iova(). */
static int __iopt_reserve_iova(struct io_pagetable *iopt, u64 start, u64 last,
			       const void *owner)
{
	struct iopt_range *grown;

	if (__iopt_area_first(iopt, start, last) ||
	    iopt_ranges_first(iopt->allowed, iopt->nr_allowed, start, last))
		return -EADDRINUSE;
	grown = realloc(iopt->reserved,
			(iopt->nr_reserved + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	iopt->reserved = grown;
	grown[iopt->nr_reserved].start = start;
	grown[iopt->nr_reserved].last = last;
	grown[iopt->nr_reserved].owner = owner;
	iopt->nr_reserved++;
	return 0;
}

static void __iopt_remove_reserved_iova(struct io_pagetable *iopt,
					const void *owner)
{
	u32 i = 0;

	while (i < iopt->nr_reserved) {
		if (iopt->reserved[i].owner == owner)
			iopt->reserved[i] = iopt->reserved[--iopt->nr_reserved];
		else
			i++;
	}
}

int iopt_reserve_iova(struct io_pagetable *iopt, u64 start, u64 last,
		      const void *owner)
{
	int rc;

	iopt_write_lock(iopt);
	rc = __iopt_reserve_iova(iopt, start, last, owner);
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return rc;
}

void iopt_remove_reserved_iova(struct io_pagetable *iopt, const void *owner)
{
	iopt_write_lock(iopt);
	__iopt_remove_reserved_iova(iopt, owner);
	pthread_rwlock_unlock(&iopt->iova_rwsem);
}

/*
 * The usable IOVA ranges: the holes between reserved ranges, in order
 * (what IOMMU_IOAS_IOVA_RANGES and the type1 IOVA_RANGE cap report). The
 * array is malloc'ed for the caller.
 */
int iopt_get_iova_ranges(struct io_pagetable *iopt, struct iopt_range **out,
			 u32 *num, unsigned long *alignment)
{
	struct iopt_range *res, *holes;
	u32 nr, n = 0;
	u64 cur = 0;
	bool done = false;

	iopt_read_lock(iopt);
	nr = iopt->nr_reserved;
	res = malloc((nr + 1) * sizeof(*res));
	holes = malloc((nr + 1) * sizeof(*holes));
	if (!res || !holes) {
		iopt_read_unlock(iopt);
		free(res);
		free(holes);
		return -ENOMEM;
	}
	if (nr)
		memcpy(res, iopt->reserved, nr * sizeof(*res));
	*alignment = iopt->iova_alignment;
	iopt_read_unlock(iopt);

	qsort(res, nr, sizeof(*res), iopt_range_cmp);
	for (u32 i = 0; i < nr && !done; i++) {
		if (res[i].start > cur) {
			holes[n].start = cur;
			holes[n].last = res[i].start - 1;
			holes[n].owner = NULL;
			n++;
		}
		if (res[i].last >= cur) {
			if (res[i].last == IOPT_ULONG_MAX)
				done = true;
			else
				cur = res[i].last + 1;
		}
	}
	if (!done) {
		holes[n].start = cur;
		holes[n].last = IOPT_ULONG_MAX;
		holes[n].owner = NULL;
		n++;
	}
	free(res);
	*out = holes;
	*num = n;
	return 0;
}

/*
 * ---------------------------------------------------------------------
 * Domains (the IOMMU page tables that mirror the table) and alignment
 * ---------------------------------------------------------------------
 */

/* As iopt_check_iova_alignment(): EADDRINUSE if an area breaks it. */
static int iopt_check_iova_alignment(struct io_pagetable *iopt, u64 align)
{
	struct iopt_area *area;

	for (area = __iopt_area_first(iopt, 0, IOPT_ULONG_MAX); area;
	     area = __iopt_area_next(iopt, area))
		if ((area->iova & (align - 1)) ||
		    (iopt_area_length(area) & (align - 1)) ||
		    (iopt_area_uva(area, area->iova) & (align - 1)))
			return -EADDRINUSE;
	return 0;
}

static void iopt_unpin_all(struct io_pagetable *iopt)
{
	struct iopt_area *area;

	for (area = __iopt_area_first(iopt, 0, IOPT_ULONG_MAX); area;
	     area = __iopt_area_next(iopt, area)) {
		if (area->pinned) {
			iopt_pages_unpin(area->pages);
			area->pinned = false;
		}
	}
}

/*
 * As iopt_table_add_domain(): a new IOMMU page table will mirror the
 * table. Its page size raises the alignment (EADDRINUSE if an area breaks
 * it), its aperture becomes reserved space (owned by @owner), and the first
 * domain pins every area (EFAULT, ENOMEM).
 */
int iopt_table_add_domain(struct io_pagetable *iopt, const void *owner,
			  unsigned long pgsize, u64 aperture_start,
			  u64 aperture_last)
{
	unsigned long align = max_t(unsigned long, pgsize,
				    iopt->iova_alignment);
	struct iopt_area *area;
	int rc;

	iopt_write_lock(iopt);
	if (align > IOPT_PAGE_SIZE) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (align != iopt->iova_alignment) {
		rc = iopt_check_iova_alignment(iopt, align);
		if (rc)
			goto out_unlock;
	}
	if (aperture_start) {
		rc = __iopt_reserve_iova(iopt, 0, aperture_start - 1, owner);
		if (rc)
			goto out_reserved;
	}
	if (aperture_last != IOPT_ULONG_MAX) {
		rc = __iopt_reserve_iova(iopt, aperture_last + 1,
					 IOPT_ULONG_MAX, owner);
		if (rc)
			goto out_reserved;
	}
	if (!iopt->nr_domains) {
		for (area = __iopt_area_first(iopt, 0, IOPT_ULONG_MAX); area;
		     area = __iopt_area_next(iopt, area)) {
			rc = iopt_pages_pin(area->pages);
			if (rc)
				goto out_unpin;
			area->pinned = true;
		}
	}
	iopt->iova_alignment = align;
	iopt->nr_domains++;
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return 0;

out_unpin:
	iopt_unpin_all(iopt);
out_reserved:
	__iopt_remove_reserved_iova(iopt, owner);
out_unlock:
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return rc;
}

/* The alignment without any domain: byte, or a page if large pages are off. */
static void iopt_calculate_iova_alignment(struct io_pagetable *iopt)
{
	if (iopt->nr_domains || iopt->disable_large_pages)
		iopt->iova_alignment = IOPT_PAGE_SIZE;
	else
		iopt->iova_alignment = 1;
}

void iopt_table_remove_domain(struct io_pagetable *iopt, const void *owner)
{
	iopt_write_lock(iopt);
	__iopt_remove_reserved_iova(iopt, owner);
	if (!--iopt->nr_domains)
		iopt_unpin_all(iopt);
	iopt_calculate_iova_alignment(iopt);
	pthread_rwlock_unlock(&iopt->iova_rwsem);
}

/*
 * As iopt_disable_large_pages(): refused (EINVAL) once a domain holds
 * mappings, since those may already use large pages; EADDRINUSE if an
 * area is not page aligned.
 */
int iopt_disable_large_pages(struct io_pagetable *iopt)
{
	int rc = 0;

	iopt_write_lock(iopt);
	if (iopt->disable_large_pages)
		goto out_unlock;
	if (iopt->nr_domains && iopt->nr_areas) {
		rc = -EINVAL;
		goto out_unlock;
	}
	if (iopt->iova_alignment < IOPT_PAGE_SIZE) {
		rc = iopt_check_iova_alignment(iopt, IOPT_PAGE_SIZE);
		if (rc)
			goto out_unlock;
	}
	WRITE_ONCE(iopt->disable_large_pages, true);
	iopt_calculate_iova_alignment(iopt);
out_unlock:
	pthread_rwlock_unlock(&iopt->iova_rwsem);
	return rc;
}

void iopt_enable_large_pages(struct io_pagetable *iopt)
{
	iopt_write_lock(iopt);
	WRITE_ONCE(iopt->disable_large_pages, false);
	iopt_calculate_iova_alignment(iopt);
	pthread_rwlock_unlock(&iopt->iova_rwsem);
}

/*
 * ---------------------------------------------------------------------
 * Pins (the kernel's iommufd_access_pin_pages() side of an area)
 * ---------------------------------------------------------------------
 */

int iopt_access_pin(struct io_pagetable *iopt, u64 iova, u64 len, int prot)
{
	struct iopt_area *area, *first;
	u64 last, cur = iova;
	int rc = 0;

	if (!len)
		return -EINVAL;
	if (__builtin_add_overflow(iova, len - 1, &last))
		return -EOVERFLOW;
	iopt_read_lock(iopt);
	first = __iopt_area_find(iopt, iova);
	for (area = first; area; area = __iopt_area_next(iopt, area)) {
		if (area->iova > cur) {
			area = NULL;
			break;
		}
		if ((area->prot & prot) != prot) {
			rc = -EPERM;
			break;
		}
		if (area->prevent_access) {
			rc = -EBUSY;
			break;
		}
		if (area->last >= last)
			break;
		cur = area->last + 1;
	}
	if (!rc && !area)
		rc = -ENOENT;
	if (!rc) {
		for (area = first; area; area = __iopt_area_next(iopt, area)) {
			__atomic_add_fetch(&area->num_accesses, 1,
					   __ATOMIC_ACQ_REL);
			if (area->last >= last)
				break;
		}
	}
	iopt_read_unlock(iopt);
	return rc;
}

/* Balances a successful iopt_access_pin() of the same range. */
void iopt_access_unpin(struct io_pagetable *iopt, u64 iova, u64 len)
{
	u64 last = iova + len - 1;
	struct iopt_area *area;

	iopt_read_lock(iopt);
	for (area = __iopt_area_find(iopt, iova); area;
	     area = __iopt_area_next(iopt, area)) {
		__atomic_sub_fetch(&area->num_accesses, 1, __ATOMIC_ACQ_REL);
		if (area->last >= last)
			break;
	}
	iopt_read_unlock(iopt);
	/* Paired with the generation read in iopt_wait_for_unpin(). */
	pthread_mutex_lock(&iopt->access_lock);
	iopt->access_gen++;
	pthread_cond_broadcast(&iopt->access_done);
	pthread_mutex_unlock(&iopt->access_lock);
}
