/* SPDX-License-Identifier: MIT */
/*
 * uvfio device models: write your own emulated PCI function.
 *
 * A device model describes a PCI function (struct uvfio_device_model): its
 * ids, its BARs, its interrupts and capabilities, and callbacks for register
 * access, reset and background work. uvfio puts it behind its emulated
 * vfio-pci driver, so a VFIO program sees the same uAPI it sees for a real
 * device: virtualized config space, regions at index << 40, SET_IRQS, RESET,
 * mmap of memory BARs. The built-in "edu" model is written against this
 * header (src/devices/edu.c); examples/plugins/counter.c is a small one to
 * copy.
 *
 * Loading. A model lives in a shared object that links -luvfio and exports
 *
 *	const struct uvfio_device_model *uvfio_plugin_init(const char *args);
 *
 * (UVFIO_PLUGIN_ENTRY names it). "uvfio run --device plugin=PATH.so[,ARGS]"
 * or uvfio_device_add("plugin=PATH.so[,ARGS]") dlopens PATH, calls the entry
 * point once per device with ARGS (everything after the first comma, or ""),
 * and creates a device from the description it returns; NULL refuses the
 * device (uvfio_device_add() returns -EINVAL). Besides the model's own
 * arguments, ARGS may hold "bdf=DDDD:BB:DD.F", which uvfio takes for itself
 * and removes. The description must stay valid while the process runs.
 *
 * Threads and locking. Every callback of one device runs with that device's
 * lock held, so callbacks of one device never run concurrently and need no
 * lock of their own for the model's state. The functions below that act on
 * a device must be called from one of its callbacks, or from a thread of the
 * model's own between uvfio_device_lock() and uvfio_device_unlock(); the
 * exceptions say so. A callback must not block for long: it holds up every
 * access to its device. Long work goes to uvfio_device_schedule().
 *
 * fork. A forked child gets its own copy of every device, state included,
 * and the device's worker thread is started again in the child with the
 * work still queued; memory BARs are copied, so parent and child no longer
 * share them. Models that start threads of their own must restart them
 * themselves (pthread_atfork).
 *
 * Errors: functions return 0 (or a value) on success and a negative errno.
 */
#ifndef UVFIO_DEVICE_H
#define UVFIO_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uvfio/dma.h>
#include <uvfio/uvfio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UVFIO_PLUGIN_ENTRY	"uvfio_plugin_init"

/* ---------------------------------------------------------------- BARs */

/* struct uvfio_bar.flags */
#define UVFIO_BAR_IO		(1u << 0) /* I/O space; trapped only */
#define UVFIO_BAR_MEM64		(1u << 1) /* 64-bit: takes the next slot too */
#define UVFIO_BAR_PREFETCH	(1u << 2) /* prefetchable memory */
/*
 * Memory-backed: uvfio allocates the BAR as shared memory (a memfd), which
 * the model reaches through uvfio_device_bar_mem() and a client through
 * mmap or pread/pwrite; the region reports MMAP. Stores into it do not call
 * the model: it learns of them by looking, typically from its poll callback
 * (struct uvfio_device_model.poll_interval_us). Without this flag the BAR
 * is trapped: every pread/pwrite reaches bar_read/bar_write synchronously,
 * and the region cannot be mapped.
 */
#define UVFIO_BAR_MEMORY	(1u << 3)
/*
 * A trapped memory BAR that may still be mmapped (x86-64 only): the client
 * gets an inaccessible mapping, and each load or store through it faults
 * and is served by bar_read/bar_write, as a pread/pwrite would be, so it
 * behaves like a real device's registers (the region reports MMAP). Only
 * plain MOV-type accesses of 1 to 8 bytes can be emulated; uvfio installs
 * a SIGSEGV handler for it, which a program's own handler must not
 * replace. The callbacks then run inside that handler, on the faulting
 * thread: the fault is synchronous, so they may still lock and allocate,
 * unless the program touches the mapping from a signal handler of its
 * own. Not with UVFIO_BAR_MEMORY or UVFIO_BAR_IO.
 */
#define UVFIO_BAR_MMAP_TRAP	(1u << 4)

#define UVFIO_BAR_MAX_AREAS	4

