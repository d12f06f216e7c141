/* SPDX-License-Identifier: MIT */
/*
 * The emulated vfio-pci driver and the PCI functions behind it.
 *
 * A device model (struct uvfio_device_model, include/uvfio/device.h)
 * describes a PCI function. vfio_pci_core turns it into a VFIO device with
 * vfio-pci's uAPI: the region layout at index << 40, virtualized config
 * space, interrupts through eventfds, reset, and the info ioctls. Models
 * know nothing of fds or of the interposer.
 *
 * Locks of one device, in the order they nest (after dev_set->lock, which
 * open_device/close_device run under):
 *   state_lock  - the model's state: held around every model callback,
 *                 the worker's queue, the open count for polling;
 *   igate       - the interrupt state (the kernel's igate and irqlock);
 *   config_lock - vconfig and what is derived from it;
 *   worker_lock - starting the worker thread (a leaf).
 * vfio_pci_devices_lock (vfio_pci_core.c) comes before all of them.
 */
#ifndef UVFIO_PCI_VFIO_PCI_CORE_H
#define UVFIO_PCI_VFIO_PCI_CORE_H

#include "../core/vfio.h"
#include <uvfio/device.h>
#include <uvfio/uapi/vfio.h>

#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096
#define PCI_STD_NUM_BARS	6
#define PCI_ROM_RESOURCE	6

/* Region offsets, as vfio-pci encodes them: the kernel's in-kernel names. */
#define VFIO_PCI_OFFSET_TO_INDEX(off)	UVFIO_PCI_OFFSET_TO_INDEX(off)
#define VFIO_PCI_INDEX_TO_OFFSET(index)	UVFIO_PCI_INDEX_TO_OFFSET(index)
#define VFIO_PCI_OFFSET_MASK		UVFIO_PCI_OFFSET_MASK

/* One interrupt vector's eventfd: our own dup of the client's. */
struct vfio_pci_irq_ctx {
	int trigger;		/* -1: none */
	bool masked;		/* INTx only */
};

/* Work for the device's worker thread (uvfio_device_schedule()). */
struct vfio_pci_work {
	struct list_head node;
	u64 deadline_ns;	/* CLOCK_MONOTONIC */
	uvfio_work_fn fn;
	void *arg;
};

/* A memory-backed BAR: one memfd, mapped once for the model. */
struct vfio_pci_bar_mem {
	int memfd;		/* -1: trapped BAR */
	void *mem;		/* the model's view; MAP_SHARED */
	size_t len;		/* the BAR size, page-rounded */
};

struct vfio_pci_core_device {
	struct vfio_device vdev;
	struct uvfio_device_model model_copy;	/* immutable, size-normalized */
	const struct uvfio_device_model *model;	/* &model_copy */
	u16 domain;				/* immutable: the address */
	u8 bus, devfn;				/* immutable */
	unsigned int cfg_size;			/* immutable: 256 or 4096 */
	bool reset_works;			/* immutable */
	char reset_method[16];			/* immutable: sysfs; "": none */
	u8 msi_cap, msix_cap, pm_cap, pcie_cap;	/* immutable offsets; 0: none */
	u64 bar_len[PCI_STD_NUM_BARS + 1];	/* immutable: BARs, then ROM */
	struct vfio_pci_bar_mem bar_mem[PCI_STD_NUM_BARS];	/* immutable */
	void *priv;				/* the model's own state */

	/* The model: see the lock comment above. */
	pthread_mutex_t state_lock;
	struct list_head work_list;	/* state_lock; by deadline */
	unsigned int open_count;	/* state_lock: polling while > 0 */
	u64 next_poll_ns;		/* state_lock */
	bool worker_stop;		/* state_lock */
	pthread_mutex_t worker_lock;	/* a leaf: protects the three below */
	bool worker_running;		/* worker_lock */
	int worker_wake;		/* worker_lock: an eventfd, or -1 */
	pthread_t worker;		/* worker_lock */

	/* Interrupts (vfio_pci_intrs.c). */
	pthread_mutex_t igate;
	int irq_type;			/* igate: VFIO_PCI_*_IRQ_INDEX or NUM */
	unsigned int num_ctx;		/* igate */
	struct vfio_pci_irq_ctx *ctx;	/* igate: num_ctx entries */
	bool intx_level;		/* igate: the line the model drives */
	bool virq_disabled;		/* igate: COMMAND.INTX_DISABLE */
	int intx_unmask_fd;		/* igate: an unmask irqfd, or -1 */
	int err_trigger, req_trigger;	/* igate: -1: none */
	bool pm_runtime_engaged;	/* igate: LOW_POWER_ENTRY */
	int pm_wake_trigger;		/* igate: -1: none */
	u8 msi_qmax;			/* igate: log2 of enabled MSI vectors */

	/* Config space (vfio_pci_config.c). */
	pthread_mutex_t config_lock;
	u8 vconfig[PCI_CFG_SPACE_EXP_SIZE];	/* config_lock: what reads see */
	u8 wmask[PCI_CFG_SPACE_EXP_SIZE];	/* immutable: writable bits */

