// SPDX-License-Identifier: MIT
/* Client memory access with the kernel's EFAULT semantics; see uaccess.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uaccess.h"

static pid_t self_pid;		/* written at init and in the atfork child */
static int vm_copy_broken;	/* set once if process_vm_* cannot work */

static pid_t uaccess_pid(void)
{
	pid_t pid = __atomic_load_n(&self_pid, __ATOMIC_RELAXED);

	if (unlikely(!pid)) {
		pid = (pid_t)syscall(SYS_getpid);
		__atomic_store_n(&self_pid, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

void uaccess_atfork_child(void)
{
	__atomic_store_n(&self_pid, (pid_t)syscall(SYS_getpid),
			 __ATOMIC_RELAXED);
}

static void vm_copy_give_up(int err)
{
	if (!__atomic_exchange_n(&vm_copy_broken, 1, __ATOMIC_RELAXED))
		fprintf(stderr,
			"uvfio: process_vm_readv unavailable (%s): bad client pointers will crash instead of EFAULT\n",
			strerror(err));
}

/* Returns 0, -EFAULT, or 1 when the caller must fall back to memcpy. */
static int vm_copy(void *to, const void *from, size_t n, bool to_client)
{
	struct iovec local, remote;
	ssize_t done;
	int saved = errno;

	if (!n)
		return 0;
	if (__atomic_load_n(&vm_copy_broken, __ATOMIC_RELAXED))
		return 1;
	if (to_client) {
		local.iov_base = (void *)from;
		remote.iov_base = to;
	} else {
		local.iov_base = to;
		remote.iov_base = (void *)from;
	}
	local.iov_len = remote.iov_len = n;
	if (to_client)
		done = process_vm_writev(uaccess_pid(), &local, 1, &remote, 1,
					 0);
	else
		done = process_vm_readv(uaccess_pid(), &local, 1, &remote, 1,
					0);
	if (done < 0 && (errno == ENOSYS || errno == EPERM)) {
		vm_copy_give_up(errno);
		errno = saved;
		return 1;
	}
	errno = saved;
	return done == (ssize_t)n ? 0 : -EFAULT;
}

/* This thread's stack, learnt once; a failed lookup leaves it empty. */
static __thread uintptr_t stack_lo, stack_hi;
static __thread bool stack_known;

/*
 * Whether [p, p + n) lies in the live part of this thread's stack: between
 * our own frame and the stack's top, all of it mapped, read-write memory.
 * Most ioctl structs live there, so they skip the two syscalls of the
 * checked copy. Code running on a stack of its own (a coroutine, a signal
 * stack) finds our frame outside the thread's stack and takes the slow path.
 */
static bool on_live_stack(const void *p, size_t n)
{
	uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
	uintptr_t a = (uintptr_t)p;

	if (unlikely(!stack_known)) {
		pthread_attr_t attr;
		void *addr;
		size_t size;
		int saved = errno;

		stack_known = true;
		if (!pthread_getattr_np(pthread_self(), &attr)) {
			if (!pthread_attr_getstack(&attr, &addr, &size)) {
				stack_lo = (uintptr_t)addr;
				stack_hi = (uintptr_t)addr + size;
			}
			pthread_attr_destroy(&attr);
		}
		errno = saved;
	}
	return frame >= stack_lo && frame < stack_hi && a >= frame &&
	       a < stack_hi && n <= stack_hi - a;
}

int copy_from_user(void *to, const void __user *from, size_t n)
{
	int ret;

	if (on_live_stack(from, n)) {
		memcpy(to, from, n);
		return 0;
	}
	ret = vm_copy(to, from, n, false);

	if (ret == 1) {
		memcpy(to, from, n);
		ret = 0;
	}
	return ret;
}

int copy_to_user(void __user *to, const void *from, size_t n)
{
	int ret;

	if (on_live_stack(to, n)) {
		memcpy(to, from, n);
		return 0;
	}
	ret = vm_copy(to, from, n, true);

	if (ret == 1) {
		memcpy(to, from, n);
		ret = 0;
	}
	return ret;
}

/*
 * Reads in pieces that never cross a page, so a non-zero byte before an
 * unmapped page is found (E2BIG) before the hole (EFAULT), as the kernel's
 * word-by-word check finds it.
 */
int check_zeroed_user(const void __user *from, size_t size)
{
	const size_t page = 4096;
	const char *p = from;
	char buf[256];

	while (size) {
		size_t chunk = min_t(size_t, size, sizeof(buf));

		chunk = min_t(size_t, chunk,
			      page - ((uintptr_t)p & (page - 1)));
		int ret;

		ret = copy_from_user(buf, p, chunk);
		if (ret)
			return ret;
		for (size_t i = 0; i < chunk; i++)
			if (buf[i])
				return 0;
		p += chunk;
		size -= chunk;
	}
	return 1;
}

int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
			  size_t usize)
{
	size_t size = min_t(size_t, ksize, usize);
	int ret;

	if (usize < ksize) {
		memset((char *)dst + size, 0, ksize - size);
	} else if (usize > ksize) {
		ret = check_zeroed_user((const char *)src + ksize,
					usize - ksize);
		if (ret <= 0)
			return ret ?: -E2BIG;
	}
	return copy_from_user(dst, src, size);
}

/*
 * Reads byte runs that never cross a page, so a string that ends just before
 * an unmapped page is read whole, as the kernel's strnlen_user() reads it.
 */
char *strndup_user(const char __user *s, size_t n)
{
	const size_t page = 4096;
	const char *p = s;
	size_t len = 0;
	char *buf;

	buf = malloc(n);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	while (len < n) {
		size_t chunk = page - ((uintptr_t)(p + len) & (page - 1));
		char *nul;

		chunk = min_t(size_t, chunk, n - len);
		if (copy_from_user(buf + len, p + len, chunk)) {
			free(buf);
			return ERR_PTR(-EFAULT);
		}
		nul = memchr(buf + len, '\0', chunk);
		if (nul)
			return buf;
		len += chunk;
	}
	free(buf);
	return ERR_PTR(-EINVAL);
}
