// SPDX-License-Identifier: MIT
/*
 * The libc functions libuvfio-preload.so interposes, all of them, in one file.
 *
 * Each wrapper answers one question and hands the call on:
 *  - a path naming an emulated device node (/dev/iommu,
 *    /dev/vfio/devices/vfioN, ...) opens or stats through uvfio_open() and
 *    uvfio_stat(), which answer -ENOENT for any path that is not theirs;
 *  - a path inside the emulated sysfs and /dev trees is rewritten by
 *    uvfio_path_redirect() into a PATH_MAX buffer on the wrapper's stack
 *    (no static buffer, so no lock) and given to the real function;
 *  - an fd of an emulated file goes to the uvfio_* call, any other fd and
 *    any other path straight to libc.
 * The uvfio_* calls return -errno; this file is the one place that turns
 * that into -1 and errno, and it sets errno only on failure.
 *
 * Beyond open, stat and the fd calls, the path calls that programs make on
 * the emulated trees are here too: readlink (iommu_group, driver, and
 * /proc/self/fd/N of an emulated fd), opendir, access, and the xattr reads
 * that ls -l makes for every file.
 *
 * Wrappers come from a few macros, one instantiation per ABI variant of a
 * symbol: stat and stat64, the __xstat generation, the _chk twins that
 * fortified programs call, and fcntl64, which programs built with
 * _FILE_OFFSET_BITS=64 call instead of fcntl.
 * For that, this file is compiled with _FILE_OFFSET_BITS and _TIME_BITS
 * undefined, so that <sys/stat.h> declares both stat and stat64 rather than
 * renaming one into the other; _FORTIFY_SOURCE would turn open and read into
 * inline functions we could not define.
 *
 * Not wrapped: fork (the library registers its own pthread_atfork handlers),
 * and newfstatat, which glibc does not export (it is only a syscall name).
 * On x86_64 there are no _time64 variants.
 */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS
#undef _FORTIFY_SOURCE
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <uvfio/uvfio.h>

#include "real.h"

/* The preload is built with -fvisibility=hidden; wrappers are its ABI. */
#define UVFIO_EXPORT	__attribute__((visibility("default")))

/* A *_prepare() helper's answer: "call the real function". */
#define CALL_REAL	INT_MIN

/* The libc boundary: -errno becomes -1 and errno, success leaves errno. */
static inline long ret_errno(long ret)
{
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/*
 * glibc declares most path parameters __nonnull, which lets gcc delete our
 * NULL checks. A program that passes NULL must get the real call's EFAULT,
 * not a crash in the interposer, so the pointer is hidden from the optimizer.
 */
static inline const char *launder(const char *path)
{
	__asm__("" : "+r"(path));
	return path;
}

/*
 * VA_ONE - the one optional argument after @last, read as @type: open's
 * mode, ioctl's argument, fcntl's int or pointer.
 */
#define VA_ONE(last, type) ({						\
	va_list ap__;							\
	type arg__;							\
									\
	va_start(ap__, last);						\
	arg__ = va_arg(ap__, type);					\
	va_end(ap__);							\
	arg__;								\
})

/* Whether a *at() call resolves @path as the plain call would. */
static inline bool at_is_plain(int dirfd, const char *path)
{
	return path && (path[0] == '/' || dirfd == AT_FDCWD);
}

/* Whether a *at() call with AT_EMPTY_PATH operates on an emulated @dirfd. */
static inline bool at_empty_emulated(int dirfd, const char *path, int flags)
{
	return (flags & AT_EMPTY_PATH) && (!path || !path[0]) &&
	       uvfio_is_fd(dirfd);
}

/*
 * trap_path - where the real function should look for *@path: unchanged,
 * or, inside the emulated trees, its location under the root, written to
 * @buf (PATH_MAX bytes). Returns 0 or -ENAMETOOLONG.
 */
static int trap_path(const char **path, char *buf)
{
	int ret;

	if (!*path)
		return 0;
	ret = uvfio_path_redirect(*path, buf, PATH_MAX);
	if (ret < 0)
		return ret;
	if (ret == 1)
		*path = buf;
	return 0;
}

static const char *skip_prefix(const char *s, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(s, prefix, len) ? NULL : s + len;
}

/* Reads the decimal number at *@s, advancing it; -1 if none or too big. */
static int parse_num(const char **s)
{
	const char *p = *s;
	long val = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		val = val * 10 + (*p - '0');
		if (val > INT_MAX)
			return -1;
	}
	*s = p;
	return (int)val;
}

/*
 * proc_fd_of - N, when @path is "/proc/self/fd/N", "/proc/thread-self/fd/N",
 * "/proc/<our pid>/fd/N" or "/dev/fd/N" and N is an emulated fd; else -1.
 * Those are the kernel's magic links to the open file, which for an emulated
 * fd is our placeholder memfd rather than the device the program opened
 * (SPDK, for one, resolves its device fds this way).
 */