/* A page-aligned window of a memory BAR that a client may mmap. */
struct uvfio_bar_area {
	uint64_t offset;
	uint64_t size;
};

struct uvfio_bar {
	uint64_t size;		/* 0: no BAR; else a power of two, >= 16 */
	uint32_t flags;		/* UVFIO_BAR_* */
	uint32_t nr_mmap_areas;	/* memory BARs: 0 = the whole BAR */
	uint64_t addr;		/* what firmware assigned; 0: uvfio picks */
	/*
	 * Memory BARs with nr_mmap_areas > 0: only these windows are memory,
	 * reported as a SPARSE_MMAP capability; accesses elsewhere trap as
	 * for a trapped BAR (doorbell registers, for example).
	 */
	struct uvfio_bar_area mmap_areas[UVFIO_BAR_MAX_AREAS];
};

/* ------------------------------------------------------------ the model */

/* struct uvfio_device_model.caps: capabilities beyond MSI and MSI-X. */
#define UVFIO_CAP_PM		(1u << 0) /* power management, NoSoftRst- */
#define UVFIO_CAP_PCIE		(1u << 1) /* a PCI Express endpoint */
#define UVFIO_CAP_FLR		(1u << 2) /* with PCIE: function level reset */

/*
 * The description of a PCI function. @size comes first and the struct only
 * ever grows at its end, as the kernel's argsz structs do: set @size to
 * sizeof(struct uvfio_device_model) as your build sees it, and uvfio treats
 * the fields a newer header added as zero.
 *
 * Reset. The function has a reset method, and VFIO_DEVICE_GET_INFO reports
 * FLAGS_RESET, exactly when the kernel would find one: an FLR (CAP_PCIE with
 * CAP_FLR), a PM reset (CAP_PM), or a bus reset, which uvfio gives every
 * function on a bus other than 0 (as if behind a bridge). A plain function
 * on bus 0, like QEMU's edu at 00:04.0, has none: its VFIO_DEVICE_RESET
 * fails with EINVAL, as on a real host.
 */
struct uvfio_device_model {
	uint32_t size;			/* sizeof(struct uvfio_device_model) */
	uint32_t caps;			/* UVFIO_CAP_* */
	const char *name;		/* for traces and sysfs; required */

	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint32_t class_code;		/* base, sub, prog-if: 0x00ff00 */
	uint8_t revision;
	uint8_t irq_pin;		/* 0: no INTx; 1: INTA */
	uint8_t irq_line;		/* what firmware routed: sysfs "irq" */
	uint8_t msix_bar;		/* BAR of the MSI-X table and PBA */
	uint16_t msi_vectors;		/* 0: no MSI capability; 1..32 */
	uint16_t msix_vectors;		/* 0: no MSI-X capability; 1..2048 */
	uint32_t msix_table_offset;	/* 8-byte aligned, in msix_bar */
	uint32_t msix_pba_offset;	/* 8-byte aligned, in msix_bar */

	struct uvfio_bar bars[6];
	uint64_t rom_size;		/* 0: none; else a power of two */
	const void *rom;		/* rom_size bytes, or NULL: zeros */

	size_t priv_size;		/* zeroed state: uvfio_device_priv() */
	/* Calls poll this often while the device is open; 0: never. */
	uint32_t poll_interval_us;

	/*
	 * Called once when the device is created, before any client can
	 * see it, with the plugin arguments (or ""); may be NULL. Returns
	 * 0 or -errno, which uvfio_device_add() returns.
	 */
	int (*init)(struct uvfio_device *dev, const char *args);
	/*
	 * Back to power-on state: a function reset (VFIO_DEVICE_RESET, an
	 * FLR written to config space) and each open and last close of a
	 * resettable device, as vfio-pci resets there. Work queued with
	 * uvfio_device_schedule() is dropped first. May be NULL: a reset
	 * then leaves the model's state and queued work alone (only the
	 * INTx line drops), as for QEMU's edu, which has no reset handler.
	 */
	void (*reset)(struct uvfio_device *dev);
	/*
	 * A trapped access of @size 1, 2, 4 or 8 bytes at @off, naturally
	 * aligned, as the kernel splits a pread/pwrite. Either may be NULL:
	 * reads then return all ones and writes are dropped.
	 */
	uint64_t (*bar_read)(struct uvfio_device *dev, int bar, uint64_t off,
			     unsigned int size);
	void (*bar_write)(struct uvfio_device *dev, int bar, uint64_t off,
			  uint64_t val, unsigned int size);
	/* See poll_interval_us; runs on the device's worker thread. */
	void (*poll)(struct uvfio_device *dev);
	/* The device goes away (process exit); may be NULL. */
	void (*destroy)(struct uvfio_device *dev);
};

