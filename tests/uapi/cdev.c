// SPDX-License-Identifier: MIT
/*
 * The VFIO device cdev (/dev/vfio/devices/vfioN) as a program sees it: the
 * blocked fd, VFIO_DEVICE_BIND_IOMMUFD and its argument checks, the device
 * id as an iommufd object, ATTACH/DETACH_IOMMUFD_PT and the auto HWPT, dup
 * and close, and the node's identity.
 *
 * Every check pins what the kernel does, with the source it comes from in a
 * comment above it. Sources (torvalds/linux unless noted):
 *   device_cdev.c   drivers/vfio/device_cdev.c, the token-aware version
 *                   with the late-2025 copy_struct_from_user(sizeof(bind))
 *                   fix (samikhawaja/linux @0699fafd; the pre-fix version,
 *                   ksize = minsz, is dmatlack/linux @28ed5367)
 *   vfio_pci.c      drivers/vfio/pci/vfio_pci.c (vfio_pci_ops has
 *                   pasid_attach_ioas/pasid_detach_ioas; samikhawaja @05bf9ac6)
 *   vfio_main.c     drivers/vfio/vfio_main.c
 *   vfio_iommufd.c  drivers/vfio/iommufd.c
 *   vfio_pci_core.c drivers/vfio/pci/vfio_pci_core.c
 *   iommufd/X.c     drivers/iommu/iommufd/X.c
 *   [obs 6.1 ...]   docs/reference-kernel-answers.md, seen on a real kernel
 *
 * Runs under `uvfio run` with one edu at 0000:00:04.0 (variant edu); the
 * two_devices tests skip unless a second cdev exists.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include "harness.h"
#include "vfio_test_util.h"

/* An ioctl no VFIO layer defines. */
#define UNKNOWN_VFIO_IOCTL	UVFIO_IO(';', 200)

/* A bound device on a fresh iommufd. */
struct bound {
	int ictx;
	int devfd;
	uint32_t devid;
};

static struct bound setup_bound(void)
{
	struct bound b;

	b.ictx = open_iommufd();
	b.devfd = open_cdev();
	bind_ok(b.devfd, b.ictx, &b.devid);
	return b;
}

/* Raw BIND with a caller-built argument. */
static int bind_raw(int devfd, void *arg)
{
	return ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, arg);
}

/* An fd number that is certainly not open. */
static int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_TRUE(fd >= 0);
	close(fd);
	return fd;
}

/* ======================= the blocked fd ======================= */

TEST(cdev, edu, get_info_before_bind_einval)
{
	int devfd = open_cdev();

	/* vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL */
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, get_region_info_before_bind_einval)
{
	struct vfio_region_info info;
	int devfd = open_cdev();

	/* vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, _get_region_info(devfd, 7, &info));
	/* ...for BAR0 as well: the gate comes before the index */
	EXPECT_ERRNO(EINVAL, _get_region_info(devfd, 0, &info));
}

TEST(cdev, edu, get_irq_info_before_bind_einval)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = 0 };
	int devfd = open_cdev();

	/* vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(devfd, VFIO_DEVICE_GET_IRQ_INFO, &info));
}

TEST(cdev, edu, unknown_ioctl_before_bind_einval)
{
	int devfd = open_cdev();

	/*
	 * vfio_main.c:vfio_device_fops_unl_ioctl: the gate comes before the
	 * driver, so an unknown ioctl is EINVAL, not ENOTTY
	 */
	EXPECT_ERRNO(EINVAL, ioctl(devfd, UNKNOWN_VFIO_IOCTL, 0));
}

TEST(cdev, edu, attach_before_bind_einval)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	uint32_t ioas;

	ioas_alloc_ok(ictx, &ioas);
	/* vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL */
	attach_err(EINVAL, devfd, ioas);
	/* nothing attached: no HWPT holds the IOAS (main.c:iommufd_object_remove) */
	destroy_ok(ictx, ioas);
}

TEST(cdev, edu, detach_before_bind_einval)
{
	int devfd = open_cdev();

	/*
	 * vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL
	 * (once bound, detaching nothing succeeds)
	 */
	detach_err(EINVAL, devfd);
}

TEST(cdev, edu, reset_before_bind_einval)
{
	int devfd = open_cdev();

	/* vfio_main.c:vfio_device_fops_unl_ioctl: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(devfd, VFIO_DEVICE_RESET, 0));
}

TEST(cdev, edu, pread_config_before_bind_einval)
{
	int devfd = open_cdev();
	uint8_t buf[4];

	/* vfio_main.c:vfio_device_fops_read: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, pread(devfd, buf, 4, TEST_CONFIG_OFFSET));
	/*
	 * count 0 too: fs/read_write.c:vfs_read calls ->read for count 0, and
	 * the gate precedes vfio_pci_core_read's "!count -> 0"
	 */
	EXPECT_ERRNO(EINVAL, pread(devfd, buf, 0, TEST_CONFIG_OFFSET));
}