static int proc_fd_of(const char *path)
{
	const char *p, *rest;
	int fd;

	if (!path)
		return -1;
	p = skip_prefix(path, "/dev/fd/");
	if (!p) {
		p = skip_prefix(path, "/proc/");
		if (!p)
			return -1;
		if ((rest = skip_prefix(p, "self/")) ||
		    (rest = skip_prefix(p, "thread-self/")))
			p = rest;
		else if (parse_num(&p) != getpid() || *p++ != '/')
			return -1;
		p = skip_prefix(p, "fd/");
		if (!p)
			return -1;
	}
	fd = parse_num(&p);
	if (fd < 0 || *p || !uvfio_is_fd(fd))
		return -1;
	return fd;
}

/* ---- open ---------------------------------------------------------------- */

/*
 * Opening /proc/self/fd/N opens N's inode afresh: for a device node that is
 * a new open of the device. An anonymous file (a group-path device fd) has
 * no node to open again, and the kernel refuses it with ENXIO.
 */
static int reopen_fd(int fd, int flags, char *buf)
{
	ssize_t len = uvfio_fd_path(fd, buf, PATH_MAX - 1);
	int ret;

	if (len < 0)
		return (int)len;
	buf[len] = '\0';
	ret = uvfio_open(buf, flags);
	return ret == -ENOENT ? -ENXIO : ret;
}

/*
 * open_prepare - what every open wrapper does first, for a path that means
 * the same with or without a dirfd. Returns the fd of a new emulated file,
 * a -errno, or CALL_REAL with *@path possibly moved into @buf.
 */
static int open_prepare(const char **path, int flags, char *buf)
{
	int fd;

	if (!*path)
		return CALL_REAL;
	fd = proc_fd_of(*path);
	if (fd >= 0)
		return reopen_fd(fd, flags, buf);
	fd = uvfio_open(*path, flags);
	if (fd != -ENOENT)
		return fd;
	fd = trap_path(path, buf);
	return fd ? fd : CALL_REAL;
}

static inline bool open_needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* open, open64: the mode is there only with O_CREAT or O_TMPFILE. */
#define WRAP_OPEN(name)							\
UVFIO_EXPORT int name(const char *path, int flags, ...)		\
{									\
	mode_t mode = open_needs_mode(flags) ?				\
		      (mode_t)VA_ONE(flags, int) : 0;			\
	char buf[PATH_MAX];						\
	int ret;							\
									\
	path = launder(path);						\
	ret = open_prepare(&path, flags, buf);				\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, flags, mode);			\
	return (int)ret_errno(ret);					\
}

/* __open_2, __open64_2: the fortified open without a mode. */
#define WRAP_OPEN2(name)						\
UVFIO_EXPORT int name(const char *path, int flags)			\
{									\
	char buf[PATH_MAX];						\
	int ret;							\
									\
	path = launder(path);						\
	ret = open_prepare(&path, flags, buf);				\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, flags);				\
	return (int)ret_errno(ret);					\
}

/* openat, openat64: relative to a real dirfd, the path is not ours. */
#define WRAP_OPENAT(name)						\
UVFIO_EXPORT int name(int dirfd, const char *path, int flags, ...)	\
{									\
	mode_t mode = open_needs_mode(flags) ?				\
		      (mode_t)VA_ONE(flags, int) : 0;			\
	char buf[PATH_MAX];						\
	int ret = CALL_REAL;						\
									\
	path = launder(path);						\
	if (at_is_plain(dirfd, path))					\
		ret = open_prepare(&path, flags, buf);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(dirfd, path, flags, mode);		\
	return (int)ret_errno(ret);					\
}

/* __openat_2, __openat64_2 */
#define WRAP_OPENAT2(name)						\
UVFIO_EXPORT int name(int dirfd, const char *path, int flags)		\
{									\
	char buf[PATH_MAX];						\
	int ret = CALL_REAL;						\
									\
	path = launder(path);						\
	if (at_is_plain(dirfd, path))					\
		ret = open_prepare(&path, flags, buf);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(dirfd, path, flags);			\
	return (int)ret_errno(ret);					\
}

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPEN2(__open_2)
WRAP_OPEN2(__open64_2)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)
WRAP_OPENAT2(__openat_2)
WRAP_OPENAT2(__openat64_2)

