// SPDX-License-Identifier: MIT
/*
 * Emulated open files and the dispatch entry points. Every emulated ioctl,
 * read, write and mmap passes through here, so this is where a trace hooks
 * in. The checks done before a file's own op mirror the kernel's fs/ layer
 * (fs/read_write.c vfs_read/vfs_write, mm/mmap.c do_mmap), because clients
 * observe their errnos too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfs.h"

/* The kernel clamps every read/write to this (include/linux/fs.h). */
#define MAX_RW_COUNT	(INT_MAX & ~4095L)

static int trace_enabled;	/* set once at init, read relaxed */

void vfs_trace_init(void)
{
	const char *v = getenv("UVFIO_TRACE");

	__atomic_store_n(&trace_enabled, v && *v && *v != '0',
			 __ATOMIC_RELAXED);
}

static inline bool tracing(void)
{
	return unlikely(__atomic_load_n(&trace_enabled, __ATOMIC_RELAXED));
}

static const char *file_kind(const struct uvfio_file *file)
{
	return file->f_op->name ?: "?";
}

struct uvfio_file *uvfio_file_alloc(const struct uvfio_file_operations *fops,
				    unsigned int o_flags, void *private_data)
{
	struct uvfio_file *file = calloc(1, sizeof(*file));

	if (!file)
		return NULL;
	refcount_set(&file->f_count, 1);
	file->f_op = fops;
	file->f_flags = o_flags;
	switch (o_flags & O_ACCMODE) {
	case O_RDONLY:
		file->f_mode = FMODE_READ;
		break;
	case O_WRONLY:
		file->f_mode = FMODE_WRITE;
		break;
	default:
		file->f_mode = FMODE_READ | FMODE_WRITE;
		break;
	}
	mutex_init(&file->f_pos_lock);
	file->private_data = private_data;
	return file;
}

void uvfio_file_get(struct uvfio_file *file)
{
	refcount_inc(&file->f_count);
}

/* Files whose put waits for the current put to finish (see below). */
#define DEFERRED_PUTS_MAX	16
static __thread struct uvfio_file *deferred_puts[DEFERRED_PUTS_MAX];
static __thread unsigned int nr_deferred_puts;

static void __uvfio_file_put(struct uvfio_file *file)
{
	if (!file || !refcount_dec_and_test(&file->f_count))
		return;
	if (file->f_op && file->f_op->release)
		file->f_op->release(file);
	mutex_destroy(&file->f_pos_lock);
	free(file);
}

void uvfio_file_put(struct uvfio_file *file)
{
	__uvfio_file_put(file);
	while (nr_deferred_puts)
		__uvfio_file_put(deferred_puts[--nr_deferred_puts]);
}

/*
 * A put from under a lock that the file's release may take: the kernel's
 * fput() defers the release to task work; here the put waits until the
 * outermost uvfio_file_put() of this thread returns from its own release,
 * or until the current call's file reference is dropped.
 */
void uvfio_file_put_deferred(struct uvfio_file *file)
{
	/* Nesting is a release within a release: a handful at most. */
	if (nr_deferred_puts == DEFERRED_PUTS_MAX)
		abort();
	deferred_puts[nr_deferred_puts++] = file;
}

long vfs_ioctl(struct uvfio_file *file, unsigned int cmd, unsigned long arg)
{
	long ret = -ENOTTY;

	if (file->f_op->unlocked_ioctl)
		ret = file->f_op->unlocked_ioctl(file, cmd, arg);
	if (tracing())
		fprintf(stderr, "uvfio: %s ioctl(0x%04x, 0x%lx) = %ld\n",
			file_kind(file), cmd, arg, ret);
	return ret;
}

/* The position checks of rw_verify_area() in fs/read_write.c. */
static int rw_verify_area(s64 pos, size_t count)
{
	if (pos < 0)
		return -EINVAL;
	if ((u64)pos + count < (u64)pos || (s64)((u64)pos + count) < 0)
		return -EINVAL;
	return 0;
}

static ssize_t vfs_rw(struct uvfio_file *file, void __user *buf, size_t count,
		      const s64 *pos, bool is_write)
{
	ssize_t (*op)(struct uvfio_file *, char __user *, size_t, s64 *);
	s64 p;
	ssize_t ret;

	if (!(file->f_mode & (is_write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	op = is_write ? (void *)file->f_op->write : (void *)file->f_op->read;
	if (!op)
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;

	if (pos) {
		p = *pos;
		ret = rw_verify_area(p, count);
		if (!ret)
			ret = op(file, buf, count, &p);
	} else {
		mutex_lock(&file->f_pos_lock);
		p = file->f_pos;
		ret = rw_verify_area(p, count);
		if (!ret)
			ret = op(file, buf, count, &p);
		if (ret > 0)
			file->f_pos = p;
		mutex_unlock(&file->f_pos_lock);
	}
	if (tracing())
		fprintf(stderr, "uvfio: %s %s(%zu @ 0x%llx) = %zd\n",
			file_kind(file), is_write ? "write" : "read", count,
			pos ? (unsigned long long)*pos : 0ULL, ret);
	return ret;
}

ssize_t vfs_read(struct uvfio_file *file, void __user *buf, size_t count,
		 const s64 *pos)
{
	return vfs_rw(file, buf, count, pos, false);
}

ssize_t vfs_write(struct uvfio_file *file, const void __user *buf,
		  size_t count, const s64 *pos)
{
	return vfs_rw(file, (void __user *)buf, count, pos, true);
}

/* The file-independent checks of do_mmap() in mm/mmap.c, in its order. */
void *vfs_mmap(struct uvfio_file *file, void *addr, size_t len, int prot,
	       int flags, s64 offset)
{
	struct uvfio_vma vma = {
		.addr = addr, .len = len, .prot = prot, .flags = flags,
		.offset = (u64)offset,
	};
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	if (!len)
		return ERR_PTR(-EINVAL);
	if (offset & (page - 1))
		return ERR_PTR(-EINVAL);
	if ((u64)offset + len < (u64)offset)
		return ERR_PTR(-EOVERFLOW);
	if (!(file->f_mode & FMODE_READ))
		return ERR_PTR(-EACCES);
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE) &&
	    !(file->f_mode & FMODE_WRITE))
		return ERR_PTR(-EACCES);
	if (!file->f_op->mmap)
		return ERR_PTR(-ENODEV);

	ret = file->f_op->mmap(file, &vma);
	if (tracing())
		fprintf(stderr, "uvfio: %s mmap(%zu @ 0x%llx) = %d\n",
			file_kind(file), len, (unsigned long long)offset, ret);
	return ret ? ERR_PTR(ret) : vma.addr;
}
