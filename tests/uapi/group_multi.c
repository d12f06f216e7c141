// SPDX-License-Identifier: MIT
/*
 * Several devices in one IOMMU group (uvfio run --device ...,group=N), as
 * behind a PCIe switch without ACS: one group fd hands out both devices,
 * one container serves both, and the cdev of either excludes the group.
 * Also two functions of one slot behind a bridge, which share a device set
 * (vfio_pci_core_register_device()) and so one bus reset.
 * Run with tests/uapi/group_multi.args.
 */
#define _GNU_SOURCE
#include <dirent.h>

#include "vfio_test_util.h"

#define BDF_B		"0000:00:05.0"	/* group=1, with TEST_BDF */
#define BDF_SLOT0	"0000:01:04.0"	/* behind a bridge, one slot */
#define BDF_SLOT1	"0000:01:04.1"

static int count_group_devices(int group)
{
	char path[64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices",
		 group);
	d = opendir(path);
	ASSERT_TRUE(d != NULL);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void need_topology(void)
{
	if (access("/sys/bus/pci/devices/" BDF_B, F_OK) ||
	    access("/sys/bus/pci/devices/" BDF_SLOT1, F_OK))
		SKIP("needs the devices of tests/uapi/group_multi.args");
}

/* sysfs lists both members under the group, and each links to it. */
TEST(group, two_devices, sysfs_lists_both)
{
	need_topology();
	EXPECT_EQ(2, count_group_devices(1));
}

/* One group fd, one container, GET_DEVICE_FD for either name. */
TEST(group, two_devices, one_group_fd_opens_both)
{
	struct vfio_device_info info;
	int c = open("/dev/vfio/vfio", O_RDWR), g = open("/dev/vfio/1", O_RDWR);
	int a, b;

	need_topology();
	ASSERT_TRUE(c >= 0 && g >= 0);
	ASSERT_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c));
	ASSERT_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	a = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, TEST_BDF);
	b = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, BDF_B);
	ASSERT_TRUE(a >= 0 && b >= 0);
	get_info_ok(a, &info);
	get_info_ok(b, &info);
	/* A device of another group is not found through this one. */
	EXPECT_ERRNO(ENODEV, ioctl(g, VFIO_GROUP_GET_DEVICE_FD, BDF_SLOT0));
}

/*
 * The exclusion is per group: binding the other member's cdev while the
 * group is open is EBUSY, and a bound member keeps the group closed.
 */
TEST(group, two_devices, any_member_cdev_excludes_group)
{
	int iommufd = open_iommufd(), g, dev_b;

	need_topology();
	g = open("/dev/vfio/1", O_RDWR);
	ASSERT_TRUE(g >= 0);
	dev_b = open_cdev_path(TEST_CDEV2);
	bind_err(EBUSY, dev_b, iommufd);
	close(g);
	bind_ok(dev_b, iommufd, NULL);
	EXPECT_ERRNO(EBUSY, open("/dev/vfio/1", O_RDWR));
	close(dev_b);
	g = open("/dev/vfio/1", O_RDWR);
	EXPECT_TRUE(g >= 0);
}

static int hot_reset_count(int devfd)
{
	struct {
		struct vfio_pci_hot_reset_info info;
		struct vfio_pci_dependent_device devices[8];
	} buf = { .info.argsz = sizeof(buf) };

	ASSERT_OK(ioctl(devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &buf));
	return (int)buf.info.count;
}

/*
 * Two functions of one slot behind a bridge share one bus reset: the
 * hot-reset info of either lists both (vfio_pci_ioctl_get_pci_hot_reset_info).
 */
TEST(group, slot, functions_share_bus_reset)
{
	char path[64];
	int c, g, dev, group;
	char link[256];
	ssize_t n;

	need_topology();
	n = readlink("/sys/bus/pci/devices/" BDF_SLOT0 "/iommu_group", link,
		     sizeof(link) - 1);
	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	group = atoi(strrchr(link, '/') + 1);
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	c = open("/dev/vfio/vfio", O_RDWR);
	g = open(path, O_RDWR);
	ASSERT_TRUE(c >= 0 && g >= 0);
	ASSERT_OK(ioctl(g, VFIO_GROUP_SET_CONTAINER, &c));
	ASSERT_OK(ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	dev = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, BDF_SLOT0);
	ASSERT_TRUE(dev >= 0);
	EXPECT_EQ(2, hot_reset_count(dev));
}