/* The open(2) flags of an fopen() mode, or -1 for one fopen rejects. */
static int fopen_flags(const char *mode)
{
	int flags;

	if (!mode)
		return -1;
	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (mode++; *mode && *mode != ','; mode++) {
		if (*mode == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*mode == 'e')
			flags |= O_CLOEXEC;
		else if (*mode == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

/*
 * The FILE of an emulated open. Its fileno() is the emulated fd, so ioctl
 * and the wrapped fd calls work; stdio's own buffered I/O uses libc's
 * internal read and write, which no preload can see.
 */
static FILE *fopen_emulated(int fd, const char *mode)
{
	FILE *stream;
	int err;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	stream = fdopen(fd, mode);
	if (!stream) {
		err = errno;
		uvfio_close(fd);
		errno = err;
	}
	return stream;
}

/* fopen, fopen64 */
#define WRAP_FOPEN(name)						\
UVFIO_EXPORT FILE *name(const char *path, const char *mode)		\
{									\
	int flags = fopen_flags(mode);					\
	char buf[PATH_MAX];						\
	int ret = CALL_REAL;						\
									\
	path = launder(path);						\
	if (flags >= 0)							\
		ret = open_prepare(&path, flags, buf);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, mode);				\
	return fopen_emulated(ret, mode);				\
}

WRAP_FOPEN(fopen)
WRAP_FOPEN(fopen64)

/* ---- stat ---------------------------------------------------------------- */

/* Copies struct stat @src into @dst, a struct stat or struct stat64. */
#define STAT_COPY(dst, src) do {					\
	memset((dst), 0, sizeof(*(dst)));				\
	(dst)->st_dev = (src)->st_dev;					\
	(dst)->st_ino = (src)->st_ino;					\
	(dst)->st_mode = (src)->st_mode;				\
	(dst)->st_nlink = (src)->st_nlink;				\
	(dst)->st_uid = (src)->st_uid;					\
	(dst)->st_gid = (src)->st_gid;					\
	(dst)->st_rdev = (src)->st_rdev;				\
	(dst)->st_size = (src)->st_size;				\
	(dst)->st_blksize = (src)->st_blksize;				\
	(dst)->st_blocks = (src)->st_blocks;				\
	(dst)->st_atim = (src)->st_atim;				\
	(dst)->st_mtim = (src)->st_mtim;				\
	(dst)->st_ctim = (src)->st_ctim;				\
} while (0)

/*
 * stat_prepare - what every path stat wrapper does first, for a path that
 * means the same with or without a dirfd; @follow is false for lstat.
 * Returns 0 with *@st filled for an emulated file, a -errno, or CALL_REAL
 * with *@path possibly moved into @buf.
 */
static int stat_prepare(const char **path, bool follow, char *buf,
			struct stat *st)
{
	int fd, ret;

	if (!*path)
		return CALL_REAL;
	fd = follow ? proc_fd_of(*path) : -1;
	if (fd >= 0)
		return uvfio_fstat(fd, st);
	/* A node is never a symlink: lstat and stat agree on it. */
	ret = uvfio_stat(*path, st);
	if (ret != -ENOENT)
		return ret;
	ret = trap_path(path, buf);
	return ret ? ret : CALL_REAL;
}

/* The same for the *at() calls, where an emulated dirfd may be the file. */
static int statat_prepare(int dirfd, const char **path, int flags,
			  char *buf, struct stat *st)
{
	if (at_empty_emulated(dirfd, *path, flags))
		return uvfio_fstat(dirfd, st);
	if (!at_is_plain(dirfd, *path))
		return CALL_REAL;
	return stat_prepare(path, !(flags & AT_SYMLINK_NOFOLLOW), buf, st);
}

/*
 * The __xstat generation takes a struct version first. On x86_64 every
 * version glibc accepts has the struct stat layout, so an emulated file
 * ignores it; the real function still checks it for every other path.
 */

/* stat, lstat, stat64, lstat64 */
#define WRAP_STAT(name, stat_t, follow)					\
UVFIO_EXPORT int name(const char *path, struct stat_t *st)		\
{									\
	char buf[PATH_MAX];						\
	struct stat emul;						\
	int ret;							\
									\
	path = launder(path);						\
	ret = stat_prepare(&path, follow, buf, &emul);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, st);				\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

/* __xstat, __lxstat, __xstat64, __lxstat64 */
#define WRAP_XSTAT(name, stat_t, follow)				\
UVFIO_EXPORT int name(int ver, const char *path, struct stat_t *st)	\
{									\
	char buf[PATH_MAX];						\
	struct stat emul;						\
	int ret;							\
									\
	path = launder(path);						\
	ret = stat_prepare(&path, follow, buf, &emul);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(ver, path, st);			\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

/* fstat, fstat64 */
#define WRAP_FSTAT(name, stat_t)					\
UVFIO_EXPORT int name(int fd, struct stat_t *st)			\
{									\
	struct stat emul;						\
	int ret;							\
									\
	if (!uvfio_is_fd(fd))						\
		return REAL(name)(fd, st);				\
	ret = uvfio_fstat(fd, &emul);					\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

/* __fxstat, __fxstat64 */
#define WRAP_FXSTAT(name, stat_t)					\
UVFIO_EXPORT int name(int ver, int fd, struct stat_t *st)		\
{									\
	struct stat emul;						\
	int ret;							\
									\
	if (!uvfio_is_fd(fd))						\
		return REAL(name)(ver, fd, st);				\
	ret = uvfio_fstat(fd, &emul);					\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

/* fstatat, fstatat64 */
#define WRAP_FSTATAT(name, stat_t)					\
UVFIO_EXPORT int name(int dirfd, const char *path, struct stat_t *st,	\
		      int flags)					\
{									\
	char buf[PATH_MAX];						\
	struct stat emul;						\
	int ret;							\
									\
	path = launder(path);						\
	ret = statat_prepare(dirfd, &path, flags, buf, &emul);		\
	if (ret == CALL_REAL)						\
		return REAL(name)(dirfd, path, st, flags);		\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

/* __fxstatat, __fxstatat64 */
#define WRAP_FXSTATAT(name, stat_t)					\
UVFIO_EXPORT int name(int ver, int dirfd, const char *path,		\
		      struct stat_t *st, int flags)			\
{									\
	char buf[PATH_MAX];						\
	struct stat emul;						\
	int ret;							\
									\
	path = launder(path);						\
	ret = statat_prepare(dirfd, &path, flags, buf, &emul);		\
	if (ret == CALL_REAL)						\
		return REAL(name)(ver, dirfd, path, st, flags);		\
	if (!ret)							\
		STAT_COPY(st, &emul);					\
	return (int)ret_errno(ret);					\
}

WRAP_STAT(stat, stat, true)
WRAP_STAT(stat64, stat64, true)
WRAP_STAT(lstat, stat, false)
WRAP_STAT(lstat64, stat64, false)
WRAP_FSTAT(fstat, stat)
WRAP_FSTAT(fstat64, stat64)
WRAP_FSTATAT(fstatat, stat)
WRAP_FSTATAT(fstatat64, stat64)
WRAP_XSTAT(__xstat, stat, true)
WRAP_XSTAT(__xstat64, stat64, true)
WRAP_XSTAT(__lxstat, stat, false)
WRAP_XSTAT(__lxstat64, stat64, false)
WRAP_FXSTAT(__fxstat, stat)
WRAP_FXSTAT(__fxstat64, stat64)
WRAP_FXSTATAT(__fxstatat, stat)
WRAP_FXSTATAT(__fxstatat64, stat64)

/* What statx reports of an emulated file: the basic stats, no btime. */
static void statx_from_stat(struct statx *stx, const struct stat *st)
{
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (__u32)st->st_blksize;
	stx->stx_nlink = (__u32)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (__u16)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (__u64)st->st_size;
	stx->stx_blocks = (__u64)st->st_blocks;
	stx->stx_atime.tv_sec = st->st_atim.tv_sec;
	stx->stx_atime.tv_nsec = (__u32)st->st_atim.tv_nsec;
	stx->stx_mtime.tv_sec = st->st_mtim.tv_sec;
	stx->stx_mtime.tv_nsec = (__u32)st->st_mtim.tv_nsec;
	stx->stx_ctime.tv_sec = st->st_ctim.tv_sec;
	stx->stx_ctime.tv_nsec = (__u32)st->st_ctim.tv_nsec;
	stx->stx_rdev_major = major(st->st_rdev);
	stx->stx_rdev_minor = minor(st->st_rdev);
	stx->stx_dev_major = major(st->st_dev);
	stx->stx_dev_minor = minor(st->st_dev);
}

/* Rust's std and coreutils stat with statx, ls -l included. */
UVFIO_EXPORT int statx(int dirfd, const char *path, int flags,
		       unsigned int mask, struct statx *stx)
{
	char buf[PATH_MAX];
	struct stat emul;
	int ret;

	path = launder(path);
	ret = statat_prepare(dirfd, &path, flags, buf, &emul);
	if (ret == CALL_REAL)
		return REAL(statx)(dirfd, path, flags, mask, stx);
	if (!ret)
		statx_from_stat(stx, &emul);
	return (int)ret_errno(ret);
}

/* ---- readlink ------------------------------------------------------------ */

/*
 * readlink_prepare - for /proc/self/fd/N of an emulated N, the path the
 * program opened, written to @buf without a NUL as the kernel does, and its
 * length. Else a -errno or CALL_REAL, with *@path possibly moved into
 * @pathbuf: a symlink in the emulated sysfs (iommu_group, driver) is a real
 * symlink under the root.
 */
static ssize_t readlink_prepare(const char **path, char *buf, size_t size,
				char *pathbuf)
{
	int fd = proc_fd_of(*path);
	int ret;

	/* A zero size is the real call's EINVAL. */
	if (fd >= 0 && size)
		return uvfio_fd_path(fd, buf, size);
	ret = trap_path(path, pathbuf);
	return ret ? ret : CALL_REAL;
}

UVFIO_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	char pathbuf[PATH_MAX];
	ssize_t ret;

	path = launder(path);
	ret = readlink_prepare(&path, buf, size, pathbuf);
	if (ret == CALL_REAL)
		return REAL(readlink)(path, buf, size);
	return ret_errno(ret);
}

UVFIO_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf,
				size_t size)
{
	char pathbuf[PATH_MAX];
	ssize_t ret = CALL_REAL;

	path = launder(path);
	if (at_is_plain(dirfd, path))
		ret = readlink_prepare(&path, buf, size, pathbuf);
	if (ret == CALL_REAL)
		return REAL(readlinkat)(dirfd, path, buf, size);
	return ret_errno(ret);
}

/*
 * The fortified twins. A @size larger than the buffer goes to the real
 * function, whose check ends the program as it would have without us.
 */
UVFIO_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t size,
				    size_t buflen)
{
	char pathbuf[PATH_MAX];
	ssize_t ret = CALL_REAL;

	path = launder(path);
	if (size <= buflen)
		ret = readlink_prepare(&path, buf, size, pathbuf);
	if (ret == CALL_REAL)
		return REAL(__readlink_chk)(path, buf, size, buflen);
	return ret_errno(ret);
}

UVFIO_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf,
				      size_t size, size_t buflen)
{
	char pathbuf[PATH_MAX];
	ssize_t ret = CALL_REAL;

	path = launder(path);
	if (size <= buflen && at_is_plain(dirfd, path))
		ret = readlink_prepare(&path, buf, size, pathbuf);
	if (ret == CALL_REAL)
		return REAL(__readlinkat_chk)(dirfd, path, buf, size, buflen);
	return ret_errno(ret);
}

/* ---- directories and access ---------------------------------------------- */

/*
 * path_prepare - for the path calls that do not open or stat: @node_ret for
 * an emulated node, else CALL_REAL with *@path possibly moved into @buf,
 * or -ENAMETOOLONG.
 */
static int path_prepare(const char **path, char *buf, int node_ret)
{
	int ret;

	if (!*path)
		return CALL_REAL;
	if (uvfio_is_node(*path))
		return node_ret;
	ret = trap_path(path, buf);
	return ret ? ret : CALL_REAL;
}

/*
 * Host directories that the emulation adds entries to (/sys/bus/pci/devices,
 * which DPDK and SPDK scan, /sys/kernel/iommu_groups, /sys/module, ...) are
 * listed as the host's entries, then the tree's other ones: each such open
 * directory has the tree's directory open beside it. Few are open at once;
 * overlay_lock protects the table, and nr_overlays (atomic) lets readdir
 * skip it entirely while none is open.
 */
#define MAX_OVERLAYS	32

static struct {
	DIR *host, *tree;
} overlays[MAX_OVERLAYS];			/* overlay_lock */
static pthread_mutex_t overlay_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int nr_overlays;		/* atomic */

static void overlay_add(DIR *host, const char *path)
{
	char tree_path[PATH_MAX];
	DIR *tree;

	if (uvfio_path_overlay(path, tree_path, sizeof(tree_path)) != 1)
		return;
	tree = REAL(opendir)(tree_path);
	if (!tree)
		return;
	pthread_mutex_lock(&overlay_lock);
	for (int i = 0; i < MAX_OVERLAYS; i++) {
		if (!overlays[i].host) {
			overlays[i].host = host;
			overlays[i].tree = tree;
			__atomic_add_fetch(&nr_overlays, 1, __ATOMIC_RELEASE);
			tree = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&overlay_lock);
	if (tree)
		REAL(closedir)(tree);	/* table full: the host's entries only */
}

/* The tree directory beside @host, or NULL. */
static DIR *overlay_find(DIR *host, bool remove)
{
	DIR *tree = NULL;

	if (!__atomic_load_n(&nr_overlays, __ATOMIC_ACQUIRE))
		return NULL;
	pthread_mutex_lock(&overlay_lock);
	for (int i = 0; i < MAX_OVERLAYS; i++) {
		if (overlays[i].host == host) {
			tree = overlays[i].tree;
			if (remove) {
				overlays[i].host = NULL;
				overlays[i].tree = NULL;
				__atomic_sub_fetch(&nr_overlays, 1,
						   __ATOMIC_RELEASE);
			}
			break;
		}
	}
	pthread_mutex_unlock(&overlay_lock);
	return tree;
}

UVFIO_EXPORT DIR *opendir(const char *path)
{
	char buf[PATH_MAX];
	DIR *dir;
	int ret;

	path = launder(path);
	/* Whatever the tree under the root holds there, a node is no dir. */
	ret = path_prepare(&path, buf, -ENOTDIR);
	if (ret != CALL_REAL) {
		errno = -ret;
		return NULL;
	}
	dir = REAL(opendir)(path);
	if (dir && path != buf)
		overlay_add(dir, path);
	return dir;
}

UVFIO_EXPORT int closedir(DIR *dir)
{
	DIR *tree = overlay_find(dir, true);

	if (tree)
		REAL(closedir)(tree);
	return REAL(closedir)(dir);
}

/* Whether the host directory @host already has an entry @name. */
static bool overlay_host_has(DIR *host, const char *name)
{
	int saved = errno;
	bool has = !REAL(faccessat)(dirfd(host), name, F_OK,
				     AT_SYMLINK_NOFOLLOW);

	errno = saved;
	return has;
}

/*
 * The tree's entries follow the host's end; "." and "..", and names the
 * host has too (the redirect already sends those to the tree), are skipped.
 */
#define WRAP_READDIR(name, dirent_t)					\
UVFIO_EXPORT struct dirent_t *name(DIR *dir)				\
{									\
	struct dirent_t *e = REAL(name)(dir);				\
	DIR *tree;							\
									\
	if (e || !(tree = overlay_find(dir, false)))			\
		return e;						\
	while ((e = REAL(name)(tree))) {				\
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&	\
		    !overlay_host_has(dir, e->d_name))			\
			return e;					\
	}								\
	return NULL;							\
}

WRAP_READDIR(readdir, dirent)
WRAP_READDIR(readdir64, dirent64)

/*
 * An emulated node is readable and writable by the process, whatever owner
 * the real one would have (root, or the vfio group): the emulation exists so
 * that an unprivileged program can open it. A device is never executable.
 */
static int access_node(int mode)
{
	return (mode & X_OK) ? -EACCES : 0;
}

UVFIO_EXPORT int access(const char *path, int mode)
{
	char buf[PATH_MAX];
	int ret;

	path = launder(path);
	ret = path_prepare(&path, buf, access_node(mode));
	if (ret == CALL_REAL)
		return REAL(access)(path, mode);
	return (int)ret_errno(ret);
}

UVFIO_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	char buf[PATH_MAX];
	int ret = CALL_REAL;

	path = launder(path);
	if (at_empty_emulated(dirfd, path, flags))
		ret = access_node(mode);
	else if (at_is_plain(dirfd, path))
		ret = path_prepare(&path, buf, access_node(mode));
	if (ret == CALL_REAL)
		return REAL(faccessat)(dirfd, path, mode, flags);
	return (int)ret_errno(ret);
}

