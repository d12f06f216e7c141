// SPDX-License-Identifier: MIT
/*
 * Device DMA through the emulated IOMMU, driven only through the public
 * API (<uvfio/uvfio.h>, <uvfio/dma.h>) without the interposer: an edu is
 * bound through its cdev, attached to an IOAS, and then reads and writes
 * the test's own buffers at the IOVAs it mapped. Everything outside a
 * mapping, or a write to a read-only one, must fault without touching
 * memory, and be counted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

#include "harness.h"
#include <uvfio/dma.h>
#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>
#include <uvfio/uvfio.h>

#define PAGE	4096UL
#define IOVA	0x100000ULL

struct env {
	int iommufd, devfd;
	uint32_t ioas, devid, hwpt;
	struct uvfio_device *dev;
};

/* An edu bound and attached to a fresh IOAS, like a VFIO program's setup. */
static void env_setup(struct env *e, uint32_t hwpt_flags)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_hwpt_alloc hwpt = { .size = sizeof(hwpt) };
	char path[64];
	int index = uvfio_device_add("edu");

	ASSERT_TRUE(index >= 0);
	e->dev = uvfio_device_by_index(index);
	ASSERT_TRUE(e->dev != NULL);
	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", index);
	e->iommufd = uvfio_open("/dev/iommu", O_RDWR);
	e->devfd = uvfio_open(path, O_RDWR);
	ASSERT_TRUE(e->iommufd >= 0 && e->devfd >= 0);
	ASSERT_EQ(0, uvfio_ioctl(e->iommufd, IOMMU_IOAS_ALLOC, &alloc));
	e->ioas = alloc.out_ioas_id;
	bind.iommufd = e->iommufd;
	ASSERT_EQ(0, uvfio_ioctl(e->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind));
	e->devid = bind.out_devid;
	attach.pt_id = e->ioas;
	if (hwpt_flags) {
		hwpt.flags = hwpt_flags;
		hwpt.dev_id = e->devid;
		hwpt.pt_id = e->ioas;
		ASSERT_EQ(0, uvfio_ioctl(e->iommufd, IOMMU_HWPT_ALLOC, &hwpt));
		attach.pt_id = hwpt.out_hwpt_id;
	}
	ASSERT_EQ(0, uvfio_ioctl(e->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
				 &attach));
	e->hwpt = attach.pt_id;
}

static long env_map(struct env *e, void *buf, size_t len, uint64_t iova,
		    uint32_t flags)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = flags | IOMMU_IOAS_MAP_FIXED_IOVA,
		.ioas_id = e->ioas,
		.user_va = (uintptr_t)buf,
		.length = len,
		.iova = iova,
	};

	return uvfio_ioctl(e->iommufd, IOMMU_IOAS_MAP, &map);
}

static long env_unmap(struct env *e, uint64_t iova, uint64_t len)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = e->ioas,
		.iova = iova,
		.length = len,
	};

	return uvfio_ioctl(e->iommufd, IOMMU_IOAS_UNMAP, &unmap);
}

static void *buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

#define RW	(IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

TEST(dma, edu, write_then_read_through_the_mapping)
{
	char *buf = buffer(4 * PAGE), out[64];
	struct env e;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, 4 * PAGE, IOVA, RW));
	/* The device writes at an IOVA; the program sees it in its buffer. */
	ASSERT_EQ(0, uvfio_dma_write(e.dev, IOVA + PAGE + 10, "hello, dma", 11));
	EXPECT_EQ(0, strcmp(buf + PAGE + 10, "hello, dma"));
	/* The program writes; the device reads it back through the IOMMU. */
	strcpy(buf + 3 * PAGE - 4, "across a page");
	ASSERT_EQ(0, uvfio_dma_read(e.dev, IOVA + 3 * PAGE - 4, out, 14));
	EXPECT_EQ(0, strcmp(out, "across a page"));
	EXPECT_EQ(0, uvfio_dma_faults(e.dev));
}

TEST(dma, edu, outside_every_mapping_faults_and_touches_nothing)
{
	char *buf = buffer(2 * PAGE), data[2 * PAGE];
	struct env e;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, RW));
	memset(data, 0x5a, sizeof(data));
	/* One page mapped, two written: the IOMMU faults before any byte moves. */
	EXPECT_EQ(-EFAULT, uvfio_dma_write(e.dev, IOVA, data, 2 * PAGE));
	EXPECT_EQ(0, buf[0]);
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, IOVA - PAGE, data, 8));
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, 0xfee00000, data, 4));
	EXPECT_EQ(3, uvfio_dma_faults(e.dev));
}

