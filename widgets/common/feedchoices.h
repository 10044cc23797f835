// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

// The feed actions a user can pick for a trigger: the system catalog's (alarms, changes,
// streams) and the user's own actions with a `feed` annotation, as the explorer knows them.
QStringList knownFeedActions(Session *session);

} // namespace Feedscope::Ui
