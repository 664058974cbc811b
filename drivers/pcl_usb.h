/* The USB printer class's requests in the PCL job runner's callback shapes (pcl.h), for a
 * laser on transport_usb_printer: GET_PORT_STATUS between chunks, SOFT_RESET after a job
 * given up. The context is the struct transport that transport_usb_printer_open made. */
#pragma once
#include <stdint.h>

int pcl_usb_port_status(void *usb_printer_transport, uint8_t *status);
int pcl_usb_soft_reset(void *usb_printer_transport);
