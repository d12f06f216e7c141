// SPDX-License-Identifier: MIT
/*
 * The legacy path: /dev/vfio/vfio, /dev/vfio/<group> and group-path device
 * fds, through raw syscalls. Expectations were checked on a real Linux 6.1
 * host with QEMU's edu bound to vfio-pci (docs/reference-kernel-answers.md
 * A0, A8, A9); where current kernels answer differently from 6.1, the test
 * follows the current kernel and says so.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "vfio_test_util.h"

#define TEST_CONTAINER	"/dev/vfio/vfio"

/* The IOMMU group of the test device, from its sysfs iommu_group link. */
static int test_group_id(void)
{
	char link[PATH_MAX];
	ssize_t n = readlink(TEST_SYSFS_DEV "/iommu_group", link,
			     sizeof(link) - 1);

	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	return atoi(basename(link));
}

static int open_group(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());
	fd = open(path, O_RDWR);
	if (fd < 0) {
		harness_report("open(%s): %s", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static int open_container(void)
{
	int fd = open(TEST_CONTAINER, O_RDWR);

	ASSERT_TRUE(fd >= 0);
	return fd;
}

static uint32_t group_status(int groupfd)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };

	ASSERT_OK(ioctl(groupfd, VFIO_GROUP_GET_STATUS, &status));
	return status.flags;
}

static int _set_container(int groupfd, int containerfd)
{
	return ioctl(groupfd, VFIO_GROUP_SET_CONTAINER, &containerfd);
}

/* Group and container set up to the point of GET_DEVICE_FD. */
struct legacy {
	int container, group;
};

static struct legacy legacy_setup(unsigned long iommu_type)
{
	struct legacy l = { open_container(), open_group() };

	ASSERT_OK(_set_container(l.group, l.container));
	ASSERT_OK(ioctl(l.container, VFIO_SET_IOMMU, iommu_type));
	return l;
}

static int get_device_fd(int groupfd)
{
	return ioctl(groupfd, VFIO_GROUP_GET_DEVICE_FD, TEST_BDF);
}

/* container.c: VFIO_GET_API_VERSION answers VFIO_API_VERSION, 0. */
TEST(container, edu, api_version_zero)
{
	int c = open_container();

	EXPECT_EQ(VFIO_API_VERSION, ioctl(c, VFIO_GET_API_VERSION));
}

/*
 * Before SET_IOMMU the registered drivers answer: type1 supports TYPE1,
 * TYPE1v2 and UNMAP_ALL; anything unknown is 0, never negative (DPDK
 * treats a negative as fatal).
 */
TEST(container, edu, check_extension_before_set_iommu)
{
	int c = open_container();

	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	EXPECT_EQ(1, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_EEH));
	/* Needs an IOMMU: vfio_iommu_type1_check_extension(NULL, ...). */
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU));
	EXPECT_EQ(0, ioctl(c, VFIO_CHECK_EXTENSION, 99));
}

/* After SET_IOMMU the driver answers for its own state. */
TEST(container, edu, check_extension_after_set_iommu)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);

	EXPECT_EQ(1, ioctl(l.container, VFIO_CHECK_EXTENSION,
			   VFIO_UPDATE_VADDR));
	EXPECT_EQ(1, ioctl(l.container, VFIO_CHECK_EXTENSION,
			   VFIO_TYPE1_IOMMU));
	EXPECT_EQ(0, ioctl(l.container, VFIO_CHECK_EXTENSION, 99));
}

/* vfio_ioctl_set_iommu(): an empty container cannot take an IOMMU. */
TEST(container, edu, set_iommu_without_group_einval)
{
	int c = open_container();

	EXPECT_ERRNO(EINVAL, ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
}

/* No driver takes an unknown type: ENODEV; a second SET_IOMMU: EINVAL. */
TEST(container, edu, set_iommu_unknown_enodev_twice_einval)
{
	int c = open_container(), g = open_group();

	ASSERT_OK(_set_container(g, c));
	EXPECT_ERRNO(ENODEV, ioctl(c, VFIO_SET_IOMMU, 99));
	ASSERT_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_ERRNO(EINVAL, ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
}

/* Without an IOMMU driver every other container ioctl is EINVAL. */
TEST(container, edu, get_info_before_set_iommu_einval)
{
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	int c = open_container(), g = open_group();

	EXPECT_ERRNO(EINVAL, ioctl(c, VFIO_IOMMU_GET_INFO, &info));
	ASSERT_OK(_set_container(g, c));
	EXPECT_ERRNO(EINVAL, ioctl(c, VFIO_IOMMU_GET_INFO, &info));
}

/* With type1 set, an unknown ioctl reaches type1, which says ENOTTY. */
TEST(container, edu, unknown_ioctl_with_type1_enotty)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);

	EXPECT_ERRNO(ENOTTY, ioctl(l.container, _IO(';', 200)));
}

