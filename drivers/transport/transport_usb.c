#include "drivers/transport/transport_usb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int transport_usb_open_device(size_t size, const struct transport_ops *ops, struct usb_link *link,
                              const struct usb_link_match *match, struct transport_usb **out)
{
    *out = NULL;
    struct transport_usb *usb = calloc(1, size);
    if (!usb)
        return -ENOMEM;
    usb->base.ops = ops;
    int err = usb_link_device_open(link, match, &usb->device);
    if (err < 0) {
        free(usb);
        return err;
    }
    *out = usb;
    return 0;
}

void transport_usb_close_device(struct transport_usb *usb, size_t size)
{
    usb_link_device_close(usb->device);
    explicit_bzero(usb, size);
    free(usb);
}

size_t transport_usb_take_received(struct transport_usb *usb, const uint8_t *rx, uint8_t *buf, size_t len)
{
    size_t n = usb->rx_end - usb->rx_start;
    if (n > len)
        n = len;
    memcpy(buf, rx + usb->rx_start, n);
    usb->rx_start += n;
    return n;
}

long long transport_usb_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}