TEST(cdev, edu, pwrite_config_before_bind_einval)
{
	int devfd = open_cdev();
	uint8_t buf[4] = { 0 };

	/* vfio_main.c:vfio_device_fops_write: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, pwrite(devfd, buf, 4, TEST_CONFIG_OFFSET + 0x3c));
	/* count 0: fs/read_write.c:vfs_write still calls ->write */
	EXPECT_ERRNO(EINVAL, pwrite(devfd, buf, 0, TEST_CONFIG_OFFSET));
}

TEST(cdev, edu, read_write_before_bind_einval)
{
	int devfd = open_cdev();
	uint32_t val = 0;

	/* vfio_main.c:vfio_device_fops_read: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, read(devfd, &val, sizeof(val)));
	/* vfio_main.c:vfio_device_fops_write: !access_granted -> -EINVAL */
	EXPECT_ERRNO(EINVAL, write(devfd, &val, sizeof(val)));
}

TEST(cdev, edu, mmap_bar0_before_bind_einval)
{
	int devfd = open_cdev();

	/*
	 * vfio_main.c:vfio_device_fops_mmap: !access_granted -> -EINVAL
	 * (once bound, the same mmap works: mmap_bar0_after_bind_ok)
	 */
	expect_map_failed(EINVAL, devfd, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED, 0);
}

TEST(cdev, edu, mmap_bar0_after_bind_ok)
{
	struct bound b = setup_bound();
	struct vfio_region_info info;
	uint32_t id = 0;
	void *p;

	/* vfio_pci_core.c:vfio_pci_ioctl_get_region_info: BAR0 R|W|MMAP [obs 6.1 A2] */
	ASSERT_OK(_get_region_info(b.devfd, 0, &info));
	EXPECT_EQ(0x7, info.flags);
	errno = 0;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, b.devfd, 0);
	/* vfio_pci_core.c:vfio_pci_core_mmap: a shared map of an mmappable BAR [obs 6.1 A6] */
	if (p == MAP_FAILED) {
		harness_report("mmap(BAR0, 4096, MAP_SHARED): %s",
			       strerrorname_np(errno));
		exit(1);
	}
	/* the edu id register reads through the mapping [obs 6.1 A6] */
	memcpy(&id, p, sizeof(id));
	EXPECT_EQ(0x010000ed, id);
	munmap(p, 4096);
}

TEST(cdev, edu, gate_opens_after_bind)
{
	struct bound b = setup_bound();
	struct vfio_region_info rinfo;
	struct vfio_irq_info iinfo = { .argsz = sizeof(iinfo), .index = 0 };
	struct vfio_device_info info;
	uint8_t buf[4];
	uint32_t val = 0;

	/* the same calls as above now reach vfio-pci */
	get_info_ok(b.devfd, &info);
	ASSERT_OK(_get_region_info(b.devfd, 7, &rinfo));
	ASSERT_OK(ioctl(b.devfd, VFIO_DEVICE_GET_IRQ_INFO, &iinfo));
	/* vfio_pci_core.c:vfio_pci_core_ioctl default: -ENOTTY [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, ioctl(b.devfd, UNKNOWN_VFIO_IOCTL, 0));
	/* vfio_pci_core.c:vfio_pci_core_read: !count -> 0 [obs 6.1 A4] */
	EXPECT_EQ(0, pread(b.devfd, buf, 0, TEST_CONFIG_OFFSET));
	/* vfio_pci_core.c:vfio_pci_core_write: !count -> 0 [obs 6.1 A4] */
	EXPECT_EQ(0, pwrite(b.devfd, buf, 0, TEST_CONFIG_OFFSET));
	/* read() at f_pos 0 is BAR0 offset 0: the edu id register [obs 6.1 A5] */
	EXPECT_EQ(4, read(b.devfd, &val, sizeof(val)));
	/*
	 * reset stays EINVAL: edu on the root bus has no reset method
	 * (vfio_pci_core.c:vfio_pci_ioctl_reset !reset_works) [obs 6.1 root A7]
	 */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_RESET, 0));
}

/* ======================= BIND argument checks ======================= */

TEST(cdev, edu, bind_argsz_short_einval)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_bind_iommufd bind = {
		.argsz = 15, .iommufd = ictx,
	};

	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: user_size < minsz(16) -> -EINVAL */
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	bind.argsz = 0;
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	/* the failed binds left the fd blocked (vfio_main.c:vfio_device_fops_unl_ioctl) */
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_tail_nonzero_e2big)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct {
		struct vfio_device_bind_iommufd bind;
		uint8_t tail[8];
	} arg = {
		.bind = { .argsz = sizeof(arg), .iommufd = ictx },
	};

	_Static_assert(sizeof(arg) == 24 + 8, "bind + 8-byte tail");
	arg.tail[0] = 1;
	/*
	 * device_cdev.c:vfio_df_ioctl_bind_iommufd: copy_struct_from_user(
	 * &bind, sizeof(bind), arg, user_size) -> -E2BIG for a non-zero byte
	 * past the 24 the kernel knows
	 */
	EXPECT_ERRNO(E2BIG, bind_raw(devfd, &arg));
	arg.tail[0] = 0;
	arg.tail[7] = 0x80;
	EXPECT_ERRNO(E2BIG, bind_raw(devfd, &arg));
	/* still blocked (vfio_main.c:vfio_device_fops_unl_ioctl) */
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_tail_zero_ok)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_info info;
	struct {
		struct vfio_device_bind_iommufd bind;
		uint8_t tail[8];
	} arg = {
		.bind = { .argsz = sizeof(arg), .iommufd = ictx },
	};

	/* include/linux/uaccess.h:copy_struct_from_user: a zero tail is fine */
	ASSERT_OK(bind_raw(devfd, &arg));
	/* iommufd/main.c:_iommufd_object_alloc: first object of a fresh ctx is id 1 */
	EXPECT_EQ(1, arg.bind.out_devid);
	get_info_ok(devfd, &info);
}