/*
 * ls -l asks for every file's security label with lgetxattr (libselinux),
 * so a path in the emulated trees must reach its file under the root. An
 * emulated node has no extended attributes, as a devtmpfs node without an
 * LSM: getxattr says ENODATA, listxattr lists nothing.
 */
#define WRAP_GETXATTR(name)						\
UVFIO_EXPORT ssize_t name(const char *path, const char *attr,		\
			  void *value, size_t size)			\
{									\
	char buf[PATH_MAX];						\
	int ret;							\
									\
	path = launder(path);						\
	ret = path_prepare(&path, buf, -ENODATA);			\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, attr, value, size);		\
	return ret_errno(ret);						\
}

#define WRAP_LISTXATTR(name)						\
UVFIO_EXPORT ssize_t name(const char *path, char *list, size_t size)	\
{									\
	char buf[PATH_MAX];						\
	int ret;							\
									\
	path = launder(path);						\
	ret = path_prepare(&path, buf, 0);				\
	if (ret == CALL_REAL)						\
		return REAL(name)(path, list, size);			\
	return ret_errno(ret);						\
}

WRAP_GETXATTR(getxattr)
WRAP_GETXATTR(lgetxattr)
WRAP_LISTXATTR(listxattr)
WRAP_LISTXATTR(llistxattr)

