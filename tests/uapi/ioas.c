// SPDX-License-Identifier: MIT
/*
 * The IOAS uAPI of /dev/iommu, one test per errno row of
 * kernel-semantics.md section 4, through raw syscalls under the interposer.
 * Kernel references are to drivers/iommu/iommufd/ (ioas.c, io_pagetable.c,
 * main.c, hw_pagetable.c, device.c, vfio_compat.c).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>

#include "iommufd_util.h"

#define ULONG_MAX_U64	UINT64_MAX

/* ---------------- IOAS_IOVA_RANGES ---------------- */

TEST(ioas, plain, iova_ranges_fresh_whole_space_align_1)
{
	struct iommu_iova_range r[2] = {};
	uint32_t ioas, num = 2;
	uint64_t align = 0;
	int fd = open_ioas(&ioas);

	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	EXPECT_EQ(1, num);
	EXPECT_EQ(0, r[0].start);
	EXPECT_EQ(-1, (long long)r[0].last);
	EXPECT_EQ(1, align);
}

TEST(ioas, plain, iova_ranges_zero_capacity_emsgsize_with_count)
{
	uint32_t ioas, num = 0;
	uint64_t align = 0;
	int fd = open_ioas(&ioas);

	/* ioas.c:iommufd_ioas_iova_ranges: the struct is written back, then EMSGSIZE */
	EXPECT_ERRNO(EMSGSIZE, _iova_ranges(fd, ioas, NULL, &num, &align));
	EXPECT_EQ(1, num);
	EXPECT_EQ(1, align);
}

TEST(ioas, plain, iova_ranges_reserved_eopnotsupp)
{
	struct iommu_ioas_iova_ranges cmd = { .size = sizeof(cmd) };
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	cmd.ioas_id = ioas;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_IOAS_IOVA_RANGES, &cmd));
}

TEST(ioas, plain, iova_ranges_bad_id_enoent)
{
	uint32_t ioas, num = 0;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(ENOENT, _iova_ranges(fd, ioas + 100, NULL, &num, NULL));
}

TEST(ioas, edu, iova_ranges_attached_device_reserves_msi_window)
{
	struct iommu_iova_range r[4] = {};
	uint32_t ioas, devid, hwpt, num = 4;
	uint64_t align = 0;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, &hwpt);
	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	/* The aperture (39 bits) and the x86 MSI window are reserved; the
	 * IOMMU page raises the alignment (io_pagetable.c:iopt_table_add_domain) */
	ASSERT_EQ(2, num);
	EXPECT_EQ(0, r[0].start);
	EXPECT_EQ(0xfedfffffULL, r[0].last);
	EXPECT_EQ(0xfef00000ULL, r[1].start);
	EXPECT_EQ((1ULL << 39) - 1, r[1].last);
	EXPECT_EQ(4096, align);
	/* Detach gives the space back. */
	detach_ok(devfd);
	num = 4;
	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	EXPECT_EQ(1, num);
	EXPECT_EQ(1, align);
}

/* ---------------- IOAS_ALLOW_IOVAS ---------------- */

TEST(ioas, plain, allow_iovas_start_not_below_last_einval)
{
	struct iommu_iova_range r = { .start = 0x2000, .last = 0x2000 };
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	/* ioas.c:iommufd_ioas_load_iovas: start >= last */
	allow_iovas_err(EINVAL, fd, ioas, &r, 1);
}

TEST(ioas, plain, allow_iovas_overlapping_einval)
{
	struct iommu_iova_range r[2] = {
		{ .start = 0x1000, .last = 0x4fff },
		{ .start = 0x4000, .last = 0x8fff },
	};
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	allow_iovas_err(EINVAL, fd, ioas, r, 2);
}

TEST(ioas, plain, allow_iovas_reserved_field_eopnotsupp)
{
	struct iommu_ioas_allow_iovas cmd = { .size = sizeof(cmd) };
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	cmd.ioas_id = ioas;
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_IOAS_ALLOW_IOVAS, &cmd));
}

TEST(ioas, edu, allow_iovas_over_reserved_eaddrinuse)
{
	struct iommu_iova_range r = { .start = 0xfe000000, .last = 0xfeffffff };
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	/* io_pagetable.c:iopt_set_allow_iova: intersects a reserved range */
	allow_iovas_err(EADDRINUSE, fd, ioas, &r, 1);
}

TEST(ioas, edu, attach_over_allowed_msi_window_eaddrinuse)
{
	struct iommu_iova_range r = { .start = 0xfe000000, .last = 0xfeffffff };
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	allow_iovas_ok(fd, ioas, &r, 1);
	/* io_pagetable.c:iopt_reserve_iova: an allowed range is in the way */
	attach_err(EADDRINUSE, devfd, ioas);
	/* Zero entries clear the list, and then the attach works. */
	allow_iovas_ok(fd, ioas, NULL, 0);
	attach_ok(devfd, ioas, NULL);
}

