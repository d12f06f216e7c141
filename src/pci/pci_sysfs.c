// SPDX-License-Identifier: MIT
/*
 * The emulated sysfs and /dev trees for vfio-pci devices, written as real
 * files under a root directory (uvfio_sysfs_populate()) and reached through
 * path redirection (vfs/redirect.c). Names, contents and link targets are
 * what a real host shows for the same device bound to vfio-pci
 * (docs/reference-kernel-answers.md, section A8); the kernel side is
 * drivers/pci/pci-sysfs.c and drivers/vfio/vfio_main.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vfio_pci_core.h"
#include "pci_regs.h"
#include "../core/chrdev.h"
#include <uvfio/uvfio.h>

#define PCI_NUM_RESOURCES_SHOWN	13	/* BARs, ROM, IOV: resource_show() */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_READONLY	0x00004000
#define IORESOURCE_SIZEALIGN	0x00040000
#define IORESOURCE_MEM_64	0x00100000

/* The prefixes every vfio-pci setup moves into the emulated trees. */
static const char *const vfio_pci_global_prefixes[] = {
	"/dev/vfio",
	"/sys/bus/pci/drivers/vfio-pci",
	"/sys/class/vfio-dev",
	"/sys/module/vfio",
	"/sys/module/vfio_pci",
	"/sys/module/vfio_pci_core",
	"/sys/module/vfio_iommu_type1",
	"/sys/module/iommufd",
};

static void pci_sysfs_dir(const struct vfio_pci_core_device *vdev, char *buf,
			  size_t size)
{
	snprintf(buf, size, "/sys/devices/pci%04x:%02x/%s", vdev->domain,
		 vdev->bus, vdev->vdev.name);
}

/* Makes the device's paths redirect; called once the device exists. */
int vfio_pci_sysfs_register(struct vfio_pci_core_device *vdev)
{
	char path[PATH_MAX];
	int ret = 0;

	for (size_t i = 0; !ret && i < ARRAY_SIZE(vfio_pci_global_prefixes);
	     i++)
		ret = uvfio_redirect_add(vfio_pci_global_prefixes[i]);
	pci_sysfs_dir(vdev, path, sizeof(path));
	ret = ret ?: uvfio_redirect_add(path);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", vdev->vdev.name);
	ret = ret ?: uvfio_redirect_add(path);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%u",
		 vdev->vdev.iommu_group);
	return ret ?: uvfio_redirect_add(path);
}

