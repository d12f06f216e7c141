// SPDX-License-Identifier: MIT
/*
 * Interrupts: VFIO_DEVICE_SET_IRQS and the model's side of INTx and MSI
 * (the kernel's drivers/vfio/pci/vfio_pci_intrs.c and
 * vfio_set_irqs_validate_and_prepare() in drivers/vfio/vfio_main.c).
 *
 * The eventfds are the client's own. Like the kernel's eventfd_ctx
 * reference, we keep a private duplicate (a raw F_DUPFD_CLOEXEC, which the
 * interposer does not see), so delivery outlives the client's close of its
 * fd; the duplicate is closed when the vector is de-assigned or disabled or
 * the device is closed. Signalling is a raw 8-byte write of 1.
 *
 * INTx is level-triggered and automasked, as vfio-pci's is: a rising line
 * (or an unmask while it is high) signals the trigger and masks; the client
 * unmasks with SET_IRQS(UNMASK), or through an unmask eventfd that the
 * device's worker thread watches.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfio_pci_core.h"
#include "../vfs/uaccess.h"

#define is_intx(vdev)	((vdev)->irq_type == VFIO_PCI_INTX_IRQ_INDEX)
#define is_irq_none(vdev) ((vdev)->irq_type == VFIO_PCI_NUM_IRQS)
#define irq_is(vdev, t)	((vdev)->irq_type == (int)(t))

/*
 * As eventfd_ctx_fdget(): EBADF for a bad fd, EINVAL for a file that is
 * not an eventfd. Returns our own duplicate, for vfio_pci_eventfd_put().
 */