/* ---- fd calls ------------------------------------------------------------ */

/*
 * WRAP_FD - a call on an fd: the emulated file's @emul, or the real @name.
 * @params is the parameter list, which names the fd "fd"; @args are the
 * argument names in order.
 */
#define WRAP_FD(ret_t, name, emul, params, args)			\
UVFIO_EXPORT ret_t name params						\
{									\
	if (!uvfio_is_fd(fd))						\
		return REAL(name) args;					\
	return (ret_t)ret_errno(emul args);				\
}

WRAP_FD(ssize_t, read, uvfio_read,
	(int fd, void *buf, size_t count), (fd, buf, count))
WRAP_FD(ssize_t, write, uvfio_write,
	(int fd, const void *buf, size_t count), (fd, buf, count))
WRAP_FD(ssize_t, pread, uvfio_pread,
	(int fd, void *buf, size_t count, off_t offset),
	(fd, buf, count, offset))
WRAP_FD(ssize_t, pread64, uvfio_pread,
	(int fd, void *buf, size_t count, off64_t offset),
	(fd, buf, count, offset))
WRAP_FD(ssize_t, pwrite, uvfio_pwrite,
	(int fd, const void *buf, size_t count, off_t offset),
	(fd, buf, count, offset))
WRAP_FD(ssize_t, pwrite64, uvfio_pwrite,
	(int fd, const void *buf, size_t count, off64_t offset),
	(fd, buf, count, offset))