TEST(cdev, edu, bind_argsz_16_ok)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_info info;
	struct vfio_device_bind_iommufd bind = {
		.argsz = 16, .iommufd = ictx,
		.token_uuid_ptr = 0,
	};

	/*
	 * device_cdev.c:vfio_df_ioctl_bind_iommufd: minsz is offsetofend(
	 * out_devid) = 16; a shorter user struct is zero-filled
	 */
	ASSERT_OK(bind_raw(devfd, &bind));
	EXPECT_EQ(1, bind.out_devid);
	get_info_ok(devfd, &info);
}

TEST(cdev, edu, bind_uuid_ptr_without_token_flag_ok)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .flags = 0, .iommufd = ictx,
		.token_uuid_ptr = 0xdead0000beefULL,
	};

	/*
	 * device_cdev.c:vfio_df_check_token reads token_uuid_ptr only with
	 * VFIO_DEVICE_BIND_FLAG_TOKEN; since the copy_struct_from_user(
	 * sizeof(bind)) fix the field is inside the known struct, so a stale
	 * pointer without the flag is ignored (the pre-fix kernel, which
	 * checked zeroes past byte 16, said E2BIG)
	 */
	ASSERT_OK(bind_raw(devfd, &bind));
}

TEST(cdev, edu, bind_unknown_flag_einval)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .flags = 1u << 1, .iommufd = ictx,
	};

	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: flags & ~VALID_FLAGS -> -EINVAL */
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	bind.flags = 1u << 31;
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_token_on_non_sriov_einval)
{
	static const uint8_t uuid[16] = {
		0x5c, 0x1f, 0x7c, 0x0e, 0x3a, 0x44, 0x4b, 0x8d,
		0x9e, 0x21, 0x6f, 0x70, 0x31, 0x2a, 0x40, 0x01,
	};
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
		.iommufd = ictx, .token_uuid_ptr = (uintptr_t)uuid,
	};

	/*
	 * device_cdev.c:vfio_df_check_token -> vfio_pci_core.c:
	 * vfio_pci_core_match_token_uuid: neither VF nor PF with a VF token,
	 * and a token given -> -EINVAL ("VF token incorrectly provided")
	 */
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	get_info_err(EINVAL, devfd);
	/* the device was not opened: a plain bind still works */
	bind_ok(devfd, ictx, NULL);
}

TEST(cdev, edu, bind_token_bad_uuid_ptr_efault)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
		.iommufd = ictx, .token_uuid_ptr = 8,
	};

	/*
	 * device_cdev.c:vfio_df_check_token: vfio-pci has match_token_uuid,
	 * so with the flag the 16-byte UUID is copied first -> -EFAULT
	 */
	EXPECT_ERRNO(EFAULT, bind_raw(devfd, &bind));
}

TEST(cdev, edu, bind_negative_iommufd_einval)
{
	int devfd = open_cdev();

	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: bind.iommufd < 0 -> -EINVAL */
	bind_err(EINVAL, devfd, -2);
	bind_err(EINVAL, devfd, -1);
}

TEST(cdev, edu, bind_closed_fd_ebadf)
{
	int devfd = open_cdev();
	int fd = closed_fd();

	/* iommufd/main.c:iommufd_ctx_from_fd: fget() fails -> -EBADF */
	bind_err(EBADF, devfd, fd);
	bind_err(EBADF, devfd, 1000);
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_non_iommufd_ebadfd)
{
	int devfd = open_cdev();
	int nullfd = open("/dev/null", O_RDWR);
	int pipefd[2];

	ASSERT_TRUE(nullfd >= 0);
	ASSERT_OK(pipe(pipefd));
	/* iommufd/main.c:iommufd_ctx_from_fd: f_op != &iommufd_fops -> -EBADFD */
	bind_err(EBADFD, devfd, nullfd);
	bind_err(EBADFD, devfd, pipefd[0]);
	bind_err(EBADFD, devfd, pipefd[1]);
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_own_device_fd_ebadfd)
{
	int devfd = open_cdev();
	int other = open_cdev();

	/* iommufd/main.c:iommufd_ctx_from_fd: a vfio device file is not iommufd -> -EBADFD */
	bind_err(EBADFD, devfd, devfd);
	bind_err(EBADFD, devfd, other);
}

TEST(cdev, edu, bind_null_arg_efault)
{
	int devfd = open_cdev();

	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: get_user(argsz) fails -> -EFAULT */
	EXPECT_ERRNO(EFAULT, bind_raw(devfd, NULL));
	get_info_err(EINVAL, devfd);
}

