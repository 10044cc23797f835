// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QWidget;

namespace Feedscope {
class Workspace;
}

// For bench/gui-start.sh (FEEDSCOPE_STARTUP_PROBE=1): prints "window-shown <epoch ms>" once the
// window is on screen and "explorer-populated <epoch ms>" once the first listing of the
// namespace is in the explorer, then quits the application (cleanly, stopping the engine).
class StartupProbe : public QObject
{
    Q_OBJECT

public:
    StartupProbe(QWidget *window, Feedscope::Workspace *workspace);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    Feedscope::Workspace *m_workspace;
    bool m_shown = false;
};
