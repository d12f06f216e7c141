// SPDX-License-Identifier: MIT
/*
 * QEMU's "edu" teaching device (hw/misc/edu.c, docs/specs/edu.rst), written
 * against the public device-model API (include/uvfio/device.h): PCI
 * 1234:11e8, one MSI vector and INTA, and a trapped 1 MiB register BAR
 * that can still be mmapped (every access through the mapping traps). Its
 * config space matches what vfio-pci shows for QEMU 7.2's edu on a real
 * host (docs/reference-kernel-answers.md, A4), and its registers answer as
 * QEMU's do:
 *
 *   0x00 id 0x010000ed            0x24 interrupt status
 *   0x04 liveness: reads ~written 0x60 raise interrupt (status |= value)
 *   0x08 factorial: write n, read n! once status bit 0 clears
 *   0x20 status: 0x01 computing (RO), 0x80 interrupt when done
 *   0x64 ack interrupt            0x80/0x88/0x90/0x98 DMA src/dst/cnt/cmd
 *
 * Accesses below 0x80 must be 4 bytes, from 0x80 up 4 or 8; others read
 * all ones and are dropped. The factorial is computed on the device's
 * worker thread, so a driver must poll the status register or wait for the
 * interrupt, as with QEMU's thread. DMA copies between the IOVA space and
 * the 4 KiB buffer at device address 0x40000, through the IOMMU, after
 * dma_delay_us (QEMU: a 100 ms virtual-clock timer), then clears RUN and
 * raises 0x100 if asked.
 *
 * Arguments: "dma_mask=N" (default (1 << 28) - 1, as QEMU's property),
 * "dma_delay_us=N" (default 10000).
 *
 * Like QEMU's, it has no reset handler: a function reset (possible behind
 * a bridge) drops the INTx line but keeps every register and any transfer
 * in flight, as a real host shows. Differences from QEMU: a DMA outside
 * the buffer is dropped (QEMU logs it and overruns its buffer); DMA with
 * bus mastering off or an IOMMU fault moves nothing but completes as
 * usual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models.h"

#define EDU_REG_ID		0x00
#define EDU_REG_LIVENESS	0x04
#define EDU_REG_FACT		0x08
#define EDU_REG_STATUS		0x20
#define  EDU_STATUS_COMPUTING	0x01
#define  EDU_STATUS_IRQFACT	0x80
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define  EDU_DMA_RUN		0x1
#define  EDU_DMA_TO_PCI		0x2	/* direction: buffer to RAM */
#define  EDU_DMA_IRQ		0x4

#define EDU_ID			0x010000edu	/* major 1, minor 0 */
#define EDU_REGS_DWORD_ONLY	0x80	/* below: only 4-byte accesses */
#define EDU_FACT_IRQ		0x00000001
#define EDU_DMA_IRQ_BIT		0x00000100
#define EDU_DMA_START		0x40000
#define EDU_DMA_SIZE		4096

/* Everything is under the device lock: callbacks and work hold it. */
struct edu_state {
	u32 addr4;		/* the liveness register: ~ of the last write */
	u32 fact;
	u32 status;
	u32 irq_status;
	u64 dma_src, dma_dst, dma_cnt, dma_cmd;
	u64 dma_mask;		/* immutable after init */
	u64 dma_delay_ns;	/* immutable after init */
	u8 dma_buf[EDU_DMA_SIZE];
};

/* edu_raise_irq(): MSI if the driver enabled it, else INTx goes high. */
static void edu_raise_irq(struct uvfio_device *dev, u32 val)
{
	struct edu_state *edu = uvfio_device_priv(dev);

	edu->irq_status |= val;
	if (!edu->irq_status)
		return;
	if (uvfio_device_msi_enabled(dev))
		uvfio_device_msi_notify(dev, 0);
	else
		uvfio_device_intx_set(dev, 1);
}

static void edu_lower_irq(struct uvfio_device *dev, u32 val)
{
	struct edu_state *edu = uvfio_device_priv(dev);

	edu->irq_status &= ~val;
	if (!edu->irq_status && !uvfio_device_msi_enabled(dev))
		uvfio_device_intx_set(dev, 0);
}

/* QEMU's factorial thread, one computation per write. */
static void edu_fact_work(struct uvfio_device *dev, void *arg)
{
	struct edu_state *edu = uvfio_device_priv(dev);
	u32 val = edu->fact, ret = 1;

	while (val > 0)
		ret *= val--;
	edu->fact = ret;
	edu->status &= ~EDU_STATUS_COMPUTING;
	if (edu->status & EDU_STATUS_IRQFACT)
		edu_raise_irq(dev, EDU_FACT_IRQ);
}

/* Whether [start, start + size) lies inside the buffer (edu_check_range()). */
static bool edu_in_buffer(u64 start, u64 size)
{
	return start + size >= start && start >= EDU_DMA_START &&
	       start + size <= EDU_DMA_START + EDU_DMA_SIZE;
}

/* edu_dma_timer(): the transfer, once the delay has passed. */
static void edu_dma_work(struct uvfio_device *dev, void *arg)
{
	struct edu_state *edu = uvfio_device_priv(dev);
	bool to_pci = edu->dma_cmd & EDU_DMA_TO_PCI;
	u64 bufaddr = to_pci ? edu->dma_src : edu->dma_dst;
	u64 ram = (to_pci ? edu->dma_dst : edu->dma_src) & edu->dma_mask;

	if (!(edu->dma_cmd & EDU_DMA_RUN))
		return;
	if (edu_in_buffer(bufaddr, edu->dma_cnt) &&
	    uvfio_device_bus_master(dev)) {
		u8 *buf = edu->dma_buf + (bufaddr - EDU_DMA_START);
		size_t len = (size_t)edu->dma_cnt;

		if (to_pci)
			(void)uvfio_dma_write(dev, ram, buf, len);
		else
			(void)uvfio_dma_read(dev, ram, buf, len);
	}
	edu->dma_cmd &= ~(u64)EDU_DMA_RUN;
	if (edu->dma_cmd & EDU_DMA_IRQ)
		edu_raise_irq(dev, EDU_DMA_IRQ_BIT);
}