TEST(cdev, edu, bind_twice_einval)
{
	struct bound b = setup_bound();
	int ictx2 = open_iommufd();
	struct vfio_device_info info;

	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: df->access_granted -> -EINVAL */
	bind_err(EINVAL, b.devfd, b.ictx);
	/* ...whichever iommufd is named */
	bind_err(EINVAL, b.devfd, ictx2);
	/* the first bind is intact: the fd works and the device is still held */
	get_info_ok(b.devfd, &info);
	/* iommufd/device.c:iommufd_device_bind: VFIO holds a user -> DESTROY is -EBUSY */
	destroy_err(EBUSY, b.ictx, b.devid);
}

TEST(cdev, edu, bind_second_fd_einval)
{
	struct bound b = setup_bound();
	int ictx2 = open_iommufd();
	int fd2 = open_cdev();
	struct vfio_device_info info;

	/*
	 * vfio_main.c:vfio_df_open: open_count != 0 && !df->group -> -EINVAL
	 * (the cdev path opens a device once)
	 */
	bind_err(EINVAL, fd2, b.ictx);
	bind_err(EINVAL, fd2, ictx2);
	/* the second fd stays blocked; the first is untouched */
	get_info_err(EINVAL, fd2);
	get_info_ok(b.devfd, &info);
	destroy_err(EBUSY, b.ictx, b.devid);
}

TEST(cdev, edu, bind_after_first_fd_closed_ok)
{
	struct bound b = setup_bound();
	uint32_t devid2 = 0;
	int fd2;

	/* device_cdev.c:vfio_df_unbind_iommufd runs at release: close unbinds */
	ASSERT_OK(close(b.devfd));
	fd2 = open_cdev();
	bind_ok(fd2, b.ictx, &devid2);
	/*
	 * iommufd/main.c:_iommufd_object_alloc takes the lowest free id, and
	 * the unbind freed the old device object's id
	 */
	EXPECT_EQ(b.devid, devid2);
}

TEST(cdev, edu, bind_checks_in_kernel_order)
{
	static const uint8_t uuid[16] = { 1, 2, 3, 4 };
	int devfd = open_cdev();
	int nullfd = open("/dev/null", O_RDWR);
	int gone = closed_fd();
	struct {
		struct vfio_device_bind_iommufd bind;
		uint8_t tail[8];
	} arg = {
		.bind = { .argsz = sizeof(arg), .flags = 1u << 5, .iommufd = -2 },
		.tail = { 0xff },
	};
	struct vfio_device_bind_iommufd bind;
	struct bound b;
	int fd2;

	ASSERT_TRUE(nullfd >= 0);
	/*
	 * device_cdev.c:vfio_df_ioctl_bind_iommufd: copy_struct_from_user
	 * (E2BIG) comes before the flags and iommufd checks (EINVAL)
	 */
	EXPECT_ERRNO(E2BIG, bind_raw(devfd, &arg));

	/* vfio_df_check_token (EINVAL) comes before iommufd_ctx_from_fd (EBADF) */
	bind = (struct vfio_device_bind_iommufd){
		.argsz = sizeof(bind), .flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
		.iommufd = gone, .token_uuid_ptr = (uintptr_t)uuid,
	};
	EXPECT_ERRNO(EINVAL, bind_raw(devfd, &bind));
	close(devfd);

	b = setup_bound();
	/* the access_granted check (EINVAL) comes before the iommufd lookup (EBADFD) */
	bind_err(EINVAL, b.devfd, nullfd);
	/* ...and before the token copy (EFAULT) */
	bind = (struct vfio_device_bind_iommufd){
		.argsz = sizeof(bind), .flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
		.iommufd = b.ictx, .token_uuid_ptr = 8,
	};
	EXPECT_ERRNO(EINVAL, bind_raw(b.devfd, &bind));

	/* iommufd_ctx_from_fd (EBADFD) comes before vfio_df_open's open_count (EINVAL) */
	fd2 = open_cdev();
	bind_err(EBADFD, fd2, nullfd);
	bind_err(EINVAL, fd2, b.ictx);
}

/* ======================= BIND write-back ======================= */

TEST(cdev, edu, bind_writes_only_out_devid)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	/* argsz 40: the 24-byte struct, a 16-byte zero tail; 8 bytes beyond */
	union {
		uint8_t bytes[48];
		struct vfio_device_bind_iommufd bind;
	} arg, before;

	memset(&arg, 0xcc, sizeof(arg));
	memset(arg.bytes + 24, 0, 16);
	arg.bind.argsz = 40;
	arg.bind.flags = 0;
	arg.bind.iommufd = ictx;
	arg.bind.out_devid = 0xaaaaaaaa;
	arg.bind.token_uuid_ptr = 0x5555555555555555ULL;
	before = arg;

	ASSERT_OK(bind_raw(devfd, &arg));
	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: copy_to_user(&arg->out_devid) only */
	EXPECT_EQ(0, memcmp(arg.bytes, before.bytes, 12));
	EXPECT_EQ(0, memcmp(arg.bytes + 16, before.bytes + 16, 48 - 16));
	EXPECT_EQ(40, arg.bind.argsz);
	EXPECT_EQ(0x5555555555555555ULL, arg.bind.token_uuid_ptr);
	/* iommufd/main.c:_iommufd_object_alloc: the device is the ctx's first object */
	EXPECT_EQ(1, arg.bind.out_devid);
	/* and it is a real, held object (iommufd/device.c:iommufd_device_bind) */
	destroy_err(EBUSY, ictx, arg.bind.out_devid);
}

