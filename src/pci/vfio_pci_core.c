// SPDX-License-Identifier: MIT
/*
 * The emulated vfio-pci driver: the device ioctls, region access dispatch,
 * open/close, reset, and creating a function from a model (the kernel's
 * drivers/vfio/pci/vfio_pci_core.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../core/device_feature.h"
#include "../vfs/uaccess.h"

/* Every vfio-pci function, for the fork hooks; protects pci_list. */
static pthread_mutex_t vfio_pci_devices_lock = PTHREAD_MUTEX_INITIALIZER;
static struct list_head vfio_pci_devices = LIST_HEAD_INIT(vfio_pci_devices);

/* ------------------------------------------------------------ info ioctls */

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
	/*
	 * No device caps: zPCI is s390 only, and PCI_ATOMIC_COMP needs a
	 * root port with AtomicOp completion, which uvfio does not model.
	 */
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vfio_pci_region_caps(struct vfio_pci_core_device *vdev, int bar,
				struct vfio_info_cap *caps)
{
	const struct uvfio_bar *b = &vdev->model->bars[bar];

	if (b->nr_mmap_areas) {
		struct vfio_region_info_cap_sparse_mmap *sparse;

		sparse = (void *)vfio_info_cap_add(caps, sizeof(*sparse) +
						   b->nr_mmap_areas *
						   sizeof(sparse->areas[0]),
						   VFIO_REGION_INFO_CAP_SPARSE_MMAP,
						   1);
		if (!sparse)
			return caps->error;
		sparse->nr_areas = b->nr_mmap_areas;
		for (unsigned int i = 0; i < b->nr_mmap_areas; i++) {
			sparse->areas[i].offset = b->mmap_areas[i].offset;
			sparse->areas[i].size = b->mmap_areas[i].size;
		}
	}
	/* msix_mappable_cap(): the table may be mapped with the rest. */
	if (vdev->model->msix_vectors && vdev->model->msix_bar == bar)
		vfio_info_cap_add(caps, sizeof(struct vfio_info_cap_header),
				  VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1);
	return caps->error;
}

/*
 * As vfio_pci_ioctl_get_region_info(): the 32-byte struct is copied in and
 * back whole, so argsz and (without caps) cap_offset echo the caller's.
 * With caps that do not fit, argsz grows to the size needed and
 * cap_offset is 0; with room, the chain follows the struct.
 */
static int vfio_pci_ioctl_get_region_info(struct vfio_pci_core_device *vdev,
					  struct vfio_region_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = { .buf = NULL };
	struct vfio_region_info info;
	int ret;

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
		info.size = vdev->bar_len[info.index];
		if (!info.size) {
			info.flags = 0;
			break;
		}
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
		if (vfio_pci_bar_mmap_supported(vdev, (int)info.index)) {
			info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
			ret = vfio_pci_region_caps(vdev, (int)info.index,
						   &caps);
			if (ret)
				goto out_free_caps;
		}
		break;
	case VFIO_PCI_ROM_REGION_INDEX:
		/* The ROM BAR size, readable only if there is a ROM. */
		info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
		info.size = vdev->bar_len[PCI_ROM_RESOURCE];
		info.flags = info.size ? VFIO_REGION_INFO_FLAG_READ : 0;
		break;
	default:
		/* VGA needs a VGA device; there are no device regions. */
		return -EINVAL;
	}

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		/* Too small a buffer: cap_offset 0 and the size needed. */
		info.cap_offset = 0;
		ret = vfio_info_cap_copy(&caps, arg, sizeof(info), &info.argsz,
					 &info.cap_offset);
		if (ret)
			goto out_free_caps;
	}
	ret = copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
out_free_caps:
	vfio_info_cap_free(&caps);
	return ret;
}

