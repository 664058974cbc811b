/* A GA 467 reader on native USB (full-speed vendor bulk, e.g. 0400:c35a Routon iDR200) as a
 * struct transport, so idcard_reader runs on it unchanged. The device splits every frame in
 * two pipes each way (idcard-ga467.md "Native USB"): OUT header (preamble + Len) then OUT
 * body (CMD..CHK); IN header (preamble + Len) then IN body (SW..CHK). write() takes whole
 * request frames (the protocol code writes one frame per call; bytes are held until the
 * frame is complete) and read() gives back header + body as one byte stream, exactly what
 * the UART variant delivers. The four endpoints come from the interface descriptor in its
 * order: first bulk OUT = header, second = body; the same for IN. */
#pragma once
#include "drivers/transport/transport.h"
#include "drivers/transport/usb_link.h"

/* Opens the first attached device that matches. link: an open usb_link the caller keeps
 * (for hotplug), or NULL to open one owned by the transport. 0 with *out, or a negative
 * errno (usb_link.h: -ENOSYS no USB bus, -ENODEV none attached, -EPROTO not four bulk
 * endpoints, -EACCES, -EBUSY ...). */
int transport_usb_idcard_open(struct usb_link *link, const struct usb_link_match *match, struct transport **out);