/* ======================= after BIND: vfio-pci ======================= */

TEST(cdev, edu, get_info_pci_9_regions_5_irqs)
{
	struct bound b = setup_bound();
	struct vfio_device_info info;

	memset(&info, 0xaa, sizeof(info));
	info.argsz = sizeof(info);
	ASSERT_OK(ioctl(b.devfd, VFIO_DEVICE_GET_INFO, &info));
	/*
	 * vfio_pci_core.c:vfio_pci_ioctl_get_info: flags = PCI, + RESET only
	 * if reset_works: none at the root bus [obs 6.1 root A1: flags 0x2]
	 */
	EXPECT_EQ(0x2, info.flags);
	/* VFIO_PCI_NUM_REGIONS + vdev->num_regions (0 for edu) */
	EXPECT_EQ(9, info.num_regions);
	/* VFIO_PCI_NUM_IRQS */
	EXPECT_EQ(5, info.num_irqs);
	/* argsz is never rewritten without caps (B5) */
	EXPECT_EQ(24, info.argsz);
	/* info = {} is copied back min(argsz, 24) bytes: no caps -> cap_offset 0 */
	EXPECT_EQ(0, info.cap_offset);
}

TEST(cdev, edu, region_info_config_256_rw)
{
	struct bound b = setup_bound();
	struct vfio_region_info info;

	ASSERT_OK(_get_region_info(b.devfd, 7, &info));
	/* vfio_pci_core.c:vfio_pci_ioctl_get_region_info: offset = index << 40 */
	EXPECT_EQ(7ULL << 40, info.offset);
	/* conventional PCI: cfg_size 256 [obs 6.1 A2] */
	EXPECT_EQ(256, info.size);
	/* config is READ|WRITE, never MMAP [obs 6.1 A2: flags 0x3] */
	EXPECT_EQ(0x3, info.flags);
}

TEST(cdev, edu, config_ids_match_sysfs)
{
	struct bound b = setup_bound();
	unsigned int sys_vendor = 0, sys_device = 0;
	uint16_t vendor, device;

	/* vfio_pci_config.c: vendor/device read through from the device [obs 6.1 A4] */
	vendor = cfg_read16(b.devfd, TEST_PCI_VENDOR_ID);
	device = cfg_read16(b.devfd, TEST_PCI_DEVICE_ID);
	EXPECT_EQ(TEST_EDU_VENDOR, vendor);
	EXPECT_EQ(TEST_EDU_DEVICE, device);
	/* drivers/pci/pci-sysfs.c: vendor/device attributes print "0x%04x" [obs 6.1 A8] */
	ASSERT_EQ(1, sysfs_scan(TEST_SYSFS_DEV "/vendor", "%x", &sys_vendor));
	ASSERT_EQ(1, sysfs_scan(TEST_SYSFS_DEV "/device", "%x", &sys_device));
	EXPECT_EQ(sys_vendor, vendor);
	EXPECT_EQ(sys_device, device);
}

TEST(cdev, edu, config_command_master_set_sticks)
{
	struct bound b = setup_bound();
	uint16_t cmd, after;

	cmd = cfg_read16(b.devfd, TEST_PCI_COMMAND);
	/*
	 * a freshly opened device has bus mastering off: COMMAND 0x0103
	 * [obs 6.1 A4]
	 */
	EXPECT_EQ(0, cmd & TEST_PCI_COMMAND_MASTER);
	cfg_write16(b.devfd, TEST_PCI_COMMAND, cmd | TEST_PCI_COMMAND_MASTER);
	after = cfg_read16(b.devfd, TEST_PCI_COMMAND);
	/* vfio_pci_config.c:vfio_basic_config_write: MASTER is writable [obs 6.1 A4] */
	EXPECT_EQ(cmd | TEST_PCI_COMMAND_MASTER, after);
	/* and clearing it again sticks too */
	cfg_write16(b.devfd, TEST_PCI_COMMAND, cmd);
	EXPECT_EQ(cmd, cfg_read16(b.devfd, TEST_PCI_COMMAND));
}

/* ======================= devid is an iommufd object ======================= */

TEST(cdev, edu, destroy_bound_devid_ebusy)
{
	struct bound b = setup_bound();
	struct vfio_device_info info;

	/*
	 * iommufd/device.c:iommufd_device_bind takes a user for VFIO, so
	 * iommufd/main.c:iommufd_object_remove's refcount_dec_if_one fails
	 */
	destroy_err(EBUSY, b.ictx, b.devid);
	destroy_err(EBUSY, b.ictx, b.devid);
	/* the failed destroy changed nothing */
	get_info_ok(b.devfd, &info);
}

TEST(cdev, edu, destroy_devid_after_close_enoent)
{
	struct bound b = setup_bound();

	ASSERT_OK(close(b.devfd));
	/*
	 * device_cdev.c:vfio_df_unbind_iommufd -> vfio_iommufd.c:
	 * vfio_iommufd_physical_unbind -> iommufd_device_unbind destroys the
	 * object; iommufd/main.c:iommufd_object_remove: no object -> -ENOENT
	 */
	destroy_err(ENOENT, b.ictx, b.devid);
}

