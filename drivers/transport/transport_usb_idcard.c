#include "drivers/transport/transport_usb_idcard.h"

#include "drivers/transport/transport_usb.h"

#include <errno.h>
#include <string.h>

#include "drivers/idcard/idcard_frame.h"

#define TRANSPORT_USB_IDCARD_RX_MAX   (IDCARD_FRAME_MAX + 512)
#define TRANSPORT_USB_IDCARD_TX_MAX   (IDCARD_FRAME_HEADER_LEN + 3 + IDCARD_REQUEST_DATA_MAX)
/* Once a header came, its body is already on its way: it gets at least this long. */
#define TRANSPORT_USB_IDCARD_BODY_MS  500

static const uint8_t transport_usb_idcard_preamble[IDCARD_FRAME_PREAMBLE_LEN] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

struct transport_usb_idcard {
    struct transport_usb head; /* first: base, device, rx_start/rx_end */
    uint8_t out_header, out_body, in_header, in_body;
    uint16_t in_packet;    /* max packet size of the IN pipes: reads ask for whole packets */
    size_t tx_len;
    uint8_t tx[TRANSPORT_USB_IDCARD_TX_MAX];
    uint8_t rx[TRANSPORT_USB_IDCARD_RX_MAX];
};

/* Sends one whole request frame: header then body, each on its pipe. */
static ssize_t transport_usb_idcard_send(struct transport_usb_idcard *usb, size_t len, long long deadline)
{
    ssize_t n = usb_link_bulk(usb->head.device, usb->out_header, usb->tx, IDCARD_FRAME_HEADER_LEN,
                              (int)(deadline - transport_usb_now_ms()), NULL);
    if (n < 0)
        return n;
    n = usb_link_bulk(usb->head.device, usb->out_body, usb->tx + IDCARD_FRAME_HEADER_LEN, len - IDCARD_FRAME_HEADER_LEN,
                      (int)(deadline - transport_usb_now_ms()), NULL);
    return n < 0 ? n : 0;
}

static ssize_t transport_usb_idcard_write(struct transport *transport, const uint8_t *bytes, size_t len,
                                          int timeout_ms)
{
    struct transport_usb_idcard *usb = (struct transport_usb_idcard *)transport;
    long long deadline = transport_usb_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (size_t used = 0; used < len;) {
        size_t take = len - used;
        if (take > sizeof usb->tx - usb->tx_len)
            take = sizeof usb->tx - usb->tx_len;
        memcpy(usb->tx + usb->tx_len, bytes + used, take);
        usb->tx_len += take;
        used += take;
        size_t check = usb->tx_len < IDCARD_FRAME_PREAMBLE_LEN ? usb->tx_len : IDCARD_FRAME_PREAMBLE_LEN;
        /* Only whole frames can be split over the two pipes. */
        if (memcmp(usb->tx, transport_usb_idcard_preamble, check)) {
            usb->tx_len = 0;
            return -EINVAL;
        }
        if (usb->tx_len < IDCARD_FRAME_HEADER_LEN)
            continue;
        size_t frame = IDCARD_FRAME_HEADER_LEN + ((size_t)usb->tx[5] << 8 | usb->tx[6]);
        if (frame > sizeof usb->tx || frame < IDCARD_FRAME_HEADER_LEN + 1) {
            usb->tx_len = 0;
            return -EINVAL;
        }
        if (usb->tx_len < frame) {
            if (used < len)
                continue;
            break;
        }
        ssize_t err = transport_usb_idcard_send(usb, frame, deadline);
        memmove(usb->tx, usb->tx + frame, usb->tx_len - frame);
        usb->tx_len -= frame;
        if (err < 0) {
            usb->tx_len = 0;
            return err;
        }
    }
    return (ssize_t)len;
}

/* Reads up to want bytes from one IN pipe into rx, in whole packets (a short read buffer
 * would overflow on a full packet). Returns bytes added or a negative errno; a timeout
 * after some bytes counts as those bytes. */
static ssize_t transport_usb_idcard_fill(struct transport_usb_idcard *usb, uint8_t endpoint, size_t want,
                                         int timeout_ms)
{
    size_t room = sizeof usb->rx - usb->head.rx_end;
    size_t ask = (want + usb->in_packet - 1) / usb->in_packet * usb->in_packet;
    if (ask > room)
        ask = room / usb->in_packet * usb->in_packet;
    if (ask == 0)
        return -EMSGSIZE;
    size_t partial = 0;
    ssize_t n = usb_link_bulk(usb->head.device, endpoint, usb->rx + usb->head.rx_end, ask, timeout_ms, &partial);
    if (n == -ETIMEDOUT && partial)
        n = (ssize_t)partial;
    if (n > 0)
        usb->head.rx_end += (size_t)n;
    return n;
}

