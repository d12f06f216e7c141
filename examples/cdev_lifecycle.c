// SPDX-License-Identifier: MIT
/*
 * The life of a VFIO device cdev fd, written only against the Linux uAPI:
 * it runs unchanged on a Linux 6.6+ host with a device bound to vfio-pci,
 * and under "uvfio run" against uvfio's emulated edu.
 *
 *   open the cdev         -> the fd is blocked: GET_INFO fails with EINVAL
 *   open /dev/iommu, IOAS_ALLOC, BIND_IOMMUFD -> the fd is granted
 *   ATTACH_IOMMUFD_PT to the IOAS -> the device is in a DMA domain (HWPT)
 *   DETACH, close, reopen  -> blocked again: a bind lasts until close
 *
 * Usage: cdev_lifecycle [BDF]   (default 0000:00:04.0)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <uvfio/uapi/iommufd.h>
#include <uvfio/uapi/vfio.h>

static int failures;

/* Prints one step and its result; counts results other than expected. */
static void step(const char *what, int ret, int expect_errno)
{
	int err = ret < 0 ? errno : 0;

	if (err)
		printf("  %-44s -> -1 %s\n", what, strerrorname_np(err));
	else
		printf("  %-44s -> %d\n", what, ret);
	if (err != expect_errno) {
		printf("  !! expected %s\n",
		       expect_errno ? strerrorname_np(expect_errno) : "success");
		failures++;
	}
}

/* The cdev node of @bdf, found as QEMU and the selftests find it. */
static int find_cdev(const char *bdf, char *path, size_t size)
{
	char dir[256];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4))
			break;
	if (de)
		snprintf(path, size, "/dev/vfio/devices/%s", de->d_name);
	closedir(d);
	return de ? 0 : -1;
}

static int get_info(int devfd, struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return ioctl(devfd, VFIO_DEVICE_GET_INFO, info);
}

int main(int argc, char **argv)
{
	const char *bdf = argc > 1 ? argv[1] : "0000:00:04.0";
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach),
	};
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_info info;
	char cdev[300];
	int devfd, iommufd, ret;

	if (find_cdev(bdf, cdev, sizeof(cdev))) {
		fprintf(stderr, "no vfio-dev cdev for %s\n", bdf);
		return 2;
	}
	printf("device %s: %s\n", bdf, cdev);

	printf("1. open the cdev: the fd starts blocked\n");
	devfd = open(cdev, O_RDWR | O_CLOEXEC);
	step("open(cdev)", devfd, 0);
	if (devfd < 0)
		return 1;
	step("VFIO_DEVICE_GET_INFO", get_info(devfd, &info), EINVAL);

	printf("2. bind it to an iommufd\n");
	iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	step("open(/dev/iommu)", iommufd, 0);
	if (iommufd < 0)
		return 1;
	ret = ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc);
	step("IOMMU_IOAS_ALLOC", ret, 0);
	printf("     ioas id %u\n", alloc.out_ioas_id);
	bind.iommufd = iommufd;
	ret = ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
	step("VFIO_DEVICE_BIND_IOMMUFD", ret, 0);
	printf("     devid %u\n", bind.out_devid);
	ret = get_info(devfd, &info);
	step("VFIO_DEVICE_GET_INFO", ret, 0);
	if (!ret)
		printf("     flags 0x%x, %u regions, %u irqs\n", info.flags,
		       info.num_regions, info.num_irqs);
	step("VFIO_DEVICE_BIND_IOMMUFD again", ioctl(devfd,
	     VFIO_DEVICE_BIND_IOMMUFD, &bind), EINVAL);

	printf("3. attach to the IOAS, then detach\n");
	attach.pt_id = alloc.out_ioas_id;
	ret = ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
	step("VFIO_DEVICE_ATTACH_IOMMUFD_PT(ioas)", ret, 0);
	printf("     attached to hwpt id %u\n", attach.pt_id);
	ret = ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach);
	step("VFIO_DEVICE_DETACH_IOMMUFD_PT", ret, 0);

	printf("4. close and reopen: blocked again\n");
	step("close(devfd)", close(devfd), 0);
	devfd = open(cdev, O_RDWR | O_CLOEXEC);
	step("open(cdev)", devfd, 0);
	step("VFIO_DEVICE_GET_INFO", get_info(devfd, &info), EINVAL);
	close(devfd);
	close(iommufd);

	printf("%s\n", failures ? "FAILED" : "all steps gave the kernel's answers");
	return failures ? 1 : 0;
}