TEST(ioas, plain, allow_iovas_bounds_automatic_iova)
{
	struct iommu_iova_range r = { .start = 0x40000000, .last = 0x4fffffff };
	void *buf = test_buffer(2 * PAGE);
	uint64_t iova = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	allow_iovas_ok(fd, ioas, &r, 1);
	ioas_map_ok(fd, ioas, buf, 2 * PAGE, &iova, MAP_RW);
	EXPECT_EQ(0x40000000, iova);
}

/* ---------------- IOAS_MAP ---------------- */

TEST(ioas, plain, map_unknown_flag_eopnotsupp)
{
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_err(EOPNOTSUPP, fd, ioas, buf, PAGE, NULL, MAP_RW | 1u << 3);
}

TEST(ioas, plain, map_reserved_eopnotsupp)
{
	struct iommu_ioas_map cmd = { .size = sizeof(cmd), .flags = MAP_RW };
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	cmd.ioas_id = ioas;
	cmd.__reserved = 1;
	cmd.user_va = (uintptr_t)buf;
	cmd.length = PAGE;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_IOAS_MAP, &cmd));
}

TEST(ioas, plain, map_iova_or_length_ulong_max_eoverflow)
{
	void *buf = test_buffer(PAGE);
	uint64_t iova = ULONG_MAX_U64;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	/* ioas.c:iommufd_ioas_map: before the flag and id checks */
	ioas_map_err(EOVERFLOW, fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
	ioas_map_err(EOVERFLOW, fd, ioas + 99, buf, ULONG_MAX_U64, NULL, 0);
}

TEST(ioas, plain, map_no_access_flag_einval)
{
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_err(EINVAL, fd, ioas, buf, PAGE, NULL, 0);
}

TEST(ioas, plain, map_bad_ioas_enoent)
{
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_err(ENOENT, fd, ioas + 1, buf, PAGE, NULL, MAP_RW);
}

TEST(ioas, plain, map_length_zero_einval)
{
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_err(EINVAL, fd, ioas, buf, 0, NULL, MAP_RW);
}

TEST(ioas, edu, map_misaligned_to_iommu_page_einval)
{
	char *buf = test_buffer(4 * PAGE);
	uint64_t iova = 0x100000 + 512;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	/* io_pagetable.c: iova, length and the user page offset vs the alignment */
	ioas_map_err(EINVAL, fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
	iova = 0x100000;
	ioas_map_err(EINVAL, fd, ioas, buf, PAGE + 1, &iova, MAP_FIXED_RW);
	ioas_map_err(EINVAL, fd, ioas, buf + 8, PAGE, &iova, MAP_FIXED_RW);
	ioas_map_ok(fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
}

TEST(ioas, plain, map_fixed_wraps_eoverflow)
{
	void *buf = test_buffer(2 * PAGE);
	uint64_t iova = ULONG_MAX_U64 - PAGE + 1;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	/* io_pagetable.c:iopt_check_iova: check_add_overflow(iova, length - 1) */
	ioas_map_err(EOVERFLOW, fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
}

TEST(ioas, edu, map_fixed_on_reserved_einval)
{
	void *buf = test_buffer(PAGE);
	uint64_t iova = 0xfee00000;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	/* io_pagetable.c:iopt_check_iova: reserved IOVA -> EINVAL, not EEXIST */
	ioas_map_err(EINVAL, fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
}

TEST(ioas, plain, map_fixed_overlap_eexist)
{
	void *buf = test_buffer(4 * PAGE);
	uint64_t iova = 0x10000;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_ok(fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	iova = 0x10000 + PAGE;
	ioas_map_err(EEXIST, fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	iova = 0x10000 - PAGE;
	ioas_map_err(EEXIST, fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	iova = 0x10000 + 2 * PAGE;
	ioas_map_ok(fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
}

TEST(ioas, plain, map_auto_never_zero_naturally_aligned)
{
	char *buf = test_buffer(64 * PAGE);
	char *aligned = (char *)(((uintptr_t)buf + 16 * PAGE - 1) &
				 ~(16 * PAGE - 1));
	uint64_t a = 0, b = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_ok(fd, ioas, buf, PAGE, &a, MAP_RW);
	/* io_pagetable.c:iopt_alloc_iova: the search starts at PAGE_SIZE */
	EXPECT_TRUE(a != 0);
	ioas_map_ok(fd, ioas, aligned, 16 * PAGE, &b, MAP_RW);
	/* alignment = min(roundup_pow_of_two(length), lowest bit of uptr) */
	EXPECT_EQ(0, b % (16 * PAGE));
	EXPECT_TRUE(b + 16 * PAGE <= a || b >= a + PAGE);
}

TEST(ioas, plain, map_auto_no_room_enospc)
{
	struct iommu_iova_range r = { .start = 0x100000, .last = 0x101fff };
	void *buf = test_buffer(4 * PAGE);
	uint64_t iova = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	allow_iovas_ok(fd, ioas, &r, 1);
	ioas_map_ok(fd, ioas, buf, 2 * PAGE, &iova, MAP_RW);
	ioas_map_err(ENOSPC, fd, ioas, buf, PAGE, NULL, MAP_RW);
}

TEST(ioas, edu, map_missing_memory_at_pin_efault)
{
	char *buf = test_buffer(2 * PAGE);
	uint64_t iova = 0x100000;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	munmap(buf + PAGE, PAGE);
	/* With a domain the pages are pinned at map time: pin_user_pages -> EFAULT */
	ioas_map_err(EFAULT, fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	/* Nothing was left behind. */
	ioas_map_ok(fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
}

TEST(ioas, edu, map_writeable_read_only_memory_efault)
{
	char *buf = test_buffer(2 * PAGE);
	uint64_t iova = 0x100000;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	ASSERT_OK(mprotect(buf, 2 * PAGE, PROT_READ));
	/* GUP with FOLL_WRITE refuses a read-only VMA (mm/gup.c:check_vma_flags) */
	ioas_map_err(EFAULT, fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	ioas_map_ok(fd, ioas, buf, 2 * PAGE, &iova,
		    IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_FIXED_IOVA);
}

TEST(ioas, plain, map_without_domain_pins_lazily)
{
	char *buf = test_buffer(2 * PAGE);
	uint64_t iova = 0x100000;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd;

	munmap(buf + PAGE, PAGE);
	/* No domain: no pin, so the hole goes unnoticed... */
	ioas_map_ok(fd, ioas, buf, 2 * PAGE, &iova, MAP_FIXED_RW);
	/* ...until a device attaches and the domain is filled. */
	devfd = bind_edu(fd, &devid);
	attach_err(EFAULT, devfd, ioas);
}

/* ---------------- IOAS_MAP_FILE ---------------- */

TEST(ioas, plain, map_file_memfd_ok_bad_fd_ebadf)
{
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = MAP_RW,
		.length = 2 * PAGE,
	};
	int mfd = memfd_create("ioas", 0);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ASSERT_OK(ftruncate(mfd, 4 * PAGE));
	cmd.ioas_id = ioas;
	cmd.fd = mfd;
	cmd.start = PAGE;
	ASSERT_OK(ioctl(fd, IOMMU_IOAS_MAP_FILE, &cmd));
	EXPECT_TRUE(cmd.iova != 0);
	/* ioas.c:iommufd_ioas_map_file: fget() fails */
	cmd.fd = 1000;
	EXPECT_ERRNO(EBADF, ioctl(fd, IOMMU_IOAS_MAP_FILE, &cmd));
	/* Past the end of the file. */
	cmd.fd = mfd;
	cmd.start = 3 * PAGE;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_IOAS_MAP_FILE, &cmd));
}

TEST(ioas, plain, map_file_not_memfd_einval)
{
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = MAP_RW,
		.length = PAGE,
	};
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	cmd.ioas_id = ioas;
	cmd.fd = open("/dev/null", O_RDWR);
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_IOAS_MAP_FILE, &cmd));
	/* Nor is an emulated file, whatever it is made of underneath. */
	cmd.fd = fd;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_IOAS_MAP_FILE, &cmd));
}

/* ---------------- IOAS_COPY ---------------- */

TEST(ioas, plain, copy_shares_memory_and_hole_enoent)
{
	char *buf = test_buffer(4 * PAGE);
	uint64_t src = 0x100000, dst = 0x200000;
	uint32_t a, b;
	int fd = open_ioas(&a);

	ioas_alloc_ok(fd, &b);
	ioas_map_ok(fd, a, buf, 2 * PAGE, &src, MAP_FIXED_RW);
	src = 0x100000 + 2 * PAGE;
	ioas_map_ok(fd, a, buf + 2 * PAGE, PAGE, &src, MAP_FIXED_RW);
	/* Two adjacent source areas copy as one range. */
	ioas_copy_ok(fd, b, &dst, a, 0x100000, 3 * PAGE, MAP_FIXED_RW);
	/* io_pagetable.c:iopt_get_pages: not contiguously mapped -> ENOENT */
	dst = 0x300000;
	ioas_copy_err(ENOENT, fd, b, &dst, a, 0x100000, 4 * PAGE, MAP_FIXED_RW);
	/* dst follows the MAP rules */
	dst = 0x200000;
	ioas_copy_err(EEXIST, fd, b, &dst, a, 0x100000, PAGE, MAP_FIXED_RW);
	/* The copy made two areas: unmapping one of them alone works. */
	ioas_unmap_ok(fd, b, 0x200000, 2 * PAGE, NULL);
}

TEST(ioas, plain, copy_writeable_from_read_only_eperm)
{
	char *buf = test_buffer(PAGE);
	uint64_t src = 0x100000, dst = 0x200000;
	uint32_t a;
	int fd = open_ioas(&a);

	ioas_map_ok(fd, a, buf, PAGE, &src, IOMMU_IOAS_MAP_READABLE |
					  IOMMU_IOAS_MAP_FIXED_IOVA);
	/* io_pagetable.c:iopt_insert_area: IOMMU_WRITE on !pages->writable */
	ioas_copy_err(EPERM, fd, a, &dst, a, src, PAGE, MAP_FIXED_RW);
	ioas_copy_ok(fd, a, &dst, a, src, PAGE, IOMMU_IOAS_MAP_READABLE |
					     IOMMU_IOAS_MAP_FIXED_IOVA);
}

TEST(ioas, plain, copy_bad_flags_overflow_ids)
{
	uint64_t dst = 0;
	uint32_t a;
	int fd = open_ioas(&a);

	ioas_copy_err(EOPNOTSUPP, fd, a, &dst, a, 0x1000, PAGE, 1u << 5);
	ioas_copy_err(EOVERFLOW, fd, a, &dst, a, ULONG_MAX_U64, PAGE, MAP_RW);
	ioas_copy_err(EINVAL, fd, a, &dst, a, 0x1000, PAGE, 0);
	ioas_copy_err(ENOENT, fd, a + 5, &dst, a, 0x1000, PAGE, MAP_RW);
}

/* ---------------- IOAS_UNMAP ---------------- */

TEST(ioas, plain, unmap_all_empty_succeeds)
{
	uint64_t unmapped = 1;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	/* io_pagetable.c:iopt_unmap_all: -ENOENT on an empty table becomes 0 */
	ioas_unmap_ok(fd, ioas, 0, UINT64_MAX, &unmapped);
	EXPECT_EQ(0, unmapped);
}

TEST(ioas, plain, unmap_all_reports_bytes)
{
	void *buf = test_buffer(4 * PAGE);
	uint64_t unmapped = 0, iova = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_ok(fd, ioas, buf, 3 * PAGE, &iova, MAP_RW);
	iova = 0;
	ioas_map_ok(fd, ioas, buf, PAGE, &iova, MAP_RW);
	ioas_unmap_ok(fd, ioas, 0, UINT64_MAX, &unmapped);
	EXPECT_EQ(4 * PAGE, unmapped);
}

TEST(ioas, plain, unmap_ulong_max_eoverflow_zero_length_einval)
{
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_unmap_err(EOVERFLOW, fd, ioas, ULONG_MAX_U64, PAGE);
	ioas_unmap_err(EOVERFLOW, fd, ioas, PAGE, ULONG_MAX_U64);
	ioas_unmap_err(EINVAL, fd, ioas, PAGE, 0);
	/* the id is looked up first */
	ioas_unmap_err(ENOENT, fd, ioas + 3, PAGE, 0);
}

TEST(ioas, plain, unmap_partial_area_enoent)
{
	void *buf = test_buffer(4 * PAGE);
	uint64_t iova = 0x100000, unmapped = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_ok(fd, ioas, buf, 4 * PAGE, &iova, MAP_FIXED_RW);
	/* io_pagetable.c:iopt_unmap_iova_range: no splitting */
	ioas_unmap_err(ENOENT, fd, ioas, 0x100000, 2 * PAGE);
	ioas_unmap_err(ENOENT, fd, ioas, 0x100000 + PAGE, 4 * PAGE);
	/* A superset takes it, and length is rewritten. */
	ioas_unmap_ok(fd, ioas, 0x0, 0x200000, &unmapped);
	EXPECT_EQ(4 * PAGE, unmapped);
}

TEST(ioas, plain, unmap_nothing_enoent)
{
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	/* IOAS_UNMAP turns "0 bytes" into ENOENT (compat UNMAP_DMA does not) */
	ioas_unmap_err(ENOENT, fd, ioas, 0x100000, PAGE);
}

TEST(ioas, plain, destroy_ioas_with_mappings_ok)
{
	void *buf = test_buffer(PAGE);
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	ioas_map_ok(fd, ioas, buf, PAGE, NULL, MAP_RW);
	destroy_ok(fd, ioas);
	ioas_unmap_err(ENOENT, fd, ioas, 0, UINT64_MAX);
}

/* ---------------- IOMMU_OPTION ---------------- */

TEST(ioas, plain, option_bad_op_option_reserved_eopnotsupp)
{
	struct iommu_option cmd = { .size = sizeof(cmd) };
	uint64_t val = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(EOPNOTSUPP, _option(fd, 7, IOMMU_OPTION_OP_GET, 0, &val));
	EXPECT_ERRNO(EOPNOTSUPP, _option(fd, IOMMU_OPTION_RLIMIT_MODE, 5, 0,
					 &val));
	EXPECT_ERRNO(EOPNOTSUPP, _option(fd, IOMMU_OPTION_HUGE_PAGES, 5,
					 ioas, &val));
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_OPTION, &cmd));
}

TEST(ioas, plain, option_rlimit_mode_object_id_eopnotsupp)
{
	uint64_t val = 0;
	uint32_t ioas;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(EOPNOTSUPP, _option(fd, IOMMU_OPTION_RLIMIT_MODE,
					 IOMMU_OPTION_OP_GET, ioas, &val));
}

TEST(ioas, plain, option_rlimit_mode_get_set_rules)
{
	uint64_t val = 7;
	uint32_t ioas;
	int fd = open_iommufd();

	/* /dev/iommu defaults to per-user accounting */
	ASSERT_OK(_option(fd, IOMMU_OPTION_RLIMIT_MODE, IOMMU_OPTION_OP_GET, 0,
			  &val));
	EXPECT_EQ(0, val);
	/* ioas.c:iommufd_option_rlimit_mode: EPERM, then EBUSY, then EINVAL */
	val = 2;
	if (have_cap(24)) {	/* CAP_SYS_RESOURCE */
		EXPECT_ERRNO(EINVAL, _option(fd, IOMMU_OPTION_RLIMIT_MODE,
					     IOMMU_OPTION_OP_SET, 0, &val));
		val = 1;
		ASSERT_OK(_option(fd, IOMMU_OPTION_RLIMIT_MODE,
				  IOMMU_OPTION_OP_SET, 0, &val));
		ASSERT_OK(_option(fd, IOMMU_OPTION_RLIMIT_MODE,
				  IOMMU_OPTION_OP_GET, 0, &val));
		EXPECT_EQ(1, val);
		ioas_alloc_ok(fd, &ioas);
		val = 0;
		EXPECT_ERRNO(EBUSY, _option(fd, IOMMU_OPTION_RLIMIT_MODE,
					    IOMMU_OPTION_OP_SET, 0, &val));
	} else {
		EXPECT_ERRNO(EPERM, _option(fd, IOMMU_OPTION_RLIMIT_MODE,
					    IOMMU_OPTION_OP_SET, 0, &val));
	}
}

TEST(ioas, plain, option_huge_pages_rules)
{
	char *buf = test_buffer(2 * PAGE);
	uint64_t val = 9, iova = 0x100000, align = 0;
	uint32_t ioas, num = 0;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(ENOENT, _option(fd, IOMMU_OPTION_HUGE_PAGES,
				     IOMMU_OPTION_OP_GET, ioas + 1, &val));
	ASSERT_OK(_option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_GET,
			  ioas, &val));
	EXPECT_EQ(1, val);
	val = 2;
	EXPECT_ERRNO(EINVAL, _option(fd, IOMMU_OPTION_HUGE_PAGES,
				     IOMMU_OPTION_OP_SET, ioas, &val));
	/* A byte-aligned mapping blocks SET 0 (iopt_check_iova_alignment) */
	ioas_map_ok(fd, ioas, buf + 1, PAGE, &iova, MAP_FIXED_RW);
	val = 0;
	EXPECT_ERRNO(EADDRINUSE, _option(fd, IOMMU_OPTION_HUGE_PAGES,
					 IOMMU_OPTION_OP_SET, ioas, &val));
	ioas_unmap_ok(fd, ioas, 0, UINT64_MAX, NULL);
	ASSERT_OK(_option(fd, IOMMU_OPTION_HUGE_PAGES, IOMMU_OPTION_OP_SET,
			  ioas, &val));
	EXPECT_ERRNO(EMSGSIZE, _iova_ranges(fd, ioas, NULL, &num, &align));
	EXPECT_EQ(PAGE, align);
}

/* ---------------- IOMMU_VFIO_IOAS ---------------- */

TEST(ioas, plain, vfio_ioas_get_none_enodev_set_bad_enoent)
{
	uint32_t ioas, id = 0;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(ENODEV, _vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id));
	id = ioas + 1;
	EXPECT_ERRNO(ENOENT, _vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	EXPECT_ERRNO(EOPNOTSUPP, _vfio_ioas(fd, 3, &id));
	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	id = 0;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id));
	EXPECT_EQ(ioas, id);
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_CLEAR, NULL));
	EXPECT_ERRNO(ENODEV, _vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id));
}