/*
 * As vfio_pci_ioctl_get_irq_info(). ERR exists only on PCI Express
 * functions; NORESIZE is on every index but INTx (no dynamic MSI-X).
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
	if (info.index == VFIO_PCI_ERR_IRQ_INDEX && !vdev->pcie_cap)
		return -EINVAL;

	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = vfio_pci_get_irq_count(vdev, info.index);
	if (info.index == VFIO_PCI_INTX_IRQ_INDEX)
		info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
	else
		info.flags |= VFIO_IRQ_INFO_NORESIZE;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* ------------------------------------------------------------------ reset */

/*
 * A function reset, as pci_try_reset_function() does it under vfio-pci:
 * the function goes back to power-on (the model's reset, with its queued
 * work dropped; a model without one keeps both, as QEMU's edu does) and
 * its INTx line goes low (pci_device_deassert_intx() in QEMU), while vfio's virtual config space is
 * untouched (the kernel saves and restores the function's config around
 * the reset, and vconfig is vfio's own copy: COMMAND, the BARs and
 * INTERRUPT_LINE read back as before), and so is the interrupt setup
 * (pci_restore_state() re-enables MSI as it was). Nothing held.
 */
void vfio_pci_core_function_reset(struct vfio_pci_core_device *vdev)
{
	struct uvfio_device *dev = pci_to_uvfio(vdev);

	pthread_mutex_lock(&vdev->state_lock);
	if (vdev->model->reset) {
		vfio_pci_worker_flush(vdev);
		vdev->model->reset(dev);
	}
	pthread_mutex_lock(&vdev->igate);
	vdev->intx_level = false;
	pthread_mutex_unlock(&vdev->igate);
	pthread_mutex_unlock(&vdev->state_lock);
}

/* As vfio_pci_ioctl_reset(): EINVAL without a reset method. */
static int vfio_pci_ioctl_reset(struct vfio_pci_core_device *vdev)
{
	if (!vdev->reset_works)
		return -EINVAL;
	vfio_pci_core_function_reset(vdev);
	return 0;
}

/* ---------------------------------------------------------------- features */

/*
 * Every ioctl resumes a runtime-suspended device first
 * (vfio_device_pm_runtime_get() in vfio_main.c); a resume with a wakeup
 * eventfd signals it and leaves low power (vfio_pci_core_runtime_resume()),
 * one without stays in it.
 */
static void vfio_pci_pm_runtime_get(struct vfio_pci_core_device *vdev)
{
	pthread_mutex_lock(&vdev->igate);
	if (vdev->pm_runtime_engaged && vdev->pm_wake_trigger >= 0) {
		vfio_pci_eventfd_signal(vdev->pm_wake_trigger);
		vfio_pci_eventfd_put(vdev->pm_wake_trigger);
		vdev->pm_wake_trigger = -1;
		vdev->pm_runtime_engaged = false;
	}
	pthread_mutex_unlock(&vdev->igate);
}

/*
 * As vfio_pci_core_ioctl_feature(): low power entry and exit; the VF
 * token needs an SR-IOV PF (ENOTTY here, as for edu); anything else is
 * ENOTTY.
 */
static int vfio_pci_core_feature_pm_entry(struct vfio_pci_core_device *vdev,
					  u32 flags, void __user *arg,
					  size_t argsz, bool wakeup)
{
	struct vfio_device_low_power_entry_with_wakeup entry;
	int ret, efd = -1;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET,
				 wakeup ? sizeof(entry) : 0);
	if (ret != 1)
		return ret;
	if (wakeup) {
		if (copy_from_user(&entry, arg, sizeof(entry)))
			return -EFAULT;
		efd = vfio_pci_eventfd_get(entry.wakeup_eventfd);
		if (efd < 0)
			return efd;
	}
	/* vfio_pci_runtime_pm_entry(): a second entry is EINVAL. */
	pthread_mutex_lock(&vdev->igate);
	if (vdev->pm_runtime_engaged) {
		ret = -EINVAL;
	} else {
		vdev->pm_runtime_engaged = true;
		vdev->pm_wake_trigger = efd;
		efd = -1;
		ret = 0;
	}
	pthread_mutex_unlock(&vdev->igate);
	vfio_pci_eventfd_put(efd);
	return ret;
}

