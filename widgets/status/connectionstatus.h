// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QToolButton;

namespace Feedscope {
class Workspace;
}

namespace Feedscope::Ui {

// The status bar's connection item: profile, API host, namespace and round trip time, and for
// the local engine its state — starting, running, stopped unexpectedly (with a Restart button).
// A profile that cannot connect says why and offers to try again.
class ConnectionStatus : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionStatus(Workspace *workspace, QWidget *parent = nullptr);

    QLabel *label() const { return m_label; }
    QToolButton *restartButton() const { return m_restart; }
    QToolButton *retryButton() const { return m_retry; }

private:
    void update();

    QPointer<Workspace> m_workspace;
    QLabel *m_dot;
    QLabel *m_label;
    QToolButton *m_restart;
    QToolButton *m_retry;
};

} // namespace Feedscope::Ui