/* mkdir -p of @root + the formatted path. */
static int tree_mkdir(const char *root, const char *fmt, ...)
{
	char path[PATH_MAX], *p;
	va_list ap;
	int len;

	len = snprintf(path, sizeof(path), "%s/", root);
	va_start(ap, fmt);
	vsnprintf(path + len, sizeof(path) - (size_t)len, fmt, ap);
	va_end(ap);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int tree_write(const char *root, const char *dir, const char *name,
		      const void *data, size_t len)
{
	char path[PATH_MAX];
	ssize_t done;
	int fd;

	snprintf(path, sizeof(path), "%s%s/%s", root, dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	done = write(fd, data, len);
	close(fd);
	return done == (ssize_t)len ? 0 : -EIO;
}

static int tree_printf(const char *root, const char *dir, const char *name,
		       const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tree_write(root, dir, name, buf, (size_t)len);
}

static int tree_symlink(const char *root, const char *target,
			const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int len;

	len = snprintf(path, sizeof(path), "%s", root);
	va_start(ap, fmt);
	vsnprintf(path + len, sizeof(path) - (size_t)len, fmt, ap);
	va_end(ap);
	if (symlink(target, path) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * The resource lines, as resource_show() prints them: start, end and the
 * kernel's flags, which carry the BAR's own low bits (pci_parse_bar_flags()).
 */
static int pci_sysfs_write_resource(const char *root, const char *dir,
				    const struct uvfio_device_model *model)
{
	char buf[PCI_NUM_RESOURCES_SHOWN * 64];
	size_t len = 0;

	for (int i = 0; i < PCI_NUM_RESOURCES_SHOWN; i++) {
		u64 start = 0, end = 0, flags = 0;

		if (i < PCI_STD_NUM_BARS && model->bars[i].size) {
			const struct uvfio_bar *bar = &model->bars[i];

			start = bar->addr;
			end = start + bar->size - 1;
			if (bar->flags & UVFIO_BAR_IO)
				flags = IORESOURCE_IO | IORESOURCE_SIZEALIGN |
					PCI_BASE_ADDRESS_SPACE_IO;
			else
				flags = IORESOURCE_MEM | IORESOURCE_SIZEALIGN |
					((bar->flags & UVFIO_BAR_MEM64) ?
					 IORESOURCE_MEM_64 |
					 PCI_BASE_ADDRESS_MEM_TYPE_64 : 0) |
					((bar->flags & UVFIO_BAR_PREFETCH) ?
					 IORESOURCE_PREFETCH |
					 PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
		} else if (i == PCI_ROM_RESOURCE && model->rom_size) {
			/* Unassigned, as a ROM the BIOS did not map. */
			end = model->rom_size - 1;
			flags = IORESOURCE_MEM | IORESOURCE_READONLY |
				IORESOURCE_SIZEALIGN;
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"0x%016llx 0x%016llx 0x%016llx\n",
					(unsigned long long)start,
					(unsigned long long)end,
					(unsigned long long)flags);
	}
	return tree_write(root, dir, "resource", buf, len);
}

/* The PCI function's own directory under /sys/devices. */
static int pci_sysfs_populate_dev(const char *root,
				  struct vfio_pci_core_device *vdev)
{
	const struct uvfio_device_model *m = vdev->model;
	u8 config[PCI_CFG_SPACE_SIZE];
	char dir[128], vfio_dir[192];
	const char *up = "../../..";	/* from the device dir to /sys */
	int ret;

	pci_sysfs_dir(vdev, dir, sizeof(dir));
	ret = tree_mkdir(root, "%s", dir + 1);
	if (ret)
		return ret;
	vfio_pci_config_snapshot(vdev, config);
	ret = tree_printf(root, dir, "vendor", "0x%04x\n", m->vendor) ?:
	      tree_printf(root, dir, "device", "0x%04x\n", m->device) ?:
	      tree_printf(root, dir, "subsystem_vendor", "0x%04x\n",
			  m->subsystem_vendor) ?:
	      tree_printf(root, dir, "subsystem_device", "0x%04x\n",
			  m->subsystem_device) ?:
	      tree_printf(root, dir, "class", "0x%06x\n", m->class_code) ?:
	      tree_printf(root, dir, "revision", "0x%02x\n", m->revision) ?:
	      tree_printf(root, dir, "irq", "%u\n", m->irq_line) ?:
	      tree_printf(root, dir, "numa_node", "-1\n") ?:
	      tree_printf(root, dir, "enable", "1\n") ?:
	      tree_printf(root, dir, "driver_override", "vfio-pci\n") ?:
	      tree_printf(root, dir, "modalias",
			  "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
			  m->vendor, m->device, m->subsystem_vendor,
			  m->subsystem_device, (m->class_code >> 16) & 0xff,
			  (m->class_code >> 8) & 0xff, m->class_code & 0xff) ?:
	      tree_write(root, dir, "config", config, sizeof(config)) ?:
	      pci_sysfs_write_resource(root, dir, m);
	/* reset_method exists only with a method (reset_method_is_visible()). */
	if (!ret && vdev->reset_works)
		ret = tree_printf(root, dir, "reset_method", "%s\n",
				  vdev->reset_method);
	if (ret)
		return ret;

	ret = tree_symlink(root, "../../../bus/pci/drivers/vfio-pci",
			   "%s/driver", dir) ?:
	      tree_symlink(root, "../../../bus/pci", "%s/subsystem", dir);
	if (ret)
		return ret;
	{
		char target[64];

		snprintf(target, sizeof(target), "%s/kernel/iommu_groups/%u",
			 up, vdev->vdev.iommu_group);
		ret = tree_symlink(root, target, "%s/iommu_group", dir);
		if (ret)
			return ret;
	}

	/* The cdev's class device: vfio-dev/vfioN/dev names the node. */
	snprintf(vfio_dir, sizeof(vfio_dir), "%s/vfio-dev/vfio%u", dir,
		 vdev->vdev.index);
	ret = tree_mkdir(root, "%s", vfio_dir + 1) ?:
	      tree_printf(root, vfio_dir, "dev", "%u:%u\n", VFIO_DEV_MAJOR,
			  vdev->vdev.index) ?:
	      tree_printf(root, vfio_dir, "uevent",
			  "MAJOR=%u\nMINOR=%u\nDEVNAME=vfio/devices/vfio%u\n",
			  VFIO_DEV_MAJOR, vdev->vdev.index, vdev->vdev.index);
	return ret;
}

/* Links into the device dir, and the group, module and /dev entries. */
static int pci_sysfs_populate_links(const char *root,
				    struct vfio_pci_core_device *vdev)
{
	const char *name = vdev->vdev.name;
	unsigned int group = vdev->vdev.iommu_group;
	char dir[128], target[256];
	int ret;

	pci_sysfs_dir(vdev, dir, sizeof(dir));
	ret = tree_mkdir(root, "sys/bus/pci/devices") ?:
	      tree_mkdir(root, "sys/bus/pci/drivers/vfio-pci") ?:
	      tree_mkdir(root, "sys/kernel/iommu_groups/%u/devices", group) ?:
	      tree_mkdir(root, "sys/class/vfio-dev") ?:
	      tree_mkdir(root, "dev/vfio/devices");
	if (ret)
		return ret;

	snprintf(target, sizeof(target), "../../..%s", dir + 4);
	ret = tree_symlink(root, target, "/sys/bus/pci/devices/%s", name);
	snprintf(target, sizeof(target), "../../../..%s", dir + 4);
	ret = ret ?: tree_symlink(root, target,
				  "/sys/bus/pci/drivers/vfio-pci/%s", name);
	ret = ret ?: tree_symlink(root, target,
				  "/sys/kernel/iommu_groups/%u/devices/%s",
				  group, name);
	snprintf(target, sizeof(target), "../..%s/vfio-dev/vfio%u", dir + 4,
		 vdev->vdev.index);
	ret = ret ?: tree_symlink(root, target, "/sys/class/vfio-dev/vfio%u",
				  vdev->vdev.index);
	if (ret)
		return ret;

	snprintf(dir, sizeof(dir), "/sys/kernel/iommu_groups/%u", group);
	ret = tree_printf(root, dir, "type", "DMA\n") ?:
	      tree_printf(root, dir, "reserved_regions",
			  "0x00000000fee00000 0x00000000feefffff msi\n");
	if (ret)
		return ret;
	/*
	 * An empty file per node, so that listing /dev/vfio shows the
	 * container, the group and the cdev; opening one reaches the node.
	 */
	snprintf(dir, sizeof(dir), "%u", group);
	ret = tree_write(root, "/dev/vfio", "vfio", "", 0) ?:
	      tree_write(root, "/dev/vfio", dir, "", 0);
	if (ret)
		return ret;
	snprintf(dir, sizeof(dir), "vfio%u", vdev->vdev.index);
	return tree_write(root, "/dev/vfio/devices", dir, "", 0);
}

static int pci_sysfs_populate_one(struct vfio_device *device, void *arg)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci_core(device);
	const char *root = arg;

	return pci_sysfs_populate_dev(root, vdev) ?:
	       pci_sysfs_populate_links(root, vdev);
}

static int pci_sysfs_populate_modules(const char *root)
{
	static const char *const modules[] = {
		"vfio", "vfio_pci", "vfio_pci_core", "vfio_iommu_type1",
		"iommufd",
	};
	int ret = 0;

	for (size_t i = 0; !ret && i < ARRAY_SIZE(modules); i++)
		ret = tree_mkdir(root, "sys/module/%s/parameters", modules[i]);
	return ret ?: tree_printf(root, "/sys/module/vfio/parameters",
				  "enable_unsafe_noiommu_mode", "N\n");
}

__export int uvfio_sysfs_populate(const char *root)
{
	int saved = errno;
	int ret;

	ret = pci_sysfs_populate_modules(root) ?:
	      vfio_device_for_each(pci_sysfs_populate_one, (void *)root);
	errno = saved;
	return ret;
}
