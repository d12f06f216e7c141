/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the vfio-pci device tests (pci_*.c, edu_*.c): opening a
 * device ready for use, region and config access, SET_IRQS, eventfds and
 * DMA mappings. Raw syscalls only, as a VFIO program makes them.
 *
 * pci_open() is the one place that knows how a device fd is obtained. By
 * default it takes the cdev path (open vfioN, BIND_IOMMUFD, an IOAS,
 * ATTACH). With PCI_TEST_PATH=group in the environment, or when there is
 * no /dev/vfio/devices (a 6.1 kernel), it takes the legacy path instead:
 * container, group, SET_IOMMU(TYPE1v2), GROUP_GET_DEVICE_FD. With
 * PCI_TEST_PATH=compat the container is an iommufd (/dev/iommu) in its
 * VFIO compat role. pci_dma_map() maps memory for the device through
 * whichever the open used.
 * Include after harness.h.
 */
#ifndef UVFIO_TESTS_PCI_TEST_UTIL_H
#define UVFIO_TESTS_PCI_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

#include "harness.h"
#include "vfio_test_util.h"	/* expect_map_failed() */

#define PCI_REGION(index)	((uint64_t)(index) << VFIO_PCI_OFFSET_SHIFT)
#define PCI_CFG			PCI_REGION(VFIO_PCI_CONFIG_REGION_INDEX)

struct pci_dev {
	int devfd;
	bool group_path;
	int iommufd, container, group;	/* -1 when unused */
	uint32_t ioas_id;
};

static inline int pci_open_cdev(struct pci_dev *d, const char *cdev)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .flags = 0,
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};

	d->iommufd = open("/dev/iommu", O_RDWR);
	d->devfd = open(cdev, O_RDWR);
	if (d->iommufd < 0 || d->devfd < 0)
		return -1;
	bind.iommufd = d->iommufd;
	if (ioctl(d->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind) ||
	    ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &alloc))
		return -1;
	d->ioas_id = alloc.out_ioas_id;
	attach.pt_id = alloc.out_ioas_id;
	return ioctl(d->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
}

static inline int pci_open_group(struct pci_dev *d, const char *bdf,
				 bool compat)
{
	char link[256], path[64];
	ssize_t n;
	int id;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	id = atoi(strrchr(link, '/') + 1);
	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	d->container = open(compat ? "/dev/iommu" : "/dev/vfio/vfio", O_RDWR);
	d->group = open(path, O_RDWR);
	if (d->container < 0 || d->group < 0 ||
	    ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	d->devfd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	return d->devfd < 0 ? -1 : 0;
}

/*
 * The device at @bdf (its cdev is @cdev), opened and attached to an empty
 * IOMMU domain; stops the test on failure.
 */
static inline struct pci_dev pci_open_at(const char *bdf, const char *cdev)
{
	const char *path = getenv("PCI_TEST_PATH");
	struct pci_dev d = { .devfd = -1, .iommufd = -1, .container = -1,
			     .group = -1 };
	int ret;

	bool compat = path && !strcmp(path, "compat");

	d.group_path = compat || (path && !strcmp(path, "group")) ||
		       access("/dev/vfio/devices", F_OK);
	if (compat && access("/dev/iommu", F_OK))
		SKIP("no /dev/iommu to serve as a container (kernel before 6.2)");
	ret = d.group_path ? pci_open_group(&d, bdf, compat) :
			     pci_open_cdev(&d, cdev);
	if (ret) {
		harness_report("opening %s (%s path): %s", bdf,
			       d.group_path ? "group" : "cdev",
			       strerrorname_np(errno));
		exit(1);
	}
	return d;
}

/* The default device: QEMU's edu at 0000:00:04.0. */
static inline struct pci_dev pci_open(void)
{
	return pci_open_at("0000:00:04.0", "/dev/vfio/devices/vfio0");
}

/* Maps @len bytes at @va for the device at @iova, read and write. */
static inline int pci_dma_map(struct pci_dev *d, void *va, uint64_t iova,
			      size_t len)
{
	if (d->group_path) {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ |
				 VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)va, .iova = iova, .size = len,
		};

		return ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map);
	} else {
		struct iommu_ioas_map map = {
			.size = sizeof(map),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = d->ioas_id,
			.user_va = (uintptr_t)va, .length = len, .iova = iova,
		};

		return ioctl(d->iommufd, IOMMU_IOAS_MAP, &map);
	}
}

