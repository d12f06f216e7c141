// SPDX-License-Identifier: MIT
/*
 * vfio-pci device info, region info, BAR read/write and mmap rules for
 * QEMU's edu at the root bus, as a real Linux 6.1 host answers them
 * (docs/reference-kernel-answers.md A1, A2, A5, A6, A7; the kernel's
 * drivers/vfio/pci/vfio_pci_core.c and vfio_pci_rdwr.c).
 */
#include "pci_test_util.h"

#include <signal.h>
#include <sys/wait.h>

#define BAR0	PCI_REGION(0)

TEST(device, edu, get_info_pci_no_reset_at_root)
{
	struct pci_dev d = pci_open();
	struct vfio_device_info info;

	memset(&info, 0, sizeof(info));
	info.argsz = 20;
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_INFO, &info));
	/* vfio_pci_ioctl_get_info(): no reset method at the root [obs 6.1 A1] */
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI, info.flags);
	EXPECT_EQ(9, info.num_regions);
	EXPECT_EQ(5, info.num_irqs);
	EXPECT_EQ(20, info.argsz);
	/* argsz 15 < offsetofend(num_irqs) -> EINVAL [obs 6.1 A1] */
	info.argsz = 15;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_GET_INFO, &info));
}

TEST(device, edu, unknown_ioctl_enotty)
{
	struct pci_dev d = pci_open();

	/* vfio_pci_core_ioctl(): default -> -ENOTTY [obs 6.1 A7] */
	EXPECT_ERRNO(ENOTTY, ioctl(d.devfd, _IO(';', 200)));
	EXPECT_ERRNO(ENOTTY, ioctl(d.devfd, _IO('x', 1)));
}

TEST(device, edu, reset_einval_at_root)
{
	struct pci_dev d = pci_open();

	/* vfio_pci_ioctl_reset(): !reset_works -> -EINVAL [obs 6.1 A7] */
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_RESET));
}

TEST(device, edu, hot_reset_enodev_at_root)
{
	struct pci_dev d = pci_open();
	struct {
		struct vfio_pci_hot_reset_info info;
		uint8_t devices[244];
	} big;

	memset(&big, 0xaa, sizeof(big));
	/* no slot or bus reset at the root: -ENODEV, nothing written [obs 6.1 A7] */
	big.info.argsz = 12;
	EXPECT_ERRNO(ENODEV, ioctl(d.devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				   &big));
	big.info.argsz = sizeof(big);
	EXPECT_ERRNO(ENODEV, ioctl(d.devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				   &big));
	EXPECT_EQ(0xaaaaaaaa, big.info.count);
	/* argsz < 12 comes first */
	big.info.argsz = 11;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
				   &big));
}

TEST(region, edu, table_matches_host)
{
	struct pci_dev d = pci_open();
	struct vfio_region_info info;

	/* [obs 6.1 A2]: every BAR but 0 is empty; no ROM; config 256 */
	ASSERT_OK(region_info(d.devfd, 0, &info));
	EXPECT_EQ(0x100000, info.size);
	EXPECT_EQ(0, info.offset);
	/* R|W|MMAP, no caps [obs 6.1 A2] */
	EXPECT_EQ(0x7, info.flags);
	for (uint32_t i = 1; i <= 6; i++) {
		ASSERT_OK(region_info(d.devfd, i, &info));
		EXPECT_EQ(0, info.flags);
		EXPECT_EQ(0, info.size);
		EXPECT_EQ(PCI_REGION(i), info.offset);
	}
	/* VGA without a VGA device, and past the last region -> EINVAL */
	EXPECT_ERRNO(EINVAL, region_info(d.devfd, 8, &info));
	EXPECT_ERRNO(EINVAL, region_info(d.devfd, 9, &info));
	EXPECT_ERRNO(EINVAL, region_info(d.devfd, 10, &info));
	EXPECT_ERRNO(EINVAL, region_info(d.devfd, 0xffffffff, &info));
}

