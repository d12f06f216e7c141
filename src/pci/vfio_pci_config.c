// SPDX-License-Identifier: MIT
/*
 * Virtualized PCI config space, as vfio-pci presents it through region 7
 * (the kernel's drivers/vfio/pci/vfio_pci_config.c). The image is built from
 * the model at creation; a write changes only the bits in wmask.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../vfs/uaccess.h"

static void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, (u16)v);
	put_le16(p + 2, (u16)(v >> 16));
}

static u8 vfio_pci_msi_qmask(unsigned int vectors)
{
	u8 log2 = 0;

	while ((1u << log2) < vectors)
		log2++;
	return log2;
}

/* The MSI capability QEMU gives a function: 64-bit, no per-vector mask. */
static u8 vfio_pci_config_add_msi(struct vfio_pci_core_device *vdev, u8 pos)
{
	u8 *cfg = vdev->vconfig;

	cfg[pos + PCI_CAP_LIST_ID] = PCI_CAP_ID_MSI;
	cfg[pos + PCI_CAP_LIST_NEXT] = 0;
	put_le16(cfg + pos + PCI_MSI_FLAGS,
		 PCI_MSI_FLAGS_64BIT |
		 (u16)(vfio_pci_msi_qmask(vdev->model->msi_vectors) << 1));
	return PCI_MSI_64_SIZEOF;
}

void vfio_pci_config_init(struct vfio_pci_core_device *vdev)
{
	const struct vfio_pci_model *model = vdev->model;
	u8 *cfg = vdev->vconfig;
	/*
	 * What vfio-pci lets through to edu on a real 6.1 host: writing
	 * 0xffff to COMMAND reads back 0x0507 (docs/reference-kernel-answers.md).
	 */
	u16 cmd_wmask = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			PCI_COMMAND_MASTER | PCI_COMMAND_SERR |
			PCI_COMMAND_INTX_DISABLE;

	memset(cfg, 0, sizeof(vdev->vconfig));
	memset(vdev->wmask, 0, sizeof(vdev->wmask));
	put_le16(cfg + PCI_VENDOR_ID, model->vendor);
	put_le16(cfg + PCI_DEVICE_ID, model->device);
	put_le16(cfg + PCI_COMMAND, model->command);
	cfg[PCI_REVISION_ID] = model->revision;
	cfg[PCI_CLASS_PROG] = (u8)model->class_code;
	put_le16(cfg + PCI_CLASS_DEVICE, (u16)(model->class_code >> 8));
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct vfio_pci_bar *bar = &model->bars[i];

		if (!bar->size)
			continue;
		put_le32(cfg + PCI_BASE_ADDRESS_0 + 4 * i,
			 (u32)bar->addr | bar->flags);
	}
	put_le16(cfg + PCI_SUBSYSTEM_VENDOR_ID, model->subsystem_vendor);
	put_le16(cfg + PCI_SUBSYSTEM_ID, model->subsystem_device);
	cfg[PCI_INTERRUPT_LINE] = model->irq_line;
	cfg[PCI_INTERRUPT_PIN] = model->irq_pin;
	if (model->msi_vectors) {
		cfg[PCI_CAPABILITY_LIST] = 0x40;
		put_le16(cfg + PCI_STATUS, PCI_STATUS_CAP_LIST);
		vfio_pci_config_add_msi(vdev, 0x40);
	}

	put_le16(vdev->wmask + PCI_COMMAND, cmd_wmask);
	vdev->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

/* One naturally aligned access of 1, 2 or 4 bytes, as vfio_config_do_rw(). */
static int vfio_config_do_rw(struct vfio_pci_core_device *vdev,
			     char __user *buf, size_t count, s64 pos,
			     bool iswrite)
{
	u8 val[4];
	size_t size;

	if (count >= 4 && !(pos % 4))
		size = 4;
	else if (count >= 2 && !(pos % 2))
		size = 2;
	else
		size = 1;

	if (iswrite) {
		if (copy_from_user(val, buf, size))
			return -EFAULT;
		pthread_mutex_lock(&vdev->config_lock);
		for (size_t i = 0; i < size; i++) {
			u8 m = vdev->wmask[pos + i];
			u8 *b = &vdev->vconfig[pos + i];

			*b = (u8)((*b & ~m) | (val[i] & m));
		}
		pthread_mutex_unlock(&vdev->config_lock);
	} else {
		pthread_mutex_lock(&vdev->config_lock);
		memcpy(val, vdev->vconfig + pos, size);
		pthread_mutex_unlock(&vdev->config_lock);
		if (copy_to_user(buf, val, size))
			return -EFAULT;
	}
	return (int)size;
}

/*
 * Region 7 access, split into aligned pieces. It is all or nothing: an
 * access that does not fit inside config space is EFAULT, never a short
 * count (vfio_config_do_rw() checks the whole remaining count each time).
 */
ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev,
			   char __user *buf, size_t count, s64 *ppos,
			   bool iswrite)
{
	s64 pos = (s64)((u64)*ppos & VFIO_PCI_OFFSET_MASK);
	size_t done = 0;
	int ret;

	if (pos >= vdev->cfg_size || count > vdev->cfg_size - (size_t)pos)
		return -EFAULT;
	while (count) {
		ret = vfio_config_do_rw(vdev, buf, count, pos, iswrite);
		if (ret < 0)
			return ret;
		count -= (size_t)ret;
		done += (size_t)ret;
		buf += ret;
		pos += ret;
	}
	*ppos += (s64)done;
	return (ssize_t)done;
}

/* Whether the function decodes its memory BARs (COMMAND.MEMORY). */
bool vfio_pci_memory_enabled(struct vfio_pci_core_device *vdev)
{
	bool enabled;

	pthread_mutex_lock(&vdev->config_lock);
	enabled = vdev->vconfig[PCI_COMMAND] & PCI_COMMAND_MEMORY;
	pthread_mutex_unlock(&vdev->config_lock);
	return enabled;
}

/* A consistent copy of the whole image, for sysfs "config". */
void vfio_pci_config_snapshot(struct vfio_pci_core_device *vdev,
			      u8 out[PCI_CFG_SPACE_SIZE])
{
	pthread_mutex_lock(&vdev->config_lock);
	memcpy(out, vdev->vconfig, PCI_CFG_SPACE_SIZE);
	pthread_mutex_unlock(&vdev->config_lock);
}

/* As vfio_pci_get_irq_count() for MSI: what the capability advertises. */
unsigned int vfio_pci_msi_vector_count(struct vfio_pci_core_device *vdev)
{
	if (!vdev->model->msi_vectors)
		return 0;
	return 1u << vfio_pci_msi_qmask(vdev->model->msi_vectors);
}
