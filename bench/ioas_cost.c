// SPDX-License-Identifier: MIT
/*
 * What the IOAS costs, in one run (the machine is shared and noisy: compare
 * the ratios, not the ns). Links libuvfio.a and runs directly, without the
 * interposer (bench/run.sh), because translation has no syscall of its own.
 *
 *   engine at N   map, unmap and translate of one page on an io_pagetable
 *                 that holds N mappings: the AVL tree makes each O(log N);
 *                 auto+unm maps 2 pages at an automatic IOVA where every
 *                 hole is 1 page (the hole summaries skip them), and unmaps
 *   uAPI at N     IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP through uvfio_ioctl(),
 *                 the whole ioctl path (argument copies included)
 *   DMA           uvfio_dma_read()/write() of a buffer through the IOMMU,
 *                 against memcpy() of the same size
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "iommufd/io_pagetable.h"
#include <uvfio/dma.h>
#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>
#include <uvfio/uvfio.h>

#define PG		4096ULL
#define OPS		200000
#define UVA_BASE	0x100000000ULL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Mapping k sits at IOVA (2k + 1) pages, so every odd slot is a hole. */
static void bench_engine(u64 n)
{
	struct io_pagetable iopt;
	double t, build, map = 0, unmap = 0, xlate, automap;
	volatile uintptr_t sink = 0;
	u64 iova, bytes;

	iopt_init_table(&iopt, IOPT_PAGES_ACCOUNT_NONE);
	t = now_ns();
	for (u64 k = 0; k < n; k++) {
		iova = (2 * k + 1) * PG;
		if (iopt_map_user_pages(&iopt, &iova, UVA_BASE + k * PG, PG,
					IOPT_READ | IOPT_WRITE, 0))
			abort();
	}
	build = (now_ns() - t) / n;

	/* Map into a random hole, then unmap it: the table stays at n. */
	for (int i = 0; i < OPS; i++) {
		u64 hole = 2 * (rnd() % n) + 2;
		double t0;

		iova = hole * PG;
		t0 = now_ns();
		if (iopt_map_user_pages(&iopt, &iova, UVA_BASE, PG, IOPT_READ,
					0))
			abort();
		t = now_ns();
		map += t - t0;
		if (iopt_unmap_iova(&iopt, iova, PG, &bytes) || bytes != PG)
			abort();
		unmap += now_ns() - t;
	}

	/* Automatic IOVA, 2 pages: every hole between areas is 1 page. */
	t = now_ns();
	for (int i = 0; i < OPS / 10; i++) {
		if (iopt_map_user_pages(&iopt, &iova, UVA_BASE, 2 * PG,
					IOPT_READ, IOPT_ALLOC_IOVA) ||
		    iopt_unmap_iova(&iopt, iova, 2 * PG, &bytes))
			abort();
	}
	automap = (now_ns() - t) / (OPS / 10);

	t = now_ns();
	for (int i = 0; i < OPS; i++) {
		struct iopt_area *area;

		iova = (2 * (rnd() % n) + 1) * PG + 8;
		iopt_read_lock(&iopt);
		area = __iopt_area_find(&iopt, iova);
		sink += iopt_area_uva(area, iova);
		iopt_read_unlock(&iopt);
	}
	xlate = (now_ns() - t) / OPS;

	printf("%-16s %9llu %9.0f %9.0f %9.0f %9.0f %9.0f %6d\n", "engine",
	       (unsigned long long)n, build, map / OPS, unmap / OPS, xlate,
	       automap, iopt.root->height);
	iopt_unmap_all(&iopt, &bytes);
	iopt_destroy_table(&iopt);
}

struct env {
	int iommufd, devfd;
	uint32_t ioas;
	struct uvfio_device *dev;
};