/*
 * uvfio_device_add_model - create a device from @model at @bdf
 * ("DDDD:BB:DD.F", or NULL for the next free slot on bus 0) and pass @args
 * to its init. Returns N of /dev/vfio/devices/vfioN or -errno (-EINVAL for
 * a malformed model or address, -EEXIST for a taken address). Not
 * thread-safe against opens: create devices at setup. Needs no lock.
 */
int uvfio_device_add_model(const struct uvfio_device_model *model,
			   const char *bdf, const char *args);

/* ------------------------------------------------------------ accessors */

/* The model's zeroed state of priv_size bytes; needs no lock. */
void *uvfio_device_priv(struct uvfio_device *dev);

/* "DDDD:BB:DD.F"; needs no lock. */
const char *uvfio_device_name(struct uvfio_device *dev);

/*
 * The model's view of memory BAR @bar (UVFIO_BAR_MEMORY), or NULL. The
 * client sees the same bytes; use atomics or barriers as with real shared
 * memory. Needs no lock.
 */
void *uvfio_device_bar_mem(struct uvfio_device *dev, int bar);

/*
 * Whether the client set COMMAND.MASTER: a model should not DMA
 * otherwise, as a real function cannot. Needs no lock.
 */
bool uvfio_device_bus_master(struct uvfio_device *dev);

/* -------------------------------------------------------------- interrupts */

/*
 * The three functions below may be called from any thread, with or
 * without the device lock (they take the interrupt lock, which nests
 * inside it).
 */

/*
 * Whether the client enabled MSI or MSI-X (VFIO_DEVICE_SET_IRQS with
 * eventfds): a model that raises INTx otherwise asks this first.
 */
bool uvfio_device_msi_enabled(struct uvfio_device *dev);

/*
 * Sends MSI or MSI-X vector @vector: signals the eventfd the client gave
 * for it. Returns 0, -EINVAL when no MSI type is enabled or @vector is past
 * the enabled count, or 0 when the vector has no eventfd (a real message
 * goes nowhere then too).
 */
int uvfio_device_msi_notify(struct uvfio_device *dev, unsigned int vector);

/*
 * Sets the level of the INTx line. A rising line, or an unmask while it is
 * high, signals the client's INTx eventfd and masks INTx, as vfio-pci's
 * automasked INTx does: the client unmasks with SET_IRQS.
 */
void uvfio_device_intx_set(struct uvfio_device *dev, int level);

/* ---------------------------------------------------------------- work */

typedef void (*uvfio_work_fn)(struct uvfio_device *dev, void *arg);

/*
 * Runs @fn(@dev, @arg) on the device's worker thread, with the device lock
 * held, @delay_ns from now; work with equal deadlines runs in order. A
 * reset drops all queued work. Returns 0 or -ENOMEM.
 */
int uvfio_device_schedule(struct uvfio_device *dev, uvfio_work_fn fn,
			  void *arg, uint64_t delay_ns);

/*
 * The device lock, for threads of the model's own; not to be taken inside
 * a callback, which already holds it.
 */
void uvfio_device_lock(struct uvfio_device *dev);
void uvfio_device_unlock(struct uvfio_device *dev);

/* ---------------------------------------------------------------- DMA */

/*
 * A model does DMA with uvfio_dma_read() and uvfio_dma_write() from
 * <uvfio/dma.h> (included above): the device's accesses go through its
 * IOMMU mapping (iommufd IOAS or type1 container), and an unmapped address
 * is an IOMMU fault that the call returns as -EFAULT. They may be called
 * with the device lock held, from any callback or work.
 */

#ifdef __cplusplus
}
#endif

#endif /* UVFIO_DEVICE_H */