int vfio_pci_eventfd_get(int fd)
{
	char path[64], link[64];
	long n;
	int efd;

	if (fd < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* Raw syscalls: the interposer must not answer for its own fds. */
	n = syscall(SYS_readlinkat, AT_FDCWD, path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	link[n] = '\0';
	if (strcmp(link, "anon_inode:[eventfd]"))
		return -EINVAL;
	efd = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 0);
	return efd < 0 ? -errno : efd;
}

/* Balances vfio_pci_eventfd_get(). */
void vfio_pci_eventfd_put(int efd)
{
	if (efd >= 0)
		syscall(SYS_close, efd);
}

/* As eventfd_signal(): adds 1 to the counter. */
void vfio_pci_eventfd_signal(int efd)
{
	u64 one = 1;

	if (efd >= 0)
		(void)!syscall(SYS_write, efd, &one, sizeof(one));
}

void vfio_pci_irq_init(struct vfio_pci_core_device *vdev)
{
	vdev->irq_type = VFIO_PCI_NUM_IRQS;
	vdev->intx_unmask_fd = -1;
	vdev->err_trigger = -1;
	vdev->req_trigger = -1;
	vdev->pm_wake_trigger = -1;
}

/* As vfio_pci_get_irq_count(). */
u32 vfio_pci_get_irq_count(struct vfio_pci_core_device *vdev, u32 irq_type)
{
	switch (irq_type) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return vdev->model->irq_pin ? 1 : 0;
	case VFIO_PCI_MSI_IRQ_INDEX:
		return vfio_pci_msi_vector_count(vdev);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return vdev->model->msix_vectors;
	case VFIO_PCI_ERR_IRQ_INDEX:
		return vdev->pcie_cap ? 1 : 0;
	case VFIO_PCI_REQ_IRQ_INDEX:
		return 1;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------------ INTx */

/* Caller holds igate. */
static void __vfio_send_intx_eventfd(struct vfio_pci_core_device *vdev)
{
	if (likely(is_intx(vdev) && !vdev->virq_disabled))
		vfio_pci_eventfd_signal(vdev->ctx[0].trigger);
}

/* As vfio_intx_handler(): the line rose. Caller holds igate. */
static void __vfio_intx_handler(struct vfio_pci_core_device *vdev)
{
	if (!is_intx(vdev) || vdev->ctx[0].masked || vdev->virq_disabled ||
	    vdev->ctx[0].trigger < 0)
		return;
	vdev->ctx[0].masked = true;
	__vfio_send_intx_eventfd(vdev);
}

/* As vfio_pci_intx_mask(). Caller holds igate. */
static void __vfio_pci_intx_mask(struct vfio_pci_core_device *vdev)
{
	if (is_intx(vdev))
		vdev->ctx[0].masked = true;
}

/*
 * As vfio_pci_intx_unmask(): a line still high is sent again at once and
 * stays masked (pci_check_and_unmask_intx() finds it pending). Caller
 * holds igate.
 */
static void __vfio_pci_intx_unmask(struct vfio_pci_core_device *vdev)
{
	if (!is_intx(vdev) || !vdev->ctx[0].masked || vdev->virq_disabled)
		return;
	vdev->ctx[0].masked = vdev->intx_level;
	if (vdev->intx_level)
		__vfio_send_intx_eventfd(vdev);
}

/* COMMAND.INTX_DISABLE changed (vfio_basic_config_write()). */
void vfio_pci_intx_virq_set(struct vfio_pci_core_device *vdev, bool disabled)
{
	pthread_mutex_lock(&vdev->igate);
	if (disabled && !vdev->virq_disabled) {
		vdev->virq_disabled = true;
		__vfio_pci_intx_mask(vdev);
	} else if (!disabled && vdev->virq_disabled) {
		vdev->virq_disabled = false;
		__vfio_pci_intx_unmask(vdev);
	}
	pthread_mutex_unlock(&vdev->igate);
}

static int vfio_intx_enable(struct vfio_pci_core_device *vdev)
{
	if (!is_irq_none(vdev))
		return -EINVAL;
	if (!vdev->model->irq_pin)
		return -ENODEV;
	vdev->ctx = calloc(1, sizeof(*vdev->ctx));
	if (!vdev->ctx)
		return -ENOMEM;
	vdev->ctx[0].trigger = -1;
	vdev->num_ctx = 1;
	/* A virtually disabled INTx starts masked. */
	vdev->ctx[0].masked = vdev->virq_disabled;
	WRITE_ONCE(vdev->irq_type, VFIO_PCI_INTX_IRQ_INDEX);
	return 0;
}

static int vfio_intx_set_signal(struct vfio_pci_core_device *vdev, int fd)
{
	int trigger;

	vfio_pci_eventfd_put(vdev->ctx[0].trigger);
	vdev->ctx[0].trigger = -1;
	if (fd < 0)	/* disable only */
		return 0;
	trigger = vfio_pci_eventfd_get(fd);
	if (trigger < 0)
		return trigger;
	vdev->ctx[0].trigger = trigger;
	/* A level-triggered line already high fires as the handler goes in. */
	if (vdev->intx_level)
		__vfio_intx_handler(vdev);
	return 0;
}

static void vfio_intx_disable(struct vfio_pci_core_device *vdev)
{
	vfio_pci_eventfd_put(vdev->intx_unmask_fd);
	vdev->intx_unmask_fd = -1;
	vfio_intx_set_signal(vdev, -1);
	WRITE_ONCE(vdev->irq_type, VFIO_PCI_NUM_IRQS);
	vdev->num_ctx = 0;
	free(vdev->ctx);
	vdev->ctx = NULL;
}

/* ------------------------------------------------------------- MSI/MSI-X */

static int vfio_msi_enable(struct vfio_pci_core_device *vdev, unsigned int nvec,
			   bool msix)
{
	if (!is_irq_none(vdev))
		return -EINVAL;
	vdev->ctx = calloc(nvec, sizeof(*vdev->ctx));
	if (!vdev->ctx)
		return -ENOMEM;
	for (unsigned int i = 0; i < nvec; i++)
		vdev->ctx[i].trigger = -1;
	vdev->num_ctx = nvec;
	WRITE_ONCE(vdev->irq_type, msix ? VFIO_PCI_MSIX_IRQ_INDEX :
					  VFIO_PCI_MSI_IRQ_INDEX);
	if (!msix) {
		u8 qmax = 0;

		/* The log2 the virtual MSI flags may show as QSIZE. */
		while ((1u << qmax) < nvec)
			qmax++;
		WRITE_ONCE(vdev->msi_qmax, qmax);
	}
	return 0;
}

static int vfio_msi_set_vector_signal(struct vfio_pci_core_device *vdev,
				      unsigned int vector, int fd)
{
	int trigger;

	if (vector >= vdev->num_ctx)
		return -EINVAL;
	vfio_pci_eventfd_put(vdev->ctx[vector].trigger);
	vdev->ctx[vector].trigger = -1;
	if (fd < 0)
		return 0;
	trigger = vfio_pci_eventfd_get(fd);
	if (trigger < 0)
		return trigger;
	vdev->ctx[vector].trigger = trigger;
	return 0;
}

/* As vfio_msi_set_block(): all or nothing. */
static int vfio_msi_set_block(struct vfio_pci_core_device *vdev,
			      unsigned int start, unsigned int count,
			      const s32 *fds)
{
	unsigned int i, j;
	int ret = 0;

	if (start >= vdev->num_ctx || start + count > vdev->num_ctx)
		return -EINVAL;
	for (i = 0, j = start; i < count && !ret; i++, j++)
		ret = vfio_msi_set_vector_signal(vdev, j, fds ? fds[i] : -1);
	if (ret) {
		for (int k = (int)j - 1; k >= (int)start; k--)
			vfio_msi_set_vector_signal(vdev, (unsigned int)k, -1);
	}
	return ret;
}

static void vfio_msi_disable(struct vfio_pci_core_device *vdev)
{
	vfio_msi_set_block(vdev, 0, vdev->num_ctx, NULL);
	WRITE_ONCE(vdev->irq_type, VFIO_PCI_NUM_IRQS);
	WRITE_ONCE(vdev->msi_qmax, 0);
	vdev->num_ctx = 0;
	free(vdev->ctx);
	vdev->ctx = NULL;
}

/* ------------------------------------------------------- SET_IRQS actions */

typedef int (*vfio_set_irq_fn)(struct vfio_pci_core_device *vdev,
			       unsigned int index, unsigned int start,
			       unsigned int count, u32 flags, void *data);

static int vfio_pci_set_intx_unmask(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (!is_intx(vdev) || start != 0 || count != 1)
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		__vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			__vfio_pci_intx_unmask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(s32 *)data;
		int efd = -1;

		/* vfio_virqfd_enable(): the worker watches it (worker.c). */
		if (fd >= 0) {
			efd = vfio_pci_eventfd_get(fd);
			if (efd < 0)
				return efd;
		}
		vfio_pci_eventfd_put(vdev->intx_unmask_fd);
		vdev->intx_unmask_fd = efd;
		return efd >= 0 ? vfio_pci_worker_kick(vdev) : 0;
	}
	return 0;
}

static int vfio_pci_set_intx_mask(struct vfio_pci_core_device *vdev,
				  unsigned int index, unsigned int start,
				  unsigned int count, u32 flags, void *data)
{
	if (!is_intx(vdev) || start != 0 || count != 1)
		return -EINVAL;
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		__vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(u8 *)data)
			__vfio_pci_intx_mask(vdev);
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		return -ENOTTY;	/* the kernel has no mask irqfd either */
	}
	return 0;
}

