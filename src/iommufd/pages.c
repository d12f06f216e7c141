// SPDX-License-Identifier: MIT
/*
 * The memory behind areas, and the accounting of pinned pages against
 * RLIMIT_MEMLOCK (the kernel's drivers/iommu/iommufd/pages.c, minus the
 * page storage: our "pages" are the client's own address space, reached
 * through uaccess, so there is nothing to store).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io_pagetable.h"

/*
 * ---------------------------------------------------------------------
 * Pinned-page accounting
 * ---------------------------------------------------------------------
 */

/* Protects every pages->pin_users and both counters below. */
static pthread_mutex_t iopt_account_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long iopt_locked_user;	/* iopt_account_lock: USER pages */
static unsigned long iopt_locked_mm;	/* iopt_account_lock: MM pages */

/* Effective CAP_IPC_LOCK, read with capget(2) as libcap would. */
static bool iopt_capable_ipc_lock(void)
{
	struct { u32 version; int pid; } hdr = { 0x20080522, 0 };
	struct { u32 effective, permitted, inheritable; } data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[0].effective & (1u << 14);	/* CAP_IPC_LOCK */
}

/*
 * As iopt_alloc_pages(): a process with CAP_IPC_LOCK is never accounted;
 * others use the mode of the context that maps.
 */
enum iopt_account_mode iopt_default_account_mode(enum iopt_account_mode wanted)
{
	return iopt_capable_ipc_lock() ? IOPT_PAGES_ACCOUNT_NONE : wanted;
}

/* For the fork hooks (vfio_dma_atfork_*() in src/core/dma.c). */
void iopt_account_lock_acquire(void)
{
	pthread_mutex_lock(&iopt_account_lock);
}

void iopt_account_lock_release(void)
{
	pthread_mutex_unlock(&iopt_account_lock);
}

unsigned long iopt_pinned_pages(enum iopt_account_mode mode)
{
	unsigned long n;

	pthread_mutex_lock(&iopt_account_lock);
	n = mode == IOPT_PAGES_ACCOUNT_MM ? iopt_locked_mm : iopt_locked_user;
	pthread_mutex_unlock(&iopt_account_lock);
	return n;
}

/*
 * The memory must exist when it is pinned: pin_user_pages() fails with
 * EFAULT on a hole. mincore() answers ENOMEM for any unmapped page in one
 * call, without touching the memory.
 */
static int iopt_pages_check_present(struct iopt_pages *pages)
{
	size_t chunk = 1UL << 30;

	for (size_t off = 0; off < pages->length; off += chunk) {
		size_t len = min_t(size_t, chunk, pages->length - off);
		unsigned char *vec = malloc(len / IOPT_PAGE_SIZE + 1);
		int rc;

		if (!vec)
			return -ENOMEM;
		rc = mincore((void *)(pages->uptr + off), len, vec);
		free(vec);
		if (rc)
			return -EFAULT;
	}
	return 0;
}

/*
 * A writable pin of read-only memory fails in the kernel: GUP with
 * FOLL_WRITE refuses a VMA without VM_WRITE (check_vma_flags(): EFAULT).
 * mincore() cannot tell, so read our own /proc/self/maps, through raw
 * syscalls so that an interposer never sees the open.
 */
