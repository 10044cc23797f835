// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionstatus.h"

#include "common/theme.h"
#include "workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>

namespace Feedscope::Ui {

ConnectionStatus::ConnectionStatus(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_dot(new QLabel(this))
    , m_label(new QLabel(this))
    , m_restart(new QToolButton(this))
    , m_retry(new QToolButton(this))
{
    setObjectName(QStringLiteral("connectionStatus"));
    setAccessibleName(tr("Connection"));
    m_label->setObjectName(QStringLiteral("connectionLabel"));
    m_label->setAccessibleName(tr("Connection state"));
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_restart->setObjectName(QStringLiteral("restartEngineStatusButton"));
    m_restart->setAccessibleName(tr("Restart the local engine"));
    m_restart->setText(tr("Restart engine"));
    m_retry->setObjectName(QStringLiteral("retryConnectionButton"));
    m_retry->setAccessibleName(tr("Try to connect again"));
    m_retry->setText(tr("Try again"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_label);
    layout->addWidget(m_retry);
    layout->addWidget(m_restart);
    connect(m_restart, &QToolButton::clicked, this, [this] {
        if (m_workspace)
            m_workspace->restartLocalEngine();
    });
    connect(m_retry, &QToolButton::clicked, this, [this] {
        if (m_workspace)
            m_workspace->reconnect();
    });
    connect(workspace, &Workspace::stateChanged, this, &ConnectionStatus::update);
    connect(workspace, &Workspace::sessionChanged, this, [this](Session *session) {
        if (session)
            connect(session, &Session::connectionChanged, this, &ConnectionStatus::update);
        update();
    });
    connect(workspace->localEngine(), &LocalEngine::stateChanged, this, &ConnectionStatus::update);
    update();
}

void ConnectionStatus::update()
{
    if (!m_workspace)
        return;
    const bool local = m_workspace->currentProfile() == ProfileStore::localEngineName;
    Session *session = m_workspace->session();
    Theme::Role role = Theme::Role::Muted;
    QString text;
    switch (m_workspace->state()) {
    case Workspace::State::Idle: text = tr("Not connected"); break;
    case Workspace::State::Connecting:
        role = Theme::Role::Pulse;
        text = m_workspace->stateMessage();
        break;
    case Workspace::State::Failed:
        role = Theme::Role::Error;
        text = tr("%1: %2").arg(m_workspace->currentProfile(), m_workspace->stateMessage());
        break;
    case Workspace::State::Connected:
        role = Theme::Role::Success;
        if (session) {
            const WhiskEndpoint &e = session->endpoint();
            const QString ns = session->tree()->ns();
            text = QStringLiteral("%1 — %2 · %3").arg(m_workspace->currentProfile(), e.apiHost, ns);
            if (session->roundTripMs() >= 0)
                text += tr(" · %1 ms").arg(session->roundTripMs());
        }
        break;
    }
    if (local) {
        switch (m_workspace->localEngine()->state()) {
        case LocalEngine::State::Running:
            text += m_workspace->localEngine()->ownsProcess() ? tr(" · engine running")
                                                              : tr(" · engine attached");
            break;
        case LocalEngine::State::Starting: text += tr(" · engine starting"); break;
        case LocalEngine::State::Stopping: text += tr(" · engine stopping"); break;
        case LocalEngine::State::Stopped:
            if (m_workspace->state() != Workspace::State::Connecting)
                text += tr(" · engine stopped");
            break;
        }
    }
    m_label->setText(text);
    m_label->setToolTip(text);
    QPixmap dot(10, 10);
    dot.fill(Qt::transparent);
    {
        QPainter p(&dot);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(Theme::color(role, this));
        p.drawEllipse(QRectF(1, 1, 8, 8));
    }
    m_dot->setPixmap(dot);
    const bool failed = m_workspace->state() == Workspace::State::Failed;
    m_restart->setVisible(local && failed);
    m_retry->setVisible(failed && !local);
}

} // namespace Feedscope::Ui