/* ---------------- config space and BARs ---------------- */

static inline uint32_t cfg_rd(int fd, unsigned int off, unsigned int size)
{
	uint32_t v = 0;

	if (pread(fd, &v, size, (off_t)(PCI_CFG + off)) != (ssize_t)size) {
		harness_report("pread(config 0x%x, %u): %s", off, size,
			       strerrorname_np(errno));
		exit(1);
	}
	return v;
}

static inline void cfg_wr(int fd, unsigned int off, unsigned int size,
			  uint32_t v)
{
	if (pwrite(fd, &v, size, (off_t)(PCI_CFG + off)) != (ssize_t)size) {
		harness_report("pwrite(config 0x%x, %u): %s", off, size,
			       strerrorname_np(errno));
		exit(1);
	}
}

static inline uint32_t bar_rd32(int fd, int bar, uint64_t off)
{
	uint32_t v = 0;

	if (pread(fd, &v, 4, (off_t)(PCI_REGION(bar) + off)) != 4) {
		harness_report("pread(BAR%d 0x%llx): %s", bar,
			       (unsigned long long)off, strerrorname_np(errno));
		exit(1);
	}
	return v;
}

static inline void bar_wr32(int fd, int bar, uint64_t off, uint32_t v)
{
	if (pwrite(fd, &v, 4, (off_t)(PCI_REGION(bar) + off)) != 4) {
		harness_report("pwrite(BAR%d 0x%llx): %s", bar,
			       (unsigned long long)off, strerrorname_np(errno));
		exit(1);
	}
}

static inline void bar_wr64(int fd, int bar, uint64_t off, uint64_t v)
{
	if (pwrite(fd, &v, 8, (off_t)(PCI_REGION(bar) + off)) != 8) {
		harness_report("pwrite(BAR%d 0x%llx, 8): %s", bar,
			       (unsigned long long)off, strerrorname_np(errno));
		exit(1);
	}
}

static inline int region_info(int fd, uint32_t index,
			      struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, info);
}

static inline int irq_info(int fd, uint32_t index, struct vfio_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, info);
}

/* ---------------- SET_IRQS ---------------- */

/* SET_IRQS with @count elements of @data (s32 fds or u8 bools) or none. */
static inline int set_irqs(int fd, uint32_t flags, uint32_t index,
			   uint32_t start, uint32_t count, const void *data,
			   size_t elem)
{
	struct {
		struct vfio_irq_set s;
		uint8_t data[256];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.s.argsz = (uint32_t)(sizeof(arg.s) + count * elem);
	arg.s.flags = flags;
	arg.s.index = index;
	arg.s.start = start;
	arg.s.count = count;
	if (data && count * elem <= sizeof(arg.data))
		memcpy(arg.data, data, count * elem);
	return ioctl(fd, VFIO_DEVICE_SET_IRQS, &arg);
}

static inline int set_irqs_eventfd(int fd, uint32_t index, uint32_t start,
				   uint32_t count, const int32_t *fds)
{
	return set_irqs(fd, VFIO_IRQ_SET_DATA_EVENTFD |
			VFIO_IRQ_SET_ACTION_TRIGGER, index, start, count, fds,
			sizeof(int32_t));
}

static inline int set_irqs_none(int fd, uint32_t action, uint32_t index,
				uint32_t start, uint32_t count)
{
	return set_irqs(fd, VFIO_IRQ_SET_DATA_NONE | action, index, start,
			count, NULL, 0);
}

/* ---------------- eventfds ---------------- */

static inline int efd_new(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	ASSERT_TRUE(fd >= 0);
	return fd;
}

/* The counter, reset to 0; 0 when nothing was signalled. */
static inline uint64_t efd_take(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

/* Waits up to @ms for a signal, then takes the counter. */
static inline uint64_t efd_wait(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	return efd_take(fd);
}

/* The first word of a sysfs file into @buf; 1 on success. */
static inline int sysfs_scan_str(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int n;

	if (!f)
		return -1;
	n = fgets(buf, (int)size, f) ? 1 : 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return n;
}

static inline void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#endif /* UVFIO_TESTS_PCI_TEST_UTIL_H */
