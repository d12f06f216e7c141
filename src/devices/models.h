/* SPDX-License-Identifier: MIT */
/* The built-in device models, and creating devices from a spec string. */
#ifndef UVFIO_DEVICES_MODELS_H
#define UVFIO_DEVICES_MODELS_H

#include "../pci/vfio_pci_core.h"

extern const struct vfio_pci_model edu_model;

const struct vfio_pci_model *uvfio_model_find(const char *name, size_t len);

#endif /* UVFIO_DEVICES_MODELS_H */
