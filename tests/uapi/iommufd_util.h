/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the IOAS uAPI tests, in the three forms of the kernel's
 * tools/testing/selftests/iommu/iommufd_utils.h:
 *
 *   _ioas_map(fd, ioas, buf, len, &iova, flags)   raw: 0 or -1/errno
 *   ioas_map_ok(...)                              asserts success
 *   ioas_map_err(ERR, ...)                        expects -1 with ERR
 *
 * for map, unmap, copy, iova ranges, allow iovas, option, vfio_ioas,
 * hwpt_alloc and get_hw_info. Raw syscalls only. Include after
 * vfio_test_util.h.
 */
#ifndef UVFIO_TESTS_IOMMUFD_UTIL_H
#define UVFIO_TESTS_IOMMUFD_UTIL_H

#include <sys/mman.h>

#include "vfio_test_util.h"

#define PAGE		4096UL
#define MAP_RW		(IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define MAP_FIXED_RW	(MAP_RW | IOMMU_IOAS_MAP_FIXED_IOVA)

/* A page-aligned anonymous buffer that lives until the test exits. */
static inline void *test_buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		harness_report("mmap(%zu): %s", len, strerror(errno));
		exit(1);
	}
	return p;
}

/* A fresh iommufd with one IOAS. */
static inline int open_ioas(uint32_t *ioas_id)
{
	int fd = open_iommufd();

	ioas_alloc_ok(fd, ioas_id);
	return fd;
}

/* The default edu, bound to @iommufd (its devid returned) and its fd. */
static inline int bind_edu(int iommufd, uint32_t *devid)
{
	int devfd = open_cdev();

	bind_ok(devfd, iommufd, devid);
	return devfd;
}

/* Whether capability @cap is in our effective set (/proc/self/status). */
static inline bool have_cap(int cap)
{
	unsigned long long eff = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	return eff & (1ULL << cap);
}

/* ---------------- IOMMU_IOAS_MAP ---------------- */

static inline int _ioas_map(int fd, uint32_t ioas, const void *buf,
			    uint64_t len, uint64_t *iova, uint32_t flags)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.ioas_id = ioas,
		.user_va = (uintptr_t)buf,
		.length = len,
		.iova = iova ? *iova : 0,
	};
	int ret = ioctl(fd, IOMMU_IOAS_MAP, &cmd);

	if (!ret && iova)
		*iova = cmd.iova;
	return ret;
}
#define ioas_map_ok(fd, ioas, buf, len, iova, flags)			\
	ASSERT_OK(_ioas_map(fd, ioas, buf, len, iova, flags))
#define ioas_map_err(err, fd, ioas, buf, len, iova, flags)		\
	EXPECT_ERRNO(err, _ioas_map(fd, ioas, buf, len, iova, flags))

/* ---------------- IOMMU_IOAS_UNMAP ---------------- */

static inline int _ioas_unmap(int fd, uint32_t ioas, uint64_t iova,
			      uint64_t len, uint64_t *unmapped)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas,
		.iova = iova,
		.length = len,
	};
	int ret = ioctl(fd, IOMMU_IOAS_UNMAP, &cmd);

	if (!ret && unmapped)
		*unmapped = cmd.length;
	return ret;
}
#define ioas_unmap_ok(fd, ioas, iova, len, unmapped)			\
	ASSERT_OK(_ioas_unmap(fd, ioas, iova, len, unmapped))
#define ioas_unmap_err(err, fd, ioas, iova, len)			\
	EXPECT_ERRNO(err, _ioas_unmap(fd, ioas, iova, len, NULL))

/* ---------------- IOMMU_IOAS_COPY ---------------- */

static inline int _ioas_copy(int fd, uint32_t dst, uint64_t *dst_iova,
			     uint32_t src, uint64_t src_iova, uint64_t len,
			     uint32_t flags)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dst_ioas_id = dst,
		.src_ioas_id = src,
		.length = len,
		.dst_iova = dst_iova ? *dst_iova : 0,
		.src_iova = src_iova,
	};
	int ret = ioctl(fd, IOMMU_IOAS_COPY, &cmd);

	if (!ret && dst_iova)
		*dst_iova = cmd.dst_iova;
	return ret;
}
#define ioas_copy_ok(fd, dst, dst_iova, src, src_iova, len, flags)	\
	ASSERT_OK(_ioas_copy(fd, dst, dst_iova, src, src_iova, len, flags))
#define ioas_copy_err(err, fd, dst, dst_iova, src, src_iova, len, flags) \
	EXPECT_ERRNO(err, _ioas_copy(fd, dst, dst_iova, src, src_iova, len, \
				     flags))

/* ---------------- IOMMU_IOAS_IOVA_RANGES ---------------- */

static inline int _iova_ranges(int fd, uint32_t ioas,
			       struct iommu_iova_range *ranges, uint32_t *num,
			       uint64_t *alignment)
{
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas,
		.num_iovas = *num,
		.allowed_iovas = (uintptr_t)ranges,
	};
	int ret = ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &cmd);

	*num = cmd.num_iovas;
	if (alignment)
		*alignment = cmd.out_iova_alignment;
	return ret;
}

/* ---------------- IOMMU_IOAS_ALLOW_IOVAS ---------------- */

static inline int _allow_iovas(int fd, uint32_t ioas,
			       const struct iommu_iova_range *ranges,
			       uint32_t num)
{
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas,
		.num_iovas = num,
		.allowed_iovas = (uintptr_t)ranges,
	};

	return ioctl(fd, IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}
#define allow_iovas_ok(fd, ioas, ranges, num)				\
	ASSERT_OK(_allow_iovas(fd, ioas, ranges, num))
#define allow_iovas_err(err, fd, ioas, ranges, num)			\
	EXPECT_ERRNO(err, _allow_iovas(fd, ioas, ranges, num))

/* ---------------- IOMMU_OPTION ---------------- */

static inline int _option(int fd, uint32_t option, uint16_t op,
			  uint32_t object, uint64_t *val)
{
	struct iommu_option cmd = {
		.size = sizeof(cmd),
		.option_id = option,
		.op = op,
		.object_id = object,
		.val64 = *val,
	};
	int ret = ioctl(fd, IOMMU_OPTION, &cmd);

	if (!ret)
		*val = cmd.val64;
	return ret;
}

/* ---------------- IOMMU_VFIO_IOAS ---------------- */

static inline int _vfio_ioas(int fd, uint16_t op, uint32_t *ioas)
{
	struct iommu_vfio_ioas cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas ? *ioas : 0,
		.op = op,
	};
	int ret = ioctl(fd, IOMMU_VFIO_IOAS, &cmd);

	if (!ret && ioas)
		*ioas = cmd.ioas_id;
	return ret;
}

/* ---------------- IOMMU_HWPT_ALLOC ---------------- */

static inline int _hwpt_alloc(int fd, uint32_t dev, uint32_t pt,
			      uint32_t flags, uint32_t *out)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = dev,
		.pt_id = pt,
	};
	int ret = ioctl(fd, IOMMU_HWPT_ALLOC, &cmd);

	if (!ret && out)
		*out = cmd.out_hwpt_id;
	return ret;
}
#define hwpt_alloc_ok(fd, dev, pt, flags, out)				\
	ASSERT_OK(_hwpt_alloc(fd, dev, pt, flags, out))
#define hwpt_alloc_err(err, fd, dev, pt, flags)				\
	EXPECT_ERRNO(err, _hwpt_alloc(fd, dev, pt, flags, NULL))

#endif /* UVFIO_TESTS_IOMMUFD_UTIL_H */
