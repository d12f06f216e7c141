/* SPDX-License-Identifier: MIT */
/*
 * Client memory access, the only place that dereferences __user pointers.
 *
 * The kernel answers EFAULT for a bad client pointer; a userspace emulator
 * that simply dereferenced it would crash the client instead. These helpers
 * copy through process_vm_readv()/process_vm_writev() on our own pid, which
 * fail with EFAULT on unmapped or (for writes) read-only memory, exactly like
 * copy_from_user()/copy_to_user(). Where those syscalls are unavailable
 * (seccomp, old kernels) they fall back to memcpy, and say so once.
 */
#ifndef UVFIO_VFS_UACCESS_H
#define UVFIO_VFS_UACCESS_H

#include <stddef.h>
#include "../util/compiler.h"

/* Each returns 0 or -EFAULT; a failed copy may have copied a prefix. */
int __must_check copy_from_user(void *to, const void __user *from, size_t n);
int __must_check copy_to_user(void __user *to, const void *from, size_t n);

/* 1 if every byte is zero, 0 if not, -EFAULT. */
int check_zeroed_user(const void __user *from, size_t size);

/*
 * As in the kernel's include/linux/uaccess.h: a shorter client struct is
 * zero-extended; a longer one is accepted only when its tail is all zero,
 * else -E2BIG.
 */
int __must_check copy_struct_from_user(void *dst, size_t ksize,
				       const void __user *src, size_t usize);

/*
 * A NUL-terminated client string of at most @n bytes with its NUL, as the
 * kernel's strndup_user(): -EFAULT, or -EINVAL when longer. Free with free().
 */
char *strndup_user(const char __user *s, size_t n);

#define get_user(x, ptr) copy_from_user(&(x), (ptr), sizeof(x))
#define put_user(x, ptr)						\
	({								\
		__typeof__(*(ptr)) __pu_val = (x);			\
		copy_to_user((ptr), &__pu_val, sizeof(__pu_val));	\
	})

void uaccess_atfork_child(void);

#endif /* UVFIO_VFS_UACCESS_H */
