// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedchoices.h"

#include "session.h"

namespace Feedscope::Ui {

QStringList knownFeedActions(Session *session)
{
    QStringList feeds;
    for (const char *feed : {"/whisk.system/alarms/alarm",
                             "/whisk.system/alarms/interval",
                             "/whisk.system/alarms/once",
                             "/whisk.system/cloudant/changes",
                             "/whisk.system/streams/sse"})
        feeds.append(QString::fromLatin1(feed));
    if (session) {
        for (const ExplorerEntry &e : session->tree()->entries(EntityTreeModel::Group::Actions)) {
            if (e.feedAction)
                feeds.append(e.name);
        }
    }
    return feeds;
}

} // namespace Feedscope::Ui