TEST(ioas, plain, destroy_compat_ioas_clears_it)
{
	uint32_t ioas, id;
	int fd = open_ioas(&ioas);

	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	destroy_ok(fd, ioas);
	EXPECT_ERRNO(ENODEV, _vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id));
}

/* ---------------- IOMMU_HWPT_ALLOC ---------------- */

TEST(ioas, edu, hwpt_alloc_rules)
{
	struct iommu_hwpt_alloc cmd = { .size = sizeof(cmd) };
	uint32_t ioas, devid, hwpt = 0;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	(void)devfd;
	/* hw_pagetable.c:iommufd_hwpt_alloc, in order */
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_HWPT_ALLOC, &cmd));
	cmd.__reserved = 0;
	cmd.data_type = IOMMU_HWPT_DATA_VTD_S1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_ALLOC, &cmd));
	cmd.data_type = IOMMU_HWPT_DATA_NONE;
	cmd.data_len = 8;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_ALLOC, &cmd));
	hwpt_alloc_err(ENOENT, fd, ioas, ioas, 0);	/* dev_id not a device */
	hwpt_alloc_err(EINVAL, fd, devid, 999, 0);	/* missing pt: EINVAL */
	hwpt_alloc_err(EINVAL, fd, devid, devid, 0);	/* pt not a page table */
	hwpt_alloc_err(EOPNOTSUPP, fd, devid, ioas, 1u << 7);
	hwpt_alloc_err(EOPNOTSUPP, fd, devid, ioas,
		       IOMMU_HWPT_ALLOC_NEST_PARENT);
	hwpt_alloc_ok(fd, devid, ioas, IOMMU_HWPT_ALLOC_DIRTY_TRACKING, &hwpt);
	/* The HWPT holds the IOAS; nothing holds the HWPT. */
	destroy_err(EBUSY, fd, ioas);
	attach_ok(devfd, hwpt, NULL);
	destroy_err(EBUSY, fd, hwpt);
	detach_ok(devfd);
	destroy_ok(fd, hwpt);
	destroy_ok(fd, ioas);
}