static int vfio_pci_core_feature_pm_exit(struct vfio_pci_core_device *vdev,
					 u32 flags, size_t argsz)
{
	int ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_SET, 0);

	if (ret != 1)
		return ret;
	pthread_mutex_lock(&vdev->igate);
	vdev->pm_runtime_engaged = false;
	vfio_pci_eventfd_put(vdev->pm_wake_trigger);
	vdev->pm_wake_trigger = -1;
	pthread_mutex_unlock(&vdev->igate);
	return 0;
}

static int vfio_pci_core_ioctl_feature(struct vfio_device *device, u32 flags,
				       void __user *arg, size_t argsz)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(device);

	vfio_pci_pm_runtime_get(vdev);
	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY:
		return vfio_pci_core_feature_pm_entry(vdev, flags, arg, argsz,
						      false);
	case VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP:
		return vfio_pci_core_feature_pm_entry(vdev, flags, arg, argsz,
						      true);
	case VFIO_DEVICE_FEATURE_LOW_POWER_EXIT:
		return vfio_pci_core_feature_pm_exit(vdev, flags, argsz);
	case VFIO_DEVICE_FEATURE_PCI_VF_TOKEN:
		/* vfio_pci_core_feature_token(): no vf_token, not a PF. */
	default:
		return -ENOTTY;
	}
}

/*
 * VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, as
 * vfio_pci_ioctl_get_pci_hot_reset_info(): "can we do a slot or bus
 * reset?" first (a root-bus function cannot: ENODEV, [obs 6.1 root A7]),
 * then every function the bus reset would hit, which is the device set
 * (keyed by bus). A buffer too small for them is ENOSPC with count set and
 * only the 12-byte header written [obs 6.1 bridge A7]. The cdev flavour
 * (FLAG_DEV_ID and iommufd device ids) is not emulated yet: ENOTTY.
 */
static int
vfio_pci_ioctl_get_pci_hot_reset_info(struct vfio_pci_core_device *vdev,
				      struct vfio_pci_hot_reset_info __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset_info,
					  count);
	struct vfio_device_set *dev_set = vdev->vdev.dev_set;
	struct vfio_pci_dependent_device devices[32];
	struct vfio_pci_hot_reset_info hdr;
	struct vfio_device *cur;
	unsigned int count = 0;
	int ret = 0;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz)
		return -EINVAL;
	hdr.flags = 0;
	if (!vdev->bus)
		return -ENODEV;

	mutex_lock(&dev_set->lock);
	if (vdev->vdev.cdev_opened) {
		ret = -ENOTTY;
		goto out_unlock;
	}
	list_for_each_entry(cur, &dev_set->device_list, dev_set_list) {
		struct vfio_pci_core_device *pci = to_vfio_pci_core(cur);

		if (count == ARRAY_SIZE(devices)) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		devices[count].group_id = cur->iommu_group;
		devices[count].segment = pci->domain;
		devices[count].bus = pci->bus;
		devices[count].devfn = pci->devfn;
		count++;
	}
	hdr.count = count;
	if (hdr.argsz < sizeof(hdr) + count * sizeof(devices[0]))
		ret = -ENOSPC;
out_unlock:
	mutex_unlock(&dev_set->lock);
	if (ret && ret != -ENOSPC)
		return ret;
	if (copy_to_user(arg, &hdr, minsz))
		return -EFAULT;
	if (!ret && copy_to_user(&arg->devices, devices,
				 count * sizeof(devices[0])))
		return -EFAULT;
	return ret;
}

/*
 * VFIO_DEVICE_PCI_HOT_RESET: the header checks of
 * vfio_pci_ioctl_pci_hot_reset() and the root-bus ENODEV. The bus reset
 * itself, with its proof of ownership (group fds, or the caller's
 * iommufd), is not emulated yet: ENOTTY.
 */
static int vfio_pci_ioctl_pci_hot_reset(struct vfio_pci_core_device *vdev,
					struct vfio_pci_hot_reset __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset hdr;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	if (hdr.argsz < minsz || hdr.flags)
		return -EINVAL;
	if (!vdev->bus)
		return -ENODEV;
	return -ENOTTY;
}

