// SPDX-License-Identifier: MIT
/*
 * VFIO_DEVICE_RESET for an edu behind a bridge (0000:01:04.0), which has
 * a bus reset where the root-bus edu has none (pci_probe_reset_function();
 * docs/reference-kernel-answers.md A1, A7 [obs 6.1 bridge]). uvfio gives
 * every function on a bus other than 0 that bus reset (pci_reset.args
 * adds the device); on a real host run it with TOPO=bridge.
 */
#include "pci_test_util.h"

#define BRIDGED_BDF	"0000:01:04.0"

static struct pci_dev open_bridged(void)
{
	/* Under uvfio it is the second device; a real host has only it. */
	return pci_open_at(BRIDGED_BDF, access("/dev/vfio/devices/vfio1",
					      F_OK) ?
			   "/dev/vfio/devices/vfio0" :
			   "/dev/vfio/devices/vfio1");
}

TEST(reset, bridged_edu, get_info_reports_reset)
{
	struct pci_dev d = open_bridged();
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = 20;
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_INFO, &info));
	/* reset_works from the bus reset method [obs 6.1 bridge A1] */
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, info.flags);
}

TEST(reset, bridged_edu, reset_method_is_bus)
{
	char method[32] = "";

	/* sysfs reset_method lists "bus" [obs 6.1 bridge A1] */
	ASSERT_EQ(1, sysfs_scan_str("/sys/bus/pci/devices/" BRIDGED_BDF
				    "/reset_method", method, sizeof(method)));
	EXPECT_EQ(0, strcmp(method, "bus"));
}

TEST(reset, bridged_edu, config_keeps_virtual_values)
{
	struct pci_dev d = open_bridged();
	uint32_t bar0;

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	cfg_wr(d.devfd, 0x3c, 1, 0x5a);
	bar0 = cfg_rd(d.devfd, 0x10, 4);
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_RESET));
	/* vconfig is vfio's own: COMMAND, BAR0, INTLINE stay [obs 6.1 bridge A7] */
	EXPECT_EQ(0x0006, cfg_rd(d.devfd, 0x04, 2));
	EXPECT_EQ(bar0, cfg_rd(d.devfd, 0x10, 4));
	EXPECT_EQ(0x5a, cfg_rd(d.devfd, 0x3c, 1));
	/* the function decodes again: its registers answer */
	EXPECT_EQ(0x010000ed, bar_rd32(d.devfd, 0, 0));
}

TEST(reset, bridged_edu, edu_registers_survive_like_qemu)
{
	struct pci_dev d = open_bridged();

	/* QEMU's edu has no reset handler: liveness keeps its value */
	bar_wr32(d.devfd, 0, 0x04, 0x12345678);
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_RESET));
	EXPECT_EQ(0xedcba987, bar_rd32(d.devfd, 0, 0x04));
}

TEST(reset, bridged_edu, irq_setup_survives_reset)
{
	struct pci_dev d = open_bridged();
	int32_t efd = efd_new();

	ASSERT_OK(set_irqs_eventfd(d.devfd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
				   &efd));
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_RESET));
	/* pci_restore_state() puts MSI back: delivery still works */
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	bar_wr32(d.devfd, 0, 0x64, 0xffffffff);
	bar_wr32(d.devfd, 0, 0x60, 1);
	EXPECT_EQ(1, efd_wait(efd, 1000));
	bar_wr32(d.devfd, 0, 0x64, 1);
}

TEST(reset, root_edu, no_reset_method)
{
	struct pci_dev d;

	if (access("/dev/vfio/devices/vfio1", F_OK))
		SKIP("the root-bus edu is not in this setup");
	d = pci_open();
	/* no FLR, no PM, root bus: -EINVAL [obs 6.1 root A7] */
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_RESET));
	EXPECT_TRUE(access("/sys/bus/pci/devices/0000:00:04.0/reset_method",
			   F_OK) != 0);
}

TEST(reset, bridged_edu, hot_reset_info_lists_the_bus)
{
	struct pci_dev d = open_bridged();
	struct {
		struct vfio_pci_hot_reset_info info;
		struct vfio_pci_dependent_device devices[30];
	} big;
	char link[256], path[] = "/sys/bus/pci/devices/" BRIDGED_BDF
				 "/iommu_group";
	ssize_t n = readlink(path, link, sizeof(link) - 1);

	if (!d.group_path)
		SKIP("the cdev flavour (FLAG_DEV_ID) is not emulated yet");
	ASSERT_TRUE(n > 0);
	link[n] = '\0';
	memset(&big, 0xaa, sizeof(big));
	/* too small: ENOSPC, count filled, argsz left [obs 6.1 bridge A7] */
	big.info.argsz = 12;
	EXPECT_ERRNO(ENOSPC, ioctl(d.devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				   &big));
	EXPECT_EQ(12, big.info.argsz);
	EXPECT_EQ(1, big.info.count);
	EXPECT_EQ(0xaaaaaaaa, big.devices[0].group_id);
	/* room enough: flags 0 and the one device [obs 6.1 bridge A7] */
	big.info.argsz = sizeof(big);
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &big));
	EXPECT_EQ(0, big.info.flags);
	EXPECT_EQ(1, big.info.count);
	EXPECT_EQ(atoi(strrchr(link, '/') + 1), big.devices[0].group_id);
	EXPECT_EQ(0, big.devices[0].segment);
	EXPECT_EQ(1, big.devices[0].bus);
	EXPECT_EQ(0x20, big.devices[0].devfn);
}