WRAP_FD(int, close, uvfio_close, (int fd), (fd))

/*
 * fclose() closes its fd inside libc, out of our reach: the fd table is
 * told before and after, so the emulated file dies with it as it would
 * with close().
 */
UVFIO_EXPORT int fclose(FILE *stream)
{
	int fd = stream ? fileno(stream) : -1;
	bool ours = fd >= 0 && !uvfio_close_begin(fd);
	int ret = REAL(fclose)(stream);

	if (ours)
		uvfio_close_end(fd);
	return ret;
}

/*
 * close_range() and closefrom() close many fds inside the kernel: every
 * emulated fd in the range is marked closing before and forgotten after,
 * as close() does one by one. The fd table holds numbers below 1 << 20.
 */
#define FDT_LIMIT	(1u << 20)

struct closing_fds {
	int *fds;
	unsigned int nr, cap;
};

/* Marks every emulated fd in [first, last] closing; remembers which. */
static void close_range_begin(unsigned int first, unsigned int last,
			      struct closing_fds *c)
{
	unsigned int end = last < FDT_LIMIT ? last : FDT_LIMIT - 1;

	for (unsigned int fd = first; fd <= end; fd++) {
		if (!uvfio_is_fd((int)fd))
			continue;
		if (c->nr == c->cap) {
			unsigned int cap = c->cap ? 2 * c->cap : 16;
			int *grown = realloc(c->fds, cap * sizeof(*grown));

			if (!grown)
				break;	/* those left stay known: as before */
			c->fds = grown;
			c->cap = cap;
		}
		if (!uvfio_close_begin((int)fd))
			c->fds[c->nr++] = (int)fd;
	}
}