static int vfio_pci_set_intx_trigger(struct vfio_pci_core_device *vdev,
				     unsigned int index, unsigned int start,
				     unsigned int count, u32 flags, void *data)
{
	if (is_intx(vdev) && !count && (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_intx_disable(vdev);
		return 0;
	}
	if (!(is_intx(vdev) || is_irq_none(vdev)) || start != 0 || count != 1)
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd = *(s32 *)data;
		int ret;

		if (is_intx(vdev))
			return vfio_intx_set_signal(vdev, fd);
		ret = vfio_intx_enable(vdev);
		if (ret)
			return ret;
		ret = vfio_intx_set_signal(vdev, fd);
		if (ret)
			vfio_intx_disable(vdev);
		return ret;
	}
	if (!is_intx(vdev))
		return -EINVAL;
	/* DATA_NONE and DATA_BOOL are a loopback: signal the eventfd. */
	if ((flags & VFIO_IRQ_SET_DATA_NONE) ||
	    ((flags & VFIO_IRQ_SET_DATA_BOOL) && *(u8 *)data))
		__vfio_send_intx_eventfd(vdev);
	return 0;
}

/*
 * As vfio_pci_set_msi_trigger(). count 0 with DATA_NONE disables only the
 * enabled type; anything else needs MSI off or already this type, and the
 * vector count set by the enabling call holds until a disable (resize).
 */
