/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the uAPI tests: each command in three forms, as the kernel's
 * selftests (tools/testing/selftests/iommu/iommufd_utils.h) spell them:
 *
 *   _bind(devfd, iommufd, &devid)   the raw call: 0, or -1 with errno
 *   bind_ok(devfd, iommufd, &devid) asserts success (stops the test)
 *   bind_err(ERR, devfd, iommufd)   expects -1 with exactly ERR in errno
 *
 * and the same for attach, detach, ioas_alloc, destroy and get_info. The
 * _ok/_err forms are macros so that a failure names the caller's line. An
 * out parameter is zeroed first and written only on success.
 *
 * Everything here speaks raw syscalls on the device cdev and /dev/iommu,
 * exactly as a VFIO program would; sysfs is read with stdio. Include after
 * harness.h.
 */
#ifndef UVFIO_TESTS_VFIO_TEST_UTIL_H
#define UVFIO_TESTS_VFIO_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

#include "harness.h"

/* The default environment: one QEMU edu at 0000:00:04.0. */
#define TEST_BDF		"0000:00:04.0"
#define TEST_CDEV		"/dev/vfio/devices/vfio0"
#define TEST_CDEV2		"/dev/vfio/devices/vfio1"
#define TEST_IOMMU		"/dev/iommu"
#define TEST_SYSFS_DEV		"/sys/bus/pci/devices/" TEST_BDF
#define TEST_EDU_VENDOR		0x1234
#define TEST_EDU_DEVICE		0x11e8

/* vfio-pci region offsets: index << VFIO_PCI_OFFSET_SHIFT. */
#define TEST_REGION_OFFSET(index) ((uint64_t)(index) << VFIO_PCI_OFFSET_SHIFT)
#define TEST_CONFIG_OFFSET	TEST_REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX)

/* PCI config space, the few registers the tests touch. */
#define TEST_PCI_VENDOR_ID	0x00
#define TEST_PCI_DEVICE_ID	0x02
#define TEST_PCI_COMMAND	0x04
#define TEST_PCI_COMMAND_MASTER	0x4

/* ---------------- opening ---------------- */

static inline int open_cdev_path(const char *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0) {
		harness_report("open(%s): %s", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static inline int open_cdev(void)
{
	return open_cdev_path(TEST_CDEV);
}

static inline int open_iommufd(void)
{
	int fd = open(TEST_IOMMU, O_RDWR);

	if (fd < 0) {
		harness_report("open(%s): %s", TEST_IOMMU, strerror(errno));
		exit(1);
	}
	return fd;
}

/* ---------------- VFIO_DEVICE_BIND_IOMMUFD ---------------- */

static inline int _bind(int devfd, int iommufd, uint32_t *out_devid)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.flags = 0,
		.iommufd = iommufd,
	};
	int ret;

	if (out_devid)
		*out_devid = 0;
	ret = ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (!ret && out_devid)
		*out_devid = bind.out_devid;
	return ret;
}

#define bind_ok(devfd, iommufd, out_devid)				\
	ASSERT_OK(_bind(devfd, iommufd, out_devid))
#define bind_err(err, devfd, iommufd)					\
	EXPECT_ERRNO(err, _bind(devfd, iommufd, NULL))

/* ---------------- VFIO_DEVICE_ATTACH/DETACH_IOMMUFD_PT ---------------- */

static inline int _attach(int devfd, uint32_t pt_id, uint32_t *out_hwpt_id)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
		.flags = 0,
		.pt_id = pt_id,
	};
	int ret;

	if (out_hwpt_id)
		*out_hwpt_id = 0;
	ret = ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
	if (!ret && out_hwpt_id)
		*out_hwpt_id = attach.pt_id;
	return ret;
}

#define attach_ok(devfd, pt_id, out_hwpt_id)				\
	ASSERT_OK(_attach(devfd, pt_id, out_hwpt_id))
#define attach_err(err, devfd, pt_id)					\
	EXPECT_ERRNO(err, _attach(devfd, pt_id, NULL))

static inline int _detach(int devfd)
{
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach),
		.flags = 0,
	};

	return ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach);
}

#define detach_ok(devfd)	ASSERT_OK(_detach(devfd))
#define detach_err(err, devfd)	EXPECT_ERRNO(err, _detach(devfd))

/* ---------------- IOMMU_IOAS_ALLOC / IOMMU_DESTROY ---------------- */

