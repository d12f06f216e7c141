// SPDX-License-Identifier: MIT
/*
 * The gate under contention, through raw syscalls, as QEMU's vCPU threads
 * would hit it: several threads hammer VFIO_DEVICE_GET_INFO and a pread of
 * the config region on one cdev fd while another thread binds it.
 *
 * Each hammering thread must see only EINVAL, then only success: the gate
 * opens once and never closes (drivers/vfio/vfio_main.c, the acquire loads
 * paired with the release store in device_cdev.c). Nothing may succeed
 * before the bind began, and a success must see everything the binder wrote
 * before it started the bind (acquire/release).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "harness.h"
#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

#define CDEV		"/dev/vfio/devices/vfio0"
#define NR_THREADS	4
#define ROUNDS		20
#define CALLS_BEFORE	200	/* per thread, before the bind is issued */
#define CALLS_AFTER	200	/* per thread, after it saw success */
#define CONFIG_OFFSET	(7ULL << 40)

struct race {
	int devfd;
	int bind_started;	/* release store by the binder, acquire loads */
	unsigned long binder_cookie;	/* written before bind_started */
	int warm;		/* threads that reached CALLS_BEFORE */
};

struct hammer {
	pthread_t thread;
	struct race *race;
	unsigned int id;
	const char *error;	/* the first rule broken, or NULL */
	long errno_seen;
};

static int call_get_info(int fd, int *err)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int ret = ioctl(fd, VFIO_DEVICE_GET_INFO, &info);

	*err = ret ? errno : 0;
	if (!ret && (info.num_regions != 9 || !(info.flags & VFIO_DEVICE_FLAGS_PCI)))
		*err = -1;
	return ret;
}

static int call_pread(int fd, int *err)
{
	uint32_t id = 0;
	ssize_t ret = pread(fd, &id, sizeof(id), CONFIG_OFFSET);

	*err = ret < 0 ? errno : 0;
	if (ret >= 0 && (ret != 4 || id != 0x11e81234))
		*err = -1;
	return ret < 0 ? -1 : 0;
}

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;
	struct race *race = h->race;
	unsigned long granted_calls = 0, calls = 0;
	bool granted = false;

	while (granted_calls < CALLS_AFTER) {
		int err, ret;

		ret = (calls & 1) ? call_pread(race->devfd, &err) :
				    call_get_info(race->devfd, &err);
		if (++calls == CALLS_BEFORE)
			__atomic_add_fetch(&race->warm, 1, __ATOMIC_RELEASE);
		if (ret && err == EINVAL) {
			if (granted) {
				h->error = "EINVAL after a success: the gate closed again";
				return NULL;
			}
			continue;
		}
		if (ret || err) {
			h->error = "neither EINVAL nor a correct success";
			h->errno_seen = err;
			return NULL;
		}
		if (!granted) {
			granted = true;
			/* Paired with the release in the binder. */
			if (!__atomic_load_n(&race->bind_started,
					     __ATOMIC_ACQUIRE)) {
				h->error = "success before the bind began";
				return NULL;
			}
			if (race->binder_cookie != 0xb1d) {
				h->error = "success without the binder's writes";
				return NULL;
			}
		}
		granted_calls++;
		if (calls > 50000000UL) {
			h->error = "never granted";
			return NULL;
		}
	}
	return NULL;
}

static void run_round(int iommufd)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.iommufd = iommufd,
	};
	struct hammer hammers[NR_THREADS];
	struct race race = { .devfd = open(CDEV, O_RDWR) };

	ASSERT_TRUE(race.devfd >= 0);
	for (unsigned int i = 0; i < NR_THREADS; i++) {
		hammers[i] = (struct hammer){ .race = &race, .id = i };
		ASSERT_EQ(0, pthread_create(&hammers[i].thread, NULL,
					    hammer_fn, &hammers[i]));
	}
	/* Let every thread see the blocked fd for a while first. */
	while (__atomic_load_n(&race.warm, __ATOMIC_ACQUIRE) < NR_THREADS)
		sched_yield();

	race.binder_cookie = 0xb1d;
	__atomic_store_n(&race.bind_started, 1, __ATOMIC_RELEASE);
	ASSERT_OK(ioctl(race.devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));

	for (unsigned int i = 0; i < NR_THREADS; i++) {
		pthread_join(hammers[i].thread, NULL);
		if (hammers[i].error)
			harness_report("thread %u: %s (errno %ld)", i,
				       hammers[i].error, hammers[i].errno_seen);
		EXPECT_TRUE(!hammers[i].error);
	}
	ASSERT_OK(close(race.devfd));
}

/* One fd, NR_THREADS hammering it, one bind; ROUNDS times over. */
TEST(cdev, edu, concurrent_calls_see_einval_then_success)
{
	int iommufd = open("/dev/iommu", O_RDWR);

	ASSERT_TRUE(iommufd >= 0);
	for (int round = 0; round < ROUNDS; round++)
		run_round(iommufd);
	close(iommufd);
}

struct closer {
	int devfd;
	int stop;	/* relaxed: a stop request */
	unsigned long einval, ebadf, ok, other;	/* relaxed atomics */
};

static void *close_race_caller(void *arg)
{
	struct closer *c = arg;

	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		struct vfio_device_info info = { .argsz = sizeof(info) };

		unsigned long *counter;

		if (!ioctl(c->devfd, VFIO_DEVICE_GET_INFO, &info))
			counter = &c->ok;
		else if (errno == EBADF)
			counter = &c->ebadf;
		else if (errno == EINVAL)
			counter = &c->einval;
		else
			counter = &c->other;
		__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * close() racing calls on the same fd: every call either ran on the file
 * (success) or found the fd gone (EBADF), never a freed file. The process
 * surviving this, under ASan/TSan too, is the assertion on lifetimes.
 */
TEST(cdev, edu, close_racing_calls_never_frees_under_them)
{
	int iommufd = open("/dev/iommu", O_RDWR);

	ASSERT_TRUE(iommufd >= 0);
	for (int round = 0; round < ROUNDS; round++) {
		struct vfio_device_bind_iommufd bind = {
			.argsz = sizeof(bind), .iommufd = iommufd,
		};
		struct closer c = { .devfd = open(CDEV, O_RDWR) };
		pthread_t t;

		ASSERT_TRUE(c.devfd >= 0);
		ASSERT_OK(ioctl(c.devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
		ASSERT_EQ(0, pthread_create(&t, NULL, close_race_caller, &c));
		while (!__atomic_load_n(&c.ok, __ATOMIC_RELAXED))
			sched_yield();
		ASSERT_OK(close(c.devfd));
		/* Let the caller run into the closed fd for a while. */
		while (!__atomic_load_n(&c.ebadf, __ATOMIC_RELAXED) &&
		       !__atomic_load_n(&c.other, __ATOMIC_RELAXED))
			sched_yield();
		__atomic_store_n(&c.stop, 1, __ATOMIC_RELAXED);
		pthread_join(t, NULL);
		EXPECT_EQ(0, __atomic_load_n(&c.einval, __ATOMIC_RELAXED));
		EXPECT_EQ(0, __atomic_load_n(&c.other, __ATOMIC_RELAXED));
	}
	close(iommufd);
}
