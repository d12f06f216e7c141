// SPDX-License-Identifier: MIT
/*
 * The public file API of libuvfio (include/uvfio/uvfio.h): fd-level calls
 * that find the emulated file, hold a reference for the call, and dispatch
 * through vfs_*(). The interposer's libc wrappers are thin shims over these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "vfs.h"
#include "../core/uvfio_init.h"
#include <uvfio/uvfio.h>

#define DEVTMPFS_DEV	makedev(0, 5)	/* where /dev nodes live */
#define ANON_INODE_DEV	makedev(0, 14)	/* the anon_inode mount */

static struct uvfio_node *node_lookup(const char *path)
{
	if (uvfio_init())
		return NULL;
	return uvfio_node_lookup(path);
}

__export bool uvfio_is_node(const char *path)
{
	return node_lookup(path) != NULL;
}

__export bool uvfio_is_fd(int fd)
{
	return uvfio_fd_tracked(fd);
}

__export int uvfio_open(const char *path, int flags)
{
	struct uvfio_node *node = node_lookup(path);

	if (!node)
		return -ENOENT;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	return uvfio_node_open(node, flags);
}

__export long uvfio_ioctl(int fd, unsigned long request, void *arg)
{
	struct uvfio_file *file = uvfio_fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	/* The kernel's ioctl number is 32 bits wide; so is ours. */
	ret = vfs_ioctl(file, (unsigned int)request, (unsigned long)arg);
	uvfio_fput(file);
	return ret;
}

static ssize_t uvfio_rw(int fd, void *buf, size_t count, const s64 *pos,
			bool is_write)
{
	struct uvfio_file *file = uvfio_fget(fd);
	ssize_t ret;

	if (!file)
		return -EBADF;
	ret = is_write ? vfs_write(file, buf, count, pos) :
			 vfs_read(file, buf, count, pos);
	uvfio_fput(file);
	return ret;
}

__export ssize_t uvfio_read(int fd, void *buf, size_t count)
{
	return uvfio_rw(fd, buf, count, NULL, false);
}

__export ssize_t uvfio_write(int fd, const void *buf, size_t count)
{
	return uvfio_rw(fd, (void *)buf, count, NULL, true);
}

__export ssize_t uvfio_pread(int fd, void *buf, size_t count, off_t offset)
{
	s64 pos = offset;

	return uvfio_rw(fd, buf, count, &pos, false);
}

__export ssize_t uvfio_pwrite(int fd, const void *buf, size_t count,
			      off_t offset)
{
	s64 pos = offset;

	return uvfio_rw(fd, (void *)buf, count, &pos, true);
}

__export int uvfio_mmap(void *addr, size_t length, int prot, int flags,
			int fd, off_t offset, void **out)
{
	struct uvfio_file *file = uvfio_fget(fd);
	void *ret;

	if (!file)
		return -EBADF;
	ret = vfs_mmap(file, addr, length, prot, flags, offset);
	uvfio_fput(file);
	if (IS_ERR(ret))
		return (int)PTR_ERR(ret);
	*out = ret;
	return 0;
}

__export int uvfio_close(int fd)
{
	return uvfio_fd_close(fd);
}

__export int uvfio_close_begin(int fd)
{
	return uvfio_fd_close_begin(fd);
}

__export void uvfio_close_end(int fd)
{
	uvfio_fd_close_end(fd);
}

__export void uvfio_dup_done(int oldfd, int newfd)
{
	uvfio_fd_dup_done(oldfd, newfd);
}

/* Nodes as devtmpfs shows them; anon files as anon_inode_getfd() makes. */
static void uvfio_fill_stat(const struct uvfio_node *node, struct stat *st)
{
	static struct timespec boot;	/* one timestamp for all nodes */
	struct timespec ts = {};

	memset(st, 0, sizeof(*st));
	if (!node) {
		st->st_dev = ANON_INODE_DEV;
		st->st_mode = 0600;
		st->st_nlink = 1;
		st->st_blksize = 4096;
		return;
	}
	if (!__atomic_load_n(&boot.tv_sec, __ATOMIC_RELAXED)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		__atomic_store_n(&boot.tv_sec, ts.tv_sec, __ATOMIC_RELAXED);
	}
	ts.tv_sec = __atomic_load_n(&boot.tv_sec, __ATOMIC_RELAXED);
	ts.tv_nsec = 0;
	st->st_dev = DEVTMPFS_DEV;
	st->st_ino = node->ino;
	st->st_mode = node->mode;
	st->st_nlink = 1;
	st->st_rdev = node->rdev;
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = ts;
}

__export int uvfio_stat(const char *path, struct stat *st)
{
	struct uvfio_node *node = node_lookup(path);

	if (!node)
		return -ENOENT;
	uvfio_fill_stat(node, st);
	return 0;
}

__export int uvfio_fstat(int fd, struct stat *st)
{
	struct uvfio_file *file = uvfio_fget(fd);

	if (!file)
		return -EBADF;
	uvfio_fill_stat(file->f_node, st);
	uvfio_fput(file);
	return 0;
}

__export ssize_t uvfio_fd_path(int fd, char *buf, size_t size)
{
	struct uvfio_file *file = uvfio_fget(fd);
	char anon[64];
	const char *path;
	size_t len;

	if (!file)
		return -EBADF;
	if (file->f_node) {
		path = file->f_node->path;
	} else {
		snprintf(anon, sizeof(anon), "anon_inode:%s",
			 file->f_anon_name ?: "[uvfio]");
		path = anon;
	}
	len = min_t(size_t, strlen(path), size);
	memcpy(buf, path, len);
	uvfio_fput(file);
	return (ssize_t)len;
}