	struct list_head pci_list;	/* vfio_pci_devices_lock */
};

static inline struct vfio_pci_core_device *
to_vfio_pci_core(struct vfio_device *vdev)
{
	return container_of(vdev, struct vfio_pci_core_device, vdev);
}

static inline struct vfio_pci_core_device *
uvfio_to_pci(struct uvfio_device *dev)
{
	return to_vfio_pci_core(vfio_device_from_uvfio(dev));
}

static inline struct uvfio_device *
pci_to_uvfio(struct vfio_pci_core_device *vdev)
{
	return vfio_device_to_uvfio(&vdev->vdev);
}

/* vfio_pci_core.c */
struct vfio_pci_core_device *
vfio_pci_core_create(const struct uvfio_device_model *model, u16 domain,
		     u8 bus, u8 devfn, const char *args,
		     unsigned int iommu_group);
void vfio_pci_core_function_reset(struct vfio_pci_core_device *vdev);

/* vfio_pci_rdwr.c */
ssize_t vfio_pci_bar_rw(struct vfio_pci_core_device *vdev, int bar,
			char __user *buf, size_t count, s64 *ppos,
			bool iswrite);
ssize_t vfio_pci_rom_rw(struct vfio_pci_core_device *vdev, char __user *buf,
			size_t count, s64 *ppos, bool iswrite);
int vfio_pci_bar_mmap(struct vfio_pci_core_device *vdev, int bar,
		      struct uvfio_vma *vma);
bool vfio_pci_bar_mmap_supported(struct vfio_pci_core_device *vdev, int bar);
int vfio_pci_bar_mem_init(struct vfio_pci_core_device *vdev);
void vfio_pci_bar_mem_exit(struct vfio_pci_core_device *vdev);
int vfio_pci_bar_mem_atfork_child(struct vfio_pci_core_device *vdev);

/* vfio_pci_mmio_trap.c */
int vfio_pci_mmio_trap_mmap(struct vfio_pci_core_device *vdev, int bar,
			    u64 req_start, struct uvfio_vma *vma);

/* vfio_pci_intrs.c */
void vfio_pci_irq_init(struct vfio_pci_core_device *vdev);
int vfio_pci_ioctl_set_irqs(struct vfio_pci_core_device *vdev,
			    struct vfio_irq_set __user *arg);
void vfio_pci_irq_disable_all(struct vfio_pci_core_device *vdev);
void vfio_pci_intx_virq_set(struct vfio_pci_core_device *vdev,
			    bool disabled);
int vfio_pci_eventfd_get(int fd);
void vfio_pci_eventfd_put(int efd);
void vfio_pci_eventfd_signal(int efd);
u32 vfio_pci_get_irq_count(struct vfio_pci_core_device *vdev, u32 irq_type);
void vfio_pci_intx_unmask_irqfd(struct vfio_pci_core_device *vdev, int efd);

/* vfio_pci_config.c */
void vfio_pci_config_layout(struct vfio_pci_core_device *vdev);
void vfio_pci_config_init(struct vfio_pci_core_device *vdev);
ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev,
			   char __user *buf, size_t count, s64 *ppos,
			   bool iswrite);
void vfio_pci_config_snapshot(struct vfio_pci_core_device *vdev,
			      u8 out[PCI_CFG_SPACE_SIZE]);
unsigned int vfio_pci_msi_vector_count(struct vfio_pci_core_device *vdev);
bool vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev);
bool vfio_pci_master_enabled(struct vfio_pci_core_device *vdev);

/* vfio_pci_worker.c: the device's worker thread. */
void vfio_pci_worker_init(struct vfio_pci_core_device *vdev);
int vfio_pci_worker_kick(struct vfio_pci_core_device *vdev);
void vfio_pci_worker_flush(struct vfio_pci_core_device *vdev);
void vfio_pci_worker_stop(struct vfio_pci_core_device *vdev);
int vfio_pci_worker_atfork_child(struct vfio_pci_core_device *vdev);
u64 vfio_pci_now_ns(void);

/* vfio_pci_core.c: fork hooks, called by init.c in lock order. */
void vfio_pci_atfork_prepare(void);
void vfio_pci_atfork_parent(void);
void vfio_pci_atfork_child(void);

/*
 * The piece of an access that vfio-pci does at once: the largest naturally
 * aligned 4, 2 or 1 bytes (vfio_config_do_rw(), and 6.1's
 * vfio_pci_core_do_io_rw()).
 */
static inline size_t vfio_pci_access_size(u64 pos, size_t count)
{
	if (count >= 4 && !(pos % 4))
		return 4;
	if (count >= 2 && !(pos % 2))
		return 2;
	return 1;
}

/* vfio_pci_match.c */
int vfio_pci_core_match(struct vfio_device *core_vdev, const char *buf);

/* pci_sysfs.c */
int vfio_pci_sysfs_register(struct vfio_pci_core_device *vdev);

#endif /* UVFIO_PCI_VFIO_PCI_CORE_H */
