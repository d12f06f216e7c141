// SPDX-License-Identifier: MIT
/*
 * The emulated vfio-pci driver: device info ioctls and region access
 * (the kernel's drivers/vfio/pci/vfio_pci_core.c and vfio_pci_rdwr.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../vfs/uaccess.h"

/* As vfio_pci_ioctl_get_info(): only min(argsz, sizeof) bytes go back. */
static int vfio_pci_ioctl_get_info(struct vfio_pci_core_device *vdev,
				   struct vfio_device_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_device_info info = {};

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	minsz = min_t(size_t, info.argsz, sizeof(info));

	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (vdev->reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = VFIO_PCI_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* As vfio_pci_ioctl_get_region_info(), for a function without caps. */
static int vfio_pci_ioctl_get_region_info(struct vfio_pci_core_device *vdev,
					  struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	switch (info.index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
		info.size = vdev->cfg_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		break;
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
		info.size = vdev->model->bars[info.index].size;
		/* Trapped BARs: every access reaches the model, so no MMAP. */
		info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ |
					 VFIO_REGION_INFO_FLAG_WRITE : 0;
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		/* No model has an option ROM yet: an empty region. */
		info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
		info.size = 0;
		info.flags = 0;
		break;
	default:
		/* VGA needs a VGA device; there are no device regions. */
		return -EINVAL;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* As vfio_pci_get_irq_count(). */
static u32 vfio_pci_get_irq_count(struct vfio_pci_core_device *vdev,
				  u32 irq_type)
{
	switch (irq_type) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return vdev->model->irq_pin ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return vfio_pci_msi_vector_count(vdev);
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;	/* no MSI-X; ERR is refused before this */
	}
}

/*
 * As vfio_pci_ioctl_get_irq_info(). ERR exists only on PCI Express
 * functions, and no model is one yet.
 */
static int vfio_pci_ioctl_get_irq_info(struct vfio_pci_core_device *vdev,
				       struct vfio_irq_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_IRQS)
		return -EINVAL;
	if (info.index == VFIO_PCI_ERR_IRQ_INDEX)
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfio_pci_get_irq_count(vdev, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static long vfio_pci_core_ioctl(struct vfio_device *core_vdev,
				unsigned int cmd, unsigned long arg)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(vdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_pci_ioctl_get_region_info(vdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_ioctl_get_irq_info(vdev, uarg);
	case VFIO_DEVICE_RESET:
		/* The kernel finds no reset method for a root-bus edu. */
		if (!vdev->reset_works)
			return -EINVAL;
		return -ENOTTY;
	default:
		return -ENOTTY;
	}
}

/*
 * A trapped BAR access, split as vfio_pci_core_do_io_rw() splits it: the
 * largest naturally aligned piece of 8, 4, 2 or 1 bytes each time.
 */
static ssize_t vfio_pci_bar_rw(struct vfio_pci_core_device *vdev, int bar,
			       char __user *buf, size_t count, s64 *ppos,
			       bool iswrite)
{
	const struct vfio_pci_model *model = vdev->model;
	u64 pos = (u64)*ppos & VFIO_PCI_OFFSET_MASK;
	u64 end = model->bars[bar].size;
	size_t done = 0;

	if (pos >= end)
		return -EINVAL;
	count = min_t(size_t, count, end - pos);
	/* An MMIO access with decode off fails (vfio_pci_core_ioread32()). */
	if (!(model->bars[bar].flags & PCI_BASE_ADDRESS_SPACE_IO) &&
	    !vfio_pci_memory_enabled(vdev))
		return -EIO;
	while (count) {
		unsigned int size;
		u64 val = 0;

		if (count >= 8 && !(pos % 8))
			size = 8;
		else if (count >= 4 && !(pos % 4))
			size = 4;
		else if (count >= 2 && !(pos % 2))
			size = 2;
		else
			size = 1;
		if (iswrite) {
			if (copy_from_user(&val, buf, size))
				return -EFAULT;
			if (model->bar_write)
				model->bar_write(vdev, bar, pos, val, size);
		} else {
			val = model->bar_read ?
				model->bar_read(vdev, bar, pos, size) : ~0ULL;
			if (copy_to_user(buf, &val, size))
				return -EFAULT;
		}
		count -= size;
		done += size;
		buf += size;
		pos += size;
	}
	*ppos += (s64)done;
	return (ssize_t)done;
}

/* As vfio_pci_rw(): the region index sits in the top bits of the offset. */
static ssize_t vfio_pci_rw(struct vfio_pci_core_device *vdev,
			   char __user *buf, size_t count, s64 *ppos,
			   bool iswrite)
{
	u64 index = VFIO_PCI_OFFSET_TO_INDEX(*ppos);

	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	switch (index) {
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return vfio_pci_config_rw(vdev, buf, count, ppos, iswrite);
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		return vfio_pci_bar_rw(vdev, (int)index, buf, count, ppos,
				       iswrite);
	default:
		/* An empty ROM and no VGA. */
		return -EINVAL;
	}
}

static ssize_t vfio_pci_core_read(struct vfio_device *core_vdev,
				  char __user *buf, size_t count, s64 *ppos)
{
	if (!count)
		return 0;
	return vfio_pci_rw(to_vfio_pci_core(core_vdev), buf, count, ppos,
			   false);
}

static ssize_t vfio_pci_core_write(struct vfio_device *core_vdev,
				   const char __user *buf, size_t count,
				   s64 *ppos)
{
	if (!count)
		return 0;
	return vfio_pci_rw(to_vfio_pci_core(core_vdev), (char __user *)buf,
			   count, ppos, true);
}

/*
 * As vfio_pci_core_mmap(), whose every refusal is EINVAL: a bad index, a
 * private mapping, a region other than a BAR, or a BAR without MMAP, and
 * every BAR is trapped so far (see GET_REGION_INFO).
 */
static int vfio_pci_core_mmap(struct vfio_device *core_vdev,
			      struct uvfio_vma *vma)
{
	return -EINVAL;
}

static void vfio_pci_core_release(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);

	pthread_mutex_destroy(&vdev->config_lock);
	free(vdev->priv);
	free(vdev);
}

static const struct vfio_device_ops vfio_pci_ops = {
	.name = "vfio-pci",
	.ioctl = vfio_pci_core_ioctl,
	.read = vfio_pci_core_read,
	.write = vfio_pci_core_write,
	.mmap = vfio_pci_core_mmap,
	.release = vfio_pci_core_release,
};

/* Builds and registers the function at domain:bus:devfn; ERR_PTR on error. */
struct vfio_pci_core_device *
vfio_pci_core_create(const struct vfio_pci_model *model, u16 domain, u8 bus,
		     u8 devfn)
{
	struct vfio_pci_core_device *vdev = calloc(1, sizeof(*vdev));
	int ret;

	if (!vdev)
		return ERR_PTR(-ENOMEM);
	vdev->priv = model->priv_size ? calloc(1, model->priv_size) : NULL;
	if (model->priv_size && !vdev->priv) {
		ret = -ENOMEM;
		goto err_free;
	}
	vdev->model = model;
	vdev->domain = domain;
	vdev->bus = bus;
	vdev->devfn = devfn;
	vdev->cfg_size = PCI_CFG_SPACE_SIZE;
	pthread_mutex_init(&vdev->config_lock, NULL);
	vfio_pci_config_init(vdev);
	if (model->init)
		model->init(vdev);

	vdev->vdev.ops = &vfio_pci_ops;
	snprintf(vdev->vdev.name, sizeof(vdev->vdev.name),
		 "%04x:%02x:%02x.%x", domain, bus, devfn >> 3, devfn & 7);
	/*
	 * vfio-pci gives a function on the root bus a device set of its own
	 * (vfio_pci_core_register_device()); behind a bridge it would share
	 * one per slot or bus, for resets.
	 */
	ret = vfio_register_device(&vdev->vdev, NULL);
	if (ret)
		goto err_destroy;
	ret = vfio_pci_sysfs_register(vdev);
	if (ret)
		goto err_unregister;
	return vdev;

err_unregister:
	/* The release op frees vdev: nothing else to unwind. */
	vfio_unregister_device(&vdev->vdev);
	return ERR_PTR(ret);
err_destroy:
	pthread_mutex_destroy(&vdev->config_lock);
	free(vdev->priv);
err_free:
	free(vdev);
	return ERR_PTR(ret);
}
