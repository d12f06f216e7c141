// SPDX-License-Identifier: MIT
/*
 * VFIO_DEVICE_FEATURE on vfio-pci (edu): the generic checks of
 * vfio_ioctl_device_feature() (drivers/vfio/vfio_main.c), the per-feature
 * vfio_check_feature() (include/linux/vfio.h), and what vfio-pci supports
 * (vfio_pci_core_ioctl_feature()), as a real 6.1 host answers
 * (docs/reference-kernel-answers.md A7).
 */
#include "pci_test_util.h"

#define GET	VFIO_DEVICE_FEATURE_GET
#define SET	VFIO_DEVICE_FEATURE_SET
#define PROBE	VFIO_DEVICE_FEATURE_PROBE

static int feature(int fd, uint32_t argsz, uint32_t flags, const void *data,
		   size_t len)
{
	struct {
		struct vfio_device_feature f;
		uint8_t data[64];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.f.argsz = argsz;
	arg.f.flags = flags;
	if (data)
		memcpy(arg.data, data, len);
	return ioctl(fd, VFIO_DEVICE_FEATURE, &arg);
}

TEST(feature, edu, header_checks_einval)
{
	struct pci_dev d = pci_open();

	/* argsz < offsetofend(flags) [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 7, PROBE | GET | 1, NULL, 0));
	/* an unknown flag bit [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, (1u << 20) | PROBE | GET | 3,
				     NULL, 0));
	/* GET and SET together without PROBE [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, GET | SET | 3, NULL, 0));
}

TEST(feature, edu, unsupported_features_enotty)
{
	struct pci_dev d = pci_open();

	/* MIGRATION: no mig_ops [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | GET | 1, NULL, 0));
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | SET | 2, NULL, 0));
	/* PCI_VF_TOKEN: edu is no SR-IOV PF [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | SET | 0, NULL, 0));
	/* DMA_LOGGING_*: no log_ops [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | GET | 6, NULL, 0));
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | SET | 7, NULL, 0));
	/* an id nobody knows [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, feature(d.devfd, 8, PROBE | GET | 99, NULL, 0));
}

TEST(feature, edu, low_power_probe_rules)
{
	struct pci_dev d = pci_open();

	/* LOW_POWER_ENTRY is SET-only: PROBE|SET 0, PROBE|GET -EINVAL [obs 6.1 A7] */
	EXPECT_EQ(0, feature(d.devfd, 8, PROBE | SET | 3, NULL, 0));
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, PROBE | GET | 3, NULL, 0));
	EXPECT_EQ(0, feature(d.devfd, 8, PROBE | SET | 5, NULL, 0));
	/* vfio_check_feature(): neither GET nor SET without PROBE */
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, 3, NULL, 0));
	/* WITH_WAKEUP needs its 8-byte payload */
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, SET | 4, NULL, 0));
}

TEST(feature, edu, low_power_entry_exit)
{
	struct pci_dev d = pci_open();

	/* vfio_pci_runtime_pm_entry(): once; a second entry -> -EINVAL */
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 3, NULL, 0));
	EXPECT_ERRNO(EINVAL, feature(d.devfd, 8, SET | 3, NULL, 0));
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 5, NULL, 0));
	/* exit when not in low power is fine */
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 5, NULL, 0));
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 3, NULL, 0));
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 5, NULL, 0));
	/* the device still works */
	EXPECT_EQ(0x010000ed, bar_rd32(d.devfd, 0, 0));
}

TEST(feature, edu, low_power_wakeup_on_next_ioctl)
{
	struct pci_dev d = pci_open();
	struct vfio_device_low_power_entry_with_wakeup entry = {
		.wakeup_eventfd = efd_new(),
	};
	struct vfio_device_info info = { .argsz = 20 };

	EXPECT_EQ(0, feature(d.devfd, 16, SET | 4, &entry, sizeof(entry)));
	/*
	 * vfio_pci_core_runtime_resume(): the next ioctl resumes the device,
	 * signals the wakeup eventfd and leaves low power
	 */
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_INFO, &info));
	EXPECT_EQ(1, efd_take(entry.wakeup_eventfd));
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 3, NULL, 0));
	EXPECT_EQ(0, feature(d.devfd, 8, SET | 5, NULL, 0));
	/* the payload is checked: a bad fd -> EBADF */
	entry.wakeup_eventfd = 999;
	EXPECT_ERRNO(EBADF, feature(d.devfd, 16, SET | 4, &entry,
				    sizeof(entry)));
}