static void env_setup(struct env *e)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	int index = uvfio_device_add("edu");
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", index);
	e->dev = uvfio_device_by_index(index);
	e->iommufd = uvfio_open("/dev/iommu", O_RDWR);
	e->devfd = uvfio_open(path, O_RDWR);
	if (!e->dev || e->iommufd < 0 || e->devfd < 0 ||
	    uvfio_ioctl(e->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		abort();
	e->ioas = alloc.out_ioas_id;
	bind.iommufd = e->iommufd;
	if (uvfio_ioctl(e->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		abort();
	attach.pt_id = e->ioas;
	if (uvfio_ioctl(e->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		abort();
}

static long env_map(struct env *e, void *buf, u64 len, u64 iova)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = e->ioas,
		.user_va = (uintptr_t)buf,
		.length = len,
		.iova = iova,
	};

	return uvfio_ioctl(e->iommufd, IOMMU_IOAS_MAP, &map);
}

static long env_unmap(struct env *e, u64 iova, u64 len)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = e->ioas,
		.iova = iova,
		.length = len,
	};

	return uvfio_ioctl(e->iommufd, IOMMU_IOAS_UNMAP, &unmap);
}

/* The ioctl path with a device attached (so every map pins). */
static void bench_uapi(struct env *e, char *mem, u64 n)
{
	const int ops = 20000;
	double map = 0, unmap = 0, t;

	for (u64 k = 0; k < n; k++)
		if (env_map(e, mem + (k % 256) * PG, PG, (2 * k + 1) * PG))
			abort();
	for (int i = 0; i < ops; i++) {
		u64 iova = (2 * (rnd() % n) + 2) * PG;
		double t0 = now_ns();

		if (env_map(e, mem, PG, iova))
			abort();
		t = now_ns();
		map += t - t0;
		if (env_unmap(e, iova, PG))
			abort();
		unmap += now_ns() - t;
	}
	printf("%-16s %9llu %9s %9.0f %9.0f\n", "uAPI (ioctl)",
	       (unsigned long long)n, "", map / ops, unmap / ops);
	env_unmap(e, 0, UINT64_MAX);
}

static void bench_dma(struct env *e)
{
	static const size_t sizes[] = { 64, 4096, 65536, 1 << 20 };
	const size_t total = 1 << 20;
	char *mem = mmap(NULL, 2 * total, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	char *dev_buf = malloc(total);
	const u64 iova = 0x40000000;

	if (mem == MAP_FAILED || !dev_buf || env_map(e, mem, total, iova))
		abort();
	memset(dev_buf, 1, total);
	printf("\n%-16s %9s %9s %9s %9s\n", "DMA (MB/s)", "size", "read",
	       "write", "memcpy");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t len = sizes[s];
		long iters = (long)((256ULL << 20) / len);
		double t, rd, wr, cp;

		if (iters > 200000)
			iters = 200000;
		t = now_ns();
		for (long i = 0; i < iters; i++)
			if (uvfio_dma_read(e->dev, iova + (i * len) % total,
					   dev_buf, len))
				abort();
		rd = (now_ns() - t);
		t = now_ns();
		for (long i = 0; i < iters; i++)
			if (uvfio_dma_write(e->dev, iova + (i * len) % total,
					    dev_buf, len))
				abort();
		wr = (now_ns() - t);
		t = now_ns();
		for (long i = 0; i < iters; i++) {
			memcpy(dev_buf, mem + (i * len) % total, len);
			__asm__ volatile("" ::: "memory");
		}
		cp = (now_ns() - t);
		printf("%-16s %9zu %9.0f %9.0f %9.0f\n", "", len,
		       iters * len / rd * 1e3, iters * len / wr * 1e3,
		       iters * len / cp * 1e3);
	}
	env_unmap(e, iova, total);
	munmap(mem, 2 * total);
	free(dev_buf);
}

int main(void)
{
	static const u64 ns[] = { 1000, 10000, 100000, 1000000 };
	struct env e;
	char *mem;

	printf("%-16s %9s %9s %9s %9s %9s %9s %6s\n", "ns/op", "mappings",
	       "build", "map", "unmap", "xlate", "auto+unm", "height");
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		bench_engine(ns[i]);

	env_setup(&e);
	mem = mmap(NULL, 256 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		abort();
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]) - 1; i++)
		bench_uapi(&e, mem, ns[i]);
	bench_dma(&e);
	return 0;
}