/* ---------------- IOMMU_GET_HW_INFO ---------------- */

TEST(ioas, edu, get_hw_info_zero_fill_and_data_len)
{
	struct iommu_hw_info cmd = { .size = sizeof(cmd) };
	uint8_t data[128];
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas);

	bind_edu(fd, &devid);
	memset(data, 0xaa, sizeof(data));
	cmd.dev_id = devid;
	cmd.data_len = sizeof(data);
	cmd.data_uptr = (uintptr_t)data;
	ASSERT_OK(ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	/* device.c:iommufd_get_hw_info: data_len is ours, the rest zeroed */
	EXPECT_EQ(48, cmd.data_len);
	EXPECT_EQ(0x7576, cmd.out_data_type);
	EXPECT_EQ(IOMMU_HW_CAP_DIRTY_TRACKING, cmd.out_capabilities);
	EXPECT_EQ(0, cmd.out_max_pasid_log2);
	EXPECT_EQ(0x40201000ULL, *(uint64_t *)(data + 8));
	for (size_t i = 48; i < sizeof(data); i++)
		if (!EXPECT_EQ(0, data[i]))
			break;
	/* data_len 0 is allowed and still reports the size. */
	cmd.data_len = 0;
	ASSERT_OK(ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	EXPECT_EQ(48, cmd.data_len);
}

TEST(ioas, edu, get_hw_info_bad_flags_dev_type)
{
	struct iommu_hw_info cmd = { .size = sizeof(cmd) };
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas);

	bind_edu(fd, &devid);
	cmd.dev_id = devid;
	cmd.flags = 2;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	cmd.flags = 0;
	cmd.__reserved[1] = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	cmd.__reserved[1] = 0;
	cmd.dev_id = ioas;
	EXPECT_ERRNO(ENOENT, ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	cmd.dev_id = devid;
	cmd.flags = IOMMU_HW_INFO_FLAG_INPUT_TYPE;
	cmd.in_data_type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
	/* Without the flag the input type is ignored. */
	cmd.flags = 0;
	cmd.in_data_type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
	ASSERT_OK(ioctl(fd, IOMMU_GET_HW_INFO, &cmd));
}

/* ---------------- dirty tracking ---------------- */

TEST(ioas, edu, dirty_tracking_needs_flag_and_enable)
{
	struct iommu_hwpt_set_dirty_tracking set = { .size = sizeof(set) };
	struct iommu_hwpt_get_dirty_bitmap get = { .size = sizeof(get) };
	uint64_t bitmap[4] = {};
	uint32_t ioas, devid, plain = 0, dirty = 0;
	int fd = open_ioas(&ioas);

	bind_edu(fd, &devid);
	hwpt_alloc_ok(fd, devid, ioas, 0, &plain);
	hwpt_alloc_ok(fd, devid, ioas, IOMMU_HWPT_ALLOC_DIRTY_TRACKING, &dirty);
	set.flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
	set.hwpt_id = plain;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	set.hwpt_id = ioas;
	EXPECT_ERRNO(ENOENT, ioctl(fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	set.flags = 2;
	set.hwpt_id = dirty;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));

	get.hwpt_id = dirty;
	get.iova = 0x100000;
	get.length = 16 * PAGE;
	get.page_size = PAGE;
	get.data = (uintptr_t)bitmap;
	/* tracking off: the driver's read_and_clear_dirty refuses */
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	set.flags = IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
	ASSERT_OK(ioctl(fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &set));
	ASSERT_OK(ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	EXPECT_EQ(0, bitmap[0]);
	get.page_size = 3;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	get.page_size = PAGE;
	get.iova = 0x100001;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
	get.iova = 0x100000;
	get.flags = 4;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &get));
}