static void close_range_end(struct closing_fds *c)
{
	int saved = errno;

	for (unsigned int i = 0; i < c->nr; i++)
		uvfio_close_end(c->fds[i]);
	free(c->fds);
	errno = saved;
}

UVFIO_EXPORT int close_range(unsigned int first, unsigned int last,
			     int flags)
{
	struct closing_fds c = {};
	int ret;

	/* Only marking close-on-exec, or a range the kernel refuses. */
	if ((flags & CLOSE_RANGE_CLOEXEC) || first > last)
		return REAL(close_range)(first, last, flags);
	close_range_begin(first, last, &c);
	ret = REAL(close_range)(first, last, flags);
	close_range_end(&c);
	return ret;
}

UVFIO_EXPORT void closefrom(int lowfd)
{
	struct closing_fds c = {};

	close_range_begin(lowfd < 0 ? 0 : (unsigned int)lowfd, ~0u, &c);
	REAL(closefrom)(lowfd);
	close_range_end(&c);
}

/*
 * No emulated file has an llseek op (vfio device, group, container and
 * iommufd files alike), and the VFS then answers ESPIPE; the placeholder
 * memfd would answer 0.
 */
#define WRAP_LSEEK(name, off_type)					\
UVFIO_EXPORT off_type name(int fd, off_type offset, int whence)		\
{									\
	if (!uvfio_is_fd(fd))						\
		return REAL(name)(fd, offset, whence);			\
	errno = ESPIPE;							\
	return -1;							\
}

WRAP_LSEEK(lseek, off_t)
WRAP_LSEEK(lseek64, off64_t)

/*
 * WRAP_FD_CHK - the fortified read twins, whose parameters are named fd,
 * count and buflen. A count larger than the buffer goes to the real
 * function, whose check ends the program.
 */
#define WRAP_FD_CHK(name, emul, params, real_args, emul_args)		\
UVFIO_EXPORT ssize_t name params					\
{									\
	if (count > buflen || !uvfio_is_fd(fd))				\
		return REAL(name) real_args;				\
	return ret_errno(emul emul_args);				\
}

WRAP_FD_CHK(__read_chk, uvfio_read,
	    (int fd, void *buf, size_t count, size_t buflen),
	    (fd, buf, count, buflen), (fd, buf, count))
WRAP_FD_CHK(__pread_chk, uvfio_pread,
	    (int fd, void *buf, size_t count, off_t offset, size_t buflen),
	    (fd, buf, count, offset, buflen), (fd, buf, count, offset))
