// SPDX-License-Identifier: MIT
/*
 * vfio-pci config space (region 7) for QEMU's edu at the root bus: the
 * bytes, the write masks, BAR sizing, the capability list and the access
 * rules, as a real Linux 6.1 host answers them
 * (docs/reference-kernel-answers.md A4; the kernel's
 * drivers/vfio/pci/vfio_pci_config.c).
 */
#include "pci_test_util.h"

/* What a 6.1 host shows for QEMU 7.2's edu at 00:04.0 [obs 6.1 A4]. */
static const uint8_t edu_cfg[0x50] = {
	0x34, 0x12, 0xe8, 0x11, 0x03, 0x01, 0x10, 0x00,
	0x10, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xa0, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xf4, 0x1a, 0x00, 0x11,
	0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

TEST(config, edu, dump_matches_host)
{
	struct pci_dev d = pci_open();
	uint8_t cfg[256], zero[256] = {0};

	/* vfio_config_init(): the virtualized header and MSI capability */
	ASSERT_EQ(256, pread(d.devfd, cfg, 256, PCI_CFG));
	EXPECT_EQ(0, memcmp(cfg, edu_cfg, sizeof(edu_cfg)));
	/* everything after the MSI capability is 0 [obs 6.1 A4] */
	EXPECT_EQ(0, memcmp(cfg + 0x50, zero, 256 - 0x50));
}

TEST(config, edu, region_is_256_rw_never_mmap)
{
	struct pci_dev d = pci_open();
	struct vfio_region_info info;

	ASSERT_OK(region_info(d.devfd, VFIO_PCI_CONFIG_REGION_INDEX, &info));
	/* conventional PCI: cfg_size 256 [obs 6.1 A2] */
	EXPECT_EQ(0x100, info.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  info.flags);
	EXPECT_EQ(PCI_CFG, info.offset);
}

TEST(config, edu, command_write_mask_0507)
{
	struct pci_dev d = pci_open();

	/* firmware plus pci_enable_device(): IO|MEM|SERR [obs 6.1 A4] */
	EXPECT_EQ(0x0103, cfg_rd(d.devfd, 0x04, 2));
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	EXPECT_EQ(0x0006, cfg_rd(d.devfd, 0x04, 2));
	/* IO|MEM|MASTER|SERR|INTX_DISABLE pass; the rest is RO [obs 6.1 A4] */
	cfg_wr(d.devfd, 0x04, 2, 0xffff);
	EXPECT_EQ(0x0507, cfg_rd(d.devfd, 0x04, 2));
	cfg_wr(d.devfd, 0x04, 2, 0x0000);
	EXPECT_EQ(0x0000, cfg_rd(d.devfd, 0x04, 2));
	cfg_wr(d.devfd, 0x04, 2, 0x0406);
	EXPECT_EQ(0x0406, cfg_rd(d.devfd, 0x04, 2));
}

TEST(config, edu, read_only_fields_stay)
{
	struct pci_dev d = pci_open();

	/* no RW1C bit is set, so STATUS stays [obs 6.1 A4] */
	cfg_wr(d.devfd, 0x06, 2, 0xffff);
	EXPECT_EQ(0x0010, cfg_rd(d.devfd, 0x06, 2));
	/* vfio_basic_config_write(): ids are read-only [obs 6.1 A4] */
	cfg_wr(d.devfd, 0x00, 2, 0xbeef);
	EXPECT_EQ(0x1234, cfg_rd(d.devfd, 0x00, 2));
	cfg_wr(d.devfd, 0x08, 4, 0xffffffff);
	EXPECT_EQ(0x00ff0010, cfg_rd(d.devfd, 0x08, 4));
	cfg_wr(d.devfd, 0x3d, 1, 0x04);
	EXPECT_EQ(0x01, cfg_rd(d.devfd, 0x3d, 1));
	/* the capability pointer and the MSI header are read-only */
	cfg_wr(d.devfd, 0x34, 1, 0x80);
	EXPECT_EQ(0x40, cfg_rd(d.devfd, 0x34, 1));
	cfg_wr(d.devfd, 0x40, 2, 0xffff);
	EXPECT_EQ(0x0005, cfg_rd(d.devfd, 0x40, 2));
}

TEST(config, edu, interrupt_line_virtualized)
{
	struct pci_dev d = pci_open();

	/* INTERRUPT_LINE is virtual and writable [obs 6.1 A4] */
	cfg_wr(d.devfd, 0x3c, 1, 0x5a);
	EXPECT_EQ(0x5a, cfg_rd(d.devfd, 0x3c, 1));
}

TEST(config, edu, bar_sizing_reads_size_then_restores)
{
	struct pci_dev d = pci_open();
	uint32_t bar0 = cfg_rd(d.devfd, 0x10, 4);

	EXPECT_EQ(0xfea00000, bar0);
	/* vfio_bar_fixup(): all ones reads back ~(size - 1) [obs 6.1 A4] */
	cfg_wr(d.devfd, 0x10, 4, 0xffffffff);
	EXPECT_EQ(0xfff00000, cfg_rd(d.devfd, 0x10, 4));
	cfg_wr(d.devfd, 0x10, 4, bar0);
	EXPECT_EQ(bar0, cfg_rd(d.devfd, 0x10, 4));
	/* the low bits below the size are not kept */
	cfg_wr(d.devfd, 0x10, 4, 0xfea12345);
	EXPECT_EQ(0xfea00000, cfg_rd(d.devfd, 0x10, 4));
}

TEST(config, edu, empty_bars_and_rom_size_zero)
{
	struct pci_dev d = pci_open();

	/* vfio_bar_fixup(): an absent BAR or ROM reads 0 [obs 6.1 A4] */
	for (unsigned int off = 0x14; off <= 0x24; off += 4) {
		cfg_wr(d.devfd, off, 4, 0xffffffff);
		EXPECT_EQ(0, cfg_rd(d.devfd, off, 4));
	}
	cfg_wr(d.devfd, 0x30, 4, 0xffffffff);
	EXPECT_EQ(0, cfg_rd(d.devfd, 0x30, 4));
}

TEST(config, edu, capability_list_walks_to_msi)
{
	struct pci_dev d = pci_open();
	unsigned int pos, n = 0;

	/* STATUS.CAP_LIST, then the list: edu has one MSI capability */
	EXPECT_TRUE(cfg_rd(d.devfd, 0x06, 2) & 0x10);
	for (pos = cfg_rd(d.devfd, 0x34, 1); pos && n < 48;
	     pos = cfg_rd(d.devfd, pos + 1, 1), n++) {
		EXPECT_EQ(0x05, cfg_rd(d.devfd, pos, 1));
		EXPECT_EQ(0x40, pos);
	}
	EXPECT_EQ(1, n);
	/* 64-bit, one vector, no per-vector mask [obs 6.1 A4] */
	EXPECT_EQ(0x0080, cfg_rd(d.devfd, 0x42, 2));
}

TEST(config, edu, msi_enable_bit_only_with_set_irqs)
{
	struct pci_dev d = pci_open();
	int32_t efd = efd_new();

	/* vfio_msi_config_write(): ENABLE sticks only while MSI is on */
	cfg_wr(d.devfd, 0x42, 2, 0x0081);
	EXPECT_EQ(0x0080, cfg_rd(d.devfd, 0x42, 2));
	/* and SET_IRQS does not show it either [obs 6.1 A4] */
	ASSERT_OK(set_irqs_eventfd(d.devfd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
				   &efd));
	EXPECT_EQ(0x0080, cfg_rd(d.devfd, 0x42, 2));
	/* the message address and data are virtual and writable */
	cfg_wr(d.devfd, 0x44, 4, 0xfee00000);
	cfg_wr(d.devfd, 0x4c, 2, 0x4021);
	EXPECT_EQ(0xfee00000, cfg_rd(d.devfd, 0x44, 4));
	EXPECT_EQ(0x4021, cfg_rd(d.devfd, 0x4c, 2));
}

TEST(config, edu, every_size_at_every_offset)
{
	struct pci_dev d = pci_open();
	static const size_t lens[] = { 1, 2, 3, 4, 5, 6, 8, 16 };
	static const off_t offs[] = { 0, 1, 3 };
	uint8_t full[256], buf[16];

	ASSERT_EQ(256, pread(d.devfd, full, 256, PCI_CFG));
	/* vfio_config_do_rw(): aligned 4/2/1 pieces, the full count [obs 6.1 A4] */
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (size_t j = 0; j < sizeof(offs) / sizeof(offs[0]); j++) {
			memset(buf, 0xaa, sizeof(buf));
			EXPECT_EQ((long)lens[i],
				  pread(d.devfd, buf, lens[i],
					PCI_CFG + offs[j]));
			EXPECT_EQ(0, memcmp(buf, full + offs[j], lens[i]));
		}
	}
}

