// SPDX-License-Identifier: MIT
/*
 * A small driver for QEMU's edu, written as for real hardware behind
 * vfio-pci (raw syscalls, no uvfio API): the factorial with the status
 * register, interrupts through MSI and INTx, and DMA between memory and
 * the device's buffer through the IOMMU, with MSI signalling completion
 * to an eventfd. The register map is QEMU's (hw/misc/edu.c,
 * docs/specs/edu.rst).
 *
 * pci_open() (pci_test_util.h) is the one step that depends on how the
 * device fd is obtained: the cdev path by default, the group path with
 * PCI_TEST_PATH=group (edu_driver_group.c).
 */
#include "pci_test_util.h"

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_FACT	0x08
#define EDU_STATUS	0x20
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_BUF		0x40000
#define DMA_RUN		0x1
#define DMA_TO_RAM	0x2
#define DMA_IRQ		0x4

#define IOVA		0x100000ull

/* The driver's probe: memory decoding and bus mastering on. */
static struct pci_dev edu_probe(void)
{
	struct pci_dev d = pci_open();

	cfg_wr(d.devfd, 0x04, 2, 0x0006);
	ASSERT_EQ(0x010000ed, bar_rd32(d.devfd, 0, EDU_ID));
	return d;
}

static int edu_msi(struct pci_dev *d)
{
	int32_t efd = efd_new();

	ASSERT_OK(set_irqs_eventfd(d->devfd, VFIO_PCI_MSI_IRQ_INDEX, 0, 1,
				   &efd));
	return efd;
}

/* Polls the status register until the computation is done. */
static void edu_wait_fact(struct pci_dev *d)
{
	for (int i = 0; i < 5000; i++) {
		if (!(bar_rd32(d->devfd, 0, EDU_STATUS) & 1))
			return;
		msleep(1);
	}
	harness_report("factorial still computing after 5 s");
	exit(1);
}

/* Polls the command register until the transfer is done. */
static void edu_wait_dma(struct pci_dev *d)
{
	for (int i = 0; i < 5000; i++) {
		if (!(bar_rd32(d->devfd, 0, EDU_DMA_CMD) & DMA_RUN))
			return;
		msleep(1);
	}
	harness_report("DMA still running after 5 s");
	exit(1);
}

/* Maps memory for DMA; the group path needs the type1 MAP_DMA. */
static void edu_dma_map(struct pci_dev *d, void *va, uint64_t iova,
			size_t len)
{
	errno = 0;
	if (pci_dma_map(d, va, iova, len) && errno == ENOTTY &&
	    d->group_path)
		SKIP("the container has no VFIO_IOMMU_MAP_DMA yet");
	if (errno) {
		harness_report("DMA map of 0x%llx: %s",
			       (unsigned long long)iova, strerrorname_np(errno));
		exit(1);
	}
}

static void edu_dma(struct pci_dev *d, uint64_t src, uint64_t dst,
		    uint32_t cnt, uint32_t cmd)
{
	bar_wr64(d->devfd, 0, EDU_DMA_SRC, src);
	bar_wr64(d->devfd, 0, EDU_DMA_DST, dst);
	bar_wr64(d->devfd, 0, EDU_DMA_CNT, cnt);
	bar_wr32(d->devfd, 0, EDU_DMA_CMD, cmd);
}

TEST(edu, driver, factorial_polling_status)
{
	struct pci_dev d = edu_probe();

	bar_wr32(d.devfd, 0, EDU_FACT, 10);
	edu_wait_fact(&d);
	EXPECT_EQ(3628800, bar_rd32(d.devfd, 0, EDU_FACT));
	/* 13! does not fit: the device computes modulo 2^32 */
	bar_wr32(d.devfd, 0, EDU_FACT, 13);
	edu_wait_fact(&d);
	EXPECT_EQ(1932053504u, bar_rd32(d.devfd, 0, EDU_FACT));
	bar_wr32(d.devfd, 0, EDU_FACT, 0);
	edu_wait_fact(&d);
	EXPECT_EQ(1, bar_rd32(d.devfd, 0, EDU_FACT));
}

TEST(edu, driver, factorial_interrupt_msi)
{
	struct pci_dev d = edu_probe();
	int efd = edu_msi(&d);

	/* status 0x80: raise 0x1 when the factorial is done */
	bar_wr32(d.devfd, 0, EDU_STATUS, 0x80);
	bar_wr32(d.devfd, 0, EDU_FACT, 5);
	ASSERT_EQ(1, efd_wait(efd, 5000));
	EXPECT_EQ(0, bar_rd32(d.devfd, 0, EDU_STATUS) & 1);
	EXPECT_EQ(0x80, bar_rd32(d.devfd, 0, EDU_STATUS) & 0x80);
	EXPECT_EQ(120, bar_rd32(d.devfd, 0, EDU_FACT));
	EXPECT_EQ(1, bar_rd32(d.devfd, 0, EDU_IRQ_STATUS));
	bar_wr32(d.devfd, 0, EDU_IRQ_ACK, 1);
	EXPECT_EQ(0, bar_rd32(d.devfd, 0, EDU_IRQ_STATUS));
}