/* One reply from the device: its header, then as much body as the header announces. */
static ssize_t transport_usb_idcard_receive(struct transport_usb_idcard *usb, int timeout_ms)
{
    usb->head.rx_start = usb->head.rx_end = 0;
    long long deadline = transport_usb_now_ms() + timeout_ms;
    ssize_t n;
    do /* a zero-length packet is no reply: wait on */
        n = transport_usb_idcard_fill(usb, usb->in_header, IDCARD_FRAME_HEADER_LEN,
                                      (int)(deadline - transport_usb_now_ms()));
    while (n == 0 && transport_usb_now_ms() < deadline);
    if (n == 0)
        return -ETIMEDOUT;
    if (n < 0)
        return n;
    /* Not a header (junk on the header pipe): hand it on; the frame decoder skips junk. */
    if (usb->head.rx_end < IDCARD_FRAME_HEADER_LEN ||
        memcmp(usb->rx, transport_usb_idcard_preamble, IDCARD_FRAME_PREAMBLE_LEN))
        return (ssize_t)usb->head.rx_end;
    size_t body = (size_t)usb->rx[5] << 8 | usb->rx[6];
    size_t end = usb->head.rx_end; /* a header transfer may have carried body bytes too */
    size_t want_end = IDCARD_FRAME_HEADER_LEN + body;
    long long body_deadline = deadline;
    if (body_deadline < transport_usb_now_ms() + TRANSPORT_USB_IDCARD_BODY_MS)
        body_deadline = transport_usb_now_ms() + TRANSPORT_USB_IDCARD_BODY_MS;
    while (end < want_end && end < sizeof usb->rx) {
        long long left = body_deadline - transport_usb_now_ms();
        if (left <= 0)
            break;
        n = transport_usb_idcard_fill(usb, usb->in_body, want_end - end, (int)left);
        if (n == -ETIMEDOUT)
            break; /* what came goes on: the decoder waits, then times out itself */
        if (n < 0)
            return n == -EMSGSIZE ? (ssize_t)usb->head.rx_end : n;
        end = usb->head.rx_end;
    }
    return (ssize_t)usb->head.rx_end;
}

static ssize_t transport_usb_idcard_read(struct transport *transport, uint8_t *buf, size_t len, int timeout_ms)
{
    struct transport_usb_idcard *usb = (struct transport_usb_idcard *)transport;
    if (usb->head.rx_start == usb->head.rx_end) {
        ssize_t n = transport_usb_idcard_receive(usb, timeout_ms > 0 ? timeout_ms : 1);
        if (n < 0)
            return n;
    }
    return (ssize_t)transport_usb_take_received(&usb->head, usb->rx, buf, len);
}

static void transport_usb_idcard_close(struct transport *transport)
{
    struct transport_usb_idcard *usb = (struct transport_usb_idcard *)transport;
    transport_usb_close_device(&usb->head, sizeof *usb);
}

static const struct transport_ops transport_usb_idcard_ops = {
    .name = "usb",
    .write = transport_usb_idcard_write,
    .read = transport_usb_idcard_read,
    .close = transport_usb_idcard_close,
};

int transport_usb_idcard_open(struct usb_link *link, const struct usb_link_match *match, struct transport **out)
{
    *out = NULL;
    struct transport_usb *head;
    int err = transport_usb_open_device(sizeof(struct transport_usb_idcard), &transport_usb_idcard_ops, link, match,
                                        &head);
    if (err < 0)
        return err;
    struct transport_usb_idcard *usb = (struct transport_usb_idcard *)head;
    struct usb_link_endpoint eps[16];
    size_t count = usb_link_device_endpoints(head->device, eps, 16);
    uint8_t outs[2], ins[2];
    err = usb_link_pick_bulk(eps, count, 2, outs, 2, ins);
    if (err < 0) {
        transport_usb_close_device(head, sizeof *usb);
        return err;
    }
    usb->out_header = outs[0];
    usb->out_body = outs[1];
    usb->in_header = ins[0];
    usb->in_body = ins[1];
    /* Reads ask for whole packets of the larger IN pipe (64 full speed, 512 high). */
    usb->in_packet = 64;
    for (size_t i = 0; i < count; i++)
        if ((eps[i].address == ins[0] || eps[i].address == ins[1]) && eps[i].max_packet > usb->in_packet)
            usb->in_packet = eps[i].max_packet;
    *out = &head->base;
    return 0;
}