/*
 * vfio_iommu_type1_get_info() with a buffer too small for the caps: argsz
 * grows to the size needed and only the fixed part's first argsz bytes
 * come back (cap_offset untouched).
 */
TEST(container, edu, type1_get_info_argsz_grows)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_info info;

	memset(&info, 0xaa, sizeof(info));
	info.argsz = offsetof(struct vfio_iommu_type1_info, cap_offset);
	ASSERT_OK(ioctl(l.container, VFIO_IOMMU_GET_INFO, &info));
	EXPECT_TRUE(info.argsz > sizeof(info));
	EXPECT_EQ(VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS, info.flags);
	/* 4K, 2M and 1G pages, as the reference host's Intel IOMMU. */
	EXPECT_EQ(0x40201000, info.iova_pgsizes);
	EXPECT_EQ(0xaaaaaaaa, info.cap_offset);
}

static const struct vfio_info_cap_header *
cap_at(const void *buf, uint32_t offset)
{
	return (const void *)((const char *)buf + offset);
}

/*
 * The full chain, in the kernel's build order: MIGRATION, DMA_AVAIL,
 * IOVA_RANGE. The IOVA ranges leave out the x86 MSI window.
 */
TEST(container, edu, type1_get_info_cap_chain)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	const struct vfio_iommu_type1_info_cap_iova_range *range;
	const struct vfio_iommu_type1_info_dma_avail *avail;
	const struct vfio_iommu_type1_info_cap_migration *mig;
	const struct vfio_info_cap_header *hdr;
	struct vfio_iommu_type1_info *info;
	uint64_t buf[64] = {};

	info = (void *)buf;
	info->argsz = sizeof(buf);
	ASSERT_OK(ioctl(l.container, VFIO_IOMMU_GET_INFO, info));
	EXPECT_EQ(sizeof(buf), info->argsz);
	ASSERT_EQ(sizeof(*info), info->cap_offset);

	hdr = cap_at(buf, info->cap_offset);
	ASSERT_EQ(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, hdr->id);
	mig = (const void *)hdr;
	EXPECT_EQ(0x1000, mig->pgsize_bitmap);

	ASSERT_TRUE(hdr->next != 0);
	hdr = cap_at(buf, hdr->next);
	ASSERT_EQ(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, hdr->id);
	avail = (const void *)hdr;
	/* The dma_entry_limit module parameter's default. */
	EXPECT_EQ(65535, avail->avail);

	ASSERT_TRUE(hdr->next != 0);
	hdr = cap_at(buf, hdr->next);
	ASSERT_EQ(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, hdr->id);
	EXPECT_EQ(0, hdr->next);
	range = (const void *)hdr;
	ASSERT_EQ(2, range->nr_iovas);
	EXPECT_EQ(0, range->iova_ranges[0].start);
	EXPECT_EQ(0xfedfffff, range->iova_ranges[0].end);
	EXPECT_EQ(0xfef00000, range->iova_ranges[1].start);
	EXPECT_TRUE(range->iova_ranges[1].end > 0xfef00000);
}

/* GET_STATUS: exactly VIABLE, then exactly VIABLE|CONTAINER_SET. */
TEST(group, edu, status_viable_then_container_set)
{
	int c = open_container(), g = open_group();

	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, group_status(g));
	ASSERT_OK(_set_container(g, c));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET,
		  group_status(g));
	ASSERT_OK(ioctl(g, VFIO_GROUP_UNSET_CONTAINER));
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, group_status(g));
}

