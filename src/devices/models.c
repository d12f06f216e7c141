// SPDX-License-Identifier: MIT
/*
 * The model table, device plugins, and uvfio_device_add():
 * "MODEL[,OPTS]" or "plugin=PATH.so[,OPTS]" to a registered vfio-pci
 * device. OPTS is a comma-separated list; "bdf=DDDD:BB:DD.F" places the
 * device, and the rest goes to the model's init (and a plugin's entry
 * point) as one string.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models.h"
#include "../core/uvfio_init.h"
#include <uvfio/uvfio.h>

#define PLUGIN_PREFIX	"plugin="

typedef const struct uvfio_device_model *(*uvfio_plugin_init_fn)(
	const char *args);

static const struct uvfio_device_model *const uvfio_models[] = {
	&edu_model,
};

const struct uvfio_device_model *uvfio_model_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(uvfio_models); i++)
		if (strlen(uvfio_models[i]->name) == len &&
		    !strncmp(uvfio_models[i]->name, name, len))
			return uvfio_models[i];
	return NULL;
}

__export int uvfio_model_exists(const char *spec)
{
	if (!spec)
		return 0;
	/* A plugin is a model as far as the spec goes; loading it may fail. */
	if (!strncmp(spec, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX)))
		return spec[strlen(PLUGIN_PREFIX)] != '\0';
	return uvfio_model_find(spec, strcspn(spec, ",")) != NULL;
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

/* @group: the IOMMU group to join, 0 for one of its own. */
static int __uvfio_device_add_model(const struct uvfio_device_model *model,
				    const char *bdf, const char *args,
				    unsigned int group)
{
	struct vfio_pci_core_device *vdev;
	char name[32];
	u16 domain;
	u8 bus, devfn;
	int ret;

	if (!model)
		return -EINVAL;
	ret = uvfio_init();
	if (ret)
		return ret;
	ret = bdf ? parse_bdf(bdf, &domain, &bus, &devfn) :
		    first_free_bdf(&domain, &bus, &devfn);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%04x:%02x:%02x.%x", domain, bus,
		 devfn >> 3, devfn & 7);
	if (vfio_device_find_by_name(name))
		return -EEXIST;

	vdev = vfio_pci_core_create(model, domain, bus, devfn, args ?: "",
				    group);
	if (IS_ERR(vdev))
		return (int)PTR_ERR(vdev);
	return (int)vdev->vdev.index;
}

__export int uvfio_device_add_model(const struct uvfio_device_model *model,
				    const char *bdf, const char *args)
{
	return __uvfio_device_add_model(model, bdf, args, 0);
}

/* "group=N": a decimal IOMMU group number from 1, as sysfs names them. */
static int parse_group(const char *s, size_t len, unsigned int *group)
{
	unsigned long v = 0;

	if (!len || len > 6)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!v)
		return -EINVAL;
	*group = (unsigned int)v;
	return 0;
}

/*
 * Splits OPTS into the bdf (NULL if absent) and everything else, in order,
 * comma-joined into @args. -EINVAL for an empty option or a second bdf.
 */
static int split_opts(const char *opts, char *bdf, size_t bdf_size,
		      char *args, size_t args_size, bool *has_bdf,
		      unsigned int *group)
{
	size_t alen = 0;

	*has_bdf = false;
	*group = 0;
	args[0] = '\0';
	while (*opts) {
		size_t len = strcspn(opts, ",");

		if (!len)
			return -EINVAL;
		if (!strncmp(opts, "bdf=", 4)) {
			if (*has_bdf || len - 4 >= bdf_size)
				return -EINVAL;
			memcpy(bdf, opts + 4, len - 4);
			bdf[len - 4] = '\0';
			*has_bdf = true;
		} else if (!strncmp(opts, "group=", 6)) {
			if (*group || parse_group(opts + 6, len - 6, group))
				return -EINVAL;
		} else {
			if (alen + len + 2 > args_size)
				return -EINVAL;
			if (alen)
				args[alen++] = ',';
			memcpy(args + alen, opts, len);
			alen += len;
			args[alen] = '\0';
		}
		opts += len;
		if (*opts == ',' && !*++opts)
			return -EINVAL;
	}
	return 0;
}

/*
 * Loads PATH and asks its entry point for a model. The handle stays open
 * for the life of the process: the model and its callbacks live in it.
 */
static const struct uvfio_device_model *
uvfio_plugin_load(const char *path, size_t len, const char *args, int *err)
{
	const struct uvfio_device_model *model;
	uvfio_plugin_init_fn init;
	char file[4096];
	void *handle;

	if (!len || len >= sizeof(file)) {
		*err = -EINVAL;
		return NULL;
	}
	memcpy(file, path, len);
	file[len] = '\0';
	if (access(file, R_OK)) {
		*err = -errno;
		return NULL;
	}
	handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "uvfio: plugin %s: %s\n", file, dlerror());
		*err = -ENOEXEC;
		return NULL;
	}
	init = (uvfio_plugin_init_fn)dlsym(handle, UVFIO_PLUGIN_ENTRY);
	if (!init) {
		fprintf(stderr, "uvfio: plugin %s: no %s\n", file,
			UVFIO_PLUGIN_ENTRY);
		dlclose(handle);
		*err = -ENOEXEC;
		return NULL;
	}
	model = init(args);
	if (!model)
		*err = -EINVAL;
	return model;
}

__export int uvfio_device_add(const char *spec)
{
	const struct uvfio_device_model *model;
	char bdf[32], args[1024];
	const char *opts;
	unsigned int group;
	bool has_bdf;
	int ret;

	if (!spec || !*spec)
		return -EINVAL;
	ret = uvfio_init();
	if (ret)
		return ret;
	if (spec[strlen(spec) - 1] == ',')
		return -EINVAL;
	if (!strncmp(spec, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX))) {
		const char *path = spec + strlen(PLUGIN_PREFIX);

		opts = path + strcspn(path, ",");
		ret = split_opts(*opts ? opts + 1 : opts, bdf, sizeof(bdf),
				 args, sizeof(args), &has_bdf, &group);
		if (ret)
			return ret;
		model = uvfio_plugin_load(path, (size_t)(opts - path), args,
					  &ret);
		if (!model)
			return ret;
	} else {
		opts = spec + strcspn(spec, ",");
		model = uvfio_model_find(spec, (size_t)(opts - spec));
		if (!model)
			return -ENODEV;
		ret = split_opts(*opts ? opts + 1 : opts, bdf, sizeof(bdf),
				 args, sizeof(args), &has_bdf, &group);
		if (ret)
			return ret;
	}
	return __uvfio_device_add_model(model, has_bdf ? bdf : NULL, args,
					group);
}