TEST(config, edu, out_of_range_efault_all_or_nothing)
{
	struct pci_dev d = pci_open();
	uint8_t buf[4096];

	memset(buf, 0xaa, sizeof(buf));
	/*
	 * vfio_config_do_rw(): pos + count > cfg_size -> -EFAULT, never a
	 * short count [obs 6.1 A4]
	 */
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4096, PCI_CFG));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 257, PCI_CFG));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4, PCI_CFG + 254));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4, PCI_CFG + 255));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4, PCI_CFG + 256));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4, PCI_CFG + 4096));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 4,
				   PCI_CFG + (1ll << 40) - 4));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 2, PCI_CFG + 255));
	EXPECT_ERRNO(EFAULT, pread(d.devfd, buf, 1, PCI_CFG + 256));
	/* nothing was written on the way [all or nothing] */
	EXPECT_EQ(0xaa, buf[0]);
	EXPECT_EQ(1, pread(d.devfd, buf, 1, PCI_CFG + 255));
	EXPECT_EQ(2, pread(d.devfd, buf, 2, PCI_CFG + 254));
	EXPECT_ERRNO(EFAULT, pwrite(d.devfd, buf, 4, PCI_CFG + 255));
	EXPECT_ERRNO(EFAULT, pwrite(d.devfd, buf, 4, PCI_CFG + 256));
}

TEST(config, edu, zero_count_returns_zero_anywhere)
{
	struct pci_dev d = pci_open();
	uint8_t buf[4];

	/* vfio_pci_core_read(): !count returns 0 before any check [obs 6.1 A4] */
	EXPECT_EQ(0, pread(d.devfd, buf, 0, PCI_CFG));
	EXPECT_EQ(0, pread(d.devfd, buf, 0, PCI_CFG + 4096));
	EXPECT_EQ(0, pread(d.devfd, buf, 0, PCI_REGION(20)));
	EXPECT_EQ(0, pwrite(d.devfd, buf, 0, PCI_CFG));
}

TEST(config, edu, bad_buffer_efault)
{
	struct pci_dev d = pci_open();
	/* A page that is certainly not mapped. */
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);

	ASSERT_TRUE(bad != MAP_FAILED);
	munmap(bad, 4096);
	/* copy_to_user()/copy_from_user() of an unmapped buffer */
	EXPECT_ERRNO(EFAULT, pread(d.devfd, bad, 4, PCI_CFG));
	EXPECT_ERRNO(EFAULT, pwrite(d.devfd, bad, 4, PCI_CFG + 0x3c));
}