/* argsz below 8 is EINVAL; a larger argsz gets 8 bytes, argsz kept. */
TEST(group, edu, status_argsz_rules)
{
	struct { struct vfio_group_status s; uint32_t tail[2]; } big;
	struct vfio_group_status status = { .argsz = 7 };
	int g = open_group();

	EXPECT_ERRNO(EINVAL, ioctl(g, VFIO_GROUP_GET_STATUS, &status));
	memset(&big, 0xaa, sizeof(big));
	big.s.argsz = sizeof(big);
	ASSERT_OK(ioctl(g, VFIO_GROUP_GET_STATUS, &big));
	EXPECT_EQ(sizeof(big), big.s.argsz);
	EXPECT_EQ(VFIO_GROUP_FLAGS_VIABLE, big.s.flags);
	EXPECT_EQ(0xaaaaaaaa, big.tail[0]);
}

/* vfio_group_fops_open(): one opener at a time. */
TEST(group, edu, second_open_ebusy)
{
	char path[64];
	int g = open_group();

	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());
	EXPECT_ERRNO(EBUSY, open(path, O_RDWR));
	close(g);
	g = open(path, O_RDWR);
	EXPECT_TRUE(g >= 0);
}

/* SET_CONTAINER: twice is EINVAL; UNSET with none is EINVAL. */
TEST(group, edu, set_container_twice_unset_none_einval)
{
	int c = open_container(), g = open_group();

	EXPECT_ERRNO(EINVAL, ioctl(g, VFIO_GROUP_UNSET_CONTAINER));
	ASSERT_OK(_set_container(g, c));
	EXPECT_ERRNO(EINVAL, _set_container(g, c));
}

/*
 * A closed fd is EBADF; an open fd that is neither a container nor an
 * iommufd is EBADFD since Linux 6.2, which added iommufd as a container
 * (vfio_group_ioctl_set_container()); 6.1 answered EINVAL. /dev/iommu tells
 * the two apart.
 */
TEST(group, edu, set_container_bad_fds)
{
	int g = open_group(), null = open("/dev/null", O_RDWR);
	int not_container = access(TEST_IOMMU, F_OK) ? EINVAL : EBADFD;

	EXPECT_ERRNO(EBADF, _set_container(g, 1000));
	EXPECT_ERRNO(not_container, _set_container(g, null));
	EXPECT_ERRNO(not_container, _set_container(g, g));
	EXPECT_ERRNO(EFAULT, ioctl(g, VFIO_GROUP_SET_CONTAINER, NULL));
}

/* Without a container, or before SET_IOMMU, no device fd: EINVAL. */
TEST(group, edu, get_device_fd_needs_container_and_iommu)
{
	int c = open_container(), g = open_group();

	EXPECT_ERRNO(EINVAL, get_device_fd(g));
	ASSERT_OK(_set_container(g, c));
	EXPECT_ERRNO(EINVAL, get_device_fd(g));
	ASSERT_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	EXPECT_TRUE(get_device_fd(g) >= 0);
}

/* An unknown name is ENODEV, and so is the empty string. */
TEST(group, edu, get_device_fd_unknown_name_enodev)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);

	EXPECT_ERRNO(ENODEV, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD, "bogus"));
	EXPECT_ERRNO(ENODEV, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD, ""));
	EXPECT_ERRNO(EFAULT, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD, NULL));
}

/*
 * vfio_pci_core_match(): "BDF vf_token=UUID" parses, but a function that
 * is neither an SR-IOV PF nor a VF refuses a token (EINVAL); a malformed
 * option is EINVAL; extra spaces after the address are allowed.
 */
TEST(group, edu, get_device_fd_vf_token)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);

	EXPECT_ERRNO(EINVAL, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD,
		TEST_BDF " vf_token=2ab74924-c335-45f4-9b16-8569e5b08258"));
	EXPECT_ERRNO(EINVAL, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD,
				   TEST_BDF " vf_token=not-a-uuid"));
	EXPECT_ERRNO(EINVAL, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD,
				   TEST_BDF " bogus=1"));
	EXPECT_ERRNO(ENODEV, ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD,
				   TEST_BDF "0"));
	EXPECT_TRUE(ioctl(l.group, VFIO_GROUP_GET_DEVICE_FD,
			  TEST_BDF "  ") >= 0);
}

/* The fd is granted at creation: no bind, GET_INFO works at once. */
TEST(group, edu, device_fd_granted_at_creation)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_device_info info;
	int dev = get_device_fd(l.group);

	ASSERT_TRUE(dev >= 0);
	get_info_ok(dev, &info);
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI,
		  info.flags & (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_CAPS));
	EXPECT_EQ(TEST_EDU_VENDOR, cfg_read16(dev, TEST_PCI_VENDOR_ID));
}