static inline int _ioas_alloc(int iommufd, uint32_t *out_ioas_id)
{
	struct iommu_ioas_alloc cmd = {
		.size = sizeof(cmd),
		.flags = 0,
	};
	int ret;

	if (out_ioas_id)
		*out_ioas_id = 0;
	ret = ioctl(iommufd, IOMMU_IOAS_ALLOC, &cmd);
	if (!ret && out_ioas_id)
		*out_ioas_id = cmd.out_ioas_id;
	return ret;
}

#define ioas_alloc_ok(iommufd, out_ioas_id)				\
	ASSERT_OK(_ioas_alloc(iommufd, out_ioas_id))
#define ioas_alloc_err(err, iommufd)					\
	EXPECT_ERRNO(err, _ioas_alloc(iommufd, NULL))

static inline int _destroy(int iommufd, uint32_t id)
{
	struct iommu_destroy cmd = {
		.size = sizeof(cmd),
		.id = id,
	};

	return ioctl(iommufd, IOMMU_DESTROY, &cmd);
}

#define destroy_ok(iommufd, id)		ASSERT_OK(_destroy(iommufd, id))
#define destroy_err(err, iommufd, id)	EXPECT_ERRNO(err, _destroy(iommufd, id))

/* ---------------- VFIO_DEVICE_GET_INFO ---------------- */

static inline int _get_info(int devfd, struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(devfd, VFIO_DEVICE_GET_INFO, info);
}

#define get_info_ok(devfd, info)	ASSERT_OK(_get_info(devfd, info))
#define get_info_err(err, devfd)					\
	({								\
		struct vfio_device_info __info;				\
		EXPECT_ERRNO(err, _get_info(devfd, &__info));		\
	})

/* ---------------- VFIO_DEVICE_GET_REGION_INFO ---------------- */

static inline int _get_region_info(int devfd, uint32_t index,
				   struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, info);
}

/* ---------------- config space through the config region ---------------- */

static inline uint16_t cfg_read16(int devfd, unsigned int reg)
{
	uint16_t val = 0;
	ssize_t n = pread(devfd, &val, sizeof(val), TEST_CONFIG_OFFSET + reg);

	if (n != (ssize_t)sizeof(val)) {
		harness_report("pread(config 0x%x): %zd/%s", reg, n,
			       strerrorname_np(errno));
		exit(1);
	}
	return val;	/* config space is little-endian, as is the host */
}

static inline void cfg_write16(int devfd, unsigned int reg, uint16_t val)
{
	ssize_t n = pwrite(devfd, &val, sizeof(val), TEST_CONFIG_OFFSET + reg);

	if (n != (ssize_t)sizeof(val)) {
		harness_report("pwrite(config 0x%x): %zd/%s", reg, n,
			       strerrorname_np(errno));
		exit(1);
	}
}

/* ---------------- mmap ---------------- */

/*
 * mmap() that must fail with exactly @err; on anything else records a
 * failure that says what happened (and unmaps an unexpected mapping).
 */
static inline bool expect_map_failed(int err, int fd, size_t len, int prot,
				     int flags, off_t off)
{
	void *p;

	errno = 0;
	p = mmap(NULL, len, prot, flags, fd, off);
	if (p != MAP_FAILED) {
		harness_report("mmap(0x%llx): expected MAP_FAILED/%s, got a mapping",
			       (unsigned long long)off, strerrorname_np(err));
		harness_failed = 1;
		munmap(p, len);
		return false;
	}
	if (errno != err) {
		harness_report("mmap(0x%llx): expected MAP_FAILED/%s, got %s",
			       (unsigned long long)off, strerrorname_np(err),
			       strerrorname_np(errno));
		harness_failed = 1;
		return false;
	}
	return true;
}

/* ---------------- sysfs ---------------- */

/* Reads one scanf-formatted value from a sysfs file; false if it cannot. */
#define sysfs_scan(path, fmt, ...)					\
	({								\
		FILE *__f = fopen(path, "r");				\
		int __n = -1;						\
		if (__f) {						\
			__n = fscanf(__f, fmt, ##__VA_ARGS__);		\
			fclose(__f);					\
		} else {						\
			harness_report("fopen(%s): %s", path,		\
				       strerror(errno));		\
		}							\
		__n;							\
	})

/* True if @path can be opened (stat would do, but keep to open/close). */
static inline bool path_exists(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

#endif /* UVFIO_TESTS_VFIO_TEST_UTIL_H */
