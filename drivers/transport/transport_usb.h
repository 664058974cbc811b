/* What the two USB transports (transport_usb_idcard, transport_usb_printer) share: the head
 * of their state, the open that finds and claims the device before the pipes are picked,
 * and the hand-out of bytes already received. The USB itself is usb_link's. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "drivers/transport/transport.h"
#include "drivers/transport/usb_link.h"

/* The first member of each USB transport's state. */
struct transport_usb {
    struct transport base;          /* first: the generic code holds a struct transport * */
    struct usb_link_device *device; /* with a link of its own when the caller passed none */
    size_t rx_start, rx_end;        /* what of the transport's rx[] is received but not read */
};

/* Allocates size zeroed bytes (a state that starts with struct transport_usb) with ops and
 * opens the first device that matches (usb_link_device_open: link NULL gives the device a
 * link of its own). 0 with *out, or a negative errno with nothing left open. */
int transport_usb_open_device(size_t size, const struct transport_ops *ops, struct usb_link *link,
                              const struct usb_link_match *match, struct transport_usb **out);
/* Closes the device and frees the state, wiped first (a reader's rx may hold a card's text). */
void transport_usb_close_device(struct transport_usb *usb, size_t size);
/* Copies up to len of the received bytes in rx (rx_start..rx_end) to buf; how many. */
size_t transport_usb_take_received(struct transport_usb *usb, const uint8_t *rx, uint8_t *buf, size_t len);
/* CLOCK_MONOTONIC in milliseconds: the transports' deadlines. */
long long transport_usb_now_ms(void);
