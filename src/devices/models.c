// SPDX-License-Identifier: MIT
/*
 * The model table and uvfio_device_add(): "MODEL[,bdf=DDDD:BB:DD.F]" to a
 * registered vfio-pci device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models.h"
#include "../core/uvfio_init.h"
#include <uvfio/uvfio.h>

static const struct vfio_pci_model *const uvfio_models[] = {
	&edu_model,
};

const struct vfio_pci_model *uvfio_model_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(uvfio_models); i++)
		if (strlen(uvfio_models[i]->name) == len &&
		    !strncmp(uvfio_models[i]->name, name, len))
			return uvfio_models[i];
	return NULL;
}

__export int uvfio_model_exists(const char *spec)
{
	return spec && uvfio_model_find(spec, strcspn(spec, ",")) != NULL;
}

/* "DDDD:BB:DD.F" with hex fields, device < 32 and function < 8. */
static int parse_bdf(const char *s, u16 *domain, u8 *bus, u8 *devfn)
{
	unsigned int d, b, dev, fn;
	int n = 0;

	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &d, &b, &dev, &fn, &n) != 4 ||
	    n != 12 || s[n] || dev > 31 || fn > 7)
		return -EINVAL;
	/* sscanf's %x accepts signs and spaces: insist on hex digits. */
	for (int i = 0; i < 12; i++) {
		bool sep = i == 4 || i == 7 || i == 10;

		if (sep ? s[i] != (i == 10 ? '.' : ':') :
			  !strchr("0123456789abcdefABCDEF", s[i]))
			return -EINVAL;
	}
	*domain = (u16)d;
	*bus = (u8)b;
	*devfn = (u8)(dev << 3 | fn);
	return 0;
}

/* The first free slot on bus 0 from 00:04.0, where QEMU puts -device edu. */
static int first_free_bdf(u16 *domain, u8 *bus, u8 *devfn)
{
	char name[32];

	for (unsigned int slot = 4; slot < 32; slot++) {
		snprintf(name, sizeof(name), "0000:00:%02x.0", slot);
		if (!vfio_device_find_by_name(name)) {
			*domain = 0;
			*bus = 0;
			*devfn = (u8)(slot << 3);
			return 0;
		}
	}
	return -ENOSPC;
}

__export int uvfio_device_add(const char *spec)
{
	const struct vfio_pci_model *model;
	struct vfio_pci_core_device *vdev;
	const char *opts;
	char name[32];
	u16 domain;
	u8 bus, devfn;
	int ret;

	if (!spec || !*spec)
		return -EINVAL;
	ret = uvfio_init();
	if (ret)
		return ret;
	opts = spec + strcspn(spec, ",");
	model = uvfio_model_find(spec, (size_t)(opts - spec));
	if (!model)
		return -ENODEV;

	if (!*opts) {
		ret = first_free_bdf(&domain, &bus, &devfn);
	} else if (!strncmp(opts, ",bdf=", 5)) {
		ret = parse_bdf(opts + 5, &domain, &bus, &devfn);
	} else {
		ret = -EINVAL;
	}
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%04x:%02x:%02x.%x", domain, bus,
		 devfn >> 3, devfn & 7);
	if (vfio_device_find_by_name(name))
		return -EEXIST;

	vdev = vfio_pci_core_create(model, domain, bus, devfn);
	if (IS_ERR(vdev))
		return (int)PTR_ERR(vdev);
	return (int)vdev->vdev.index;
}