static long vfio_pci_core_ioctl(struct vfio_device *core_vdev,
				unsigned int cmd, unsigned long arg)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);
	void __user *uarg = (void __user *)arg;

	vfio_pci_pm_runtime_get(vdev);
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(vdev, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_pci_ioctl_get_region_info(vdev, uarg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vfio_pci_ioctl_get_irq_info(vdev, uarg);
	case VFIO_DEVICE_SET_IRQS:
		return vfio_pci_ioctl_set_irqs(vdev, uarg);
	case VFIO_DEVICE_RESET:
		return vfio_pci_ioctl_reset(vdev);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return vfio_pci_ioctl_get_pci_hot_reset_info(vdev, uarg);
	case VFIO_DEVICE_PCI_HOT_RESET:
		return vfio_pci_ioctl_pci_hot_reset(vdev, uarg);
	default:
		return -ENOTTY;
	}
}

/* ------------------------------------------------------- read/write/mmap */

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
	case VFIO_PCI_ROM_REGION_INDEX:
		return vfio_pci_rom_rw(vdev, buf, count, ppos, iswrite);
	case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
		return vfio_pci_bar_rw(vdev, (int)index, buf, count, ppos,
				       iswrite);
	default:
		/* No VGA. */
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
 * As vfio_pci_core_mmap(), in its order: a bad index, a private mapping,
 * a region other than a BAR, then the BAR's own checks; each is EINVAL.
 * Deviation: with COMMAND.MEMORY clear the mapping stays usable, where the
 * kernel's would raise SIGBUS on touch.
 */
static int vfio_pci_core_mmap(struct vfio_device *core_vdev,
			      struct uvfio_vma *vma)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);
	u64 index = VFIO_PCI_OFFSET_TO_INDEX(vma->offset);

	if (index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	if ((vma->flags & MAP_TYPE) != MAP_SHARED &&
	    (vma->flags & MAP_TYPE) != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (index >= VFIO_PCI_ROM_REGION_INDEX)
		return -EINVAL;
	return vfio_pci_bar_mmap(vdev, (int)index, vma);
}

/* --------------------------------------------------------- open and close */

/*
 * The first open (vfio_pci_core_enable()): a resettable function is reset,
 * and the virtual config space is rebuilt from the function, so each user
 * starts from COMMAND 0x0103 and firmware's BARs. Under dev_set->lock.
 */
static int vfio_pci_core_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);

	if (vdev->reset_works)
		vfio_pci_core_function_reset(vdev);
	vfio_pci_config_init(vdev);
	pthread_mutex_lock(&vdev->state_lock);
	vdev->open_count++;
	vdev->next_poll_ns = 0;
	pthread_mutex_unlock(&vdev->state_lock);
	if (vdev->model->poll && vdev->model->poll_interval_us)
		return vfio_pci_worker_kick(vdev);
	return 0;
}

/*
 * The last close (vfio_pci_core_disable()): bus mastering off, every
 * interrupt off and its eventfds released, then a reset if the function
 * has one. Under dev_set->lock.
 */
static void vfio_pci_core_close_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);

	pthread_mutex_lock(&vdev->config_lock);
	vdev->vconfig[PCI_COMMAND] &= (u8)~PCI_COMMAND_MASTER;
	pthread_mutex_unlock(&vdev->config_lock);
	vfio_pci_irq_disable_all(vdev);
	pthread_mutex_lock(&vdev->state_lock);
	vdev->open_count--;
	pthread_mutex_unlock(&vdev->state_lock);
	if (vdev->reset_works)
		vfio_pci_core_function_reset(vdev);
}

static void vfio_pci_core_release(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(core_vdev);

	pthread_mutex_lock(&vfio_pci_devices_lock);
	list_del_init(&vdev->pci_list);
	pthread_mutex_unlock(&vfio_pci_devices_lock);
	vfio_pci_worker_stop(vdev);
	if (vdev->model->destroy)
		vdev->model->destroy(pci_to_uvfio(vdev));
	vfio_pci_bar_mem_exit(vdev);
	pthread_mutex_destroy(&vdev->config_lock);
	pthread_mutex_destroy(&vdev->igate);
	pthread_mutex_destroy(&vdev->state_lock);
	free(vdev->priv);
	free(vdev);
}