TEST(dma, edu, write_to_read_only_mapping_faults)
{
	char *buf = buffer(PAGE), in[8];
	struct env e;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, IOMMU_IOAS_MAP_READABLE));
	EXPECT_EQ(-EFAULT, uvfio_dma_write(e.dev, IOVA, "x", 1));
	EXPECT_EQ(0, buf[0]);
	EXPECT_EQ(0, uvfio_dma_read(e.dev, IOVA, in, sizeof(in)));
	EXPECT_EQ(1, uvfio_dma_faults(e.dev));
}

TEST(dma, edu, unmapped_or_detached_device_faults)
{
	char *buf = buffer(PAGE), in[4];
	struct vfio_device_detach_iommufd_pt detach = { .argsz = sizeof(detach) };
	struct env e;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, RW));
	ASSERT_EQ(0, uvfio_dma_read(e.dev, IOVA, in, 4));
	ASSERT_EQ(0, env_unmap(&e, IOVA, PAGE));
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, IOVA, in, 4));
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, RW));
	ASSERT_EQ(0, uvfio_ioctl(e.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	/* A detached device is in the blocking domain. */
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, IOVA, in, 4));
	EXPECT_EQ(2, uvfio_dma_faults(e.dev));
}

TEST(dma, edu, client_unmapped_memory_is_efault_not_crash)
{
	char *buf = buffer(2 * PAGE), in[8];
	struct env e;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, 2 * PAGE, IOVA, RW));
	munmap(buf, PAGE);
	/* The mapping is still there; the memory is not (uaccess's EFAULT). */
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, IOVA, in, sizeof(in)));
	EXPECT_EQ(0, uvfio_dma_read(e.dev, IOVA + PAGE, in, sizeof(in)));
	/* Not an IOMMU fault: the IOMMU translated fine. */
	EXPECT_EQ(0, uvfio_dma_faults(e.dev));
}

TEST(dma, edu, pin_gives_host_pointers_across_mappings)
{
	char *buf = buffer(4 * PAGE);
	struct uvfio_dma_segment segs[4];
	struct uvfio_dma_pin *pin = NULL;
	struct env e;

	env_setup(&e, 0);
	/* Two mappings adjacent in IOVA, not in host memory. */
	ASSERT_EQ(0, env_map(&e, buf + 2 * PAGE, PAGE, IOVA, RW));
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA + PAGE, RW));
	ASSERT_EQ(2, uvfio_dma_pin(e.dev, IOVA + 100, PAGE, UVFIO_DMA_WRITE,
				   segs, 4, &pin));
	EXPECT_TRUE(segs[0].addr == buf + 2 * PAGE + 100);
	EXPECT_EQ(PAGE - 100, segs[0].len);
	EXPECT_TRUE(segs[1].addr == buf);
	EXPECT_EQ(100, segs[1].len);
	EXPECT_EQ(-E2BIG, uvfio_dma_pin(e.dev, IOVA, 2 * PAGE, UVFIO_DMA_READ,
					segs, 1, &pin));
	uvfio_dma_unpin(pin);
	/* A pin outside the mappings is a fault like any DMA. */
	EXPECT_EQ(-EFAULT, uvfio_dma_pin(e.dev, IOVA, 3 * PAGE, UVFIO_DMA_READ,
					 segs, 4, &pin));
	EXPECT_EQ(1, uvfio_dma_faults(e.dev));
}

struct unpinner {
	struct uvfio_dma_pin *pin;
	int delay_ms;
};

static void *unpin_later(void *arg)
{
	struct unpinner *u = arg;
	struct timespec ts = { 0, u->delay_ms * 1000000L };

	nanosleep(&ts, NULL);
	uvfio_dma_unpin(u->pin);
	return NULL;
}

TEST(dma, edu, unmap_waits_for_pin_then_edeadlock_if_held)
{
	char *buf = buffer(PAGE);
	struct uvfio_dma_segment seg;
	struct unpinner u = { .delay_ms = 100 };
	struct env e;
	pthread_t t;
	struct timespec a, b;

	env_setup(&e, 0);
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, RW));
	ASSERT_EQ(1, uvfio_dma_pin(e.dev, IOVA, PAGE, UVFIO_DMA_READ, &seg, 1,
				   &u.pin));
	/* io_pagetable.c:iopt_unmap_iova_range: the pin holder is asked to
	 * let go and the unmap retries; ours lets go after 100 ms. */
	pthread_create(&t, NULL, unpin_later, &u);
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_EQ(0, env_unmap(&e, IOVA, PAGE));
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	EXPECT_TRUE((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 >= 90);

	/* A holder that never lets go: the kernel's WARN path, EDEADLOCK. */
	ASSERT_EQ(0, env_map(&e, buf, PAGE, IOVA, RW));
	ASSERT_EQ(1, uvfio_dma_pin(e.dev, IOVA, PAGE, UVFIO_DMA_READ, &seg, 1,
				   &u.pin));
	EXPECT_EQ(-EDEADLOCK, env_unmap(&e, IOVA, PAGE));
	uvfio_dma_unpin(u.pin);
	EXPECT_EQ(0, env_unmap(&e, IOVA, PAGE));
}