TEST(region, edu, argsz_echoed_cap_offset_untouched)
{
	struct pci_dev d = pci_open();
	struct {
		struct vfio_region_info info;
		uint8_t tail[224];
	} big;
	uint8_t aa[224];

	memset(&big, 0xaa, sizeof(big));
	memset(aa, 0xaa, sizeof(aa));
	big.info.argsz = sizeof(big);
	big.info.index = 0;
	/* the struct is copied back whole, nothing more [obs 6.1 A2] */
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_REGION_INFO, &big));
	EXPECT_EQ(sizeof(big), big.info.argsz);
	EXPECT_EQ(0xaaaaaaaa, big.info.cap_offset);
	EXPECT_EQ(0, memcmp(big.tail, aa, sizeof(aa)));
	/* argsz < 32 -> EINVAL [obs 6.1 A2] */
	big.info.argsz = 31;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_GET_REGION_INFO, &big));
	big.info.argsz = 0;
	EXPECT_ERRNO(EINVAL, ioctl(d.devfd, VFIO_DEVICE_GET_REGION_INFO, &big));
}

TEST(bar, edu, id_and_liveness)
{
	struct pci_dev d = pci_open();

	/* QEMU edu: id 0x010000ed, liveness reads back ~written [obs 6.1 A5] */
	EXPECT_EQ(0x010000ed, bar_rd32(d.devfd, 0, 0x00));
	bar_wr32(d.devfd, 0, 0x04, 0x12345678);
	EXPECT_EQ(0xedcba987, bar_rd32(d.devfd, 0, 0x04));
}

TEST(bar, edu, sizes_split_as_6_1)
{
	struct pci_dev d = pci_open();
	uint8_t buf[16], zero[4] = {0};
	uint64_t v = 0;

	bar_wr32(d.devfd, 0, 0x04, 0x12345678);
	/* vfio_pci_core_do_io_rw() on 6.1: two 4-byte reads [obs 6.1 A5] */
	ASSERT_EQ(8, pread(d.devfd, &v, 8, BAR0));
	EXPECT_EQ(0xedcba987010000edull, v);
	EXPECT_EQ(16, pread(d.devfd, buf, 16, BAR0));
	/* edu refuses sub-dword access and QEMU returns 0 [obs 6.1 A5] */
	for (size_t n = 1; n <= 3; n++) {
		memset(buf, 0xaa, sizeof(buf));
		EXPECT_EQ((long)n, pread(d.devfd, buf, n, BAR0));
		EXPECT_EQ(0, memcmp(buf, zero, n));
	}
	memset(buf, 0xaa, sizeof(buf));
	EXPECT_EQ(4, pread(d.devfd, buf, 4, BAR0 + 2));
	EXPECT_EQ(0, memcmp(buf, zero, 4));
	/* 0x80 is the DMA source, 0x84 is no register [obs 6.1 A5] */
	ASSERT_EQ(8, pread(d.devfd, &v, 8, BAR0 + 0x80));
	EXPECT_EQ(0xffffffff00000000ull, v);
	/* a 1-byte write is dropped but counted [obs 6.1 A5] */
	EXPECT_EQ(1, pwrite(d.devfd, buf, 1, BAR0 + 4));
	EXPECT_EQ(0xedcba987, bar_rd32(d.devfd, 0, 0x04));
	EXPECT_EQ(8, pwrite(d.devfd, &v, 8, BAR0 + 0x80));
}

TEST(bar, edu, bounds_short_count_then_einval)
{
	struct pci_dev d = pci_open();
	uint32_t v;

	/* vfio_pci_bar_rw(): count = min(count, end - pos) [obs 6.1 A5] */
	EXPECT_EQ(4, pread(d.devfd, &v, 4, BAR0 + 0xffffc));
	EXPECT_EQ(2, pread(d.devfd, &v, 4, BAR0 + 0xffffe));
	/* pos >= end -> -EINVAL [obs 6.1 A5] */
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, BAR0 + 0x100000));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, BAR0 + 0x200000));
	EXPECT_EQ(0, pread(d.devfd, &v, 0, BAR0 + 0x100000));
}

TEST(bar, edu, missing_regions_einval)
{
	struct pci_dev d = pci_open();
	uint32_t v = 0;

	/* vfio_pci_rw(): empty BARs, no ROM, no VGA, no index 9 [obs 6.1 A5] */
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(1)));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(5)));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(6)));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(8)));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(9)));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, &v, 4, PCI_REGION(10)));
	EXPECT_ERRNO(EINVAL, pwrite(d.devfd, &v, 4, PCI_REGION(1)));
	EXPECT_ERRNO(EINVAL, pwrite(d.devfd, &v, 4, PCI_REGION(6)));
	EXPECT_ERRNO(EINVAL, pwrite(d.devfd, &v, 4, PCI_REGION(9)));
}

