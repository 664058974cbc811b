/* How the browse screen groups services; passed (by pointer) when it is pushed. */
#pragma once

enum guide_browse_mode { GUIDE_BROWSE_DEPARTMENTS, GUIDE_BROWSE_THEMES };
