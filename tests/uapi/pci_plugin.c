// SPDX-License-Identifier: MIT
/*
 * A device model loaded as a plugin (examples/plugins/counter.c, through
 * "--device plugin=...,start=5" in pci_plugin.args): what a model can
 * declare beyond edu, seen through the vfio-pci uAPI. PCI Express with
 * FLR and PM (so reset works), MSI-X in a BAR with the MSIX_MAPPABLE and
 * SPARSE_MMAP region caps and the argsz-growth convention, a trapped BAR,
 * a memory BAR the device polls, and the MSI-X resize rules
 * (drivers/vfio/pci/vfio_pci_core.c, vfio_pci_intrs.c, vfio_pci_config.c).
 */
#include "pci_test_util.h"

#include <sys/wait.h>

#define CNT_ID		0x00
#define CNT_COUNT	0x04
#define CNT_ADD		0x08
#define MSIX		VFIO_PCI_MSIX_IRQ_INDEX

static struct pci_dev counter_open(void)
{
	struct pci_dev d = pci_open();

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	ASSERT_EQ(0x434e5452, bar_rd32(d.devfd, 0, CNT_ID));
	return d;
}

TEST(plugin, counter, ids_from_the_model)
{
	struct pci_dev d = counter_open();
	char vendor[16] = "";

	EXPECT_EQ(0xbeef1b36, cfg_rd(d.devfd, 0x00, 4));
	EXPECT_EQ(0xff000001, cfg_rd(d.devfd, 0x08, 4));
	ASSERT_EQ(1, sysfs_scan_str("/sys/bus/pci/devices/0000:00:04.0/vendor",
				    vendor, sizeof(vendor)));
	EXPECT_EQ(0, strcmp("0x1b36", vendor));
	/* "start=5" reached the model's init */
	EXPECT_EQ(5, bar_rd32(d.devfd, 0, CNT_COUNT));
}

TEST(plugin, counter, capability_list_pm_pcie_msix)
{
	struct pci_dev d = counter_open();
	static const uint8_t ids[] = { 0x01, 0x10, 0x11 };
	struct vfio_region_info info;
	unsigned int pos, n = 0, msix = 0, exp = 0;

	for (pos = cfg_rd(d.devfd, 0x34, 1); pos && n < 48;
	     pos = cfg_rd(d.devfd, pos + 1, 1), n++) {
		if (n < sizeof(ids))
			EXPECT_EQ(ids[n], cfg_rd(d.devfd, pos, 1));
		EXPECT_EQ(0, pos & 3);
		if (cfg_rd(d.devfd, pos, 1) == 0x11)
			msix = pos;
		if (cfg_rd(d.devfd, pos, 1) == 0x10)
			exp = pos;
	}
	EXPECT_EQ(3, n);
	ASSERT_TRUE(msix && exp);
	/* MSI-X: 4 vectors, table in BAR4 at 0, PBA in BAR4 at 0x800 */
	EXPECT_EQ(3, cfg_rd(d.devfd, msix + 2, 2));
	EXPECT_EQ(0x004, cfg_rd(d.devfd, msix + 4, 4));
	EXPECT_EQ(0x804, cfg_rd(d.devfd, msix + 8, 4));
	/* ENABLE and MASKALL are the writable bits of its control */
	cfg_wr(d.devfd, msix + 2, 2, 0xffff);
	EXPECT_EQ(0xc003, cfg_rd(d.devfd, msix + 2, 2));
	/* PCI Express endpoint, version 2, FLR capable */
	EXPECT_EQ(0x0002, cfg_rd(d.devfd, exp + 2, 2));
	EXPECT_TRUE(cfg_rd(d.devfd, exp + 4, 4) & (1u << 28));
	/* PCI Express: 4 KiB of config space, an empty extended list */
	ASSERT_OK(region_info(d.devfd, VFIO_PCI_CONFIG_REGION_INDEX, &info));
	EXPECT_EQ(4096, info.size);
	EXPECT_EQ(0, cfg_rd(d.devfd, 0x100, 4));
	EXPECT_EQ(0, cfg_rd(d.devfd, 0xffc, 4));
}

