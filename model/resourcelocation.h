// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Feedscope {

// Where the run-time resources live (action runners, the system catalog, feed templates, the
// sample event service), in this order: $FEEDSCOPE_RESOURCES when set; <prefix>/share/feedscope/
// resources next to an installed binary (<prefix>/bin); the source tree's resources/ for a
// build tree.
QString resourcesDirectory();

} // namespace Feedscope