WRAP_FD_CHK(__pread64_chk, uvfio_pread,
	    (int fd, void *buf, size_t count, off64_t offset, size_t buflen),
	    (fd, buf, count, offset, buflen), (fd, buf, count, offset))

/*
 * Every ioctl takes at most one argument, an integer or a pointer, which the
 * kernel receives as one unsigned long in one register. Read as a pointer
 * from the varargs, it is exactly what libc's own ioctl hands the kernel, for
 * either kind; when the caller passed none, the request ignores the value.
 */
UVFIO_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	void *arg = VA_ONE(request, void *);

	if (!uvfio_is_fd(fd))
		return REAL(ioctl)(fd, request, arg);
	return (int)ret_errno(uvfio_ioctl(fd, request, arg));
}

/* mmap, mmap64: an anonymous mapping ignores the fd, as the kernel does. */
#define WRAP_MMAP(name, off_type)					\
UVFIO_EXPORT void *name(void *addr, size_t len, int prot, int flags,	\
			int fd, off_type offset)			\
{									\
	void *out;							\
	int ret;							\
									\
	if ((flags & MAP_ANONYMOUS) || !uvfio_is_fd(fd))		\
		return REAL(name)(addr, len, prot, flags, fd, offset);	\
	ret = uvfio_mmap(addr, len, prot, flags, fd, offset, &out);	\
	if (ret < 0) {							\
		errno = -ret;						\
		return MAP_FAILED;					\
	}								\
	return out;							\
}

WRAP_MMAP(mmap, off_t)
WRAP_MMAP(mmap64, off64_t)

/*
 * munmap passes through: what uvfio_mmap() returns is an ordinary mapping
 * that the library made with the real mmap, and it keeps no per-mapping
 * state, so the kernel unmaps it, whole or in part, like any other. If BARs
 * are ever trapped (PROT_NONE plus fault decoding), this is where the range
 * must be forgotten before the kernel can reuse it.
 */
UVFIO_EXPORT int munmap(void *addr, size_t len)
{
	return REAL(munmap)(addr, len);
}

/*
 * The dup family runs the real call whether or not @oldfd is ours: each
 * emulated file sits behind a real placeholder fd, so the kernel picks the
 * number, applies O_CLOEXEC and closes what @newfd was. uvfio_dup_done()
 * then makes the fd table agree, which matters for a non-emulated oldfd
 * too when newfd was an emulated fd that the call just closed. @params
 * names the source fd "oldfd".
 */
#define WRAP_DUP(name, params, args)					\
UVFIO_EXPORT int name params						\
{									\
	int ret = REAL(name) args;					\
									\
	if (ret >= 0)							\
		uvfio_dup_done(oldfd, ret);				\
	return ret;							\
}

WRAP_DUP(dup, (int oldfd), (oldfd))
WRAP_DUP(dup2, (int oldfd, int newfd), (oldfd, newfd))
WRAP_DUP(dup3, (int oldfd, int newfd, int flags), (oldfd, newfd, flags))

enum fcntl_arg {
	FCNTL_ARG_NONE,
	FCNTL_ARG_INT,
	FCNTL_ARG_PTR,
};

/*
 * What fcntl's third argument is for @cmd. A command we do not know is read
 * as a pointer, which is what glibc's fcntl does for every command: a long
 * read from an int slot still carries the int the kernel looks at.
 */
static enum fcntl_arg fcntl_arg_type(int cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return FCNTL_ARG_NONE;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETFD:
	case F_SETFL:
	case F_SETOWN:
	case F_SETSIG:
	case F_SETLEASE:
	case F_NOTIFY:
	case F_SETPIPE_SZ:
	case F_ADD_SEALS:
		return FCNTL_ARG_INT;
	default:
		return FCNTL_ARG_PTR;
	}
}

/*
 * fcntl, and fcntl64, which programs built with _FILE_OFFSET_BITS=64 call
 * instead since glibc 2.28. Only F_DUPFD and F_DUPFD_CLOEXEC concern the
 * emulation; they are dups (see WRAP_DUP).
 */
#define WRAP_FCNTL(name)						\
UVFIO_EXPORT int name(int fd, int cmd, ...)				\
{									\
	int ret;							\
									\
	switch (fcntl_arg_type(cmd)) {					\
	case FCNTL_ARG_NONE:						\
		return REAL(name)(fd, cmd);				\
	case FCNTL_ARG_PTR:						\
		return REAL(name)(fd, cmd, VA_ONE(cmd, void *));	\
	default:							\
		break;							\
	}								\
	ret = REAL(name)(fd, cmd, VA_ONE(cmd, int));			\
	if (ret >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))	\
		uvfio_dup_done(fd, ret);				\
	return ret;							\
}

WRAP_FCNTL(fcntl)
WRAP_FCNTL(fcntl64)
