/* SPDX-License-Identifier: MIT */
/* The built-in device models, and creating devices from a spec string. */
#ifndef UVFIO_DEVICES_MODELS_H
#define UVFIO_DEVICES_MODELS_H

#include <errno.h>

#include "../pci/vfio_pci_core.h"
#include <uvfio/device.h>
#include <uvfio/dma.h>

extern const struct uvfio_device_model edu_model;

const struct uvfio_device_model *uvfio_model_find(const char *name, size_t len);

#endif /* UVFIO_DEVICES_MODELS_H */
