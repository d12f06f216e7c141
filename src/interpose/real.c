// SPDX-License-Identifier: MIT
/*
 * Resolving the real libc functions once, for the whole preload.
 */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "real.h"

struct real_libc real_libc;
bool real_libc_ready;

static pthread_once_t real_libc_once = PTHREAD_ONCE_INIT;

/*
 * A symbol missing here stays NULL; REAL() reports it if a call needs it.
 * dlsym() does not call any function we wrap, so this cannot recurse.
 */
static void real_libc_lookup(void)
{
#define REAL_LIBC_LOOKUP(ret, name, params)				\
	real_libc.name = (ret (*) params)dlsym(RTLD_NEXT, #name);
	REAL_LIBC_FUNCS(REAL_LIBC_LOOKUP)
#undef REAL_LIBC_LOOKUP
	/* Paired with the acquire load in real_libc_get(). */
	__atomic_store_n(&real_libc_ready, true, __ATOMIC_RELEASE);
}

void real_libc_resolve(void)
{
	pthread_once(&real_libc_once, real_libc_lookup);
}

void real_libc_missing(const char *name)
{
	/* stdio writes through libc's internal write, not our wrapper. */
	fprintf(stderr, "uvfio: libc has no %s, which the interposer needs\n",
		name);
	abort();
}

/* First of the preload's constructors: preload.c's setup relies on it. */
__attribute__((constructor(101))) static void real_libc_init(void)
{
	real_libc_resolve();
}
