/* SPDX-License-Identifier: MIT */
/* Bringing up the emulated kernel, once per process. */
#ifndef UVFIO_CORE_UVFIO_INIT_H
#define UVFIO_CORE_UVFIO_INIT_H

/* Registers the fixed nodes and the fork hooks; 0 or -errno. Idempotent. */
int uvfio_init(void);

#endif /* UVFIO_CORE_UVFIO_INIT_H */