TEST(plugin, counter, info_reset_and_err_irq)
{
	struct pci_dev d = counter_open();
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq;
	char method[32] = "";

	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_INFO, &info));
	/* FLR and PM: reset_works */
	EXPECT_EQ(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET, info.flags);
	ASSERT_EQ(1, sysfs_scan_str("/sys/bus/pci/devices/0000:00:04.0/"
				    "reset_method", method, sizeof(method)));
	EXPECT_EQ(0, strcmp("flr pm", method));
	/* PCI Express has the ERR index; no MSI capability */
	ASSERT_OK(irq_info(d.devfd, VFIO_PCI_ERR_IRQ_INDEX, &irq));
	EXPECT_EQ(1, irq.count);
	EXPECT_EQ(0x9, irq.flags);
	ASSERT_OK(irq_info(d.devfd, VFIO_PCI_MSI_IRQ_INDEX, &irq));
	EXPECT_EQ(0, irq.count);
	ASSERT_OK(irq_info(d.devfd, MSIX, &irq));
	EXPECT_EQ(4, irq.count);
	EXPECT_EQ(0x9, irq.flags);
}

TEST(plugin, counter, region_kinds)
{
	struct pci_dev d = counter_open();
	struct vfio_region_info info;

	/* BAR0 trapped: no MMAP */
	ASSERT_OK(region_info(d.devfd, 0, &info));
	EXPECT_EQ(4096, info.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE,
		  info.flags);
	/* BAR2 memory: MMAP, no caps; BAR3 is its upper half */
	ASSERT_OK(region_info(d.devfd, 2, &info));
	EXPECT_EQ(16384, info.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP, info.flags);
	ASSERT_OK(region_info(d.devfd, 3, &info));
	EXPECT_EQ(0, info.size);
	/* 64-bit prefetchable: low bits 0xc, and sizing spans both dwords */
	EXPECT_EQ(0xc, cfg_rd(d.devfd, 0x18, 4) & 0xf);
	cfg_wr(d.devfd, 0x18, 4, 0xffffffff);
	cfg_wr(d.devfd, 0x1c, 4, 0xffffffff);
	EXPECT_EQ(0xffffc00c, cfg_rd(d.devfd, 0x18, 4));
	EXPECT_EQ(0xffffffff, cfg_rd(d.devfd, 0x1c, 4));
}

TEST(plugin, counter, region_caps_argsz_growth)
{
	struct pci_dev d = counter_open();
	struct {
		struct vfio_region_info info;
		uint8_t caps[128];
	} big;
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_info_cap_header *hdr;

	/* too small: CAPS set, argsz grows to what is needed, cap_offset 0 */
	ASSERT_OK(region_info(d.devfd, 4, &big.info));
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		  VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS,
		  big.info.flags);
	EXPECT_EQ(32 + 32 + 8, big.info.argsz);
	EXPECT_EQ(0, big.info.cap_offset);
	EXPECT_EQ(8192, big.info.size);

	/* large enough: the chain follows the struct */
	memset(&big, 0, sizeof(big));
	big.info.argsz = sizeof(big);
	big.info.index = 4;
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_GET_REGION_INFO, &big));
	EXPECT_EQ(sizeof(big), big.info.argsz);
	ASSERT_EQ(32, big.info.cap_offset);
	sparse = (void *)((uint8_t *)&big + big.info.cap_offset);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_SPARSE_MMAP, sparse->header.id);
	EXPECT_EQ(1, sparse->header.version);
	EXPECT_EQ(1, sparse->nr_areas);
	EXPECT_EQ(4096, sparse->areas[0].offset);
	EXPECT_EQ(4096, sparse->areas[0].size);
	ASSERT_EQ(64, sparse->header.next);
	hdr = (void *)((uint8_t *)&big + sparse->header.next);
	EXPECT_EQ(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, hdr->id);
	EXPECT_EQ(0, hdr->next);
}

TEST(plugin, counter, sparse_mmap_and_msix_table)
{
	struct pci_dev d = counter_open();
	uint32_t v = 0;
	uint32_t *p;

	/* only the listed area maps; the MSI-X page does not */
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(4));
	expect_map_failed(EINVAL, d.devfd, 8192, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(4));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d.devfd,
		 (off_t)PCI_REGION(4) + 4096);
	ASSERT_TRUE(p != MAP_FAILED);
	p[1] = 0xabcd1234;
	/* pread sees the same memory */
	ASSERT_EQ(4, pread(d.devfd, &v, 4, PCI_REGION(4) + 4096 + 4));
	EXPECT_EQ(0xabcd1234, v);
	/* vfio_pci_bar_rw(): the MSI-X table reads as ones, drops writes */
	v = 0;
	ASSERT_EQ(4, pwrite(d.devfd, &v, 4, PCI_REGION(4)));
	ASSERT_EQ(4, pread(d.devfd, &v, 4, PCI_REGION(4)));
	EXPECT_EQ(0xffffffff, v);
	munmap(p, 4096);
}