static const struct vfio_device_ops vfio_pci_ops = {
	.name = "vfio-pci",
	.open_device = vfio_pci_core_open_device,
	.close_device = vfio_pci_core_close_device,
	.ioctl = vfio_pci_core_ioctl,
	.device_feature = vfio_pci_core_ioctl_feature,
	.read = vfio_pci_core_read,
	.write = vfio_pci_core_write,
	.mmap = vfio_pci_core_mmap,
	.match = vfio_pci_core_match,
	.release = vfio_pci_core_release,
};

/* ------------------------------------------------------------- creation */

static bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

/* A model uvfio can build, else -EINVAL. */
static int vfio_pci_model_check(const struct uvfio_device_model *m)
{
	if (!m->name || !*m->name || m->msi_vectors > 32 ||
	    m->msix_vectors > 2048 || m->irq_pin > 1 ||
	    (m->rom_size && (!is_pow2(m->rom_size) || m->rom_size < 2048)) ||
	    ((m->caps & UVFIO_CAP_FLR) && !(m->caps & UVFIO_CAP_PCIE)))
		return -EINVAL;
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct uvfio_bar *b = &m->bars[i];

		if (!b->size)
			continue;
		if (!is_pow2(b->size) || (b->addr & (b->size - 1)) ||
		    b->size < ((b->flags & UVFIO_BAR_IO) ? 4 : 16) ||
		    ((b->flags & UVFIO_BAR_IO) &&
		     (b->flags & ~UVFIO_BAR_IO)) ||
		    (!(b->flags & UVFIO_BAR_MEM64) && b->size > (1ull << 31)) ||
		    b->nr_mmap_areas > UVFIO_BAR_MAX_AREAS ||
		    ((b->flags & UVFIO_BAR_MMAP_TRAP) &&
		     (b->flags & (UVFIO_BAR_MEMORY | UVFIO_BAR_IO))) ||
		    (b->nr_mmap_areas && !(b->flags & UVFIO_BAR_MEMORY)))
			return -EINVAL;
		if ((b->flags & UVFIO_BAR_MEM64) &&
		    (i == PCI_STD_NUM_BARS - 1 || m->bars[i + 1].size))
			return -EINVAL;
		for (unsigned int a = 0; a < b->nr_mmap_areas; a++) {
			const struct uvfio_bar_area *area = &b->mmap_areas[a];

			if ((area->offset | area->size) & 4095 ||
			    !area->size || area->offset >= b->size ||
			    area->size > b->size - area->offset)
				return -EINVAL;
		}
		if (b->flags & UVFIO_BAR_MEM64)
			i++;
	}
	if (m->msix_vectors &&
	    (m->msix_bar >= PCI_STD_NUM_BARS || !m->bars[m->msix_bar].size ||
	     (m->msix_table_offset | m->msix_pba_offset) & 7 ||
	     m->msix_table_offset + 16ull * m->msix_vectors >
	     m->bars[m->msix_bar].size ||
	     m->msix_pba_offset + 8ull * ((m->msix_vectors + 63) / 64) >
	     m->bars[m->msix_bar].size))
		return -EINVAL;
	return 0;
}

/*
 * Firmware's BAR addresses for a model that left them 0: naturally aligned,
 * handed out upward from fixed windows in creation order.
 */
static void vfio_pci_assign_bars(struct uvfio_device_model *m)
{
	static u64 next_mem32 = 0xe0000000, next_mem64 = 0x800000000ull;
	static u64 next_io = 0xc000;

	pthread_mutex_lock(&vfio_pci_devices_lock);
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct uvfio_bar *b = &m->bars[i];
		u64 *next;

		if (!b->size || b->addr)
			continue;
		next = (b->flags & UVFIO_BAR_IO) ? &next_io :
		       (b->flags & UVFIO_BAR_MEM64) ? &next_mem64 :
		       &next_mem32;
		*next = (*next + b->size - 1) & ~(b->size - 1);
		b->addr = *next;
		*next += b->size;
	}
	pthread_mutex_unlock(&vfio_pci_devices_lock);
}

