// SPDX-License-Identifier: MIT
/*
 * Virtualized PCI config space, as vfio-pci presents it through region 7
 * (the kernel's drivers/vfio/pci/vfio_pci_config.c).
 *
 * The image is built from the model at each first open, as vfio_config_init()
 * rebuilds it from the function at each vfio_pci_core_enable(). A write
 * changes only the bits in wmask, which holds what vfio-pci lets a user
 * change on a real host with QEMU's device behind it; then the fix-ups the
 * kernel does on read are applied (vfio_bar_fixup(), the MSI flags in
 * vfio_msi_config_write()). The capability list is laid out once
 * (vfio_pci_config_layout()): MSI first at 0x40, as QEMU places edu's, then
 * PM, PCI Express and MSI-X, each 4-byte aligned.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../vfs/uaccess.h"

#define PCI_CAP_START		0x40

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

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get_le32(const u8 *p)
{
	return (u32)get_le16(p) | (u32)get_le16(p + 2) << 16;
}

/* log2 of the vector count rounded up to a power of two (MMC/MME). */
static u8 vfio_pci_msi_qmask(unsigned int vectors)
{
	u8 log2 = 0;

	while ((1u << log2) < vectors)
		log2++;
	return log2;
}

static u32 vfio_pci_bar_lowbits(const struct uvfio_bar *bar)
{
	if (bar->flags & UVFIO_BAR_IO)
		return PCI_BASE_ADDRESS_SPACE_IO;
	return ((bar->flags & UVFIO_BAR_MEM64) ?
		PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
	       ((bar->flags & UVFIO_BAR_PREFETCH) ?
		PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
}

/*
 * The immutable part: capability offsets, config size, BAR lengths and the
 * write mask. The model was checked by vfio_pci_core_create().
 */
void vfio_pci_config_layout(struct vfio_pci_core_device *vdev)
{
	const struct uvfio_device_model *model = vdev->model;
	u8 *w = vdev->wmask;
	/*
	 * What vfio-pci lets through to edu on a real 6.1 host: writing
	 * 0xffff to COMMAND reads back 0x0507 (reference answers, A4).
	 */
	u16 cmd_wmask = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			PCI_COMMAND_MASTER | PCI_COMMAND_SERR |
			PCI_COMMAND_INTX_DISABLE;
	unsigned int pos = PCI_CAP_START;

	memset(w, 0, sizeof(vdev->wmask));
	if (model->msi_vectors) {
		vdev->msi_cap = (u8)pos;
		pos += (PCI_MSI_64_SIZEOF + 3) & ~3u;
		pos = (pos + 15) & ~15u;	/* QEMU leaves edu's at 0x40..0x4f */
	}
	if (model->caps & UVFIO_CAP_PM) {
		vdev->pm_cap = (u8)pos;
		pos += PCI_PM_SIZEOF;
	}
	if (model->caps & UVFIO_CAP_PCIE) {
		vdev->pcie_cap = (u8)pos;
		pos += PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
	}
	if (model->msix_vectors) {
		vdev->msix_cap = (u8)pos;
		pos += PCI_CAP_MSIX_SIZEOF;
	}
	/* A PCI Express function has the extended space (pci_cfg_space_size()). */
	vdev->cfg_size = vdev->pcie_cap ? PCI_CFG_SPACE_EXP_SIZE :
					  PCI_CFG_SPACE_SIZE;

	put_le16(w + PCI_COMMAND, cmd_wmask);
	w[PCI_CACHE_LINE_SIZE] = 0xff;	/* QEMU's pci_init_wmask() */
	w[PCI_INTERRUPT_LINE] = 0xff;	/* virtualized by vfio-pci */
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct uvfio_bar *bar = &model->bars[i];

		if (!bar->size)
			continue;
		vdev->bar_len[i] = bar->size;
		put_le32(w + PCI_BASE_ADDRESS_0 + 4 * i, ~0u);
		if (bar->flags & UVFIO_BAR_MEM64)
			put_le32(w + PCI_BASE_ADDRESS_0 + 4 * ++i, ~0u);
	}
	vdev->bar_len[PCI_ROM_RESOURCE] = model->rom_size;
	if (model->rom_size)
		put_le32(w + PCI_ROM_ADDRESS, ~0u);

	if (vdev->msi_cap) {
		u8 *m = w + vdev->msi_cap;

		/* vfio_msi_config_write() takes ENABLE and QSIZE, then fixes. */
		put_le16(m + PCI_MSI_FLAGS,
			 PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
		put_le32(m + PCI_MSI_ADDRESS_LO, ~0u);
		put_le32(m + PCI_MSI_ADDRESS_HI, ~0u);
		put_le16(m + PCI_MSI_DATA_64, 0xffff);
	}
	if (vdev->pm_cap)
		put_le16(w + vdev->pm_cap + PCI_PM_CTRL, PCI_PM_CTRL_STATE_MASK);
	if (vdev->pcie_cap)
		/* All but PHANTOM, as vfio's perms; BCR_FLR is an action. */
		put_le16(w + vdev->pcie_cap + PCI_EXP_DEVCTL, 0x7dff);
	if (vdev->msix_cap)
		put_le16(w + vdev->msix_cap + PCI_MSIX_FLAGS,
			 PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
}

/* Links the capability at @pos after @prev (0: the list head). */
static void vfio_pci_cap_link(u8 *cfg, u8 *prev, u8 pos, u8 id)
{
	if (!pos)
		return;
	cfg[*prev ? *prev + PCI_CAP_LIST_NEXT : PCI_CAPABILITY_LIST] = pos;
	cfg[pos + PCI_CAP_LIST_ID] = id;
	*prev = pos;
}

/* The power-on image: what vfio_config_init() shows after enable. */
void vfio_pci_config_init(struct vfio_pci_core_device *vdev)
{
	const struct uvfio_device_model *model = vdev->model;
	u8 cfg[PCI_CFG_SPACE_EXP_SIZE] = {0};
	u8 prev = 0;

	put_le16(cfg + PCI_VENDOR_ID, model->vendor);
	put_le16(cfg + PCI_DEVICE_ID, model->device);
	/* Firmware enabled decoding and SERR; pci_enable_device(): 0x0103. */
	put_le16(cfg + PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_SERR);
	cfg[PCI_REVISION_ID] = model->revision;
	cfg[PCI_CLASS_PROG] = (u8)model->class_code;
	put_le16(cfg + PCI_CLASS_DEVICE, (u16)(model->class_code >> 8));
	cfg[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct uvfio_bar *bar = &model->bars[i];

		if (!bar->size)
			continue;
		put_le32(cfg + PCI_BASE_ADDRESS_0 + 4 * i,
			 (u32)bar->addr | vfio_pci_bar_lowbits(bar));
		if (bar->flags & UVFIO_BAR_MEM64)
			put_le32(cfg + PCI_BASE_ADDRESS_0 + 4 * ++i,
				 (u32)(bar->addr >> 32));
	}
	put_le16(cfg + PCI_SUBSYSTEM_VENDOR_ID, model->subsystem_vendor);
	put_le16(cfg + PCI_SUBSYSTEM_ID, model->subsystem_device);
	cfg[PCI_INTERRUPT_LINE] = model->irq_pin ? model->irq_line : 0;
	cfg[PCI_INTERRUPT_PIN] = model->irq_pin;

	vfio_pci_cap_link(cfg, &prev, vdev->msi_cap, PCI_CAP_ID_MSI);
	if (vdev->msi_cap)
		/* 64-bit, no per-vector mask, as QEMU's msi_init() for edu. */
		put_le16(cfg + vdev->msi_cap + PCI_MSI_FLAGS,
			 PCI_MSI_FLAGS_64BIT |
			 (u16)(vfio_pci_msi_qmask(model->msi_vectors) << 1));
	vfio_pci_cap_link(cfg, &prev, vdev->pm_cap, PCI_CAP_ID_PM);
	if (vdev->pm_cap)
		/* D0, NoSoftRst clear: pci_pm_reset() is a reset method. */
		put_le16(cfg + vdev->pm_cap + PCI_PM_PMC, PCI_PM_CAP_VER_1_2);
	vfio_pci_cap_link(cfg, &prev, vdev->pcie_cap, PCI_CAP_ID_EXP);
	if (vdev->pcie_cap) {
		put_le16(cfg + vdev->pcie_cap + PCI_EXP_FLAGS,
			 PCI_EXP_FLAGS_VERS2 | PCI_EXP_TYPE_ENDPOINT << 4);
		put_le32(cfg + vdev->pcie_cap + PCI_EXP_DEVCAP,
			 (model->caps & UVFIO_CAP_FLR) ? PCI_EXP_DEVCAP_FLR : 0);
	}
	vfio_pci_cap_link(cfg, &prev, vdev->msix_cap, PCI_CAP_ID_MSIX);
	if (vdev->msix_cap) {
		u8 *x = cfg + vdev->msix_cap;

		put_le16(x + PCI_MSIX_FLAGS, (u16)(model->msix_vectors - 1));
		put_le32(x + PCI_MSIX_TABLE,
			 model->msix_table_offset | model->msix_bar);
		put_le32(x + PCI_MSIX_PBA,
			 model->msix_pba_offset | model->msix_bar);
	}
	if (prev)
		put_le16(cfg + PCI_STATUS, PCI_STATUS_CAP_LIST);
	/* No extended capabilities: vfio_ecap_init() leaves a zero header. */

	pthread_mutex_lock(&vdev->config_lock);
	memcpy(vdev->vconfig, cfg, sizeof(cfg));
	pthread_mutex_unlock(&vdev->config_lock);
}

/*
 * As vfio_bar_fixup(): a BAR reads back its address bits under the size
 * mask, plus its type bits, so writing all ones reads back the size. The
 * ROM keeps its enable bit; an absent BAR or ROM reads 0. Caller holds
 * config_lock.
 */
static void __vfio_pci_bar_fixup(struct vfio_pci_core_device *vdev)
{
	const struct uvfio_device_model *model = vdev->model;
	u8 *cfg = vdev->vconfig;

	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct uvfio_bar *bar = &model->bars[i];
		u8 *vbar = cfg + PCI_BASE_ADDRESS_0 + 4 * i;
		u64 mask;

		if (!bar->size) {
			put_le32(vbar, 0);
			continue;
		}
		mask = ~(bar->size - 1);
		put_le32(vbar, (get_le32(vbar) & (u32)mask &
				((bar->flags & UVFIO_BAR_IO) ?
				 PCI_BASE_ADDRESS_IO_MASK :
				 PCI_BASE_ADDRESS_MEM_MASK)) |
			       vfio_pci_bar_lowbits(bar));
		if (bar->flags & UVFIO_BAR_MEM64) {
			vbar += 4;
			put_le32(vbar, get_le32(vbar) & (u32)(mask >> 32));
			i++;
		}
	}
	if (model->rom_size)
		put_le32(cfg + PCI_ROM_ADDRESS,
			 get_le32(cfg + PCI_ROM_ADDRESS) &
			 (((u32)~(model->rom_size - 1) & PCI_ROM_ADDRESS_MASK) |
			  PCI_ROM_ADDRESS_ENABLE));
	else
		put_le32(cfg + PCI_ROM_ADDRESS, 0);
}

/*
 * As vfio_msi_config_write(): ENABLE sticks only while MSI is the enabled
 * interrupt type, and QSIZE cannot exceed what SET_IRQS enabled. Caller
 * holds config_lock; irq_type and msi_qmax are read without igate, which
 * nests outside config_lock.
 */
static void __vfio_pci_msi_fixup(struct vfio_pci_core_device *vdev)
{
	u8 *flags_p = vdev->vconfig + vdev->msi_cap + PCI_MSI_FLAGS;
	u16 flags = get_le16(flags_p);
	u16 qmax = READ_ONCE(vdev->msi_qmax);

	if (READ_ONCE(vdev->irq_type) != VFIO_PCI_MSI_IRQ_INDEX)
		flags &= (u16)~PCI_MSI_FLAGS_ENABLE;
	if (((flags & PCI_MSI_FLAGS_QSIZE) >> 4) > qmax)
		flags = (u16)((flags & ~PCI_MSI_FLAGS_QSIZE) | qmax << 4);
	put_le16(flags_p, flags);
}

/* What a write did beyond the image, acted on once config_lock is dropped. */
struct vfio_config_effects {
	bool intx_changed;	/* COMMAND.INTX_DISABLE was written */
	bool intx_disable;
	bool flr;		/* DEVCTL.BCR_FLR was written as 1 */
};

/* Whether [pos, pos + size) covers byte @reg. */
static bool covers(s64 pos, size_t size, unsigned int reg)
{
	return reg >= pos && reg < pos + (s64)size;
}

/* Caller holds config_lock. */
static void __vfio_config_write(struct vfio_pci_core_device *vdev, s64 pos,
				const u8 *val, size_t size,
				struct vfio_config_effects *fx)
{
	for (size_t i = 0; i < size; i++) {
		u8 m = vdev->wmask[pos + i];
		u8 *b = &vdev->vconfig[pos + i];

		*b = (u8)((*b & ~m) | (val[i] & m));
	}
	if (covers(pos, size, PCI_COMMAND + 1)) {
		fx->intx_changed = true;
		fx->intx_disable = vdev->vconfig[PCI_COMMAND + 1] &
				   (PCI_COMMAND_INTX_DISABLE >> 8);
	}
	if (pos < PCI_CAPABILITY_LIST && pos + (s64)size > PCI_BASE_ADDRESS_0)
		__vfio_pci_bar_fixup(vdev);
	if (vdev->msi_cap && covers(pos, size, vdev->msi_cap + PCI_MSI_FLAGS))
		__vfio_pci_msi_fixup(vdev);
	/* vfio_exp_config_write(): an FLR is an action, never stored. */
	if (vdev->pcie_cap &&
	    covers(pos, size, vdev->pcie_cap + PCI_EXP_DEVCTL + 1) &&
	    (val[vdev->pcie_cap + PCI_EXP_DEVCTL + 1 - pos] &
	     (PCI_EXP_DEVCTL_BCR_FLR >> 8)))
		fx->flr = vdev->model->caps & UVFIO_CAP_FLR;
}

static void vfio_config_apply_effects(struct vfio_pci_core_device *vdev,
				      const struct vfio_config_effects *fx)
{
	if (fx->intx_changed)
		vfio_pci_intx_virq_set(vdev, fx->intx_disable);
	if (fx->flr)
		vfio_pci_core_function_reset(vdev);
}

/* One naturally aligned access of 1, 2 or 4 bytes, as vfio_config_do_rw(). */
static int vfio_config_do_rw(struct vfio_pci_core_device *vdev,
			     char __user *buf, size_t count, s64 pos,
			     bool iswrite)
{
	struct vfio_config_effects fx = {0};
	u8 val[4];
	size_t size;

	size = vfio_pci_access_size((u64)pos, count);

	if (iswrite) {
		if (copy_from_user(val, buf, size))
			return -EFAULT;
		pthread_mutex_lock(&vdev->config_lock);
		__vfio_config_write(vdev, pos, val, size, &fx);
		pthread_mutex_unlock(&vdev->config_lock);
		vfio_config_apply_effects(vdev, &fx);
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

/* Whether the function may master the bus (COMMAND.MASTER). */
bool vfio_pci_master_enabled(struct vfio_pci_core_device *vdev)
{
	bool enabled;

	pthread_mutex_lock(&vdev->config_lock);
	enabled = vdev->vconfig[PCI_COMMAND] & PCI_COMMAND_MASTER;
	pthread_mutex_unlock(&vdev->config_lock);
	return enabled;
}

/* A consistent copy of the standard header, for sysfs "config". */
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