/* Many device fds at once are fine on the group path. */
TEST(group, edu, two_device_fds)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_device_info info;
	int a = get_device_fd(l.group), b = get_device_fd(l.group);

	ASSERT_TRUE(a >= 0 && b >= 0 && a != b);
	close(a);
	get_info_ok(b, &info);
}

/*
 * What a group-path device fd is: an O_CLOEXEC anon inode
 * "[vfio-device]", mode 0600 without a file type, O_RDWR.
 */
TEST(group, edu, device_fd_is_anon_inode)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	int dev = get_device_fd(l.group);
	char path[64], link[128];
	struct stat st;
	ssize_t n;

	ASSERT_TRUE(dev >= 0);
	ASSERT_OK(fstat(dev, &st));
	EXPECT_EQ(0600, st.st_mode);
	EXPECT_EQ(0, st.st_rdev);
	EXPECT_EQ(FD_CLOEXEC, fcntl(dev, F_GETFD) & FD_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", dev);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	EXPECT_TRUE(!strcmp(link, "anon_inode:[vfio-device]"));
}

/* UNSET_CONTAINER while a device is open: EBUSY (container_users). */
TEST(group, edu, unset_container_with_device_open_ebusy)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	int dev = get_device_fd(l.group);

	ASSERT_TRUE(dev >= 0);
	EXPECT_ERRNO(EBUSY, ioctl(l.group, VFIO_GROUP_UNSET_CONTAINER));
	close(dev);
	EXPECT_EQ(0, ioctl(l.group, VFIO_GROUP_UNSET_CONTAINER));
}

/* The last group leaving the container takes its IOMMU away. */
TEST(group, edu, container_loses_iommu_with_last_group)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };

	ASSERT_OK(ioctl(l.container, VFIO_IOMMU_GET_INFO, &info));
	ASSERT_OK(ioctl(l.group, VFIO_GROUP_UNSET_CONTAINER));
	info.argsz = sizeof(info);
	EXPECT_ERRNO(EINVAL, ioctl(l.container, VFIO_IOMMU_GET_INFO, &info));
	EXPECT_ERRNO(EINVAL, ioctl(l.container, VFIO_SET_IOMMU,
				   VFIO_TYPE1v2_IOMMU));
}

/* Unknown group ioctls, and device ioctls sent to a group: ENOTTY. */
TEST(group, edu, unknown_ioctl_enotty)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	int g = open_group();

	EXPECT_ERRNO(ENOTTY, ioctl(g, _IO(';', 200)));
	EXPECT_ERRNO(ENOTTY, ioctl(g, VFIO_DEVICE_GET_INFO, &info));
}

/*
 * A device fd holds the group file: closing the group fd keeps the device
 * working and the group busy until the device fd closes.
 */
TEST(group, edu, device_fd_keeps_group_open)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_device_info info;
	int dev = get_device_fd(l.group);
	char path[64];
	int g;

	ASSERT_TRUE(dev >= 0);
	close(l.group);
	get_info_ok(dev, &info);
	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());
	EXPECT_ERRNO(EBUSY, open(path, O_RDWR));
	close(dev);
	g = open(path, O_RDWR);
	EXPECT_TRUE(g >= 0);
}

/*
 * The cdev half of the exclusion (drivers/vfio/device_cdev.c,
 * vfio_device_block_group()): binding a cdev while the group is open is
 * EBUSY; opening the group while a cdev is bound is EBUSY. These need the
 * device cdev, which Linux 6.1 does not have.
 */
TEST(group, edu, cdev_and_group_exclude_each_other)
{
	char path[64];
	int g, dev, iommufd;

	if (access(TEST_CDEV, F_OK))
		SKIP("no device cdev (kernel before 6.6)");
	iommufd = open_iommufd();
	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());

	g = open_group();
	dev = open_cdev();
	bind_err(EBUSY, dev, iommufd);
	close(g);
	bind_ok(dev, iommufd, NULL);
	EXPECT_ERRNO(EBUSY, open(path, O_RDWR));
	close(dev);
	g = open(path, O_RDWR);
	EXPECT_TRUE(g >= 0);
}