/* ---------------- the VFIO compat container on an iommufd ---------------- */

TEST(ioas, plain, compat_version_extensions_set_iommu)
{
	uint32_t ioas, id;
	int fd = open_ioas(&ioas);

	EXPECT_EQ(0, ioctl(fd, VFIO_GET_API_VERSION));
	EXPECT_EQ(1, ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(1, ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL));
	EXPECT_EQ(0, ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR));
	EXPECT_EQ(0, ioctl(fd, VFIO_CHECK_EXTENSION, 6));
	/* vfio_compat.c:iommufd_vfio_set_iommu: no group, no compat IOAS */
	EXPECT_ERRNO(ENODEV, ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_IOMMU));
	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	EXPECT_EQ(0, ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU));
	/* DIRTY_PAGES is not offered: ENOIOCTLCMD -> ENOTTY */
	EXPECT_ERRNO(ENOTTY, ioctl(fd, VFIO_IOMMU_DIRTY_PAGES, NULL));
}

TEST(ioas, plain, compat_get_info_argsz_growth)
{
	struct {
		struct vfio_iommu_type1_info info;
		uint8_t caps[256];
	} buf;
	struct vfio_iommu_type1_info_cap_iova_range iovas;
	struct vfio_iova_range range0;
	uint32_t ioas, id;
	int fd = open_ioas(&ioas);

	memset(&buf, 0, sizeof(buf));
	buf.info.argsz = sizeof(buf.info);
	EXPECT_ERRNO(ENODEV, ioctl(fd, VFIO_IOMMU_GET_INFO, &buf));
	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	/* Too small for the chain: CAPS still set, argsz raised, cap_offset 0 */
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_GET_INFO, &buf));
	EXPECT_EQ(VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS, buf.info.flags);
	EXPECT_EQ(24 + 12 + 16 + 16, buf.info.argsz);
	EXPECT_EQ(0, buf.info.cap_offset);
	EXPECT_EQ(~(PAGE - 1), buf.info.iova_pgsizes);
	/* With room: DMA_AVAIL at 24, then IOVA_RANGE at 36 */
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_GET_INFO, &buf));
	EXPECT_EQ(24, buf.info.cap_offset);
	/* The chain is packed, so IOVA_RANGE is only 4-byte aligned: copy it out. */
	memcpy(&iovas, (char *)&buf + 36, sizeof(iovas));
	memcpy(&range0, (char *)&buf + 36 + sizeof(iovas), sizeof(range0));
	EXPECT_EQ(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
		  ((struct vfio_info_cap_header *)buf.caps)->id);
	EXPECT_EQ(36, ((struct vfio_info_cap_header *)buf.caps)->next);
	EXPECT_EQ(UINT32_MAX,
		  ((struct vfio_iommu_type1_info_dma_avail *)buf.caps)->avail);
	EXPECT_EQ(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, iovas.header.id);
	EXPECT_EQ(0, iovas.header.next);
	EXPECT_EQ(1, iovas.nr_iovas);
	EXPECT_EQ(0, range0.start);
	EXPECT_EQ(-1, (long long)range0.end);
	buf.info.argsz = 8;
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_IOMMU_GET_INFO, &buf));
}

