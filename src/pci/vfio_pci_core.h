/* SPDX-License-Identifier: MIT */
/*
 * The emulated vfio-pci driver and the PCI functions behind it.
 *
 * A device model describes a PCI function (struct vfio_pci_model): its ids,
 * its BARs and its register callbacks. vfio_pci_core turns it into a VFIO
 * device with vfio-pci's uAPI: the region layout at index << 40, virtualized
 * config space, and the info ioctls. Device models know nothing of fds or
 * of the interposer.
 */
#ifndef UVFIO_PCI_VFIO_PCI_CORE_H
#define UVFIO_PCI_VFIO_PCI_CORE_H

#include "../core/vfio.h"
#include <uvfio/uapi/vfio.h>

#define PCI_CFG_SPACE_SIZE	256
#define PCI_STD_NUM_BARS	6

/* Region offsets, as vfio-pci encodes them: the kernel's in-kernel names. */
#define VFIO_PCI_OFFSET_TO_INDEX(off)	UVFIO_PCI_OFFSET_TO_INDEX(off)
#define VFIO_PCI_INDEX_TO_OFFSET(index)	UVFIO_PCI_INDEX_TO_OFFSET(index)
#define VFIO_PCI_OFFSET_MASK		UVFIO_PCI_OFFSET_MASK

struct vfio_pci_core_device;

struct vfio_pci_bar {
	u64 size;		/* 0: no BAR; else a power of two */
	u32 flags;		/* PCI_BASE_ADDRESS_* low bits: space, type */
	u64 addr;		/* what firmware assigned, as sysfs shows it */
};

struct vfio_pci_model {
	const char *name;		/* "edu": what --device names */
	u16 vendor, device;
	u16 subsystem_vendor, subsystem_device;
	u32 class_code;			/* base, sub, prog-if: 0x00ff00 */
	u8 revision;
	u16 command;			/* COMMAND as firmware left it */
	u8 irq_pin;			/* 1 = INTA, 0 = none */
	u8 irq_line;			/* what firmware routed */
	u8 msi_vectors;			/* 0: no MSI capability */
	struct vfio_pci_bar bars[PCI_STD_NUM_BARS];
	size_t priv_size;		/* the model's state, zeroed */
	/* Power-on state; may be NULL. */
	void (*init)(struct vfio_pci_core_device *vdev);
	/* A trapped BAR access of 1, 2, 4 or 8 bytes at @off. */
	u64 (*bar_read)(struct vfio_pci_core_device *vdev, int bar, u64 off,
			unsigned int size);
	void (*bar_write)(struct vfio_pci_core_device *vdev, int bar, u64 off,
			  u64 val, unsigned int size);
};

struct vfio_pci_core_device {
	struct vfio_device vdev;
	const struct vfio_pci_model *model;	/* immutable */
	u16 domain;				/* immutable: the address */
	u8 bus, devfn;				/* immutable */
	unsigned int cfg_size;			/* immutable */
	bool reset_works;			/* immutable */
	pthread_mutex_t config_lock;	/* protects vconfig */
	u8 vconfig[PCI_CFG_SPACE_SIZE];	/* config_lock: what reads see */
	u8 wmask[PCI_CFG_SPACE_SIZE];	/* immutable: writable bits */
	void *priv;			/* the model's own state */
};

static inline struct vfio_pci_core_device *
to_vfio_pci_core(struct vfio_device *vdev)
{
	return container_of(vdev, struct vfio_pci_core_device, vdev);
}

/* vfio_pci_core.c */
struct vfio_pci_core_device *
vfio_pci_core_create(const struct vfio_pci_model *model, u16 domain, u8 bus,
		     u8 devfn);

/* pci_sysfs.c */
int vfio_pci_sysfs_register(struct vfio_pci_core_device *vdev);

/* vfio_pci_config.c */
void vfio_pci_config_init(struct vfio_pci_core_device *vdev);
ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev,
			   char __user *buf, size_t count, s64 *ppos,
			   bool iswrite);
void vfio_pci_config_snapshot(struct vfio_pci_core_device *vdev,
			      u8 out[PCI_CFG_SPACE_SIZE]);
unsigned int vfio_pci_msi_vector_count(struct vfio_pci_core_device *vdev);
bool vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev);

#endif /* UVFIO_PCI_VFIO_PCI_CORE_H */