/* A group-path device fd cannot bind: EINVAL (device_cdev.c, df->group). */
TEST(group, edu, bind_on_group_device_fd_einval)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	int dev = get_device_fd(l.group), iommufd;

	if (access(TEST_IOMMU, F_OK))
		SKIP("no /dev/iommu (kernel before 6.2): BIND does not exist");
	iommufd = open_iommufd();
	ASSERT_TRUE(dev >= 0);
	bind_err(EINVAL, dev, iommufd);
}

/* ---------------- type1 MAP_DMA / UNMAP_DMA ---------------- */

#define T1_IOVA		0x100000ULL
#define T1_PAGE		4096ULL

static void *t1_buffer(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

static int _map_dma(int c, uint32_t flags, void *va, uint64_t iova,
		    uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .flags = flags,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &map);
}

#define RW	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

/* The size written back, or -1 with errno. */
static long long _unmap_dma(int c, uint32_t flags, uint64_t iova,
			    uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .flags = flags,
		.iova = iova, .size = size,
	};

	if (ioctl(c, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return -1;
	return (long long)unmap.size;
}

/*
 * A range that wraps is EOVERFLOW since the 2025 type1 fix; before it,
 * EINVAL. The reference 6.1 guest predates it (and has no /dev/iommu);
 * uvfio follows the fixed kernel.
 */
static int t1_wrap_errno(void)
{
	return access(TEST_IOMMU, F_OK) ? EINVAL : EOVERFLOW;
}

/* vfio_iommu_type1_map_dma(): argsz, flags and protection come first. */
TEST(type1, edu, map_dma_argument_checks_einval)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map) - 1, .flags = RW,
	};
	void *buf = t1_buffer(4 * T1_PAGE);

	map.vaddr = (uintptr_t)buf;
	map.iova = T1_IOVA;
	map.size = T1_PAGE;
	EXPECT_ERRNO(EINVAL, ioctl(l.container, VFIO_IOMMU_MAP_DMA, &map));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW | 0x8, buf, T1_IOVA,
				      T1_PAGE));
	/* Neither READ nor WRITE, and VADDR together with them. */
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, 0, buf, T1_IOVA, T1_PAGE));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container,
				      RW | VFIO_DMA_MAP_FLAG_VADDR, buf,
				      T1_IOVA, T1_PAGE));
	/* vfio_dma_do_map(): size 0, or anything off the 4 KiB page. */
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW, buf, T1_IOVA, 0));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW, buf, T1_IOVA + 1,
				      T1_PAGE));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW, buf, T1_IOVA, 100));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW, (char *)buf + 8,
				      T1_IOVA, T1_PAGE));
	EXPECT_ERRNO(EFAULT, ioctl(l.container, VFIO_IOMMU_MAP_DMA, NULL));
}

/* An overlap is EEXIST, whichever way it overlaps. */
TEST(type1, edu, map_dma_overlap_eexist)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(4 * T1_PAGE);

	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, 2 * T1_PAGE));
	EXPECT_ERRNO(EEXIST, _map_dma(l.container, RW, buf, T1_IOVA,
				      T1_PAGE));
	EXPECT_ERRNO(EEXIST, _map_dma(l.container, RW, buf,
				      T1_IOVA - T1_PAGE, 2 * T1_PAGE));
	EXPECT_ERRNO(EEXIST, _map_dma(l.container, RW, buf,
				      T1_IOVA + T1_PAGE, 2 * T1_PAGE));
	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA + 2 * T1_PAGE,
			   T1_PAGE));
}

/* The IOVA must lie in the ranges GET_INFO reports: not the MSI window. */
TEST(type1, edu, map_dma_msi_window_einval)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(T1_PAGE);

	EXPECT_ERRNO(EINVAL, _map_dma(l.container, RW, buf, 0xfee00000ULL,
				      T1_PAGE));
}

/* A range that wraps around the IOVA space (the selftests' overflow). */
TEST(type1, edu, map_unmap_dma_wrap)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(2 * T1_PAGE);
	uint64_t top = ~0ULL & ~(T1_PAGE - 1);

	EXPECT_ERRNO(t1_wrap_errno(), _map_dma(l.container, RW, buf, top,
					       2 * T1_PAGE));
	EXPECT_ERRNO(t1_wrap_errno(), _unmap_dma(l.container, 0, top,
						 2 * T1_PAGE));
}

