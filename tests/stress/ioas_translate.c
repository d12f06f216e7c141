// SPDX-License-Identifier: MIT
/*
 * Translations while the IOAS changes: one thread maps and unmaps pages
 * with raw IOMMU_IOAS_MAP/UNMAP calls, as a VMM does on memory hotplug,
 * while device-side threads read, write and pin through the IOMMU at the
 * same IOVAs (the device side stands in for a device model; it reaches
 * libuvfio's <uvfio/dma.h> calls through dlsym, since this program only
 * speaks raw syscalls and runs under the interposer).
 *
 * Slot i of the IOVA window only ever maps page i of one buffer, whose
 * bytes all read i. So every DMA must either fault (-EFAULT, nothing
 * mapped there at that instant, or the device detached for a moment) or
 * see exactly i: never a torn or stale
 * translation, never a crash, never another errno. The fault counter must
 * equal the faults seen. tests/run.sh runs this under ThreadSanitizer too.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "harness.h"
#include <uvfio/dma.h>
#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

#define PAGE		4096UL
#define SLOTS		32
#define IOVA		0x10000000ULL
#define NR_DEVICE	3
#define MAP_ROUNDS	20000

struct api {
	struct uvfio_device *(*by_index)(int);
	int (*read)(struct uvfio_device *, uint64_t, void *, size_t);
	int (*write)(struct uvfio_device *, uint64_t, const void *, size_t);
	int (*pin)(struct uvfio_device *, uint64_t, size_t, int,
		   struct uvfio_dma_segment *, unsigned int,
		   struct uvfio_dma_pin **);
	void (*unpin)(struct uvfio_dma_pin *);
	long (*faults)(struct uvfio_device *);
};

struct shared {
	struct api api;
	struct uvfio_device *dev;
	int iommufd;
	uint32_t ioas;
	unsigned char *buf;
	int stop;		/* relaxed atomics */
};

struct worker {
	pthread_t thread;
	struct shared *s;
	unsigned int seed;
	long ok, faults;
	const char *error;
	int errno_seen;
};

static void *device_fn(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	unsigned char data[64];

	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		unsigned int slot = rand_r(&w->seed) % SLOTS, kind;
		uint64_t iova = IOVA + slot * PAGE + rand_r(&w->seed) % (PAGE - 64);
		struct uvfio_dma_segment seg;
		struct uvfio_dma_pin *pin;
		int rc;

		kind = rand_r(&w->seed) % 3;
		if (kind == 0) {
			rc = s->api.read(s->dev, iova, data, sizeof(data));
		} else if (kind == 1) {
			memset(data, (int)slot, sizeof(data));
			rc = s->api.write(s->dev, iova, data, sizeof(data));
		} else {
			rc = s->api.pin(s->dev, iova, sizeof(data),
					UVFIO_DMA_READ, &seg, 1, &pin);
			if (rc == 1) {
				memcpy(data, seg.addr, sizeof(data));
				s->api.unpin(pin);
				rc = 0;
			}
		}
		if (rc == -EFAULT) {
			w->faults++;
			continue;
		}
		/* A pin meeting an unmap that waits for earlier pins. */
		if (rc == -EBUSY && kind == 2)
			continue;
		if (rc) {
			w->error = "unexpected errno";
			w->errno_seen = rc;
			return NULL;
		}
		for (size_t i = 0; i < sizeof(data); i++) {
			if (data[i] != slot) {
				w->error = "saw another page's bytes";
				return NULL;
			}
		}
		w->ok++;
	}
	return NULL;
}

static int map_slot(struct shared *s, unsigned int slot)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = s->ioas,
		.user_va = (uintptr_t)(s->buf + slot * PAGE),
		.length = PAGE,
		.iova = IOVA + slot * PAGE,
	};

	return ioctl(s->iommufd, IOMMU_IOAS_MAP, &map);
}

static int unmap_slot(struct shared *s, unsigned int slot)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = s->ioas,
		.iova = IOVA + slot * PAGE,
		.length = PAGE,
	};

	return ioctl(s->iommufd, IOMMU_IOAS_UNMAP, &unmap);
}

TEST(ioas, edu, translate_during_map_unmap)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct worker w[NR_DEVICE] = {};
	static struct shared s;
	bool mapped[SLOTS] = {};
	long faults = 0, ok = 0;
	unsigned int seed = 1;
	int devfd;

	s.api.by_index = dlsym(RTLD_DEFAULT, "uvfio_device_by_index");
	s.api.read = dlsym(RTLD_DEFAULT, "uvfio_dma_read");
	s.api.write = dlsym(RTLD_DEFAULT, "uvfio_dma_write");
	s.api.pin = dlsym(RTLD_DEFAULT, "uvfio_dma_pin");
	s.api.unpin = dlsym(RTLD_DEFAULT, "uvfio_dma_unpin");
	s.api.faults = dlsym(RTLD_DEFAULT, "uvfio_dma_faults");
	if (!s.api.by_index || !s.api.faults)
		SKIP("libuvfio's DMA API is not loaded (run under uvfio run)");

	s.iommufd = open("/dev/iommu", O_RDWR);
	devfd = open("/dev/vfio/devices/vfio0", O_RDWR);
	ASSERT_TRUE(s.iommufd >= 0 && devfd >= 0);
	ASSERT_OK(ioctl(s.iommufd, IOMMU_IOAS_ALLOC, &alloc));
	s.ioas = alloc.out_ioas_id;
	bind.iommufd = s.iommufd;
	ASSERT_OK(ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
	attach.pt_id = s.ioas;
	ASSERT_OK(ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	s.dev = s.api.by_index(0);
	ASSERT_TRUE(s.dev != NULL);

	s.buf = mmap(NULL, SLOTS * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(s.buf != MAP_FAILED);
	for (unsigned int i = 0; i < SLOTS; i++)
		memset(s.buf + i * PAGE, (int)i, PAGE);

	for (int i = 0; i < NR_DEVICE; i++) {
		w[i].s = &s;
		w[i].seed = 100 + i;
		pthread_create(&w[i].thread, NULL, device_fn, &w[i]);
	}
	for (int round = 0; round < MAP_ROUNDS; round++) {
		unsigned int slot = rand_r(&seed) % SLOTS;

		/* Now and then the device leaves and comes back: its DMA
		 * faults meanwhile (dma.h: vfio_dma_lock orders the two). */
		if (round % 1000 == 999) {
			struct vfio_device_detach_iommufd_pt detach = {
				.argsz = sizeof(detach),
			};

			ASSERT_OK(ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT,
					&detach));
			attach.pt_id = s.ioas;
			ASSERT_OK(ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
					&attach));
		}

		if (mapped[slot]) {
			ASSERT_OK(unmap_slot(&s, slot));
		} else {
			ASSERT_OK(map_slot(&s, slot));
		}
		mapped[slot] = !mapped[slot];
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < NR_DEVICE; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].error)
			harness_report("device thread %d: %s (%d)", i,
				       w[i].error, w[i].errno_seen);
		ASSERT_TRUE(w[i].error == NULL);
		faults += w[i].faults;
		ok += w[i].ok;
	}
	/* Every fault a device saw was counted, and only those. */
	EXPECT_EQ(faults, s.api.faults(s.dev));
	EXPECT_TRUE(ok > 0);
	close(devfd);
	close(s.iommufd);
}