TEST(ioas, plain, compat_map_unmap_dma)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	char *buf = test_buffer(4 * PAGE);
	uint32_t ioas, id;
	int fd = open_ioas(&ioas);

	EXPECT_ERRNO(ENODEV, ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = 0x100000;
	map.size = 2 * PAGE;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	EXPECT_ERRNO(EEXIST, ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	map.flags |= VFIO_DMA_MAP_FLAG_VADDR;
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	/* The mapping is the IOAS's: IOAS_UNMAP of part of it is ENOENT */
	ioas_unmap_err(ENOENT, fd, ioas, 0x100000, PAGE);
	/* Unmapping nothing succeeds with size 0, as type1 does */
	unmap.iova = 0x800000;
	unmap.size = PAGE;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	EXPECT_EQ(0, unmap.size);
	unmap.flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	unmap.flags = VFIO_DMA_UNMAP_FLAG_ALL;
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	unmap.iova = 0;
	unmap.size = 0;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	EXPECT_EQ(2 * PAGE, unmap.size);
}

TEST(ioas, plain, compat_type1_v1_unmap_splits)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	char *buf = test_buffer(4 * PAGE);
	uint32_t ioas, id;
	int fd = open_ioas(&ioas);

	id = ioas;
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_SET, &id));
	/* v1 turns large pages off, so unmap may cut (iopt_cut_iova) */
	ASSERT_OK(ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = 0x100000;
	map.size = 4 * PAGE;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	unmap.iova = 0x100000 + PAGE;
	unmap.size = PAGE;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	EXPECT_EQ(PAGE, unmap.size);
	unmap.iova = 0;
	unmap.size = 0;
	unmap.flags = VFIO_DMA_UNMAP_FLAG_ALL;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_UNMAP_DMA, &unmap));
	EXPECT_EQ(3 * PAGE, unmap.size);
}