/* ======================= ATTACH_IOMMUFD_PT ======================= */

TEST(cdev, edu, attach_argsz_short_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_attach_iommufd_pt attach = { .argsz = 11 };
	uint32_t ioas;

	ioas_alloc_ok(b.ictx, &ioas);
	attach.pt_id = ioas;
	/* device_cdev.c:vfio_df_ioctl_attach_pt: argsz < minsz(12) -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	/* nothing attached: no HWPT holds the IOAS */
	destroy_ok(b.ictx, ioas);
}

TEST(cdev, edu, attach_unknown_flag_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach), .flags = 1u << 1,
	};
	uint32_t ioas;

	ioas_alloc_ok(b.ictx, &ioas);
	attach.pt_id = ioas;
	/* device_cdev.c:vfio_df_ioctl_attach_pt: flags & ~ATTACH_PASID -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	destroy_ok(b.ictx, ioas);
}

TEST(cdev, edu, attach_pasid_short_argsz_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = 12, .flags = VFIO_DEVICE_ATTACH_PASID,
	};
	uint32_t ioas;

	ioas_alloc_ok(b.ictx, &ioas);
	attach.pt_id = ioas;
	/*
	 * device_cdev.c:vfio_df_ioctl_attach_pt: vfio-pci has
	 * pasid_attach_ioas (drivers/vfio/pci/vfio_pci.c:vfio_pci_ops), so no
	 * EOPNOTSUPP; then argsz < offsetofend(pasid)(16) -> -EINVAL
	 */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	destroy_ok(b.ictx, ioas);
}

TEST(cdev, edu, attach_missing_pt_enoent)
{
	struct bound b = setup_bound();

	/* iommufd/device.c:iommufd_device_change_pt: iommufd_get_object fails -> -ENOENT */
	attach_err(ENOENT, b.devfd, UINT32_MAX);
	attach_err(ENOENT, b.devfd, 0);
	attach_err(ENOENT, b.devfd, b.devid + 1);
}

TEST(cdev, edu, attach_device_id_einval)
{
	struct bound b = setup_bound();

	/* iommufd/device.c:iommufd_device_change_pt: not IOAS/HWPT -> default: -EINVAL */
	attach_err(EINVAL, b.devfd, b.devid);
}

TEST(cdev, edu, attach_ioas_returns_new_hwpt)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	union {
		uint8_t bytes[24];
		struct vfio_device_attach_iommufd_pt attach;
	} arg, before;
	uint32_t ioas, devid;

	ioas_alloc_ok(ictx, &ioas);	/* id 1 */
	bind_ok(devfd, ictx, &devid);	/* id 2 */
	memset(&arg, 0xcc, sizeof(arg));
	arg.attach.argsz = 24;
	arg.attach.flags = 0;
	arg.attach.pt_id = ioas;
	arg.attach.pasid = 0xdeadbeef;
	before = arg;

	ASSERT_OK(ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &arg));
	/*
	 * iommufd/device.c:iommufd_device_auto_get_domain allocates an auto
	 * HWPT and sets *pt_id to it: lowest free id after IOAS 1, device 2
	 */
	EXPECT_EQ(1, ioas);
	EXPECT_EQ(2, devid);
	EXPECT_EQ(3, arg.attach.pt_id);
	EXPECT_TRUE(arg.attach.pt_id != ioas && arg.attach.pt_id != devid);
	/* device_cdev.c:vfio_df_ioctl_attach_pt: copy_to_user(&arg->pt_id) only */
	EXPECT_EQ(0, memcmp(arg.bytes, before.bytes, 8));
	EXPECT_EQ(0, memcmp(arg.bytes + 12, before.bytes + 12, 12));
	/* the HWPT is a real object the device holds */
	destroy_err(EBUSY, ictx, arg.attach.pt_id);
}

TEST(cdev, edu, attach_same_ioas_same_hwpt)
{
	struct bound b = setup_bound();
	uint32_t ioas, hwpt1, hwpt2;

	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt1);
	/*
	 * vfio_iommufd.c:vfio_iommufd_physical_attach_ioas replaces when
	 * attached; iommufd_device_auto_get_domain reuses the IOAS's auto
	 * HWPT, and replacing with the same HWPT is a no-op
	 */
	attach_ok(b.devfd, ioas, &hwpt2);
	EXPECT_EQ(hwpt1, hwpt2);
	/* ...and attaching by the HWPT id itself is the same HWPT again */
	attach_ok(b.devfd, hwpt1, &hwpt2);
	EXPECT_EQ(hwpt1, hwpt2);
	destroy_err(EBUSY, b.ictx, hwpt1);
}

