/* SPDX-License-Identifier: MIT */
/*
 * The real libc functions behind the interposer's wrappers.
 *
 * Every wrapper that passes a call on, and every file operation the preload
 * does for itself, calls libc through one struct of typed pointers, resolved
 * with dlsym(RTLD_NEXT, ...). RTLD_NEXT (rather than dlopen("libc.so.6"))
 * finds the next definition in the lookup order, so another preload loaded
 * after ours stays in the chain.
 *
 * The types are the native ABI's, so that stat and stat64 are different
 * functions here: the files that include this header must be compiled with
 * _FILE_OFFSET_BITS and _TIME_BITS undefined (they #undef them first).
 */
#ifndef UVFIO_INTERPOSE_REAL_H
#define UVFIO_INTERPOSE_REAL_H

#ifdef __USE_FILE_OFFSET64
#error "real.h needs the native stat/off_t ABI: #undef _FILE_OFFSET_BITS first"
#endif

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * X(return type, name, parameter types) for each libc function we wrap or
 * call for ourselves. The list is the single place to add a symbol.
 */
#define REAL_LIBC_FUNCS(X)						\
	X(int, open, (const char *, int, ...))				\
	X(int, open64, (const char *, int, ...))			\
	X(int, __open_2, (const char *, int))				\
	X(int, __open64_2, (const char *, int))				\
	X(int, openat, (int, const char *, int, ...))			\
	X(int, openat64, (int, const char *, int, ...))			\
	X(int, __openat_2, (int, const char *, int))			\
	X(int, __openat64_2, (int, const char *, int))			\
	X(FILE *, fopen, (const char *, const char *))			\
	X(FILE *, fopen64, (const char *, const char *))		\
	X(int, stat, (const char *, struct stat *))			\
	X(int, stat64, (const char *, struct stat64 *))			\
	X(int, lstat, (const char *, struct stat *))			\
	X(int, lstat64, (const char *, struct stat64 *))		\
	X(int, fstat, (int, struct stat *))				\
	X(int, fstat64, (int, struct stat64 *))				\
	X(int, fstatat, (int, const char *, struct stat *, int))	\
	X(int, fstatat64, (int, const char *, struct stat64 *, int))	\
	X(int, __xstat, (int, const char *, struct stat *))		\
	X(int, __xstat64, (int, const char *, struct stat64 *))		\
	X(int, __lxstat, (int, const char *, struct stat *))		\
	X(int, __lxstat64, (int, const char *, struct stat64 *))	\
	X(int, __fxstat, (int, int, struct stat *))			\
	X(int, __fxstat64, (int, int, struct stat64 *))			\
	X(int, __fxstatat, (int, int, const char *, struct stat *, int)) \
	X(int, __fxstatat64,						\
	  (int, int, const char *, struct stat64 *, int))		\
	X(int, statx,							\
	  (int, const char *, int, unsigned int, struct statx *))	\
	X(ssize_t, readlink, (const char *, char *, size_t))		\
	X(ssize_t, readlinkat, (int, const char *, char *, size_t))	\
	X(ssize_t, __readlink_chk, (const char *, char *, size_t, size_t)) \
	X(ssize_t, __readlinkat_chk,					\
	  (int, const char *, char *, size_t, size_t))			\
	X(DIR *, opendir, (const char *))				\
	X(struct dirent *, readdir, (DIR *))				\
	X(int, closedir, (DIR *))					\
	X(struct dirent64 *, readdir64, (DIR *))			\
	X(int, access, (const char *, int))				\
	X(int, faccessat, (int, const char *, int, int))		\
	X(ssize_t, getxattr, (const char *, const char *, void *, size_t)) \
	X(ssize_t, lgetxattr, (const char *, const char *, void *, size_t)) \
	X(ssize_t, listxattr, (const char *, char *, size_t))		\
	X(ssize_t, llistxattr, (const char *, char *, size_t))		\
	X(int, ioctl, (int, unsigned long, ...))			\
	X(ssize_t, read, (int, void *, size_t))				\
	X(ssize_t, write, (int, const void *, size_t))			\
	X(ssize_t, pread, (int, void *, size_t, off_t))			\
	X(ssize_t, pread64, (int, void *, size_t, off64_t))		\
	X(ssize_t, pwrite, (int, const void *, size_t, off_t))		\
	X(ssize_t, pwrite64, (int, const void *, size_t, off64_t))	\
	X(ssize_t, __read_chk, (int, void *, size_t, size_t))		\
	X(ssize_t, __pread_chk, (int, void *, size_t, off_t, size_t))	\
	X(ssize_t, __pread64_chk, (int, void *, size_t, off64_t, size_t)) \
	X(void *, mmap, (void *, size_t, int, int, int, off_t))		\
	X(void *, mmap64, (void *, size_t, int, int, int, off64_t))	\
	X(int, munmap, (void *, size_t))				\
	X(int, close, (int))						\
	X(int, fclose, (FILE *))					\
	X(int, close_range, (unsigned int, unsigned int, int))		\
	X(void, closefrom, (int))					\
	X(off_t, lseek, (int, off_t, int))				\
	X(off64_t, lseek64, (int, off64_t, int))			\
	X(int, dup, (int))						\
	X(int, dup2, (int, int))					\
	X(int, dup3, (int, int, int))					\
	X(int, fcntl, (int, int, ...))					\
	X(int, fcntl64, (int, int, ...))

struct statx;

#define REAL_LIBC_MEMBER(ret, name, params)	ret (*name) params;
struct real_libc {
	REAL_LIBC_FUNCS(REAL_LIBC_MEMBER)
};
#undef REAL_LIBC_MEMBER

#pragma GCC visibility push(hidden)

/* Written once by real_libc_resolve(), read-only afterwards. */
extern struct real_libc real_libc;
extern bool real_libc_ready;

/* Fills real_libc; idempotent and thread-safe. */
void real_libc_resolve(void);
/* Reports that libc lacks @name, which a wrapper needs, and aborts. */
__attribute__((noreturn)) void real_libc_missing(const char *name);

#pragma GCC visibility pop

static inline const struct real_libc *real_libc_get(void)
{
	/*
	 * The constructor in real.c resolves everything, but another
	 * library's constructor can call a wrapper before ours has run.
	 * Paired with the release store at the end of the resolve.
	 */
	if (__builtin_expect(!__atomic_load_n(&real_libc_ready,
					      __ATOMIC_ACQUIRE), 0))
		real_libc_resolve();
	return &real_libc;
}

/*
 * REAL(fn) - the real libc @fn, typed. A symbol the running libc does not
 * have is only fatal when a call actually needs it (fcntl64 first appeared
 * in glibc 2.28, and the __xstat family may go one day).
 */
#define REAL(fn) ({							\
	const struct real_libc *real__ = real_libc_get();		\
	if (__builtin_expect(!real__->fn, 0))				\
		real_libc_missing(#fn);					\
	real__->fn;							\
})

#endif /* UVFIO_INTERPOSE_REAL_H */