TEST(bar, edu, memory_decode_off_eio)
{
	struct pci_dev d = pci_open();
	uint32_t v = 0;

	/* vfio_pci_core_ioread32(): !memory enabled -> -EIO [obs 6.1 A5] */
	cfg_wr(d.devfd, 0x04, 2, 0x0004);
	EXPECT_ERRNO(EIO, pread(d.devfd, &v, 4, BAR0));
	EXPECT_ERRNO(EIO, pwrite(d.devfd, &v, 4, BAR0 + 4));
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	EXPECT_EQ(0x010000ed, bar_rd32(d.devfd, 0, 0));
}

TEST(bar, edu, read_advances_file_position)
{
	struct pci_dev d = pci_open();
	uint32_t v = 0;

	bar_wr32(d.devfd, 0, 0x04, 0);
	/* plain read() at f_pos 0 reads BAR0, then f_pos moves [obs 6.1 A5] */
	ASSERT_EQ(4, read(d.devfd, &v, 4));
	EXPECT_EQ(0x010000ed, v);
	ASSERT_EQ(4, read(d.devfd, &v, 4));
	EXPECT_EQ(0xffffffff, v);
}

TEST(mmap, edu, refusals_einval)
{
	struct pci_dev d = pci_open();

	/* vfio_pci_core_mmap(): each refusal is -EINVAL [obs 6.1 A6] */
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_CFG);
	expect_map_failed(EINVAL, d.devfd, 2 << 20, PROT_READ, MAP_SHARED, 0);
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  1 << 20);
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE, 0);
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_PRIVATE, 0);
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(1));
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(6));
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(9));
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(20));
}

TEST(mmap, edu, registers_through_the_mapping)
{
	struct pci_dev d = pci_open();
	volatile uint32_t *regs = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_SHARED, d.devfd, 0);

	ASSERT_TRUE(regs != MAP_FAILED);
	/* the id, and liveness reading back ~written [obs 6.1 A6] */
	EXPECT_EQ(0x010000ed, regs[0]);
	regs[1] = 0x0000ffff;
	EXPECT_EQ(0xffff0000, regs[1]);
	/* pread sees what the mapping wrote: the same registers */
	EXPECT_EQ(0xffff0000, bar_rd32(d.devfd, 0, 4));
	/* the factorial, polled through the mapping */
	regs[2] = 6;
	for (int i = 0; i < 5000 && (regs[8] & 1); i++)
		msleep(1);
	EXPECT_EQ(720, regs[2]);
	munmap((void *)regs, 1 << 20);
}

TEST(mmap, edu, wide_and_narrow_accesses)
{
	struct pci_dev d = pci_open();
	volatile uint8_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED, d.devfd, 0);
	volatile uint64_t *q = (volatile uint64_t *)(p + 0x80);
	volatile uint16_t *h = (volatile uint16_t *)p;

	ASSERT_TRUE(p != MAP_FAILED);
	/* an 8-byte store is one access to edu's 64-bit DMA register */
	*q = 0x123456789abcull;
	EXPECT_EQ(0x123456789abcull, *q);
	*q = 0;
	/* edu takes only 4-byte accesses below 0x80 */
	EXPECT_EQ(0, h[0]);
	munmap((void *)p, 4096);
}

TEST(mmap, edu, partial_and_read_only_maps)
{
	struct pci_dev d = pci_open();
	volatile uint32_t *p;

	/* one page read-only at 0, one page at 3 * 4096 [obs 6.1 A6] */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d.devfd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(0x010000ed, p[0]);
	munmap((void *)p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d.devfd,
		 3 * 4096);
	ASSERT_TRUE(p != MAP_FAILED);
	munmap((void *)p, 4096);
}

TEST(mmap, edu, decode_off_sigbus_then_back)
{
	struct pci_dev d = pci_open();
	volatile uint32_t *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				    d.devfd, 0);
	int status;
	pid_t pid;

	ASSERT_TRUE(p != MAP_FAILED);
	/* vfio_pci_mmap_fault(): memory decode off -> SIGBUS [obs 6.1 A6] */
	cfg_wr(d.devfd, 0x04, 2, 0x0004);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid)
		_exit(p[0] == 0x010000ed ? 10 : 11);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	/* decode on again: the same mapping works [obs 6.1 A6] */
	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	EXPECT_EQ(0x010000ed, p[0]);
}