static int vfio_pci_set_msi_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	bool msix = index == VFIO_PCI_MSIX_IRQ_INDEX;

	if (irq_is(vdev, index) && !count && (flags & VFIO_IRQ_SET_DATA_NONE)) {
		vfio_msi_disable(vdev);
		return 0;
	}
	if (!(irq_is(vdev, index) || is_irq_none(vdev)))
		return -EINVAL;

	if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 *fds = data;
		int ret;

		if (irq_is(vdev, index))
			return vfio_msi_set_block(vdev, start, count, fds);
		ret = vfio_msi_enable(vdev, start + count, msix);
		if (ret)
			return ret;
		ret = vfio_msi_set_block(vdev, start, count, fds);
		if (ret)
			vfio_msi_disable(vdev);
		return ret;
	}

	if (!irq_is(vdev, index) || start + count > vdev->num_ctx)
		return -EINVAL;
	for (unsigned int i = start; i < start + count; i++) {
		if (vdev->ctx[i].trigger < 0)
			continue;
		if ((flags & VFIO_IRQ_SET_DATA_NONE) ||
		    ((flags & VFIO_IRQ_SET_DATA_BOOL) &&
		     ((u8 *)data)[i - start]))
			vfio_pci_eventfd_signal(vdev->ctx[i].trigger);
	}
	return 0;
}

/* As vfio_pci_set_ctx_trigger_single(), for ERR and REQ. */
static int vfio_pci_set_ctx_trigger_single(int *ctx, unsigned int count,
					   u32 flags, void *data)
{
	if (flags & VFIO_IRQ_SET_DATA_NONE) {
		if (*ctx >= 0) {
			if (count) {
				vfio_pci_eventfd_signal(*ctx);
			} else {
				vfio_pci_eventfd_put(*ctx);
				*ctx = -1;
			}
			return 0;
		}
	} else if (flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (!count)
			return -EINVAL;
		if (*(u8 *)data && *ctx >= 0)
			vfio_pci_eventfd_signal(*ctx);
		return 0;
	} else if (flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		s32 fd;

		if (!count)
			return -EINVAL;
		fd = *(s32 *)data;
		if (fd == -1) {
			vfio_pci_eventfd_put(*ctx);
			*ctx = -1;
		} else if (fd >= 0) {
			int efd = vfio_pci_eventfd_get(fd);

			if (efd < 0)
				return efd;
			vfio_pci_eventfd_put(*ctx);
			*ctx = efd;
		}
		return 0;
	}
	return -EINVAL;
}

static int vfio_pci_set_err_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return vfio_pci_set_ctx_trigger_single(&vdev->err_trigger, count,
					       flags, data);
}

static int vfio_pci_set_req_trigger(struct vfio_pci_core_device *vdev,
				    unsigned int index, unsigned int start,
				    unsigned int count, u32 flags, void *data)
{
	if (start != 0 || count > 1)
		return -EINVAL;
	return vfio_pci_set_ctx_trigger_single(&vdev->req_trigger, count,
					       flags, data);
}

/* As vfio_pci_set_irqs_ioctl(): no handler for the pair is ENOTTY. */
static int __vfio_pci_set_irqs(struct vfio_pci_core_device *vdev, u32 flags,
			       unsigned int index, unsigned int start,
			       unsigned int count, void *data)
{
	vfio_set_irq_fn func = NULL;

	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		switch (flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) {
		case VFIO_IRQ_SET_ACTION_MASK:
			func = vfio_pci_set_intx_mask;
			break;
		case VFIO_IRQ_SET_ACTION_UNMASK:
			func = vfio_pci_set_intx_unmask;
			break;
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			func = vfio_pci_set_intx_trigger;
			break;
		}
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		/* MSI masking is not supported: only TRIGGER. */
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = vfio_pci_set_msi_trigger;
		break;
	case VFIO_PCI_ERR_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER && vdev->pcie_cap)
			func = vfio_pci_set_err_trigger;
		break;
	case VFIO_PCI_REQ_IRQ_INDEX:
		if ((flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) ==
		    VFIO_IRQ_SET_ACTION_TRIGGER)
			func = vfio_pci_set_req_trigger;
		break;
	}
	if (!func)
		return -ENOTTY;
	return func(vdev, index, start, count, flags, data);
}

/*
 * As vfio_set_irqs_validate_and_prepare(), in its order: header bounds,
 * then the range against this index's count, then exactly one data type,
 * then a payload of count elements inside argsz.
 */
static int vfio_set_irqs_validate_and_prepare(struct vfio_irq_set *hdr,
					      u32 num_irqs, u32 max_irq_type,
					      size_t *data_size)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	size_t size;

	if (hdr->argsz < minsz || hdr->index >= max_irq_type ||
	    hdr->count >= (UINT32_MAX - hdr->start) ||
	    (hdr->flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			    VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return -EINVAL;
	*data_size = 0;
	if (hdr->start >= num_irqs || hdr->start + hdr->count > num_irqs)
		return -EINVAL;
	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		size = 0;
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(u8);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(s32);
		break;
	default:
		return -EINVAL;
	}
	if (size) {
		if (hdr->argsz - minsz < (u64)hdr->count * size)
			return -EINVAL;
		*data_size = hdr->count * size;
	}
	return 0;
}

