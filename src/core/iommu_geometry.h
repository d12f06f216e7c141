/* SPDX-License-Identifier: MIT */
/*
 * The emulated IOMMU: what a domain can map, as the reference host's Intel
 * IOMMU (QEMU q35, 39-bit address width) reports it, and the x86 MSI window
 * every device reserves (docs/reference-kernel-answers.md, A0 and A8).
 */
#ifndef UVFIO_CORE_IOMMU_GEOMETRY_H
#define UVFIO_CORE_IOMMU_GEOMETRY_H

#define UVFIO_IOMMU_PGSIZES		0x40201000ULL	/* 4K, 2M, 1G */
#define UVFIO_IOMMU_APERTURE_START	0ULL
#define UVFIO_IOMMU_APERTURE_END	((1ULL << 39) - 1)
#define UVFIO_MSI_RESERVED_START	0xfee00000ULL
#define UVFIO_MSI_RESERVED_END		0xfeefffffULL	/* inclusive */

#endif /* UVFIO_CORE_IOMMU_GEOMETRY_H */