TEST(plugin, counter, trapped_bar_and_msix_delivery)
{
	struct pci_dev d = counter_open();
	int32_t fds[4] = { efd_new(), efd_new(), -1, -1 };

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSIX, 0, 2, fds));
	bar_wr32(d.devfd, 0, CNT_ADD, 10);
	EXPECT_EQ(15, bar_rd32(d.devfd, 0, CNT_COUNT));
	EXPECT_EQ(1, efd_wait(fds[0], 1000));
	EXPECT_EQ(0, efd_take(fds[1]));
	/* loopback on the second vector only */
	ASSERT_OK(set_irqs_none(d.devfd, VFIO_IRQ_SET_ACTION_TRIGGER, MSIX,
				1, 1));
	EXPECT_EQ(1, efd_take(fds[1]));
	EXPECT_EQ(0, efd_take(fds[0]));
}

TEST(plugin, counter, msix_resize_needs_disable)
{
	struct pci_dev d = counter_open();
	int32_t fds[4] = { efd_new(), efd_new(), efd_new(), efd_new() };

	/* vfio_msi_enable() sizes the vectors from start + count */
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSIX, 0, 2, fds));
	/* vfio_msi_set_block(): beyond the enabled count -> -EINVAL */
	EXPECT_ERRNO(EINVAL, set_irqs_eventfd(d.devfd, MSIX, 2, 1, fds + 2));
	EXPECT_ERRNO(EINVAL, set_irqs_eventfd(d.devfd, MSIX, 0, 4, fds));
	EXPECT_ERRNO(EINVAL, set_irqs_none(d.devfd,
					   VFIO_IRQ_SET_ACTION_TRIGGER, MSIX,
					   0, 3));
	/* within it, vectors change one by one */
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSIX, 1, 1, fds + 3));
	/* a disable, then the larger count */
	ASSERT_OK(set_irqs_none(d.devfd, VFIO_IRQ_SET_ACTION_TRIGGER, MSIX,
				0, 0));
	ASSERT_OK(set_irqs_eventfd(d.devfd, MSIX, 0, 4, fds));
	ASSERT_OK(set_irqs_none(d.devfd, VFIO_IRQ_SET_ACTION_TRIGGER, MSIX,
				3, 1));
	EXPECT_EQ(1, efd_take(fds[3]));
}

/* Rings the mailbox doorbell through the mapping and waits for the poll. */
static uint32_t mailbox_add(volatile uint32_t *mbox, uint32_t n)
{
	__atomic_store_n(&mbox[0], n, __ATOMIC_RELEASE);
	for (int i = 0; i < 5000; i++) {
		if (!__atomic_load_n(&mbox[0], __ATOMIC_ACQUIRE))
			return mbox[2];
		msleep(1);
	}
	harness_report("the device never cleared the doorbell");
	exit(1);
}

TEST(plugin, counter, memory_bar_doorbell_polled)
{
	struct pci_dev d = counter_open();
	int32_t fds[2] = { efd_new(), efd_new() };
	volatile uint32_t *mbox;

	ASSERT_OK(set_irqs_eventfd(d.devfd, MSIX, 0, 2, fds));
	mbox = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, d.devfd,
		    (off_t)PCI_REGION(2));
	ASSERT_TRUE(mbox != MAP_FAILED);
	EXPECT_EQ(12, mailbox_add(mbox, 7));
	EXPECT_EQ(1, efd_wait(fds[1], 1000));
	EXPECT_EQ(12, bar_rd32(d.devfd, 0, CNT_COUNT));
	/* a second mapping of the same BAR sees the same bytes */
	{
		uint32_t *again = mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				       d.devfd, (off_t)PCI_REGION(2));

		ASSERT_TRUE(again != MAP_FAILED);
		EXPECT_EQ(12, again[2]);
		munmap(again, 4096);
	}
	/* past the page-aligned end -> -EINVAL */
	expect_map_failed(EINVAL, d.devfd, 32768, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(2));
}

