// SPDX-License-Identifier: MIT
/*
 * QEMU's "edu" teaching device (hw/misc/edu.c, docs/specs/edu.rst): PCI
 * 1234:11e8, one MSI vector and INTA, and a 1 MiB register BAR. Its config
 * space matches what vfio-pci shows for QEMU 7.2's edu on a real host.
 *
 * Registers so far: identification and liveness. The factorial, interrupt
 * and DMA engines come with the device-model work (issue 5); until then their
 * registers read as at power-on and writes to them are dropped.
 */
#define _GNU_SOURCE
#include "models.h"
#include "../pci/pci_regs.h"

#define EDU_REG_ID		0x00
#define EDU_REG_LIVENESS	0x04
#define EDU_ID			0x010000edu	/* major 1, minor 0 */
#define EDU_REGS_DWORD_ONLY	0x80	/* below: only 4-byte accesses */

struct edu_state {
	u32 liveness;		/* relaxed atomics: a plain latch */
};

static u64 edu_bar_read(struct vfio_pci_core_device *vdev, int bar, u64 off,
			unsigned int size)
{
	struct edu_state *edu = vdev->priv;

	/* QEMU's memory core refuses accesses under 4 bytes: they read 0. */
	if (size < 4)
		return 0;
	/* edu_mmio_read() answers all ones to an 8-byte access below 0x80. */
	if (off < EDU_REGS_DWORD_ONLY && size != 4)
		return ~0ULL;
	switch (off) {
	case EDU_REG_ID:
		return EDU_ID;
	case EDU_REG_LIVENESS:
		return (u32)~__atomic_load_n(&edu->liveness, __ATOMIC_RELAXED);
	default:
		return off < EDU_REGS_DWORD_ONLY ? 0 : ~0ULL;
	}
}

static void edu_bar_write(struct vfio_pci_core_device *vdev, int bar, u64 off,
			  u64 val, unsigned int size)
{
	struct edu_state *edu = vdev->priv;

	if (size != 4 || off != EDU_REG_LIVENESS)
		return;
	__atomic_store_n(&edu->liveness, (u32)val, __ATOMIC_RELAXED);
}

const struct vfio_pci_model edu_model = {
	.name = "edu",
	.vendor = 0x1234,
	.device = 0x11e8,
	/* QEMU's default subsystem ids for its own devices. */
	.subsystem_vendor = 0x1af4,
	.subsystem_device = 0x1100,
	.class_code = 0x00ff00,		/* unclassified */
	.revision = 0x10,
	.command = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_SERR,
	.irq_pin = 1,
	.irq_line = 0x0a,
	.msi_vectors = 1,
	.bars = {
		[0] = { .size = 1 << 20, .flags = 0, .addr = 0xfea00000 },
	},
	.priv_size = sizeof(struct edu_state),
	.bar_read = edu_bar_read,
	.bar_write = edu_bar_write,
};