TEST(dma, edu, dirty_tracking_marks_device_writes)
{
	struct iommu_hwpt_set_dirty_tracking set = {
		.size = sizeof(set), .flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE,
	};
	struct iommu_hwpt_get_dirty_bitmap get = { .size = sizeof(get) };
	char *buf = buffer(16 * PAGE);
	uint64_t bitmap[1] = { 0 };
	struct env e;

	env_setup(&e, IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
	ASSERT_EQ(0, env_map(&e, buf, 16 * PAGE, IOVA, RW));
	set.hwpt_id = e.hwpt;
	ASSERT_EQ(0, uvfio_ioctl(e.iommufd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	ASSERT_EQ(0, uvfio_dma_write(e.dev, IOVA + 3 * PAGE + 5, "ab", 2));
	ASSERT_EQ(0, uvfio_dma_write(e.dev, IOVA + 8 * PAGE - 1, "cd", 2));
	ASSERT_EQ(0, uvfio_dma_read(e.dev, IOVA + 12 * PAGE, bitmap, 1));
	get.hwpt_id = e.hwpt;
	get.iova = IOVA;
	get.length = 16 * PAGE;
	get.page_size = PAGE;
	get.data = (uintptr_t)bitmap;
	ASSERT_EQ(0, uvfio_ioctl(e.iommufd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	/* Pages 3, 7 and 8 were written; a read dirties nothing. */
	EXPECT_EQ((1ULL << 3) | (1ULL << 7) | (1ULL << 8), bitmap[0]);
	/* Read-and-clear: the next report is empty. */
	bitmap[0] = 0;
	ASSERT_EQ(0, uvfio_ioctl(e.iommufd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	EXPECT_EQ(0, bitmap[0]);
}

/* Drops CAP_IPC_LOCK, so that pinned pages count against RLIMIT_MEMLOCK. */
static void drop_ipc_lock(void)
{
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } data[2];

	ASSERT_EQ(0, syscall(SYS_capget, &hdr, data));
	data[0].eff &= ~(1u << 14);
	ASSERT_EQ(0, syscall(SYS_capset, &hdr, data));
}

TEST(dma, edu, pinned_pages_count_against_rlimit_memlock)
{
	struct rlimit lim = { 8 * PAGE, 8 * PAGE };
	char *buf = buffer(16 * PAGE);
	struct env e;

	drop_ipc_lock();
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &lim));
	env_setup(&e, 0);
	/* With a domain attached every map pins (pages.c accounting). */
	ASSERT_EQ(0, env_map(&e, buf, 6 * PAGE, IOVA, RW));
	EXPECT_EQ(-ENOMEM, env_map(&e, buf + 6 * PAGE, 4 * PAGE, IOVA + 6 * PAGE, RW));
	ASSERT_EQ(0, env_map(&e, buf + 6 * PAGE, 2 * PAGE, IOVA + 6 * PAGE, RW));
	/* Unmapping gives the budget back. */
	ASSERT_EQ(0, env_unmap(&e, IOVA, 6 * PAGE));
	EXPECT_EQ(0, env_map(&e, buf + 8 * PAGE, 4 * PAGE, IOVA + 8 * PAGE, RW));
}

TEST(dma, edu, memfd_mapping_reached_by_dma)
{
	struct iommu_ioas_map_file map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | RW,
		.length = PAGE,
		.iova = IOVA,
		.start = PAGE,
	};
	int mfd = memfd_create("dma", 0);
	char got[6] = "";
	struct env e;

	ASSERT_EQ(0, ftruncate(mfd, 2 * PAGE));
	ASSERT_EQ(5, pwrite(mfd, "file!", 5, PAGE + 8));
	env_setup(&e, 0);
	map.ioas_id = e.ioas;
	map.fd = mfd;
	ASSERT_EQ(0, uvfio_ioctl(e.iommufd, IOMMU_IOAS_MAP_FILE, &map));
	ASSERT_EQ(0, uvfio_dma_read(e.dev, IOVA + 8, got, 5));
	EXPECT_EQ(0, strcmp(got, "file!"));
	ASSERT_EQ(0, uvfio_dma_write(e.dev, IOVA + 100, "back", 4));
	ASSERT_EQ(4, pread(mfd, got, 4, PAGE + 100));
	EXPECT_EQ(0, memcmp(got, "back", 4));
	/* The file's mapping is ours: the IOVA range still ends at its end. */
	EXPECT_EQ(-EFAULT, uvfio_dma_read(e.dev, IOVA + PAGE - 2, got, 4));
}