TEST(plugin, counter, reset_to_power_on)
{
	struct pci_dev d = counter_open();
	volatile uint32_t *mbox = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_SHARED, d.devfd,
				       (off_t)PCI_REGION(2));
	unsigned int exp = 0;

	ASSERT_TRUE(mbox != MAP_FAILED);
	bar_wr32(d.devfd, 0, CNT_COUNT, 99);
	mbox[2] = 1234;
	/* VFIO_DEVICE_RESET: the model's reset, config untouched */
	ASSERT_OK(ioctl(d.devfd, VFIO_DEVICE_RESET));
	EXPECT_EQ(5, bar_rd32(d.devfd, 0, CNT_COUNT));
	EXPECT_EQ(0, mbox[2]);
	EXPECT_EQ(0x0006, cfg_rd(d.devfd, 0x04, 2));
	/* an FLR through DEVCTL does the same, and is never stored */
	bar_wr32(d.devfd, 0, CNT_COUNT, 77);
	for (unsigned int pos = cfg_rd(d.devfd, 0x34, 1); pos;
	     pos = cfg_rd(d.devfd, pos + 1, 1))
		if (cfg_rd(d.devfd, pos, 1) == 0x10)
			exp = pos;
	ASSERT_TRUE(exp);
	cfg_wr(d.devfd, exp + 8, 2, 0x8000);
	EXPECT_EQ(5, bar_rd32(d.devfd, 0, CNT_COUNT));
	EXPECT_EQ(0, cfg_rd(d.devfd, exp + 8, 2) & 0x8000);
}

TEST(plugin, counter, fork_child_gets_own_memory_bar)
{
	struct pci_dev d = counter_open();
	volatile uint32_t *mbox = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_SHARED, d.devfd,
				       (off_t)PCI_REGION(2));
	int status;
	pid_t pid;

	ASSERT_TRUE(mbox != MAP_FAILED);
	EXPECT_EQ(6, mailbox_add(mbox, 1));
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		/* the child's device polls its own copy of the mailbox */
		if (mbox[2] != 6 || mailbox_add(mbox, 100) != 106)
			_exit(1);
		_exit(bar_rd32(d.devfd, 0, CNT_COUNT) == 106 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the parent's device and memory did not see the child's ring */
	EXPECT_EQ(6, mbox[2]);
	EXPECT_EQ(6, bar_rd32(d.devfd, 0, CNT_COUNT));
	EXPECT_EQ(7, mailbox_add(mbox, 1));
}

TEST(plugin, counter, option_rom)
{
	struct pci_dev d = counter_open();
	struct vfio_region_info info;
	uint8_t buf[8];

	/* vfio_pci_ioctl_get_region_info(): the ROM BAR size, read-only */
	ASSERT_OK(region_info(d.devfd, VFIO_PCI_ROM_REGION_INDEX, &info));
	EXPECT_EQ(4096, info.size);
	EXPECT_EQ(VFIO_REGION_INFO_FLAG_READ, info.flags);
	ASSERT_EQ(8, pread(d.devfd, buf, 8, PCI_REGION(6)));
	EXPECT_EQ(0x55, buf[0]);
	EXPECT_EQ(0xaa, buf[1]);
	EXPECT_EQ('c', buf[3]);
	/* a read crossing the end is cut short; past it -> -EINVAL */
	EXPECT_EQ(2, pread(d.devfd, buf, 8, PCI_REGION(6) + 4094));
	EXPECT_ERRNO(EINVAL, pread(d.devfd, buf, 1, PCI_REGION(6) + 4096));
	/* vfio_pci_rw(): a ROM write -> -EINVAL */
	EXPECT_ERRNO(EINVAL, pwrite(d.devfd, buf, 4, PCI_REGION(6)));
	/* the ROM BAR sizes with its enable bit kept (vfio_bar_fixup()) */
	cfg_wr(d.devfd, 0x30, 4, 0xffffffff);
	EXPECT_EQ(0xfffff001, cfg_rd(d.devfd, 0x30, 4));
	cfg_wr(d.devfd, 0x30, 4, 0);
	EXPECT_EQ(0, cfg_rd(d.devfd, 0x30, 4));
	/* and it cannot be mapped */
	expect_map_failed(EINVAL, d.devfd, 4096, PROT_READ, MAP_SHARED,
			  (off_t)PCI_REGION(6));
}
