// SPDX-License-Identifier: MIT
/*
 * counter: an example uvfio device model, built as a plugin. Copy it to
 * start your own; it uses nothing but <uvfio/device.h>.
 *
 *   cc -shared -fPIC -o counter.so counter.c -luvfio
 *   uvfio run --device plugin=./counter.so,start=5 -- ./my-driver
 *
 * A PCI Express function 1b36:beef (class 0xff0000) with FLR and power
 * management (so VFIO_DEVICE_RESET works), INTA, and 4 MSI-X vectors:
 *
 * BAR0, 4 KiB, trapped: every access calls counter_read()/counter_write().
 *   0x00 ID      (RO)  0x434e5452 ("CNTR")
 *   0x04 COUNT   (RW)  the counter; "start=N" sets its power-on value
 *   0x08 ADD     (WO)  adds the value to COUNT, then raises vector 0
 *                      (MSI-X if enabled, else INTx until ACK)
 *   0x0c ACK     (WO)  lowers INTx
 * BAR2, 16 KiB, 64-bit prefetchable memory, mmappable: a mailbox the
 *   device polls every 100 us while open. The driver stores N at 0x00
 *   (DOORBELL); the device adds it to COUNT, writes COUNT at 0x08,
 *   clears the doorbell and raises vector 1.
 * BAR4, 8 KiB: the MSI-X table (0x000) and PBA (0x800) in a trapped
 *   first page, and a memory page at 0x1000 that may be mmapped (a
 *   SPARSE_MMAP capability says so).
 * ROM, 4 KiB: an option ROM image starting 55 AA, read-only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uvfio/device.h>

#define REG_ID		0x00
#define REG_COUNT	0x04
#define REG_ADD		0x08
#define REG_ACK		0x0c
#define COUNTER_ID	0x434e5452

#define MBOX_DOORBELL	0x00
#define MBOX_COUNT	0x08

/* The device's state: every callback runs with the device lock held. */
struct counter {
	uint32_t start;		/* from the arguments; survives reset */
	uint32_t count;
};

static void counter_irq(struct uvfio_device *dev, unsigned int vector)
{
	if (uvfio_device_msi_enabled(dev))
		uvfio_device_msi_notify(dev, vector);
	else
		uvfio_device_intx_set(dev, 1);
}

static uint64_t counter_read(struct uvfio_device *dev, int bar, uint64_t off,
			     unsigned int size)
{
	struct counter *c = uvfio_device_priv(dev);

	if (bar != 0 || size != 4)
		return ~0ull;	/* the MSI-X page of BAR4, or a bad size */
	switch (off) {
	case REG_ID:
		return COUNTER_ID;
	case REG_COUNT:
		return c->count;
	default:
		return 0;
	}
}

static void counter_write(struct uvfio_device *dev, int bar, uint64_t off,
			  uint64_t val, unsigned int size)
{
	struct counter *c = uvfio_device_priv(dev);

	if (bar != 0 || size != 4)
		return;
	switch (off) {
	case REG_COUNT:
		c->count = (uint32_t)val;
		break;
	case REG_ADD:
		c->count += (uint32_t)val;
		counter_irq(dev, 0);
		break;
	case REG_ACK:
		uvfio_device_intx_set(dev, 0);
		break;
	}
}

/* The mailbox: memory the driver writes without the device being told. */
static void counter_poll(struct uvfio_device *dev)
{
	struct counter *c = uvfio_device_priv(dev);
	uint8_t *mbox = uvfio_device_bar_mem(dev, 2);
	uint32_t *doorbell = (uint32_t *)(mbox + MBOX_DOORBELL);
	uint32_t n = __atomic_load_n(doorbell, __ATOMIC_ACQUIRE);

	if (!n)
		return;
	c->count += n;
	__atomic_store_n((uint32_t *)(mbox + MBOX_COUNT), c->count,
			 __ATOMIC_RELAXED);
	/* The driver waits for the doorbell to clear: release the count. */
	__atomic_store_n(doorbell, 0, __ATOMIC_RELEASE);
	counter_irq(dev, 1);
}

static void counter_reset(struct uvfio_device *dev)
{
	struct counter *c = uvfio_device_priv(dev);

	c->count = c->start;
	memset(uvfio_device_bar_mem(dev, 2), 0, 16384);
}

/* "start=N", or nothing. */
static int counter_init(struct uvfio_device *dev, const char *args)
{
	struct counter *c = uvfio_device_priv(dev);
	char *end;

	if (!strncmp(args, "start=", 6)) {
		c->start = (uint32_t)strtoul(args + 6, &end, 0);
		if (*end)
			return -22;	/* EINVAL */
	} else if (*args) {
		return -22;
	}
	c->count = c->start;
	return 0;
}

/* The option ROM: a signature and a name, the rest zeros. */
static const uint8_t counter_rom[4096] = {
	0x55, 0xaa, 0x08, 'c', 'o', 'u', 'n', 't', 'e', 'r',
};

static const struct uvfio_device_model counter_model = {
	.size = sizeof(struct uvfio_device_model),
	.caps = UVFIO_CAP_PCIE | UVFIO_CAP_FLR | UVFIO_CAP_PM,
	.name = "counter",
	.vendor = 0x1b36,
	.device = 0xbeef,
	.subsystem_vendor = 0x1af4,
	.subsystem_device = 0x1100,
	.class_code = 0xff0000,
	.revision = 0x01,
	.irq_pin = 1,
	.irq_line = 11,
	.msix_vectors = 4,
	.msix_bar = 4,
	.msix_table_offset = 0x000,
	.msix_pba_offset = 0x800,
	.bars = {
		[0] = { .size = 4096 },
		[2] = { .size = 16384,
			.flags = UVFIO_BAR_MEMORY | UVFIO_BAR_MEM64 |
				 UVFIO_BAR_PREFETCH },
		[4] = { .size = 8192, .flags = UVFIO_BAR_MEMORY,
			.nr_mmap_areas = 1,
			.mmap_areas = { { .offset = 4096, .size = 4096 } } },
	},
	.rom_size = sizeof(counter_rom),
	.rom = counter_rom,
	.priv_size = sizeof(struct counter),
	.poll_interval_us = 100,
	.init = counter_init,
	.reset = counter_reset,
	.bar_read = counter_read,
	.bar_write = counter_write,
	.poll = counter_poll,
};

/* The entry point uvfio looks up; one device per call. */
__attribute__((visibility("default")))
const struct uvfio_device_model *uvfio_plugin_init(const char *args)
{
	(void)args;	/* the model's init gets them too */
	return &counter_model;
}