static u64 *edu_dma_reg(struct edu_state *edu, u64 off)
{
	switch (off) {
	case EDU_REG_DMA_SRC:
		return &edu->dma_src;
	case EDU_REG_DMA_DST:
		return &edu->dma_dst;
	case EDU_REG_DMA_CNT:
		return &edu->dma_cnt;
	case EDU_REG_DMA_CMD:
		return &edu->dma_cmd;
	default:
		return NULL;
	}
}

static bool edu_size_ok(u64 off, unsigned int size)
{
	return off < EDU_REGS_DWORD_ONLY ? size == 4 :
					   size == 4 || size == 8;
}

static u64 edu_bar_read(struct uvfio_device *dev, int bar, u64 off,
			unsigned int size)
{
	struct edu_state *edu = uvfio_device_priv(dev);
	u64 *dma;

	/* QEMU's memory core refuses accesses under 4 bytes: they read 0. */
	if (size < 4)
		return 0;
	if (!edu_size_ok(off, size))
		return ~0ULL;
	switch (off) {
	case EDU_REG_ID:
		return EDU_ID;
	case EDU_REG_LIVENESS:
		return edu->addr4;
	case EDU_REG_FACT:
		return edu->fact;
	case EDU_REG_STATUS:
		return edu->status;
	case EDU_REG_IRQ_STATUS:
		return edu->irq_status;
	}
	dma = edu_dma_reg(edu, off);
	return dma ? *dma : ~0ULL;
}

static void edu_bar_write(struct uvfio_device *dev, int bar, u64 off,
			  u64 val, unsigned int size)
{
	struct edu_state *edu = uvfio_device_priv(dev);
	u64 *dma;

	if (!edu_size_ok(off, size))
		return;
	switch (off) {
	case EDU_REG_LIVENESS:
		edu->addr4 = (u32)~val;
		return;
	case EDU_REG_FACT:
		if (edu->status & EDU_STATUS_COMPUTING)
			return;
		edu->fact = (u32)val;
		edu->status |= EDU_STATUS_COMPUTING;
		if (uvfio_device_schedule(dev, edu_fact_work, NULL, 0))
			edu->status &= ~EDU_STATUS_COMPUTING;
		return;
	case EDU_REG_STATUS:
		if (val & EDU_STATUS_IRQFACT)
			edu->status |= EDU_STATUS_IRQFACT;
		else
			edu->status &= ~EDU_STATUS_IRQFACT;
		return;
	case EDU_REG_IRQ_RAISE:
		edu_raise_irq(dev, (u32)val);
		return;
	case EDU_REG_IRQ_ACK:
		edu_lower_irq(dev, (u32)val);
		return;
	case EDU_REG_DMA_CMD:
		if (!(val & EDU_DMA_RUN))
			return;
		break;
	}
	dma = edu_dma_reg(edu, off);
	/* dma_rw(): the registers are frozen while a transfer runs. */
	if (!dma || (edu->dma_cmd & EDU_DMA_RUN))
		return;
	*dma = val;
	if (off == EDU_REG_DMA_CMD)
		(void)uvfio_device_schedule(dev, edu_dma_work, NULL,
					    edu->dma_delay_ns);
}

/* "key=N,key=N": dma_mask and dma_delay_us. */
static int edu_init(struct uvfio_device *dev, const char *args)
{
	struct edu_state *edu = uvfio_device_priv(dev);
	const char *p = args;

	edu->dma_mask = (1ull << 28) - 1;
	edu->dma_delay_ns = 10 * 1000 * 1000;
	while (*p) {
		size_t len = strcspn(p, ",");
		char *end;
		u64 v;

		if (!strncmp(p, "dma_mask=", 9)) {
			v = strtoull(p + 9, &end, 0);
			edu->dma_mask = v;
		} else if (!strncmp(p, "dma_delay_us=", 13)) {
			v = strtoull(p + 13, &end, 0);
			edu->dma_delay_ns = v * 1000;
		} else {
			return -EINVAL;
		}
		if (end != p + len)
			return -EINVAL;
		p += len + (p[len] == ',');
	}
	return 0;
}

const struct uvfio_device_model edu_model = {
	.size = sizeof(struct uvfio_device_model),
	.name = "edu",
	.vendor = 0x1234,
	.device = 0x11e8,
	/* QEMU's default subsystem ids for its own devices. */
	.subsystem_vendor = 0x1af4,
	.subsystem_device = 0x1100,
	.class_code = 0x00ff00,		/* unclassified */
	.revision = 0x10,
	.irq_pin = 1,
	.irq_line = 0x0a,
	.msi_vectors = 1,
	.bars = {
		/* Mappable as on a real host: accesses trap to the model. */
		[0] = { .size = 1 << 20, .flags = UVFIO_BAR_MMAP_TRAP,
			.addr = 0xfea00000 },
	},
	.priv_size = sizeof(struct edu_state),
	.init = edu_init,
	.bar_read = edu_bar_read,
	.bar_write = edu_bar_write,
};
