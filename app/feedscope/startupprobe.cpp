// SPDX-License-Identifier: GPL-3.0-or-later
#include "startupprobe.h"

#include "workspace.h"

#include <QDateTime>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <cstdio>

using namespace Feedscope;

namespace {

void mark(const char *what)
{
    std::printf("%s %lld\n", what, static_cast<long long>(QDateTime::currentMSecsSinceEpoch()));
    std::fflush(stdout);
}

} // namespace

StartupProbe::StartupProbe(QWidget *window, Workspace *workspace)
    : QObject(window)
    , m_workspace(workspace)
{
    window->installEventFilter(this);
    connect(workspace, &Workspace::sessionChanged, this, [this, window](Session *session) {
        if (!session)
            return;
        connect(session->loader(), &NamespaceLoader::refreshed, this, [this, window] {
            mark("explorer-populated");
            window->close();
        });
    });
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    // The first paint after show: the window is there for the user.
    if (!m_shown && event->type() == QEvent::Paint) {
        m_shown = true;
        mark("window-shown");
    }
    return QObject::eventFilter(watched, event);
}