/*
 * As pci_probe_reset_function() over the methods uvfio models, in the
 * kernel's order: FLR, PM, then a bus reset, which a function below a
 * bridge (any bus but 0 here) has and a root-bus function lacks. The
 * names are what sysfs reset_method lists.
 */
static void vfio_pci_probe_reset(struct vfio_pci_core_device *vdev)
{
	char *p = vdev->reset_method;
	size_t size = sizeof(vdev->reset_method);

	p[0] = '\0';
	if (vdev->model->caps & UVFIO_CAP_FLR)
		strncat(p, "flr ", size - strlen(p) - 1);
	if (vdev->model->caps & UVFIO_CAP_PM)
		strncat(p, "pm ", size - strlen(p) - 1);
	if (vdev->bus)
		strncat(p, "bus ", size - strlen(p) - 1);
	vdev->reset_works = p[0] != '\0';
	if (vdev->reset_works)
		p[strlen(p) - 1] = '\0';
}

/*
 * Builds and registers the function at domain:bus:devfn and runs the
 * model's init with @args; ERR_PTR on error. The model is copied: a
 * shorter (older) one is zero-extended, a longer one must be zero past
 * what this build knows, as copy_struct_from_user() demands.
 */
struct vfio_pci_core_device *
vfio_pci_core_create(const struct uvfio_device_model *model, u16 domain,
		     u8 bus, u8 devfn, const char *args,
		     unsigned int iommu_group)
{
	struct vfio_pci_core_device *vdev;
	size_t ksize = sizeof(struct uvfio_device_model);
	int ret;

	/* UVFIO_0.1 ends at destroy; later versions add fields after it. */
	if (!model || model->size < offsetofend(struct uvfio_device_model,
						destroy))
		return ERR_PTR(-EINVAL);
	for (size_t i = ksize; i < model->size; i++)
		if (((const u8 *)model)[i])
			return ERR_PTR(-E2BIG);
	vdev = calloc(1, sizeof(*vdev));
	if (!vdev)
		return ERR_PTR(-ENOMEM);
	memcpy(&vdev->model_copy, model, min_t(size_t, model->size, ksize));
	vdev->model_copy.size = (u32)ksize;
	vdev->model = &vdev->model_copy;
	ret = vfio_pci_model_check(vdev->model);
	if (ret)
		goto err_free;
	vfio_pci_assign_bars(&vdev->model_copy);
	vdev->priv = model->priv_size ? calloc(1, model->priv_size) : NULL;
	if (model->priv_size && !vdev->priv) {
		ret = -ENOMEM;
		goto err_free;
	}
	vdev->domain = domain;
	vdev->bus = bus;
	vdev->devfn = devfn;
	snprintf(vdev->vdev.name, sizeof(vdev->vdev.name),
		 "%04x:%02x:%02x.%x", domain, bus, devfn >> 3, devfn & 7);
	pthread_mutex_init(&vdev->state_lock, NULL);
	pthread_mutex_init(&vdev->igate, NULL);
	pthread_mutex_init(&vdev->config_lock, NULL);
	vfio_pci_worker_init(vdev);
	vfio_pci_irq_init(vdev);
	vfio_pci_probe_reset(vdev);
	vfio_pci_config_layout(vdev);
	vfio_pci_config_init(vdev);
	ret = vfio_pci_bar_mem_init(vdev);
	if (ret)
		goto err_destroy;
	if (vdev->model->init) {
		ret = vdev->model->init(pci_to_uvfio(vdev), args ?: "");
		if (ret)
			goto err_mem_exit;
	}

	vdev->vdev.ops = &vfio_pci_ops;
	vdev->vdev.iommu_group = iommu_group;
	/*
	 * vfio-pci gives a function on the root bus a device set of its own
	 * (vfio_pci_core_register_device()); behind a bridge the set is the
	 * bus, which a bus reset would hit as a whole.
	 */
	ret = vfio_register_device(&vdev->vdev,
				   bus ? (void *)(uintptr_t)(0x10000u |
							     domain << 8 | bus)
				       : NULL);
	if (ret)
		goto err_model_destroy;
	pthread_mutex_lock(&vfio_pci_devices_lock);
	list_add_tail(&vdev->pci_list, &vfio_pci_devices);
	pthread_mutex_unlock(&vfio_pci_devices_lock);
	ret = vfio_pci_sysfs_register(vdev);
	if (ret)
		goto err_unregister;
	return vdev;

err_unregister:
	/* The release op frees vdev: nothing else to unwind. */
	vfio_unregister_device(&vdev->vdev);
	return ERR_PTR(ret);
err_model_destroy:
	if (vdev->model->destroy)
		vdev->model->destroy(pci_to_uvfio(vdev));
err_mem_exit:
	vfio_pci_bar_mem_exit(vdev);
err_destroy:
	vfio_pci_worker_stop(vdev);
	pthread_mutex_destroy(&vdev->config_lock);
	pthread_mutex_destroy(&vdev->igate);
	pthread_mutex_destroy(&vdev->state_lock);
err_free:
	free(vdev->priv);
	free(vdev);
	return ERR_PTR(ret);
}

