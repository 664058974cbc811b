/* A verified licence (platform_json.h) as the certificate printer's page: the page engine's
 * licence layout (print_layout.h) with the holder's stated purpose, the print time and the
 * unit in the watermark, at the unit's paper and registration offset, encoded as a PCL job. */
#pragma once
#include <stddef.h>

#include "config.h"
#include "pcl.h"
#include "platform_json.h"

/* 0, or -1 with the reason in err. The job holds personal data: the caller wipes it. */
int licence_print_encode(const struct platform_licence *licence, const char *purpose, const char *print_time,
                         const struct config *config, struct pcl_buffer *job, char *err, size_t errlen);
