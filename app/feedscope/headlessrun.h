// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

namespace Feedscope {
class Workspace;
}

// Feedscope without a window (./run.sh --engine, or no display): the workspace of the local
// engine with its demo, reported on stdout, until SIGINT / SIGTERM stop it cleanly.
class HeadlessRun : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessRun(Feedscope::Workspace *workspace, QObject *parent = nullptr);

private:
    void stop();

    Feedscope::Workspace *m_workspace;
    bool m_stopping = false;
    bool m_reported = false;
};