/* ---------------- the size rules for every new command ---------------- */

TEST(ioas, plain, new_commands_size_rules)
{
	static const struct {
		unsigned long cmd;
		uint32_t min;
	} table[] = {
		{ IOMMU_IOAS_ALLOW_IOVAS, 24 }, { IOMMU_IOAS_COPY, 40 },
		{ IOMMU_IOAS_IOVA_RANGES, 32 }, { IOMMU_IOAS_MAP, 40 },
		{ IOMMU_IOAS_UNMAP, 24 },	{ IOMMU_OPTION, 24 },
		{ IOMMU_VFIO_IOAS, 12 },	{ IOMMU_HWPT_ALLOC, 24 },
		{ IOMMU_GET_HW_INFO, 32 },	{ IOMMU_IOAS_MAP_FILE, 40 },
		{ IOMMU_HWPT_SET_DIRTY_TRACKING, 16 },
		{ IOMMU_HWPT_GET_DIRTY_BITMAP, 48 },
	};
	uint8_t buf[128];
	int fd = open_iommufd();

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		memset(buf, 0, sizeof(buf));
		*(uint32_t *)buf = table[i].min - 1;
		/* main.c:iommufd_fops_ioctl: size < min_size -> EINVAL */
		EXPECT_ERRNO(EINVAL, ioctl(fd, table[i].cmd, buf));
		*(uint32_t *)buf = 100;
		buf[99] = 0xff;
		/* copy_struct_from_user: non-zero tail -> E2BIG */
		EXPECT_ERRNO(E2BIG, ioctl(fd, table[i].cmd, buf));
	}
}