TEST(cdev, edu, attach_second_ioas_replaces_old_hwpt)
{
	struct bound b = setup_bound();
	uint32_t ioas_a, ioas_b, hwpt_a, hwpt_b;

	ioas_alloc_ok(b.ictx, &ioas_a);
	ioas_alloc_ok(b.ictx, &ioas_b);
	attach_ok(b.devfd, ioas_a, &hwpt_a);
	attach_ok(b.devfd, ioas_b, &hwpt_b);
	/* iommufd/device.c:iommufd_device_auto_get_domain: a new auto HWPT for B */
	EXPECT_TRUE(hwpt_b != hwpt_a);
	/*
	 * iommufd/device.c:iommufd_device_do_replace returns the old HWPT and
	 * iommufd_hw_pagetable_put destroys an auto domain nobody uses
	 */
	destroy_err(ENOENT, b.ictx, hwpt_a);
	/* with its HWPT gone, nothing holds IOAS A any more */
	destroy_ok(b.ictx, ioas_a);
	/* B is in use */
	destroy_err(EBUSY, b.ictx, hwpt_b);
	destroy_err(EBUSY, b.ictx, ioas_b);
}

TEST(cdev, edu, destroy_attached_ioas_and_hwpt_ebusy)
{
	struct bound b = setup_bound();
	uint32_t ioas, hwpt;

	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt);
	/*
	 * iommufd/hw_pagetable.c:iommufd_hwpt_paging_alloc takes a user of
	 * the IOAS -> iommufd/main.c:iommufd_object_remove -EBUSY
	 */
	destroy_err(EBUSY, b.ictx, ioas);
	/* iommufd/device.c:iommufd_hw_pagetable_attach takes a user of the HWPT */
	destroy_err(EBUSY, b.ictx, hwpt);
	/* both survive the failed destroys: the device is still attached */
	destroy_err(EBUSY, b.ictx, hwpt);
}

TEST(cdev, edu, detach_frees_auto_hwpt)
{
	struct bound b = setup_bound();
	uint32_t ioas, hwpt, hwpt2;

	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt);
	detach_ok(b.devfd);
	/*
	 * iommufd_private.h:iommufd_hw_pagetable_put: an auto domain dies
	 * with its last device -> iommufd/main.c:iommufd_object_remove -ENOENT
	 */
	destroy_err(ENOENT, b.ictx, hwpt);
	/* and the IOAS is free to go; re-alloc and re-attach gets the id back */
	destroy_ok(b.ictx, ioas);
	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt2);
	/* iommufd/main.c:_iommufd_object_alloc: lowest free id */
	EXPECT_EQ(hwpt, hwpt2);
}

/* ======================= DETACH_IOMMUFD_PT ======================= */

TEST(cdev, edu, detach_argsz_short_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_detach_iommufd_pt detach = { .argsz = 7 };
	uint32_t ioas, hwpt;

	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt);
	/* device_cdev.c:vfio_df_ioctl_detach_pt: argsz < minsz(8) -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	/* still attached */
	destroy_err(EBUSY, b.ictx, hwpt);
}

TEST(cdev, edu, detach_unknown_flag_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach), .flags = 1u << 1,
	};
	uint32_t ioas, hwpt;

	ioas_alloc_ok(b.ictx, &ioas);
	attach_ok(b.devfd, ioas, &hwpt);
	/* device_cdev.c:vfio_df_ioctl_detach_pt: flags & ~DETACH_PASID -> -EINVAL */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	destroy_err(EBUSY, b.ictx, hwpt);
}

TEST(cdev, edu, detach_pasid_short_argsz_einval)
{
	struct bound b = setup_bound();
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = 8, .flags = VFIO_DEVICE_DETACH_PASID,
	};

	/*
	 * device_cdev.c:vfio_df_ioctl_detach_pt: vfio-pci has
	 * pasid_detach_ioas (drivers/vfio/pci/vfio_pci.c:vfio_pci_ops), so no
	 * EOPNOTSUPP; then argsz < offsetofend(pasid)(12) -> -EINVAL
	 */
	EXPECT_ERRNO(EINVAL, ioctl(b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
}

TEST(cdev, edu, detach_pasid_not_attached_ok)
{
	struct bound b = setup_bound();
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach), .flags = VFIO_DEVICE_DETACH_PASID,
		.pasid = 1,
	};

	/*
	 * vfio_iommufd.c:vfio_iommufd_physical_pasid_detach_ioas returns
	 * early for a PASID that is not attached; the ioctl returns 0
	 */
	ASSERT_OK(ioctl(b.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
}

TEST(cdev, edu, detach_not_attached_ok)
{
	struct bound b = setup_bound();

	/* vfio_iommufd.c:vfio_iommufd_physical_detach_ioas: !iommufd_attached -> return */
	ASSERT_OK(_detach(b.devfd));
	ASSERT_OK(_detach(b.devfd));
}

/* ======================= dup and close ======================= */

TEST(cdev, edu, dup_of_blocked_fd_is_blocked)
{
	int devfd = open_cdev();
	int dupfd = dup(devfd);

	ASSERT_TRUE(dupfd >= 0);
	/*
	 * fs/file.c:dup shares the struct file, whose private_data is the one
	 * vfio_device_file: vfio_main.c:vfio_device_fops_unl_ioctl -> -EINVAL
	 */
	get_info_err(EINVAL, dupfd);
}

TEST(cdev, edu, dup_bind_grants_original)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	int dupfd = dup(devfd);
	struct vfio_device_info info;
	uint32_t devid;

	ASSERT_TRUE(dupfd >= 0);
	bind_ok(dupfd, ictx, &devid);
	/* one open file, one df: access_granted is shared */
	get_info_ok(devfd, &info);
	/* device_cdev.c:vfio_df_ioctl_bind_iommufd: the shared df is granted -> -EINVAL */
	bind_err(EINVAL, devfd, ictx);
}

