// SPDX-License-Identifier: MIT
/*
 * The name GROUP_GET_DEVICE_FD looks a vfio-pci device up by: its PCI
 * address, optionally followed by " vf_token=<UUID>" (the kernel's
 * vfio_pci_core_match() and vfio_pci_validate_vf_token()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "vfio_pci_core.h"

#define UUID_STRING_LEN	36

/* As uuid_parse(): 8-4-4-4-12 hex digits. */
static int vfio_pci_uuid_valid(const char *s)
{
	for (int i = 0; i < UUID_STRING_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		bool ok = dash ? s[i] == '-' :
				 s[i] && strchr("0123456789abcdefABCDEF", s[i]);

		if (!ok)
			return -EINVAL;
	}
	return 0;
}

/*
 * 1 on a match, 0 for another device, -EINVAL for a malformed or unknown
 * option. No emulated function is an SR-IOV PF or VF, so a well-formed
 * token is refused too: "VF token incorrectly provided, not a PF or VF".
 */
int vfio_pci_core_match(struct vfio_device *core_vdev, const char *buf)
{
	size_t len = strlen(core_vdev->name);
	bool vf_token = false;

	if (strncmp(core_vdev->name, buf, len))
		return 0;
	buf += len;
	if (*buf && *buf != ' ')
		return 0;	/* a longer name, not ours */
	while (*buf) {
		if (*buf == ' ') {
			buf++;
			continue;
		}
		if (vf_token || strncmp(buf, "vf_token=", 9))
			return -EINVAL;	/* unknown or repeated option */
		buf += 9;
		if (strlen(buf) < UUID_STRING_LEN || vfio_pci_uuid_valid(buf))
			return -EINVAL;
		vf_token = true;
		buf += UUID_STRING_LEN;
	}
	return vf_token ? -EINVAL : 1;
}
