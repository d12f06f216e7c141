/* SPDX-License-Identifier: MIT */
/*
 * A mutex that knows its owner, so that functions documented as "caller holds
 * X" can say so with lockdep_assert_held(), as the kernel's do.
 */
#ifndef UVFIO_UTIL_MUTEX_H
#define UVFIO_UTIL_MUTEX_H

#include <assert.h>
#include <pthread.h>

struct mutex {
	pthread_mutex_t lock;
	pthread_t owner;	/* written only by the holder; read relaxed */
	int held;		/* 1 while locked; written only by the holder */
};

#define MUTEX_INITIALIZER { .lock = PTHREAD_MUTEX_INITIALIZER }

static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
	m->held = 0;
}

static inline void mutex_destroy(struct mutex *m)
{
	pthread_mutex_destroy(&m->lock);
}

static inline void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
	__atomic_store_n(&m->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&m->held, 1, __ATOMIC_RELAXED);
}

static inline void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->held, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&m->lock);
}

static inline int mutex_held_by_me(struct mutex *m)
{
	return __atomic_load_n(&m->held, __ATOMIC_RELAXED) &&
	       pthread_equal(__atomic_load_n(&m->owner, __ATOMIC_RELAXED),
			     pthread_self());
}

#define lockdep_assert_held(m)	assert(mutex_held_by_me(m))

#endif /* UVFIO_UTIL_MUTEX_H */