TEST(cdev, edu, dup_survives_close_of_original)
{
	int ictx = open_iommufd();
	int devfd = open_cdev();
	int dupfd = dup(devfd);
	struct vfio_device_info info;
	uint32_t devid;

	ASSERT_TRUE(dupfd >= 0);
	bind_ok(devfd, ictx, &devid);
	ASSERT_OK(close(devfd));
	/* vfio_main.c:vfio_device_fops_release runs at the last fput only */
	get_info_ok(dupfd, &info);
	destroy_err(EBUSY, ictx, devid);
	ASSERT_OK(close(dupfd));
	/* now the release unbound the device and its object is gone */
	destroy_err(ENOENT, ictx, devid);
}

/* ======================= node identity ======================= */

TEST(cdev, edu, fstat_chr_rdev_matches_sysfs)
{
	int devfd = open_cdev();
	unsigned int maj = 0, min = 0;
	struct stat st;

	ASSERT_OK(fstat(devfd, &st));
	/* device_cdev.c:vfio_init_device_cdev: a char device, MKDEV(vfio-dev major, index) */
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* drivers/base/core.c:dev_show: "dev" is "%u:%u" of devt */
	ASSERT_EQ(2, sysfs_scan(TEST_SYSFS_DEV "/vfio-dev/vfio0/dev", "%u:%u",
				&maj, &min));
	EXPECT_EQ(makedev(maj, min), st.st_rdev);
}

TEST(cdev, edu, sysfs_vfio_dev_has_one_vfio_entry)
{
	DIR *dir = opendir(TEST_SYSFS_DEV "/vfio-dev");
	struct dirent *de;
	char name[256] = "";
	int n = 0;

	ASSERT_TRUE(dir != NULL);
	/*
	 * vfio_main.c:vfio_register_group_dev -> device_add of the vfio-dev
	 * class device "vfio%d" as a child of the PCI device: one per device
	 */
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "vfio", 4)) {
			n++;
			snprintf(name, sizeof(name), "%s", de->d_name);
		}
	}
	closedir(dir);
	EXPECT_EQ(1, n);
	/* and it is the node we open */
	EXPECT_EQ(0, strcmp(name, "vfio0"));
}

/* ======================= two devices ======================= */

TEST(cdev, two_devices, share_auto_hwpt_on_one_ioas)
{
	int ictx, fd0, fd1;
	uint32_t ioas, dev0, dev1, hwpt0, hwpt1;

	if (!path_exists(TEST_CDEV2))
		SKIP("needs a second device: " TEST_CDEV2 " does not exist "
		     "(run with --device edu --device edu)");
	ictx = open_iommufd();
	fd0 = open_cdev();
	fd1 = open_cdev_path(TEST_CDEV2);
	ioas_alloc_ok(ictx, &ioas);
	bind_ok(fd0, ictx, &dev0);
	bind_ok(fd1, ictx, &dev1);
	/* iommufd/main.c:_iommufd_object_alloc: distinct objects, one namespace */
	EXPECT_TRUE(dev0 != dev1);
	attach_ok(fd0, ioas, &hwpt0);
	attach_ok(fd1, ioas, &hwpt1);
	/*
	 * iommufd/device.c:iommufd_device_auto_get_domain: the IOAS's existing
	 * auto HWPT is tried first and reused when compatible
	 */
	EXPECT_EQ(hwpt0, hwpt1);
	/* one device leaving keeps it (iommufd_hw_pagetable_put: users > 1) */
	detach_ok(fd0);
	destroy_err(EBUSY, ictx, hwpt0);
	/* the last one destroys it */
	detach_ok(fd1);
	destroy_err(ENOENT, ictx, hwpt0);
}

/*
 * copy_struct_from_user() with a huge argsz: a non-zero byte in the tail
 * before an inaccessible page is E2BIG, found before the hole would be EFAULT
 * (check_zeroed_user() reads word by word).
 */
TEST(cdev, edu, bind_tail_nonzero_before_hole_e2big)
{
	long page = sysconf(_SC_PAGESIZE);
	char *mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vfio_device_bind_iommufd *bind;
	int devfd = open_cdev(), iommufd = open_iommufd();

	ASSERT_TRUE(mem != MAP_FAILED);
	/* An inaccessible page that nothing else can be mapped into. */
	ASSERT_OK(mprotect(mem + page, page, PROT_NONE));
	bind = (void *)(mem + page - sizeof(*bind) - 16);
	memset(bind, 0, sizeof(*bind) + 16);
	bind->argsz = 0xffffffff;
	bind->iommufd = iommufd;
	mem[page - 8] = 1;
	EXPECT_ERRNO(E2BIG, ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, bind));
	/* All zero up to the hole: now the hole answers. */
	mem[page - 8] = 0;
	EXPECT_ERRNO(EFAULT, ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, bind));
}