/* As vfio_pci_ioctl_set_irqs(). */
int vfio_pci_ioctl_set_irqs(struct vfio_pci_core_device *vdev,
			    struct vfio_irq_set __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr,
			vfio_pci_get_irq_count(vdev, hdr.index),
			VFIO_PCI_NUM_IRQS, &data_size);
	if (ret)
		return ret;
	if (data_size) {
		data = malloc(data_size);
		if (!data)
			return -ENOMEM;
		if (copy_from_user(data, (u8 __user *)arg + minsz,
				   data_size)) {
			free(data);
			return -EFAULT;
		}
	}
	pthread_mutex_lock(&vdev->igate);
	ret = __vfio_pci_set_irqs(vdev, hdr.flags, hdr.index, hdr.start,
				  hdr.count, data);
	pthread_mutex_unlock(&vdev->igate);
	free(data);
	return ret;
}

/*
 * The last close (vfio_pci_core_disable()): the enabled type goes off,
 * the ERR and REQ eventfds and the low-power state are dropped, and
 * INTX_DISABLE no longer masks.
 */
void vfio_pci_irq_disable_all(struct vfio_pci_core_device *vdev)
{
	pthread_mutex_lock(&vdev->igate);
	if (!is_irq_none(vdev))
		__vfio_pci_set_irqs(vdev, VFIO_IRQ_SET_DATA_NONE |
				    VFIO_IRQ_SET_ACTION_TRIGGER,
				    (unsigned int)vdev->irq_type, 0, 0, NULL);
	vfio_pci_eventfd_put(vdev->err_trigger);
	vfio_pci_eventfd_put(vdev->req_trigger);
	vfio_pci_eventfd_put(vdev->pm_wake_trigger);
	vdev->err_trigger = vdev->req_trigger = vdev->pm_wake_trigger = -1;
	vdev->pm_runtime_engaged = false;
	vdev->virq_disabled = false;
	pthread_mutex_unlock(&vdev->igate);
}

/* ------------------------------------------------- the model's interface */

__export bool uvfio_device_msi_enabled(struct uvfio_device *dev)
{
	struct vfio_pci_core_device *vdev = uvfio_to_pci(dev);
	int type = READ_ONCE(vdev->irq_type);

	return type == VFIO_PCI_MSI_IRQ_INDEX ||
	       type == VFIO_PCI_MSIX_IRQ_INDEX;
}

__export int uvfio_device_msi_notify(struct uvfio_device *dev,
				     unsigned int vector)
{
	struct vfio_pci_core_device *vdev = uvfio_to_pci(dev);
	int ret = 0;

	pthread_mutex_lock(&vdev->igate);
	if (!irq_is(vdev, VFIO_PCI_MSI_IRQ_INDEX) &&
	    !irq_is(vdev, VFIO_PCI_MSIX_IRQ_INDEX))
		ret = -EINVAL;
	else if (vector >= vdev->num_ctx)
		ret = -EINVAL;
	else
		vfio_pci_eventfd_signal(vdev->ctx[vector].trigger);
	pthread_mutex_unlock(&vdev->igate);
	return ret;
}

__export void uvfio_device_intx_set(struct uvfio_device *dev, int level)
{
	struct vfio_pci_core_device *vdev = uvfio_to_pci(dev);
	bool rising;

	pthread_mutex_lock(&vdev->igate);
	rising = level && !vdev->intx_level;
	vdev->intx_level = level != 0;
	if (rising)
		__vfio_intx_handler(vdev);
	pthread_mutex_unlock(&vdev->igate);
}

/*
 * The unmask irqfd fired (vfio_virqfd's handler). Called by the worker
 * with nothing held; consumes the count only if @efd is still the one.
 */
void vfio_pci_intx_unmask_irqfd(struct vfio_pci_core_device *vdev, int efd)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	u64 cnt;

	pthread_mutex_lock(&vdev->igate);
	/* Nobody else reads it, so a readable eventfd does not block. */
	if (vdev->intx_unmask_fd == efd && poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & POLLIN) &&
	    syscall(SYS_read, efd, &cnt, sizeof(cnt)) == sizeof(cnt))
		__vfio_pci_intx_unmask(vdev);
	pthread_mutex_unlock(&vdev->igate);
}
