/* The software version, shown to technicians (unit information) and reported upstream. */
#pragma once

#define KIOSK_VERSION "0.1.0"