TEST(edu, driver, interrupt_raise_ack_intx)
{
	struct pci_dev d = edu_probe();
	int32_t efd = efd_new();

	ASSERT_OK(set_irqs_eventfd(d.devfd, VFIO_PCI_INTX_IRQ_INDEX, 0, 1,
				   &efd));
	bar_wr32(d.devfd, 0, EDU_IRQ_RAISE, 0x40);
	ASSERT_EQ(1, efd_wait(efd, 1000));
	EXPECT_EQ(0x40, bar_rd32(d.devfd, 0, EDU_IRQ_STATUS));
	/* the handler acks the device, then unmasks INTx */
	bar_wr32(d.devfd, 0, EDU_IRQ_ACK, 0x40);
	ASSERT_OK(set_irqs_none(d.devfd, VFIO_IRQ_SET_ACTION_UNMASK,
				VFIO_PCI_INTX_IRQ_INDEX, 0, 1));
	EXPECT_EQ(0, efd_wait(efd, 50));
	/* the factorial interrupt through INTx too */
	bar_wr32(d.devfd, 0, EDU_STATUS, 0x80);
	bar_wr32(d.devfd, 0, EDU_FACT, 4);
	ASSERT_EQ(1, efd_wait(efd, 5000));
	EXPECT_EQ(24, bar_rd32(d.devfd, 0, EDU_FACT));
	bar_wr32(d.devfd, 0, EDU_IRQ_ACK, 1);
}

TEST(edu, driver, dma_round_trip_msi)
{
	struct pci_dev d = edu_probe();
	int efd = edu_msi(&d);
	uint8_t *ram = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(ram != MAP_FAILED);
	for (int i = 0; i < 4096; i++)
		ram[i] = (uint8_t)(i * 7 + 3);
	memset(ram + 4096, 0, 4096);
	edu_dma_map(&d, ram, IOVA, 2 * 4096);

	/* RAM -> device buffer, with the completion interrupt (0x100) */
	edu_dma(&d, IOVA, EDU_BUF, 4000, DMA_RUN | DMA_IRQ);
	ASSERT_EQ(1, efd_wait(efd, 5000));
	EXPECT_EQ(0, bar_rd32(d.devfd, 0, EDU_DMA_CMD) & DMA_RUN);
	EXPECT_EQ(0x100, bar_rd32(d.devfd, 0, EDU_IRQ_STATUS));
	bar_wr32(d.devfd, 0, EDU_IRQ_ACK, 0x100);

	/* device buffer -> the second page */
	edu_dma(&d, EDU_BUF, IOVA + 4096, 4000, DMA_RUN | DMA_TO_RAM |
		DMA_IRQ);
	ASSERT_EQ(1, efd_wait(efd, 5000));
	bar_wr32(d.devfd, 0, EDU_IRQ_ACK, 0x100);
	EXPECT_EQ(0, memcmp(ram, ram + 4096, 4000));
	EXPECT_EQ(0, ram[4096 + 4000]);
}

TEST(edu, driver, dma_registers_and_mask)
{
	struct pci_dev d = edu_probe();
	uint8_t *ram = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t v = 0;

	ASSERT_TRUE(ram != MAP_FAILED);
	memset(ram, 0x5a, 64);
	edu_dma_map(&d, ram, IOVA, 4096);
	/* the DMA registers read back; a 4-byte write replaces all 64 bits */
	bar_wr64(d.devfd, 0, EDU_DMA_SRC, 0x123456789ull);
	ASSERT_EQ(8, pread(d.devfd, &v, 8, PCI_REGION(0) + EDU_DMA_SRC));
	EXPECT_EQ(0x23456789, (uint32_t)v);
	/* the address is masked with dma_mask (1 << 28) - 1: bit 28 drops */
	edu_dma(&d, IOVA | (1ull << 28), EDU_BUF + 64, 64, DMA_RUN);
	edu_wait_dma(&d);
	memset(ram, 0, 64);
	edu_dma(&d, EDU_BUF + 64, IOVA, 64, DMA_RUN | DMA_TO_RAM);
	edu_wait_dma(&d);
	EXPECT_EQ(0x5a, ram[0]);
	EXPECT_EQ(0x5a, ram[63]);
}

TEST(edu, driver, dma_unmapped_iova_moves_nothing)
{
	struct pci_dev d = edu_probe();
	uint8_t *ram = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(ram != MAP_FAILED);
	memset(ram, 0, 4096);
	edu_dma_map(&d, ram, IOVA, 4096);
	/* known contents in the device buffer (a real edu keeps its own) */
	edu_dma(&d, IOVA, EDU_BUF, 256, DMA_RUN);
	edu_wait_dma(&d);
	memset(ram, 0x11, 4096);
	/* an IOMMU fault: the write to IOVA + 8 MiB goes nowhere */
	edu_dma(&d, EDU_BUF, IOVA + (8 << 20), 256, DMA_RUN | DMA_TO_RAM);
	edu_wait_dma(&d);
	EXPECT_EQ(0x11, ram[0]);
	/* the device goes on working */
	edu_dma(&d, EDU_BUF, IOVA, 16, DMA_RUN | DMA_TO_RAM);
	edu_wait_dma(&d);
	EXPECT_EQ(0, ram[0]);
}

TEST(edu, driver, fork_child_keeps_device)
{
	struct pci_dev d = edu_probe();
	int status;
	pid_t pid;

	bar_wr32(d.devfd, 0, EDU_LIVENESS, 0x1234);
	bar_wr32(d.devfd, 0, EDU_FACT, 6);
	edu_wait_fact(&d);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (!pid) {
		/* the child's device: same state, its own worker */
		if (bar_rd32(d.devfd, 0, EDU_LIVENESS) != ~0x1234u ||
		    bar_rd32(d.devfd, 0, EDU_FACT) != 720)
			_exit(1);
		bar_wr32(d.devfd, 0, EDU_FACT, 7);
		edu_wait_fact(&d);
		_exit(bar_rd32(d.devfd, 0, EDU_FACT) == 5040 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* the parent still works, whatever the child did */
	bar_wr32(d.devfd, 0, EDU_FACT, 3);
	edu_wait_fact(&d);
	EXPECT_EQ(6, bar_rd32(d.devfd, 0, EDU_FACT));
}