/* Unmapping nothing succeeds with size 0; a mapping gives its size. */
TEST(type1, edu, unmap_dma_reports_size)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(4 * T1_PAGE);

	EXPECT_EQ(0, _unmap_dma(l.container, 0, T1_IOVA, T1_PAGE));
	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, 2 * T1_PAGE));
	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA + 4 * T1_PAGE,
			   T1_PAGE));
	/* One range over both mappings and the hole between them. */
	EXPECT_EQ(3 * T1_PAGE, _unmap_dma(l.container, 0, T1_IOVA,
					  5 * T1_PAGE));
	EXPECT_EQ(0, _unmap_dma(l.container, 0, T1_IOVA, 5 * T1_PAGE));
}

/* vfio_dma_do_unmap(): alignment and size rules. */
TEST(type1, edu, unmap_dma_argument_checks_einval)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap) - 1, .iova = T1_IOVA, .size = T1_PAGE,
	};

	EXPECT_ERRNO(EINVAL, ioctl(l.container, VFIO_IOMMU_UNMAP_DMA, &unmap));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0x80, T1_IOVA, T1_PAGE));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0, T1_IOVA + 1, T1_PAGE));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0, T1_IOVA, 0));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0, T1_IOVA, 100));
	/* ALL takes no range, and cannot be asked with a dirty bitmap. */
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, VFIO_DMA_UNMAP_FLAG_ALL,
					T1_IOVA, 0));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, VFIO_DMA_UNMAP_FLAG_ALL,
					0, T1_PAGE));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container,
					VFIO_DMA_UNMAP_FLAG_ALL |
					VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
					0, 0));
}

/* UNMAP_FLAG_ALL removes everything and reports the total. */
TEST(type1, edu, unmap_dma_all)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(4 * T1_PAGE);

	EXPECT_EQ(0, _unmap_dma(l.container, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0));
	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, T1_PAGE));
	ASSERT_OK(_map_dma(l.container, RW, buf, 0x40000000ULL,
			   2 * T1_PAGE));
	EXPECT_EQ(3 * T1_PAGE, _unmap_dma(l.container,
					  VFIO_DMA_UNMAP_FLAG_ALL, 0, 0));
	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, T1_PAGE));
}

/* v2 refuses to bisect a mapping at either end of the range. */
TEST(type1, edu, v2_unmap_bisect_einval)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *buf = t1_buffer(4 * T1_PAGE);

	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, 4 * T1_PAGE));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0, T1_IOVA, T1_PAGE));
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, 0, T1_IOVA + T1_PAGE,
					3 * T1_PAGE));
	EXPECT_EQ(4 * T1_PAGE, _unmap_dma(l.container, 0, T1_IOVA,
					  4 * T1_PAGE));
}

/*
 * v1 keeps its coalescing legacy (the comment in vfio_dma_do_unmap()):
 * a range starting inside a mapping unmaps nothing, successfully; one
 * covering a mapping's first IOVA unmaps the whole mapping.
 */
TEST(type1, edu, v1_unmap_whole_mappings)
{
	struct legacy l = legacy_setup(VFIO_TYPE1_IOMMU);
	char *buf = t1_buffer(4 * T1_PAGE);

	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, 4 * T1_PAGE));
	EXPECT_EQ(0, _unmap_dma(l.container, 0, T1_IOVA + T1_PAGE, T1_PAGE));
	EXPECT_EQ(4 * T1_PAGE, _unmap_dma(l.container, 0, T1_IOVA, T1_PAGE));
	EXPECT_EQ(0, _unmap_dma(l.container, 0, T1_IOVA, 4 * T1_PAGE));
}

/* Each mapping takes one of the DMA_AVAIL entries; unmap gives it back. */
TEST(type1, edu, dma_avail_counts_mappings)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	const struct vfio_info_cap_header *hdr;
	uint64_t info_buf[64];
	struct vfio_iommu_type1_info *info = (void *)info_buf;
	char *buf = t1_buffer(T1_PAGE);
	uint32_t avail = 0;

	ASSERT_OK(_map_dma(l.container, RW, buf, T1_IOVA, T1_PAGE));
	memset(info_buf, 0, sizeof(info_buf));
	info->argsz = sizeof(info_buf);
	ASSERT_OK(ioctl(l.container, VFIO_IOMMU_GET_INFO, info));
	for (uint32_t off = info->cap_offset; off; off = hdr->next) {
		hdr = cap_at(info_buf, off);
		if (hdr->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL)
			avail = ((const struct vfio_iommu_type1_info_dma_avail *)
				 hdr)->avail;
	}
	EXPECT_EQ(65534, avail);
}

