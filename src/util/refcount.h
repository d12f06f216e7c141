/* SPDX-License-Identifier: MIT */
/* Atomic reference counts: the last put says so, and its caller frees. */
#ifndef UVFIO_UTIL_REFCOUNT_H
#define UVFIO_UTIL_REFCOUNT_H

#include <stdbool.h>

typedef struct {
	long refs;	/* atomic; acq_rel on every change */
} refcount_t;

static inline void refcount_set(refcount_t *r, long n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

static inline long refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_ACQUIRE);
}

static inline void refcount_inc(refcount_t *r)
{
	__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
}

/* Takes a reference unless the count already reached zero. */
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	long old = __atomic_load_n(&r->refs, __ATOMIC_RELAXED);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, true,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

/* True when this put dropped the last reference. */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	return __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0;
}

#endif /* UVFIO_UTIL_REFCOUNT_H */