/* ---------------- a group whose container is an iommufd ---------------- */

TEST(ioas, edu, compat_group_on_iommufd_maps_for_its_device)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct iommu_iova_range r[4];
	char *buf = test_buffer(PAGE), link[256], path[64];
	uint32_t id = 0, num = 4;
	uint64_t align;
	int fd = open_iommufd(), group, devfd;
	ssize_t n = readlink(TEST_SYSFS_DEV "/iommu_group", link,
			     sizeof(link) - 1);

	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	group = open(path, O_RDWR);
	ASSERT_TRUE(group >= 0);
	/* SET_CONTAINER with an iommufd creates the compat IOAS
	 * (vfio_compat.c:iommufd_vfio_compat_ioas_create) */
	ASSERT_OK(ioctl(group, VFIO_GROUP_SET_CONTAINER, &fd));
	ASSERT_OK(_vfio_ioas(fd, IOMMU_VFIO_IOAS_GET, &id));
	EXPECT_TRUE(id != 0);
	ASSERT_OK(ioctl(fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	devfd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, TEST_BDF);
	ASSERT_TRUE(devfd >= 0);
	/* The device fd's open attached the device to the compat IOAS. */
	ASSERT_OK(_iova_ranges(fd, id, r, &num, &align));
	EXPECT_EQ(2, num);
	EXPECT_EQ(PAGE, align);
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)buf;
	map.iova = 0xfee00000;
	map.size = PAGE;
	/* The MSI window is reserved: a fixed map there is EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	map.iova = 0x100000;
	ASSERT_OK(ioctl(fd, VFIO_IOMMU_MAP_DMA, &map));
	close(devfd);
	close(group);
}

/* ---------------- two devices on one IOAS ---------------- */

TEST(ioas, two_devices, share_auto_hwpt_and_msi_reservation)
{
	struct iommu_iova_range r[4];
	uint32_t ioas, dev0, dev1, hwpt0 = 0, hwpt1 = 0, num = 4;
	uint64_t align;
	int fd = open_ioas(&ioas), fd0, fd1;

	if (!path_exists(TEST_CDEV2))
		SKIP("needs a second device: %s does not exist (run with --device edu --device edu)",
		     TEST_CDEV2);
	fd0 = bind_edu(fd, &dev0);
	fd1 = open_cdev_path(TEST_CDEV2);
	bind_ok(fd1, fd, &dev1);
	attach_ok(fd0, ioas, &hwpt0);
	attach_ok(fd1, ioas, &hwpt1);
	/* device.c:iommufd_device_auto_get_domain: the same auto HWPT */
	EXPECT_EQ(hwpt0, hwpt1);
	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	EXPECT_EQ(2, num);
	/* One device leaving keeps the other's MSI reservation. */
	detach_ok(fd0);
	num = 4;
	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	EXPECT_EQ(2, num);
	EXPECT_EQ(0xfedfffffULL, r[0].last);
	detach_ok(fd1);
	num = 4;
	ASSERT_OK(_iova_ranges(fd, ioas, r, &num, &align));
	EXPECT_EQ(1, num);
	/* The auto HWPT died with its last device. */
	destroy_err(ENOENT, fd, hwpt0);
}

TEST(ioas, edu, huge_pages_off_refused_once_domain_has_mappings)
{
	void *buf = test_buffer(PAGE);
	uint64_t val = 0, iova = 0x100000;
	uint32_t ioas, devid;
	int fd = open_ioas(&ioas), devfd = bind_edu(fd, &devid);

	attach_ok(devfd, ioas, NULL);
	ioas_map_ok(fd, ioas, buf, PAGE, &iova, MAP_FIXED_RW);
	/* io_pagetable.c:iopt_disable_large_pages: domains with areas -> EINVAL */
	EXPECT_ERRNO(EINVAL, _option(fd, IOMMU_OPTION_HUGE_PAGES,
				     IOMMU_OPTION_OP_SET, ioas, &val));
}

TEST(ioas, edu, hwpt_invalidate_paging_einval)
{
	struct iommu_hwpt_invalidate cmd = { .size = sizeof(cmd) };
	uint32_t ioas, devid, hwpt = 0;
	int fd = open_ioas(&ioas);

	bind_edu(fd, &devid);
	hwpt_alloc_ok(fd, devid, ioas, 0, &hwpt);
	/* hw_pagetable.c:iommufd_hwpt_invalidate: only nested HWPTs and vIOMMUs */
	cmd.hwpt_id = hwpt;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd));
	cmd.hwpt_id = 999;
	EXPECT_ERRNO(ENOENT, ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd));
	cmd.__reserved = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd));
	cmd.__reserved = 0;
	cmd.entry_num = 1;
	EXPECT_ERRNO(EINVAL, ioctl(fd, IOMMU_HWPT_INVALIDATE, &cmd));
	/* entry_num is written back even on failure: 0 handled */
	EXPECT_EQ(0, cmd.entry_num);
}