/*
 * UPDATE_VADDR: UNMAP(VADDR) keeps the mapping but forgets its vaddr;
 * MAP(VADDR) of exactly that mapping gives a new one. A mapping that was
 * not invalidated is EINVAL, and nothing mapped is ENOENT.
 */
TEST(type1, edu, vaddr_update)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	char *old = t1_buffer(2 * T1_PAGE), *new = t1_buffer(2 * T1_PAGE);

	ASSERT_OK(_map_dma(l.container, RW, old, T1_IOVA, 2 * T1_PAGE));
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, VFIO_DMA_MAP_FLAG_VADDR,
				      new, T1_IOVA, 2 * T1_PAGE));
	EXPECT_ERRNO(ENOENT, _map_dma(l.container, VFIO_DMA_MAP_FLAG_VADDR,
				      new, 0x40000000ULL, T1_PAGE));
	EXPECT_EQ(2 * T1_PAGE, _unmap_dma(l.container,
					  VFIO_DMA_UNMAP_FLAG_VADDR,
					  T1_IOVA, 2 * T1_PAGE));
	/* Invalidating twice is EINVAL. */
	EXPECT_ERRNO(EINVAL, _unmap_dma(l.container, VFIO_DMA_UNMAP_FLAG_VADDR,
					T1_IOVA, 2 * T1_PAGE));
	/* Only the exact mapping takes a new vaddr. */
	EXPECT_ERRNO(EINVAL, _map_dma(l.container, VFIO_DMA_MAP_FLAG_VADDR,
				      new, T1_IOVA, T1_PAGE));
	ASSERT_OK(_map_dma(l.container, VFIO_DMA_MAP_FLAG_VADDR, new, T1_IOVA,
			   2 * T1_PAGE));
	EXPECT_EQ(2 * T1_PAGE, _unmap_dma(l.container, 0, T1_IOVA,
					  2 * T1_PAGE));
}

/* A FILE over the group: fclose() releases it as close() would. */
TEST(group, edu, fclose_releases_group)
{
	char path[64];
	FILE *f;
	int g;

	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());
	f = fopen(path, "r+");
	ASSERT_TRUE(f != NULL);
	EXPECT_ERRNO(EBUSY, open(path, O_RDWR));
	ASSERT_EQ(0, fclose(f));
	g = open(path, O_RDWR);
	EXPECT_TRUE(g >= 0);
}

/* vfio files have no llseek: lseek() is ESPIPE (observed on 6.1). */
TEST(group, edu, lseek_espipe)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	int dev = get_device_fd(l.group);

	ASSERT_TRUE(dev >= 0);
	EXPECT_ERRNO(ESPIPE, lseek(dev, 0, SEEK_SET));
	EXPECT_ERRNO(ESPIPE, lseek(dev, 0, SEEK_CUR));
	EXPECT_ERRNO(ESPIPE, lseek(l.group, 0, SEEK_SET));
	EXPECT_ERRNO(ESPIPE, lseek(l.container, 0, SEEK_SET));
}

/*
 * type1 GET_INFO with argsz covering cap_offset but not the caps: the
 * fixed part goes back whole, cap_offset as 0 (the kernel starts from a
 * zeroed struct), and argsz grows.
 */
TEST(type1, edu, get_info_short_buffer_zero_cap_offset)
{
	struct legacy l = legacy_setup(VFIO_TYPE1v2_IOMMU);
	struct vfio_iommu_type1_info info;

	memset(&info, 0xaa, sizeof(info));
	info.argsz = sizeof(info);
	ASSERT_OK(ioctl(l.container, VFIO_IOMMU_GET_INFO, &info));
	EXPECT_TRUE(info.argsz > sizeof(info));
	EXPECT_EQ(0, info.cap_offset);
}

/* close_range() closes the group fd: it is free again, the fd is EBADF. */
TEST(group, edu, close_range_releases_group)
{
	char path[64];
	int g = open_group(), g2;

	snprintf(path, sizeof(path), "/dev/vfio/%d", test_group_id());
	ASSERT_OK(close_range((unsigned int)g, (unsigned int)g, 0));
	EXPECT_ERRNO(EBADF, ioctl(g, VFIO_GROUP_GET_STATUS, NULL));
	g2 = open(path, O_RDWR);
	EXPECT_TRUE(g2 >= 0);
}