static int iopt_pages_check_writable(struct iopt_pages *pages)
{
	uintptr_t cur = pages->uptr, end = pages->uptr + pages->length;
	size_t len = 0, cap = 16384;
	char *buf = malloc(cap), *line;
	int fd, rc = -EFAULT;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps",
			  O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return 0;	/* no procfs: give the benefit of the doubt */
	}
	for (;;) {
		if (len + 1 == cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown) {
				rc = -ENOMEM;
				goto out_close;
			}
			buf = grown;
			cap *= 2;
		}
		n = syscall(SYS_read, fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	/* Lines are in address order: walk them until [cur, end) is covered. */
	for (line = buf; line && *line && cur < end;) {
		unsigned long from, to;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s", &from, &to, perms) == 3 &&
		    from <= cur && cur < to) {
			if (perms[1] != 'w')
				break;
			cur = to;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (cur >= end)
		rc = 0;
out_close:
	syscall(SYS_close, fd);
	free(buf);
	return rc;
}

/*
 * What pin_user_pages() does to the memory, as far as userspace can: fault
 * every page in, for writing if the pin is writable (which breaks COW the
 * same way). MADV_POPULATE_READ/WRITE (Linux 5.14) fail on a hole (ENOMEM)
 * or on memory without the access (EFAULT); both are EFAULT to the caller,
 * as from GUP. Older kernels get the two checks above instead.
 */
static int iopt_pages_populate(struct iopt_pages *pages)
{
	int advice = pages->writable ? 23 /* MADV_POPULATE_WRITE */ :
				       22 /* MADV_POPULATE_READ */;
	int saved = errno, rc = 0;

	if (madvise((void *)pages->uptr, pages->length, advice)) {
		if (errno == EINVAL) {
			rc = iopt_pages_check_present(pages);
			if (!rc && pages->writable)
				rc = iopt_pages_check_writable(pages);
		} else {
			rc = errno == EINTR ? -EINTR : -EFAULT;
		}
	}
	errno = saved;
	return rc;
}

/* An area starts holding @pages pinned: the first one pins and accounts. */
int iopt_pages_pin(struct iopt_pages *pages)
{
	unsigned long npages = pages->length / IOPT_PAGE_SIZE;
	unsigned long *counter = NULL;
	struct rlimit lim;
	int rc = 0;

	pthread_mutex_lock(&iopt_account_lock);
	if (pages->pin_users++)
		goto out_unlock;
	rc = iopt_pages_populate(pages);
	if (rc)
		goto err_undo;
	if (pages->account_mode == IOPT_PAGES_ACCOUNT_USER)
		counter = &iopt_locked_user;
	else if (pages->account_mode == IOPT_PAGES_ACCOUNT_MM)
		counter = &iopt_locked_mm;
	if (counter) {
		if (!getrlimit(RLIMIT_MEMLOCK, &lim) &&
		    lim.rlim_cur != RLIM_INFINITY &&
		    *counter + npages > lim.rlim_cur / IOPT_PAGE_SIZE) {
			rc = -ENOMEM;
			goto err_undo;
		}
		*counter += npages;
	}
out_unlock:
	pthread_mutex_unlock(&iopt_account_lock);
	return rc;

err_undo:
	pages->pin_users--;
	pthread_mutex_unlock(&iopt_account_lock);
	return rc;
}

void iopt_pages_unpin(struct iopt_pages *pages)
{
	unsigned long npages = pages->length / IOPT_PAGE_SIZE;

	pthread_mutex_lock(&iopt_account_lock);
	if (!--pages->pin_users) {
		if (pages->account_mode == IOPT_PAGES_ACCOUNT_USER)
			iopt_locked_user -= npages;
		else if (pages->account_mode == IOPT_PAGES_ACCOUNT_MM)
			iopt_locked_mm -= npages;
	}
	pthread_mutex_unlock(&iopt_account_lock);
}

/*
 * ---------------------------------------------------------------------
 * iopt_pages: the memory behind areas
 * ---------------------------------------------------------------------
 */

/* As iopt_alloc_pages(): EINVAL for an empty range, EOVERFLOW on wrap. */
struct iopt_pages *iopt_alloc_pages(uintptr_t uptr, u64 length,
					   bool writable,
					   enum iopt_account_mode mode)
{
	struct iopt_pages *pages;
	u64 end;

	if (!length || length > SIZE_MAX - IOPT_PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	if (__builtin_add_overflow((u64)uptr, length, &end) ||
	    end > IOPT_ULONG_MAX - IOPT_PAGE_SIZE)
		return ERR_PTR(-EOVERFLOW);
	pages = calloc(1, sizeof(*pages));
	if (!pages)
		return ERR_PTR(-ENOMEM);
	refcount_set(&pages->kref, 1);
	pages->uptr = uptr & ~(IOPT_PAGE_SIZE - 1);
	pages->length = IOPT_ALIGN(end, IOPT_PAGE_SIZE) - pages->uptr;
	pages->writable = writable;
	pages->account_mode = mode;
	return pages;
}

void iopt_put_pages(struct iopt_pages *pages)
{
	if (!refcount_dec_and_test(&pages->kref))
		return;
	if (pages->file_map)
		munmap(pages->file_map, pages->length);
	free(pages);
}