/*
 * Bound cdevs own the group's DMA for their iommufd: a member binding to
 * another iommufd is EPERM (iommufd_device_bind() ->
 * iommu_device_claim_dma_owner()); once the first unbinds, it may.
 */
TEST(group, two_devices, members_bind_one_iommufd_eperm)
{
	int ictx_a = open_iommufd(), ictx_b = open_iommufd();
	int dev_a, dev_b;

	need_topology();
	dev_a = open_cdev();
	dev_b = open_cdev_path(TEST_CDEV2);
	bind_ok(dev_a, ictx_a, NULL);
	bind_err(EPERM, dev_b, ictx_b);
	bind_ok(dev_b, ictx_a, NULL);
	close(dev_a);
	close(dev_b);
	dev_b = open_cdev_path(TEST_CDEV2);
	bind_ok(dev_b, ictx_b, NULL);
}

/*
 * The members share one page table: attaching one to another IOAS than
 * the other's is EINVAL (iommufd_hw_pagetable_attach()); a replace moves
 * every attached member (iommufd_device_do_replace()), so the old
 * automatic HWPT dies with it.
 */
TEST(group, two_devices, members_share_one_hwpt)
{
	int ictx = open_iommufd(), dev_a, dev_b;
	uint32_t ioas1, ioas2, hwpt_a, hwpt_b, hwpt_new;

	need_topology();
	dev_a = open_cdev();
	dev_b = open_cdev_path(TEST_CDEV2);
	bind_ok(dev_a, ictx, NULL);
	bind_ok(dev_b, ictx, NULL);
	ioas_alloc_ok(ictx, &ioas1);
	ioas_alloc_ok(ictx, &ioas2);
	attach_ok(dev_a, ioas1, &hwpt_a);
	attach_err(EINVAL, dev_b, ioas2);
	attach_ok(dev_b, ioas1, &hwpt_b);
	EXPECT_EQ(hwpt_a, hwpt_b);

	attach_ok(dev_a, ioas2, &hwpt_new);
	EXPECT_TRUE(hwpt_new != hwpt_a);
	/* b moved too: nothing holds the old HWPT, and ioas1 is free. */
	destroy_err(ENOENT, ictx, hwpt_a);
	destroy_ok(ictx, ioas1);
	/* b is on the new HWPT: attaching it there again changes nothing. */
	attach_ok(dev_b, ioas2, &hwpt_b);
	EXPECT_EQ(hwpt_new, hwpt_b);
}

static bool dir_lists(const char *dir, const char *name)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	ASSERT_TRUE(d != NULL);
	while ((de = readdir(d)))
		found |= !strcmp(de->d_name, name);
	closedir(d);
	return found;
}

/*
 * A scan of /sys/bus/pci/devices (DPDK's, SPDK's) finds every emulated
 * device, at addresses the host lacks too; /sys/kernel/iommu_groups lists
 * the groups, and the host's own entries stay.
 */
TEST(group, two_devices, sysfs_listings_show_emulated_devices)
{
	need_topology();
	EXPECT_TRUE(dir_lists("/sys/bus/pci/devices", BDF_SLOT0));
	EXPECT_TRUE(dir_lists("/sys/bus/pci/devices", BDF_SLOT1));
	EXPECT_TRUE(dir_lists("/sys/bus/pci/devices/", BDF_B));
	EXPECT_TRUE(dir_lists("/sys/kernel/iommu_groups", "1"));
	EXPECT_TRUE(dir_lists("/sys/module", "vfio_pci"));
	/* The host's entries are still there: "." at least, and its CPU. */
	EXPECT_TRUE(dir_lists("/sys/devices/system/cpu", "cpu0"));
}