/* --------------------------------------------------------------- fork */

/*
 * fork() must not catch a device lock held by another thread, nor a model
 * callback half done: hold every device's locks across it. init.c calls
 * these between the core's device-set hooks and the DMA hooks, the order
 * the locks nest in everywhere else (dev_set->lock, state_lock, the DMA
 * lock that a model callback takes for its transfers).
 */
void vfio_pci_atfork_prepare(void)
{
	struct vfio_pci_core_device *vdev;

	pthread_mutex_lock(&vfio_pci_devices_lock);
	list_for_each_entry(vdev, &vfio_pci_devices, pci_list) {
		pthread_mutex_lock(&vdev->state_lock);
		pthread_mutex_lock(&vdev->igate);
		pthread_mutex_lock(&vdev->config_lock);
		pthread_mutex_lock(&vdev->worker_lock);
	}
}

void vfio_pci_atfork_parent(void)
{
	struct vfio_pci_core_device *vdev;

	list_for_each_entry(vdev, &vfio_pci_devices, pci_list) {
		pthread_mutex_unlock(&vdev->worker_lock);
		pthread_mutex_unlock(&vdev->config_lock);
		pthread_mutex_unlock(&vdev->igate);
		pthread_mutex_unlock(&vdev->state_lock);
	}
	pthread_mutex_unlock(&vfio_pci_devices_lock);
}

/*
 * The child keeps its copy of every device: memory BARs get memory of
 * their own, and a worker that ran in the parent runs again here with the
 * work the parent had queued. Failures leave that device without them.
 */
void vfio_pci_atfork_child(void)
{
	struct vfio_pci_core_device *vdev;

	list_for_each_entry(vdev, &vfio_pci_devices, pci_list) {
		(void)vfio_pci_bar_mem_atfork_child(vdev);
		(void)vfio_pci_worker_atfork_child(vdev);
	}
	vfio_pci_atfork_parent();
}

/* ------------------------------------------------- the model's accessors */

__export void *uvfio_device_priv(struct uvfio_device *dev)
{
	return uvfio_to_pci(dev)->priv;
}

__export const char *uvfio_device_name(struct uvfio_device *dev)
{
	return uvfio_to_pci(dev)->vdev.name;
}

__export void *uvfio_device_bar_mem(struct uvfio_device *dev, int bar)
{
	struct vfio_pci_core_device *vdev = uvfio_to_pci(dev);

	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return NULL;
	return vdev->bar_mem[bar].mem;
}

__export bool uvfio_device_bus_master(struct uvfio_device *dev)
{
	return vfio_pci_master_enabled(uvfio_to_pci(dev));
}
